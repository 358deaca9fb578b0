"""What a plan could not do, and why (shortfalls.py; issue 8's cases, SPEC v3, issue 22):
a warning with its reasons where a rule never fits, shown first by solve and above the
Calendar; a note, not a warning, for a week with away days or a race."""

from __future__ import annotations

from strideplan.scenario import load_scenario
from strideplan.shortfalls import plan_warnings

from conftest import DATA, ROOT, solve, solve_data


def test_a_plan_where_power_never_fits_says_so_with_the_reason():
    result = solve_data("half_four_days.yaml")
    # power fits on the plan's first Monday only (a block may be short at the plan's
    # start, SPEC v3); every other week is static and says why
    power_weeks = set(result.plan.loc[result.plan["session"] == "power", "week"])
    assert power_weeks <= {1}
    warnings = plan_warnings(result)
    assert warnings and all(w.rule == "dynamic_blocks" for w in warnings)
    weeks = sorted(w for warning in warnings for w in warning.weeks)
    assert weeks == [w for w in range(1, 11) if w not in power_weeks]
    reasons = {r for warning in warnings for r in warning.reasons}
    assert {"power_on_fresh_days", "daily_minutes", "race_taper"} <= reasons


def test_solve_opens_with_the_warning_and_the_calendar_shows_it(tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from strideplan.cli import cli

    out = tmp_path / "plan.xlsx"
    ran = CliRunner().invoke(
        cli, ["solve", str(DATA / "half_four_days.yaml"), "-o", str(out), "--no-why"]
    )
    assert ran.exit_code == 0, ran.output
    assert ran.output.splitlines()[0].startswith("warning: dynamic_blocks: no power")
    # the README shows one of these lines as it is printed
    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "guide.md").read_text()
    example = next(line for line in readme.splitlines() if line.startswith("warning: "))
    assert example in ran.output.splitlines()
    ws = load_workbook(out)["Calendar"]
    above = [str(c.value) for c in ws["A"][:8] if c.value]
    assert any(
        v.startswith("Warning: dynamic_blocks") and "power_on_fresh_days" in v for v in above
    )


def test_a_clean_plan_has_no_warning():
    result = solve(load_scenario(ROOT / "scenarios" / "tight_week.yaml"))
    assert plan_warnings(result) == []


def test_weeks_of_one_rule_with_the_same_reason_read_as_one_warning():
    """Week 1 is analysed apart (no week before it) but finds the same reason as weeks
    2-4 and 7 (Tuesday too short for power beside the intervals): one warning."""
    from strideplan.result import plan_scenario

    result = plan_scenario(load_scenario(ROOT / "tests" / "data" / "no_power_fits.yaml"))
    blocks = [w for w in plan_warnings(result) if w.rule == "dynamic_blocks" and w.weeks[0] == 1]
    assert len(blocks) == 1 and blocks[0].weeks == [1, 2, 3, 4, 7]
    assert "daily_minutes" in blocks[0].reasons


# ------------------------------------------------- notes, not warnings (SPEC v3, issue 22)
def _findings(**overrides):
    from strideplan.shortfalls import plan_findings

    from conftest import scenario

    result = solve(scenario(**overrides))
    return plan_findings(result)


def test_an_away_week_gives_a_note_not_a_warning():
    # away Mon-Sat: one day left for two strength sessions
    warnings, notes = _findings(
        rules__strength_per_week=2, athlete__away=[{"from": "2027-01-04", "to": "2027-01-09"}]
    )
    assert warnings == []
    assert [(n.rule, n.weeks) for n in notes] == [("strength_per_week", [1])]
    assert "6 away days" in str(notes[0])


def test_a_race_week_gives_a_note_not_a_warning():
    # an A 10k on Sunday: its 7-day strength cut-off holds the whole week
    race = [{"date": "2027-01-10", "priority": "A", "distance": "10k"}]
    warnings, notes = _findings(
        rules__strength_per_week=[1, 2], rules__lower_strength_per_week=1, races=race
    )
    assert warnings == []
    assert [(n.rule, n.weeks) for n in notes] == [("lower_strength_per_week", [1])]


def test_no_gym_day_where_heavy_legs_could_go_is_a_warning_naming_the_gym():
    # the same week with a C 5k (a 2-day cut-off) fits heavy legs on Monday's gym; with
    # the gym day removed they fit nowhere, with or without the race: the settings
    race = [{"date": "2027-01-10", "priority": "C", "distance": "5k"}]
    base = dict(rules__strength_per_week=[1, 2], rules__lower_strength_per_week=1, races=race)
    assert _findings(**base, athlete__gym=["mon"]) == ([], [])
    warnings, notes = _findings(**base, athlete__gym=[])
    assert notes == [] and [w.rule for w in warnings] == ["lower_strength_per_week"]
    assert "athlete.gym" in warnings[0].reasons
