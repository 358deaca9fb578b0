"""Per-day limits (rules/daily.py): sessions, runs and minutes a day."""

from __future__ import annotations

from conftest import days_of, scenario, solve
from rule_helpers import only


def test_max_sessions_per_day_limits_a_busy_day():
    base = dict(
        athlete__availability=only(mon=300),
        runs__easy_runs=1,
        rules__strength_per_week=1,
        rules__power_per_week=1,
    )
    assert not solve(scenario(**base)).solved
    result = solve(scenario(**base, rules__max_sessions_per_day=3))
    mon = result.plan[result.plan["day"] == "mon"]
    assert list(mon["session"]) == ["mobility", "power", "easy_run", "strength_core"]


def test_athlete_max_sessions_per_day_is_the_tighter_limit():
    base = dict(
        athlete__availability=only(mon=300),
        runs__easy_runs=1,
        rules__strength_per_week=1,
        rules__max_sessions_per_day=3,
    )
    assert solve(scenario(**base)).solved
    assert not solve(scenario(**base, athlete__max_sessions_per_day=1)).solved


def test_max_runs_per_day_forbids_doubles():
    base = dict(athlete__availability=only(mon=200), runs__mon="intervals", runs__easy_runs=1)
    assert not solve(scenario(**base)).solved
    result = solve(scenario(**base, rules__max_runs_per_day=2))
    assert days_of(result, "easy_run") == ["mon"]


def test_daily_minutes_counts_the_mobility_warm_up():
    # strength_lower 45 + mobility 10 = 55 > 50 free minutes
    base = dict(
        athlete__availability=only(mon=50),
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    )
    assert not solve(scenario(**base)).solved
    assert solve(scenario(**base, rules__daily_minutes="off")).solved
    assert solve(scenario(**{**base, "athlete__availability": only(mon=55)})).solved
