"""Soft rules (rules/soft.py): penalties and rewards that pick the best feasible plan."""

from __future__ import annotations

from conftest import days_of, scenario, solve
from rule_helpers import only


def test_back_to_back_hard_moves_heavy_legs_away_from_hard_runs():
    base = dict(
        runs__tue="intervals",
        runs__thu="intervals",
        runs__sat="intervals",
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
        rules__no_heavy_legs_before="off",
    )
    on = solve(scenario(**base, rules__back_to_back_hard=10))
    # Tue/Thu/Sat are hard; every other day touches one of them (10 or 20 points), so
    # heavy legs go on a hard day itself: hard days stay hard, easy days stay easy.
    assert on.penalties["back_to_back_hard"] == 0
    assert days_of(on, "strength_lower")[0] in ("tue", "thu", "sat")
    off = solve(
        scenario(**base, rules__back_to_back_hard="off", preferences__strength_days=["mon"])
    )
    assert days_of(off, "strength_lower") == ["mon"]


def test_heavy_legs_stay_off_the_day_before_and_of_the_long_run():
    base = dict(
        athlete__availability={"mon": 120, "sat": 120, "sun": 150},
        runs__sun="long_run",
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
        preferences={"strength_days": ["sat"]},
    )
    assert days_of(solve(scenario(**base)), "strength_lower") == ["sat"]
    on = solve(scenario(**base, rules__heavy_legs_near_long_run=20))
    assert days_of(on, "strength_lower") == ["mon"]
    assert on.penalties["heavy_legs_near_long_run"] == 0


def test_strength_after_easy_run_rewards_sharing_the_day():
    base = dict(runs__easy_runs=1, rules__strength_per_week=1)
    on = solve(scenario(**base, rules__strength_after_easy_run=3))
    assert days_of(on, "strength_core") == days_of(on, "easy_run")
    day = on.plan[on.plan["day"] == days_of(on, "easy_run")[0]]
    assert list(day["session"]) == ["mobility", "easy_run", "strength_core"]
    assert on.penalties["strength_after_easy_run"] == -3


def test_power_with_speed_or_strength_rewards_power_on_an_intervals_day():
    base = dict(runs__wed="intervals", rules__power_per_week=1)
    on = solve(scenario(**base, rules__power_with_speed_or_strength=2))
    assert days_of(on, "power") == ["wed"]
    assert on.penalties["power_with_speed_or_strength"] == -2


def test_same_weekly_pattern_keeps_sessions_on_the_same_weekday():
    # Strength prefers Wed (2 points per miss), but Wed of week 2 is away.
    base = dict(
        weeks=3,
        rules__strength_per_week=1,
        athlete__away=["2027-01-13"],
        preferences__strength_days=["wed"],
    )
    # weight 1: Wed, other, Wed costs 2 moves + 1 miss = 4 < 3 misses = 6
    light = solve(scenario(**base, rules__same_weekly_pattern=1))
    strength = days_of(light, "strength_core")
    assert strength[0] == strength[2] == "wed" and strength[1] != "wed"
    assert light.penalties["same_weekly_pattern"] == 2
    # weight 5: moving twice (10 + 2) costs more than one fixed non-Wed day (6)
    heavy = solve(scenario(**base, rules__same_weekly_pattern=5))
    strength = days_of(heavy, "strength_core")
    assert len(set(strength)) == 1 and strength[0] != "wed"
    assert heavy.penalties["same_weekly_pattern"] == 0 and heavy.penalties["preferred_days"] == 6


def test_preferred_days_place_strength_on_the_preferred_day():
    on = solve(scenario(rules__strength_per_week=1, preferences__strength_days=["thu"]))
    assert days_of(on, "strength_core") == ["thu"]
    assert on.penalties["preferred_days"] == 0
    unavailable = solve(
        scenario(
            rules__strength_per_week=1,
            preferences__strength_days=["thu"],
            athlete__availability=only(mon=60),
        )
    )  # Thu not free
    assert unavailable.penalties["preferred_days"] == 2
