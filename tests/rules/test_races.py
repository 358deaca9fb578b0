"""Around races and breaks (rules/races.py, windows from the calendar): race minutes and
windows by distance, the strength cut-off, the eve, the recovery, the run taper, the
return ramp after a break and race season.

Dates: 2027-01-04 is a Monday; week 2 starts 2027-01-11, week 3 2027-01-18.
"""

from __future__ import annotations

from datetime import date, timedelta

from strideplan.calendar import Calendar, taper_minutes

from conftest import days_of, scenario, solve, solve_data
from rule_helpers import minutes_of, only, sessions_on


def test_race_minutes_come_from_its_distance_unless_given():
    races = [
        {"date": "2027-01-10", "distance": "marathon"},
        {"date": "2027-01-17", "distance": 1.5},  # a 1500 m race: 6 min/km, up to 5
        {"date": "2027-01-24", "distance": "half", "minutes": 95},
    ]
    result = solve(scenario(weeks=3, races=races))
    assert minutes_of(result, "2027-01-10", "race") == 255
    assert minutes_of(result, "2027-01-17", "race") == 10
    assert minutes_of(result, "2027-01-24", "race") == 95


def test_a_km_distance_maps_to_its_class():
    sc = scenario(weeks=2, races=[{"date": "2027-01-17", "distance": 3, "priority": "A"}])
    assert sc.races[0].distance_class == "5k"
    cal = Calendar(sc)
    cutoff = [d.date.day for d in cal.days if d.taper_of is not None]
    assert cutoff == [12, 13, 14, 15, 16]  # 5k A: five days


def test_race_taper_keeps_power_and_heavy_legs_away_before_a_race():
    # Only Thu..Sat are free; a C race on Sun has a 2-day taper (Fri, Sat).
    base = dict(
        athlete__availability=only(thu=120, fri=120, sat=120),
        races=[{"date": "2027-01-10", "priority": "C"}],
        rules__power_per_week=1,
        rules__no_heavy_legs_before=[],
        preferences__power_days=["sat"],
    )
    on = solve(scenario(**base))
    off = solve(scenario(**base, rules__race_taper="off"))
    assert days_of(on, "power") == ["thu"]
    assert days_of(off, "power") == ["sat"]


def test_race_eve_has_no_strength_and_no_hard_run():
    # an A 5k on Sunday; tempo fixed on Saturday; core wanted on Friday or Saturday
    base = dict(
        races=[{"date": "2027-01-10", "priority": "A", "distance": "5k"}],
        runs__sat="tempo",
        rules__strength_per_week=1,
        preferences={"strength_days": ["fri", "sat"]},
    )
    on = solve(scenario(**base))
    assert sessions_on(on, "2027-01-09") == ["easy_run"]  # the tempo turns easy
    strength = days_of(on, "strength_core") + days_of(on, "strength_lower")
    assert strength and not set(strength) & {"fri", "sat"}
    off = solve(scenario(**base, rules__race_eve="off"))
    assert "tempo" in sessions_on(off, "2027-01-09")
    assert set(days_of(off, "strength_core")) <= {"fri", "sat"}


def test_race_recovery_turns_fixed_hard_runs_easy():
    base = dict(runs__tue="intervals", races=[{"date": "2027-01-04", "priority": "B"}])
    on = solve(scenario(**base))
    off = solve(scenario(**base, rules__race_recovery="off"))
    assert days_of(on, "intervals") == [] and "tue" in days_of(on, "easy_run")
    assert days_of(off, "intervals") == ["tue"]


def test_recovery_grows_with_the_distance():
    # intervals every Tuesday; an A race on Sunday 10 Jan
    base = dict(weeks=3, runs__tue="intervals")
    five_k = solve(
        scenario(**base, races=[{"date": "2027-01-10", "priority": "A", "distance": "5k"}])
    )
    marathon = solve(
        scenario(**base, races=[{"date": "2027-01-10", "priority": "A", "distance": "marathon"}])
    )
    # 5k A: 3 days of recovery, Tue 12 is day 2 -> easy; Tue 19 (day 9) -> intervals again
    assert sessions_on(five_k, "2027-01-12") == ["easy_run"]
    assert sessions_on(five_k, "2027-01-19") == ["intervals"]
    # marathon A: 14 days, both Tuesdays turn easy
    assert sessions_on(marathon, "2027-01-12") == ["easy_run"]
    assert sessions_on(marathon, "2027-01-19") == ["easy_run"]


def test_race_recovery_keeps_heavy_legs_and_power_out():
    # a half A on Sun 10 Jan: 7 days of recovery; heavy legs and power wanted Mon/Tue
    base = dict(
        weeks=2,
        races=[{"date": "2027-01-10", "priority": "A", "distance": "half"}],
        rules__strength_per_week=[0, 1],
        rules__lower_strength_per_week=1,
        rules__power_per_week=1,
        preferences={"strength_days": ["mon", "tue"], "power_days": ["mon", "tue"]},
    )
    on = solve(scenario(**base))
    lower = [d for d in on.plan.loc[on.plan["session"] == "strength_lower", "date"]]
    power = [d for d in on.plan.loc[on.plan["session"] == "power", "date"]]
    recovery_end = date(2027, 1, 17)  # half A: 7 days
    assert all(d > recovery_end or d < date(2027, 1, 10) for d in lower + power)
    off = solve(scenario(**base, rules__race_recovery="off"))
    week2 = [d for d in off.plan.loc[off.plan["category"].isin(["strength", "power"]), "date"]]
    assert any(date(2027, 1, 11) <= d <= date(2027, 1, 12) for d in week2)


def test_marathon_recovery_knows_the_distance():
    result = solve_data("marathon_a.yaml")
    race = date(2027, 10, 10)
    assert sessions_on(result, race) == ["race"]
    assert result.plan.loc[result.plan["session"] == "race", "minutes"].iloc[0] == 255
    # marathon A: 14 days of recovery - no hard session, no power, no heavy legs
    # (the plan ends 2027-10-24, exactly the recovery's last day)
    for i in range(1, 15):
        sessions = sessions_on(result, race + timedelta(days=i))
        assert not {"intervals", "tempo", "long_run", "power", "strength_lower"} & set(sessions)


def test_runs_shorten_stepwise_before_an_a_race():
    # an A 10k on Sun 17 Jan: run taper 10 days (x 0.8), last 7 days x 0.6
    base = dict(
        weeks=2,
        runs__thu="tempo",
        runs__sun="long_run",
        races=[{"date": "2027-01-17", "priority": "A", "distance": "10k"}],
    )
    on = solve(scenario(**base))
    assert minutes_of(on, "2027-01-07", "tempo") == 40  # 10 days out: 50 x 0.8
    assert minutes_of(on, "2027-01-10", "long_run") == 55  # 7 days out: 90 x 0.6 = 54
    assert minutes_of(on, "2027-01-14", "tempo") == 30  # 3 days out: 50 x 0.6
    assert minutes_of(on, "2027-01-17", "race") == 60  # the race itself is not scaled
    off = solve(scenario(**base, rules__run_taper="off"))
    assert minutes_of(off, "2027-01-07", "tempo") == 50
    assert minutes_of(off, "2027-01-10", "long_run") == 90


def test_b_race_taper_is_lighter_and_the_smallest_factor_wins():
    assert taper_minutes(90, 0.85) == 75  # 76.5 -> 75
    sc = scenario(
        weeks=2,
        runs__sun="long_run",
        races=[
            {"date": "2027-01-13", "priority": "B", "distance": "10k"},
            {"date": "2027-01-17", "priority": "A", "distance": "10k"},
        ],
    )
    cal = Calendar(sc)
    sunday = cal.day_of(date(2027, 1, 10))
    assert sunday.run_taper == 0.6  # inside both windows: A's last week wins
    assert cal.minutes(sunday, "long_run") == 55


def test_marathon_runs_taper_stepwise_and_the_eve_is_fresh():
    result = solve_data("marathon_a.yaml")
    plan = result.plan
    long_runs = plan[plan["session"] == "long_run"].set_index("date")["minutes"]
    # run taper 14 days: x 0.8 from day 14 to 8, x 0.6 in the last 7 days
    assert long_runs[date(2027, 9, 19)] == 150  # 21 days out
    assert long_runs[date(2027, 9, 26)] == 120  # 14 days out: 150 x 0.8
    assert long_runs[date(2027, 10, 3)] == 90  # 7 days out: 150 x 0.6
    tempos = plan[plan["session"] == "tempo"].set_index("date")["minutes"]
    assert tempos[date(2027, 10, 7)] == 30  # 3 days out: 50 x 0.6
    for eve in (date(2027, 10, 8), date(2027, 10, 9)):  # A: two days of eve
        assert not {"strength_lower", "strength_core", "power"} & set(sessions_on(result, eve))
    # the strength cut-off: the last heavy legs come at least 10 days out
    lower = plan.loc[(plan["session"] == "strength_lower") & (plan["date"] < date(2027, 10, 10))]
    assert (date(2027, 10, 10) - max(lower["date"])).days > 10


def test_return_ramp_after_a_break_holds_no_power_and_easy_runs():
    # 12 days away (4..15 Jan): a ramp of 6 days, 16..21 Jan
    base = dict(
        weeks=4,
        runs__tue="intervals",
        athlete__away=[{"from": "2027-01-04", "to": "2027-01-15"}],
        rules__power_per_week=[1, 2],
        preferences={"power_days": ["sat", "sun", "mon", "tue", "wed", "thu"]},
    )
    on = solve(scenario(**base))
    assert sessions_on(on, "2027-01-19") == ["easy_run"]  # the Tuesday intervals turn easy
    power = list(on.plan.loc[on.plan["session"] == "power", "date"])
    assert power and not [d for d in power if date(2027, 1, 16) <= d <= date(2027, 1, 21)]
    assert sessions_on(on, "2027-01-26") == ["intervals"]  # after the ramp
    off = solve(scenario(**base, rules__return_after_break="off"))
    assert sessions_on(off, "2027-01-19")[-1] == "intervals"


def test_a_short_break_has_no_ramp():
    six_days = scenario(weeks=2, athlete__away=[{"from": "2027-01-04", "to": "2027-01-09"}])
    seven = scenario(weeks=2, athlete__away=[{"from": "2027-01-04", "to": "2027-01-10"}])
    assert not any(d.returning for d in Calendar(six_days).days)
    ramp = [d.date.day for d in Calendar(seven).days if d.returning]
    assert ramp == [11, 12, 13]  # half of 7 is 3 (at least 3)


def test_back_from_twelve_days_away_ramps_up():
    result = solve_data("back_from_away.yaml")
    ramp = [date(2027, 7, 8) + timedelta(days=i) for i in range(6)]  # 12 // 2 days
    for day in ramp:
        sessions = sessions_on(result, day)
        assert "power" not in sessions
        assert not {"intervals", "tempo", "long_run"} & set(sessions)
    assert "easy_run" in sessions_on(result, date(2027, 7, 13))  # Tuesday's intervals turn easy
    assert "intervals" in sessions_on(result, date(2027, 7, 20))  # after the ramp


def test_race_season_weeks_are_static_and_keep_one_heavy_legs_session():
    base = dict(weeks=2, rules__power_per_week=1, rules__strength_per_week=3)
    season = [{"from": "2027-01-13", "to": "2027-01-13"}]  # one day makes week 2 a season week
    on = solve(scenario(**base, race_season=season))
    plan = on.plan
    assert set(plan.loc[plan["session"] == "power", "week"]) == {1}
    week1, week2 = plan[plan["week"] == 1], plan[plan["week"] == 2]
    assert (week1["category"] == "strength").sum() == 3
    assert (week2["session"] == "strength_lower").sum() == 1  # exactly one there
    assert 1 <= (week2["category"] == "strength").sum() <= 2  # strength [1, 2] there
    off = solve(scenario(**base, race_season=season, rules__race_season="off"))
    assert set(off.plan.loc[off.plan["session"] == "power", "week"]) == {1, 2}
