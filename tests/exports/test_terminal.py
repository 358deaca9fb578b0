"""What the commands print, at any width and in a pipe (issue 11): rule names never cut,
headers never split mid-word, points that add up, and JSON a script can read."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from strideplan.cli import cli
from strideplan.result import Instance, arithmetic
from strideplan.scenario import load_scenario

from conftest import ROOT

TENK = ROOT / "scenarios" / "10k_build.yaml"
WIDTHS = (60, 80, 200)


def run(args, columns: int | None = None, code: int = 0):
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The 10k build solved once per format and width, the points shown (--verbose; no
    why: only the printing is under test)."""
    out = tmp_path_factory.mktemp("plans") / "plan.xlsx"
    shown = {width: run(["solve", TENK, "-o", out, "--verbose"], columns=width) for width in WIDTHS}
    shown["plain"] = run(["solve", TENK, "-o", out, "--no-why", "--format", "plain"])
    shown["json"] = run(["solve", TENK, "-o", out, "--no-why", "--format", "json"])
    return shown, out


def test_arithmetic_adds_up_when_instances_weigh_differently():
    fired = [Instance("same_weekly_pattern", 1, "a")] * 36 + [
        Instance("same_weekly_pattern", 2, "b")
    ] * 2
    assert arithmetic(fired) == "36 × +1 + 2 × +2"  # 40 points, not '38 × +2'
    assert arithmetic([Instance("x", -3, "a")] * 4) == "4 × -3"


@pytest.mark.parametrize("width", WIDTHS)
def test_summary_fits_the_width_and_never_cuts_a_rule_name(solved, width):
    shown, _ = solved
    text = shown[width]
    for row in json.loads(shown["json"])["points"]:  # every rule that fired, whole
        assert f" {row['rule']} " in text, row["rule"]
    for line in text.splitlines():
        if line.startswith("warning:"):
            continue  # a pipe gets warnings whole (a terminal wraps them at words)
        assert len(line) <= width, line


def test_summary_points_add_up_in_every_format(solved):
    shown, _ = solved
    data = json.loads(shown["json"])
    assert data["status"] == "optimal"
    assert sum(row["points"] for row in data["points"]) == data["objective"]
    for row in data["points"]:
        total = 0
        for term in row["arithmetic"].split(" + "):
            count, points = term.split(" × ")
            total += int(count) * int(points)
        assert total == row["points"], row
        assert f"{row['rule']}: {row['points']:+d} ({row['arithmetic']})" in shown["plain"]
    assert data["written"] == [str(solved[1])]


def test_plain_format_has_no_box_drawing(solved):
    shown, _ = solved
    assert not any(ch in shown["plain"] for ch in "━│┃─")
    assert "total: +" in shown["plain"]


def test_check_and_explain_speak_json(solved):
    _, plan = solved
    data = json.loads(run(["check", TENK, plan, "--format", "json"]))
    assert data["judged"] == "Sessions" and data["violations"] == []
    assert data["sessions"] > 100
    data = json.loads(run(["explain", ROOT / "scenarios" / "beginner_5k.yaml", "--format", "json"]))
    assert data["status"] == "optimal" and isinstance(data["binding"], list)


@pytest.mark.parametrize("width", (60, 80, 200))
def test_compare_fits_the_width_with_an_index_for_long_names(tmp_path, width):
    out = tmp_path / "c.xlsx"
    text = run(
        [
            "compare",
            TENK,
            "-o",
            out,
            "--variant",
            "three strength days, one easy run: rules.strength_per_week=3",
            "--variant",
            "no friday at all this block: athlete.availability.fri=0",
        ],
        columns=width,
    )
    for line in text.splitlines():
        if line.startswith("wrote "):
            continue  # a path is printed whole
        assert len(line) <= width or "; " in line or " | " in line, line
    assert "power_with_speed_or_strength" in text  # never cut
    if width < 200:  # long names become #1, #2, … with a legend
        assert "#2  three strength days, one easy run" in text


def test_compare_json_holds_every_variant(tmp_path):
    out = tmp_path / "c.xlsx"
    data = json.loads(
        run(
            [
                "compare",
                TENK,
                "-o",
                out,
                "--sweep",
                "rules.back_to_back_hard=0,10",
                "--format",
                "json",
            ]
        )
    )
    assert data["variants"] == ["baseline", "back_to_back_hard=0", "back_to_back_hard=10"]
    assert data["metrics"]["baseline"]["status"] == "optimal"
    assert data["written"] == [str(out)]


def test_scenario_text_is_never_markup_in_a_table(tmp_path):
    """A race called '[/]' (rich's closing tag) or '[red]x' is printed as written."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        (ROOT / "scenarios" / "beginner_5k.yaml").read_text()
        + "\nvariants:\n  '[red]x': {rules.back_to_back_hard: 0}\n  '[/]': {rules.back_to_back_hard: 5}\n"
    )
    text = run(["compare", scenario, "-o", tmp_path / "c.xlsx"], columns=200)
    assert "[red]x" in text and "[/]" in text


SQUAD = ROOT / "tests" / "data" / "squad_gym.yaml"  # two athletes, one rack on Monday
TIGHT = ROOT / "scenarios" / "tight_week.yaml"


@pytest.fixture(scope="module")
def tight_plan(tmp_path_factory):
    """A short plan to re-plan from, and a log that misses its first Tuesday's session."""
    folder = tmp_path_factory.mktemp("replan")
    plan = folder / "plan.xlsx"
    run(["solve", TIGHT, "-o", plan, "--no-why", "--format", "json"])
    return plan


def test_replan_speaks_json_alone_on_stdout_with_the_changes_first(tight_plan, tmp_path):
    out = tmp_path / "new.xlsx"
    text = run(
        ["replan", TIGHT, tight_plan, "--today", "2027-01-13", "-o", out, "--format", "json"]
    )
    data = json.loads(text)  # the whole of stdout is one JSON document
    assert list(data)[:2] == ["today", "changes"]
    assert data["today"] == "2027-01-13" and data["status"] in ("optimal", "feasible")
    assert isinstance(data["objective"], int) and isinstance(data["warnings"], list)
    assert data["written"] == [str(out)] and out.exists()
    assert data["log_wins"] == data["activity_wins"] == 0  # which source won, as printed
    assert sum(row["points"] for row in data["points"]) == data["objective"]
    for change in data["changes"]:
        assert set(change) == {"date", "session", "change", "rule"}


def test_replan_plain_prints_the_changes_and_lines_without_boxes(tight_plan, tmp_path):
    out = tmp_path / "new.xlsx"
    text = run(
        ["replan", TIGHT, tight_plan, "--today", "2027-01-13", "-o", out, "--format", "plain"]
    )
    assert text.startswith("Changes from 2027-01-13:")
    assert "total: +" in text and f"wrote {out}" in text
    assert not any(ch in text for ch in "━│┃─")


def test_an_impossible_replan_says_why_in_json(tmp_path):
    plan = tmp_path / "p.xlsx"
    run(["solve", TIGHT, "-o", plan, "--no-why", "--format", "json"])
    log = tmp_path / "log.csv"  # next week's long run moved to Friday, a day without time
    log.write_text("date,session,status\n2027-01-16,long_run,moved 2027-01-15\n")
    args = ["replan", TIGHT, plan, "--today", "2027-01-06", "--log", log, "--format", "json"]
    data = json.loads(run(args, code=1))
    assert data["status"] == "infeasible" and "written" not in data  # nothing written
    assert any("athlete.availability" in line for line in data["explanation"])


def test_a_squad_speaks_json_with_each_athlete_and_the_gym(tmp_path):
    out = tmp_path / "squad.xlsx"
    data = json.loads(run(["solve", SQUAD, "-o", out, "--format", "json"]))
    assert data["squad"] == "Two in one rack" and data["status"] == "optimal"
    assert data["objective"] == 2 == sum(a["objective"] for a in data["athletes"])
    assert [a["name"] for a in data["athletes"]] == ["Sam", "Ana"]
    for athlete in data["athletes"]:
        assert athlete["sessions"]["strength_lower"] == 1
        assert sum(row["points"] for row in athlete["points"]) == athlete["objective"]
    monday = next(day for day in data["gym"] if day["day"] == "mon")
    assert monday["capacity"] == 1 and monday["used"] == 1 and monday["free"] == 0
    wednesday = next(day for day in data["gym"] if day["day"] == "wed")
    assert wednesday["capacity"] is None and len(wednesday["athletes"]) == 1
    assert data["written"] == [str(out)]


def test_a_squad_prints_plain_lines_one_athlete_each(tmp_path):
    out = tmp_path / "squad.xlsx"
    text = run(["solve", SQUAD, "-o", out, "--format", "plain"], columns=60)
    lines = text.splitlines()
    assert lines[0].startswith("Two in one rack: optimal  objective 2")
    athletes = [line for line in lines if line.startswith("athlete ")]
    assert len(athletes) == 2
    for line in athletes:  # one fact per line: level, points, sessions, warnings
        assert re.fullmatch(
            r"athlete (Sam|Ana): intermediate, points \+[02], legs 1, core 0, power 0, "
            r"warnings 0",
            line,
        ), line
    assert "Gym: 1 of 1 capacity day(s) full (1 legs sessions on them)" in lines
    assert lines[-1] == f"wrote {out}"
    assert not any(ch in text for ch in "━│┃─")


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_default_answer_is_short(tmp_path, path):
    """SPEC v3 / issue 22: warnings, the answer, what the plan holds, where it went; at
    most 15 lines at 80 columns. The points come with --verbose, the binding rules with
    --why."""
    out = tmp_path / "plan.xlsx"
    text = run(["solve", path, "-o", out], columns=80)
    lines = text.splitlines()
    assert len(lines) <= 15, text
    assert all(len(line) <= 80 for line in lines if not line.startswith("warning:")), text
    body = [x for x in lines if not x.startswith("warning:")]
    assert lines[: len(lines) - len(body)] == [x for x in lines if x.startswith("warning:")]
    assert body[0].startswith(f"{load_scenario(path).name}: optimal, objective ")
    assert "proven optimal" in body[0] and body[-1] == f"wrote {out}"
    assert " weeks (" in body[1] and "rest" in text
    assert "Points per rule" not in text and "Hard rules that bind" not in text
    verbose = run(["solve", path, "-o", out, "--verbose", "--why"], columns=80)
    assert "Points per rule" in verbose and "Hard rules that bind" in verbose
