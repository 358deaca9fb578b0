"""What the commands print, at any width and in a pipe (issue 11): rule names never cut,
headers never split mid-word, points that add up, and JSON a script can read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from strideplan.cli import cli
from strideplan.result import Instance, arithmetic

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
    """The 10k build solved once per format and width (no why: only the printing is
    under test)."""
    out = tmp_path_factory.mktemp("plans") / "plan.xlsx"
    shown = {
        width: run(["solve", TENK, "-o", out, "--no-why"], columns=width) for width in WIDTHS
    }
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
            "compare", TENK, "-o", out,
            "--variant", "three strength days, one easy run: rules.strength_per_week=3",
            "--variant", "no friday at all this block: athlete.availability.fri=0",
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
        run(["compare", TENK, "-o", out, "--sweep", "rules.back_to_back_hard=0,10",
             "--format", "json"])
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
