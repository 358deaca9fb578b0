"""Weekly counts (rules/weekly.py): easy runs, strength, heavy-legs strength, power and
rest days per week; one strength session in an A-race week; a shortfall, not a failure,
in a week that is not clean."""

from __future__ import annotations

from conftest import days_of, scenario, solve


def test_strength_per_week_sets_the_number_of_strength_sessions():
    two = solve(scenario(rules__strength_per_week=2))
    three = solve(scenario(rules__strength_per_week=3))
    assert len(days_of(two, "strength_core") + days_of(two, "strength_lower")) == 2
    assert len(days_of(three, "strength_core") + days_of(three, "strength_lower")) == 3


def test_lower_strength_per_week_makes_strength_heavy_legs():
    none = solve(scenario(rules__strength_per_week=2, rules__lower_strength_per_week=0))
    both = solve(scenario(rules__strength_per_week=2, rules__lower_strength_per_week=2))
    assert days_of(none, "strength_lower") == [] and len(days_of(none, "strength_core")) == 2
    assert len(days_of(both, "strength_lower")) == 2 and days_of(both, "strength_core") == []


def test_easy_runs_are_placed_every_week():
    result = solve(scenario(runs__easy_runs=3, weeks=2))
    assert len(days_of(result, "easy_run")) == 6


def test_power_per_week_counts_power_sessions():
    one = solve(scenario(rules__power_per_week=1))
    two = solve(scenario(rules__power_per_week=[2, 2]))
    assert len(days_of(one, "power")) == 1
    assert len(days_of(two, "power")) == 2


def test_rest_days_per_week_keeps_days_free():
    # seven easy runs need seven days: impossible with a rest day, fine without
    assert not solve(scenario(runs__easy_runs=7, rules__rest_days_per_week=1)).solved
    result = solve(scenario(runs__easy_runs=7))
    assert len(days_of(result, "easy_run")) == 7


def test_a_race_week_counts_one_strength_session():
    base = dict(
        weeks=2, rules__strength_per_week=2, rules__race_taper="off", rules__race_recovery="off"
    )
    result = solve(scenario(**base, races=[{"date": "2027-01-17", "priority": "A"}]))
    weeks = result.plan.loc[result.plan["category"] == "strength", "week"]
    assert list(weeks.value_counts().sort_index()) == [2, 1]


def test_a_week_that_is_not_clean_turns_a_missing_session_into_a_shortfall():
    # Away Mon..Sat: two strength sessions cannot fit; a shortfall of 50 each instead.
    base = dict(
        rules__strength_per_week=2, athlete__away=[{"from": "2027-01-04", "to": "2027-01-09"}]
    )
    result = solve(scenario(**base))
    assert result.penalties["strength_per_week"] == 50
    assert len(days_of(result, "strength_core")) == 1
