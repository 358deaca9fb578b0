"""Spacing between sessions (rules/spacing.py): strength gaps, the longest stretch
without strength, power on fresh legs, 48 hours between power sessions and the coach's
power days, no heavy legs before key runs, no seventh training day in a row."""

from __future__ import annotations

from strideplan.scenario import load_scenario

from conftest import ROOT, days_of, scenario, solve
from rule_helpers import longest_streak, only


def test_strength_gap_days_separates_heavy_legs_sessions():
    base = dict(
        athlete__availability=only(mon=120, tue=120),
        rules__strength_per_week=2,
        rules__lower_strength_per_week=2,
    )
    assert not solve(scenario(**base)).solved  # Mon + Tue are back to back
    result = solve(scenario(**base, rules__strength_gap_days=0))
    assert days_of(result, "strength_lower") == ["mon", "tue"]


def test_core_may_follow_legs_the_next_day_but_never_share_its_day():
    base = dict(athlete__availability=only(mon=120, tue=120), rules__strength_per_week=2)
    result = solve(scenario(**base, rules__lower_strength_per_week=1))
    assert sorted(days_of(result, "strength_lower") + days_of(result, "strength_core")) == [
        "mon",
        "tue",
    ]
    # one free day: two strength sessions would have to share it
    assert not solve(
        scenario(athlete__availability=only(mon=120), rules__strength_per_week=2)
    ).solved


def test_max_days_without_strength_forces_a_session_within_the_window():
    base = dict(weeks=2, rules__strength_per_week=[0, 2])
    off = solve(scenario(**base))
    on = solve(scenario(**base, rules__max_days_without_strength=10))
    assert days_of(off, "strength_core") == [] and days_of(off, "strength_lower") == []
    strength_dates = sorted(on.plan.loc[on.plan["category"] == "strength", "date"])
    assert len(strength_dates) == 1  # one session inside the first 11 days suffices
    assert (strength_dates[0] - on.scenario.start).days <= 10
    assert (on.scenario.end - strength_dates[0]).days <= 10


def test_power_on_fresh_days_forbids_power_after_a_hard_day():
    # Mon has intervals and no spare minutes; Tue is the day after a hard day.
    base = dict(
        athlete__availability=only(mon=70, tue=60), runs__mon="intervals", rules__power_per_week=1
    )
    assert not solve(scenario(**base)).solved
    result = solve(scenario(**base, rules__power_on_fresh_days="off"))
    assert days_of(result, "power") == ["tue"]


def test_power_first_on_a_hard_day_is_fresh():
    result = solve(
        scenario(
            athlete__availability=only(mon=120, tue=60),
            runs__mon="intervals",
            rules__power_per_week=1,
        )
    )
    assert days_of(result, "power") == ["mon"]
    mon = result.plan[result.plan["day"] == "mon"]
    assert list(mon["session"]) == ["mobility", "power", "intervals"]


def test_no_heavy_legs_before_intervals():
    base = dict(
        runs__tue="intervals",
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
        preferences__strength_days=["mon"],
    )
    on = solve(scenario(**base))
    off = solve(scenario(**base, rules__no_heavy_legs_before="off"))
    assert days_of(off, "strength_lower") == ["mon"]  # the preferred day
    assert days_of(on, "strength_lower") != ["mon"]


def test_power_sessions_are_48_hours_apart():
    base = dict(athlete__availability={"mon": 60, "tue": 60}, rules__power_per_week=[2, 2])
    assert not solve(scenario(**base)).solved
    result = solve(scenario(**base, rules__power_gap_days=0))
    assert days_of(result, "power") == ["mon", "tue"]


def test_no_power_on_a_long_run_day():
    base = dict(athlete__availability={"sun": 200}, runs__sun="long_run", rules__power_per_week=1)
    assert not solve(scenario(**base)).solved
    assert days_of(solve(scenario(**base, rules__power_gap_days="off")), "power") == ["sun"]


def test_power_days_limit_power_to_the_coachs_days():
    base = dict(rules__power_per_week=1, preferences={"power_days": ["mon"]})
    assert days_of(solve(scenario(**base)), "power") == ["mon"]
    assert days_of(solve(scenario(**base, rules__power_days=["thu"])), "power") == ["thu"]


def test_no_seventh_training_day_in_a_row_across_weeks():
    # away Mon of week 1 and Sun of week 2; six easy runs a week fill Tue..Sat of week 2
    base = dict(
        weeks=2,
        runs__easy_runs=6,
        rules__rest_days_per_week=1,
        athlete__away=["2027-01-04", "2027-01-17"],
    )
    off = solve(scenario(**base))
    assert longest_streak(off) == 12
    on = solve(scenario(**base, rules__max_training_days_in_a_row=6))
    assert longest_streak(on) <= 6
    assert len(days_of(on, "easy_run")) == 11  # one more rest day: a shortfall of one run
    assert on.penalties["runs.easy_runs"] == 50


def test_no_seventh_training_day_in_a_row_in_any_bundled_plan():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        result = solve(load_scenario(path))
        training = set(result.plan.loc[result.plan["session"] != "mobility", "date"])
        run = 0
        for day in result.calendar.days:
            run = run + 1 if day.date in training else 0
            assert run <= 6, (path.stem, day.date)
