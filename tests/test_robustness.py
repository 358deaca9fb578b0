"""Adversarial input (SPEC, Robustness): whatever a file or a command line holds,
strideplan answers in bounded time with one of its exit codes (0, 1, 2, 3, 130), names
the file and key of bad input, and writes nothing it should not."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from strideplan.check import check_plan
from strideplan.cli import cli

from conftest import scenario, solve

BASE = "name: x\nstart: 2027-01-04\nweeks: 2\n"


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def bad_input(tmp_path, text: str, *extra, name: str = "s.yaml"):
    """Solve a scenario text that must be refused: exit 2, nothing written."""
    path = tmp_path / name
    path.write_text(text)
    out = tmp_path / "plan.xlsx"
    result = invoke("solve", path, "-o", out, "--no-why", *extra)
    assert result.exit_code == 2, result.output
    assert str(path) in result.output
    assert not out.exists() and not list(tmp_path.glob(".*tmp"))
    return result.output


# ---------------------------------------------------------------------- scenario files
@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: x\nstart: 2027-02-30\nweeks: 2\n", ["start", "line 2", "date"]),
        ("name: x\nstart: 9999-12-27\nweeks: 2\n", ["start", "2200"]),
        ("name: x\nstart: 1899-12-25\nweeks: 2\n", ["start", "1900"]),
        ("name: x\nstart: 1700000000\nweeks: 2\n", ["start", "date"]),
        (BASE + "weeks: 3\n", ["duplicate key 'weeks'", "line 4", "line 3"]),
        (BASE + "athlete: {name: a, name: b}\n", ["duplicate key 'name'"]),
        (BASE + "athlete: &a {away: [*a]}\n", ["alias", "recursion", "line 4"]),
        (BASE + "weeks_: " + "9" * 5000 + "\n", ["5000 digits", "line 4"]),
        ("name: x\nstart: 2027-01-04\nweeks: " + "9" * 5000 + "\n", ["5000 digits"]),
        (BASE + "variants: {a: " + "[" * 100_000 + "}\n", ["nesting deeper than 50"]),
        (BASE + "variants: {a: {b: " + "[" * 60 + "]" * 60 + "}}\n", ["nesting deeper than 50"]),
        ('name: "a\\e[31mb"\nstart: 2027-01-04\nweeks: 2\n', ["name", "control characters"]),
        (BASE + 'athlete: {name: "\\x07bell"}\n', ["athlete.name", "control characters"]),
        (BASE + 'races: [{date: 2027-01-10, name: "a\\rb"}]\n', ["races.0.name", "control"]),
        (BASE + 'variants: {"v\\e]0;x\\a": {weeks: 1}}\n', ["variants", "control characters"]),
        (BASE + "rules: {race_taper: {A: 1000000000}}\n", ["rules.race_taper.A", "728"]),
        (BASE + "rules: {strength_gap_days: 1000000000000000000}\n", ["strength_gap_days"]),
        (BASE + "rules: {rest_days_per_week: 1000000000}\n", ["rest_days_per_week", "14"]),
        (BASE + "rules: {dynamic_blocks: [1000000000000000000, 10]}\n", ["dynamic_blocks"]),
        (BASE + "rules: {back_to_back_hard: 1000000000000000000}\n", ["1000000"]),
        (BASE + "rules: {max_days_without_strength: {days: 729}}\n", ["728"]),
        (BASE + "runs: {easy_runs: 15}\n", ["runs.easy_runs", "14"]),
        (BASE + "solver: {seed: 2147483648}\n", ["solver.seed"]),
        (BASE + "solver: {workers: 100000}\n", ["solver.workers", "64"]),
        (BASE + "solver: {time_limit: .nan}\n", ["solver.time_limit"]),
        (BASE + "solver: {time_limit: .inf}\n", ["solver.time_limit"]),
        (BASE + "solver: {time_limit: 3601}\n", ["solver.time_limit", "3600"]),
        (BASE + "sessions: {easy_run: {details: " + "x" * 3000 + "}}\n", ["details"]),
    ],
)
def test_malformed_scenarios_are_bad_input_naming_the_key(tmp_path, text, expected):
    output = bad_input(tmp_path, text)
    for word in expected:
        assert word in output, output


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "x", "start": "2027-01-04", "weeks": ' + "9" * 5000 + "}",
        '{"name": "x", "start": "2027-01-04", "weeks": 1, "a": ' + "[" * 100_000 + "}",
        '{"name": "x", "start": "2027-02-30", "weeks": 1}',
        '{"name": "x", "start": "2027-01-04", "weeks": 1, "weeks": 2}',
    ],
)
def test_malformed_json_is_bad_input(tmp_path, text):
    bad_input(tmp_path, text, name="s.json")


def test_deep_toml_is_bad_input(tmp_path):
    bad_input(tmp_path, BASE.replace(": ", " = ") + "a = " + "[" * 5000, name="s.toml")


def test_an_oversized_file_is_bad_input(tmp_path):
    assert "bytes" in bad_input(tmp_path, BASE + "#" * 1_100_000 + "\n")


@pytest.mark.parametrize(
    "sets, key",
    [
        (["start=2027-02-30"], "start"),
        (["start=9999-12-27"], "start"),
        (["athlete.name=a\x1b[2Jb"], "athlete.name"),
        (["rules.strength_gap_days=1e18"], "strength_gap_days"),
        (["weeks=" + "9" * 5000], "weeks"),
    ],
)
def test_bad_overrides_are_bad_input(tmp_path, sets, key):
    args = [a for s in sets for a in ("--set", s)]
    assert key in bad_input(tmp_path, BASE, *args)


def test_alias_bombs_are_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = BASE + "variants:\n" + "".join(f"  {line}\n" for line in lines)
    assert "aliases" in bad_input(tmp_path, text)


def test_the_json_schema_shows_the_ranges():
    import json

    schema = json.loads(invoke("schema").output)
    text = json.dumps(schema)
    assert '"maximum": 1000000' in text  # weights
    assert '"maximum": 728' in text  # day counts
    assert '"maximum": 2147483647' in text  # seed
    assert "formatMinimum" in text  # dates


def test_merge_keys_may_still_override(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        BASE + "athlete:\n  <<: &base {name: Sam, level: beginner}\n  name: Ana\n"
        "  availability: {mon: 60, wed: 60, sat: 90}\n"
    )
    from strideplan.scenario import load_scenario

    assert load_scenario(path).athlete.name == "Ana"


# ---------------------------------------------------------------------- rule interactions
def _power_weeks(result) -> list[int]:
    plan = result.plan
    return sorted(set(plan.loc[plan["session"] == "power", "week"]))


@pytest.mark.parametrize("power_per_week", ["off", {"hard": False, "weight": 1}])
def test_power_per_week_off_or_soft_keeps_the_static_weeks(quiet, power_per_week):
    quiet["weeks"] = 8
    quiet["rules"].update(
        strength_per_week=2, lower_strength_per_week=[0, 2], power_with_speed_or_strength=5
    )
    sc = scenario(quiet, rules__power_per_week=power_per_week, rules__dynamic_blocks=[2, 3])
    result = solve(sc)  # the checker accepts the plan
    static = [w + 1 for w, dynamic in enumerate(result.dynamic) if not dynamic]
    assert static, "blocks of 2-3 weeks in 8 weeks need static weeks"
    assert not set(static) & set(_power_weeks(result))


def test_the_athletes_session_limit_holds_with_the_rule_off(quiet):
    quiet["runs"] = {"easy_runs": 3}
    quiet["rules"].update(strength_per_week=3, strength_after_easy_run=5, strength_gap_days=0)
    for setting in ("off", {"hard": False, "weight": 1}):
        sc = scenario(quiet, rules__max_sessions_per_day=setting, athlete__max_sessions_per_day=1)
        result = solve(sc)
        sessions = result.plan[result.plan["session"] != "mobility"]
        assert sessions.groupby("date").size().max() == 1
        # and the checker judges the athlete's limit too: a second session on a day
        doubled = result.plan.copy()
        first = sessions.iloc[0]
        extra = first.copy()
        extra["session"], extra["category"] = "strength_core", "strength"
        doubled.loc[len(doubled)] = extra
        assert any(v.rule == "max_sessions_per_day" for v in check_plan(sc, doubled))
