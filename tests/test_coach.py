"""Issue 8's cases, rebuilt as scenarios: what a coach expects around races, breaks and
blocks, asserted on the solved plans."""

from __future__ import annotations

from datetime import date, timedelta

from strideplan.scenario import load_scenario
from strideplan.shortfalls import plan_warnings

from conftest import ROOT, solve

DATA = ROOT / "tests" / "data"


def _plan(name: str):
    return solve(load_scenario(DATA / name))


def _on(result, day: date) -> list[str]:
    plan = result.plan
    return list(plan.loc[(plan["date"] == day) & (plan["session"] != "mobility"), "session"])


def test_marathon_recovery_knows_the_distance():
    result = _plan("marathon_a.yaml")
    race = date(2027, 10, 10)
    assert _on(result, race) == ["race"]
    assert result.plan.loc[result.plan["session"] == "race", "minutes"].iloc[0] == 255
    # marathon A: 14 days of recovery - no hard session, no power, no heavy legs
    # (the plan ends 2027-10-24, exactly the recovery's last day)
    for i in range(1, 15):
        sessions = _on(result, race + timedelta(days=i))
        assert not {"intervals", "tempo", "long_run", "power", "strength_lower"} & set(sessions)


def test_marathon_runs_taper_stepwise_and_the_eve_is_fresh():
    result = _plan("marathon_a.yaml")
    plan = result.plan
    long_runs = plan[plan["session"] == "long_run"].set_index("date")["minutes"]
    # run taper 14 days: x 0.8 from day 14 to 8, x 0.6 in the last 7 days
    assert long_runs[date(2027, 9, 19)] == 150  # 21 days out
    assert long_runs[date(2027, 9, 26)] == 120  # 14 days out: 150 x 0.8
    assert long_runs[date(2027, 10, 3)] == 90  # 7 days out: 150 x 0.6
    tempos = plan[plan["session"] == "tempo"].set_index("date")["minutes"]
    assert tempos[date(2027, 10, 7)] == 30  # 3 days out: 50 x 0.6
    for eve in (date(2027, 10, 8), date(2027, 10, 9)):  # A: two days of eve
        assert not {"strength_lower", "strength_core", "power"} & set(_on(result, eve))
    # the strength cut-off: the last heavy legs come at least 10 days out
    lower = plan.loc[(plan["session"] == "strength_lower") & (plan["date"] < date(2027, 10, 10))]
    assert (date(2027, 10, 10) - max(lower["date"])).days > 10


def test_back_from_twelve_days_away_ramps_up():
    result = _plan("back_from_away.yaml")
    ramp = [date(2027, 7, 8) + timedelta(days=i) for i in range(6)]  # 12 // 2 days
    for day in ramp:
        sessions = _on(result, day)
        assert "power" not in sessions
        assert not {"intervals", "tempo", "long_run"} & set(sessions)
    assert "easy_run" in _on(result, date(2027, 7, 13))  # Tuesday's intervals turn easy
    assert "intervals" in _on(result, date(2027, 7, 20))  # after the ramp


def test_no_seventh_training_day_in_a_row_in_any_bundled_plan():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        result = solve(load_scenario(path))
        training = set(result.plan.loc[result.plan["session"] != "mobility", "date"])
        run = 0
        for day in result.calendar.days:
            run = run + 1 if day.date in training else 0
            assert run <= 6, (path.stem, day.date)


def test_a_plan_where_power_never_fits_says_so_with_the_reason():
    result = _plan("half_four_days.yaml")
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


def test_no_available_day_says_so_first():
    from conftest import scenario

    result = solve(scenario(athlete__availability={}, rules__strength_per_week=1))
    assert not result.solved
    lines = result.explanation.lines(result.scenario)
    assert lines[0].startswith("No day is available")


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
