"""The scenario's facts (rules/inputs.py): availability (and its default), gym days, away
days, a race day and the fixed runs it replaces."""

from __future__ import annotations

from conftest import days_of, scenario, solve
from rule_helpers import only


def test_a_day_left_out_of_availability_holds_nothing():
    result = solve(scenario(athlete__availability=only(wed=60), runs__easy_runs=1))
    assert set(result.plan["day"]) == {"wed"}


def test_a_scenario_with_only_start_and_weeks_plans_on_every_day():
    from strideplan.scenario import validate

    sc = validate({"start": "2027-01-04", "weeks": 2}, "test")
    assert sc.athlete.availability == {d: 1440 for d in sc.athlete.availability}
    assert len(sc.athlete.availability) == 7
    result = solve(sc)
    assert result.solved


def test_an_explicit_empty_availability_means_no_day():
    from strideplan.scenario import validate

    sc = validate({"start": "2027-01-04", "weeks": 1, "athlete": {"availability": {}}}, "test")
    assert sc.athlete.availability == {}


def test_strength_lower_only_on_gym_days():
    result = solve(
        scenario(athlete__gym=["thu"], rules__strength_per_week=1, rules__lower_strength_per_week=1)
    )
    assert days_of(result, "strength_lower") == ["thu"]


def test_away_days_drop_fixed_runs_and_hold_nothing():
    result = solve(
        scenario(weeks=2, runs__tue="tempo", athlete__away=["2027-01-12"], runs__easy_runs=1)
    )
    tempo_dates = [str(d) for d in result.plan.loc[result.plan["session"] == "tempo", "date"]]
    assert tempo_dates == ["2027-01-05"]
    assert not (result.plan["date"].astype(str) == "2027-01-12").any()


def test_race_day_holds_the_race_alone_and_replaces_the_fixed_run():
    result = solve(
        scenario(
            runs__sun="long_run",
            runs__easy_runs=1,
            races=[{"date": "2027-01-10", "name": "Parkrun", "priority": "C"}],
        )
    )
    sunday = result.plan[result.plan["day"] == "sun"]
    assert list(sunday["session"]) == ["mobility", "race"]
