"""SPEC v2 rules, one behaviour test each on a tiny scenario worked out by hand: the rule
on versus off (or tuned) changes the plan the way the rule says.

Dates: 2027-01-04 is a Monday; week 2 starts 2027-01-11, week 3 2027-01-18.
"""

from __future__ import annotations

from datetime import date

from strideplan.calendar import Calendar, taper_minutes
from strideplan.check import check_plan

from conftest import days_of, scenario, solve, with_power_on


def sessions_on(result, day: str) -> list[str]:
    plan = result.plan
    rows = plan[(plan["date"] == date.fromisoformat(day)) & (plan["session"] != "mobility")]
    return list(rows["session"])


def minutes_of(result, day: str, session: str) -> int:
    plan = result.plan
    rows = plan[(plan["date"] == date.fromisoformat(day)) & (plan["session"] == session)]
    return int(rows["minutes"].iloc[0])


def longest_streak(result) -> int:
    training = {d for d in result.plan.loc[result.plan["session"] != "mobility", "date"]}
    best = run = 0
    for day in result.calendar.days:
        run = run + 1 if day.date in training else 0
        best = max(best, run)
    return best


# ---------------------------------------------------------------- races by distance
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


# ---------------------------------------------------------------- race eve
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


# ---------------------------------------------------------------- run taper
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


# ---------------------------------------------------------------- return after a break
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


# ---------------------------------------------------------------- race season
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


# ---------------------------------------------------------------- rolling rest
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


# ---------------------------------------------------------------- power spacing and days
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


# ---------------------------------------------------------------- heavy legs and the long run
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


# ---------------------------------------------------------------- dynamic blocks
def test_a_race_window_may_cut_a_block_short():
    # 4 weeks, blocks of 6-8: an A 10k on Sun 17 Jan fills week 2 with its cut-off and
    # most of week 3 with recovery. Week 1 alone is a block cut by the race window.
    result = solve(
        scenario(
            weeks=4,
            rules__power_per_week=[1, 2],
            rules__dynamic_blocks=[6, 8],
            races=[{"date": "2027-01-17", "priority": "A", "distance": "10k"}],
        )
    )
    power_weeks = set(result.plan.loc[result.plan["session"] == "power", "week"])
    assert power_weeks == {1, 3, 4}


def test_a_static_week_costs_fifty_outside_race_season_only():
    base = dict(weeks=2, rules__power_per_week=[1, 2], rules__dynamic_blocks={"min": 1, "max": 1})
    plain = solve(scenario(**base))
    assert plain.penalties["dynamic_blocks"] == 50  # one of the two weeks must be static
    season = solve(scenario(**base, race_season=[{"from": "2027-01-11", "to": "2027-01-17"}]))
    assert season.penalties["dynamic_blocks"] == 0
    assert set(season.plan.loc[season.plan["session"] == "power", "week"]) == {1}


# ---------------------------------------------------------------- availability default
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


def test_a_race_inside_a_block_does_not_let_it_end_early():
    """SPEC v3: a block may be short only where it touches a cut. Ten weeks, blocks of
    exactly 4, a C 5k on Wed 17 Feb (week 7: its cut-off Mon-Tue, recovery Thu). Power in
    weeks 6-8 is a 3-week block with the race inside: refused. Power in weeks 6-7 ends in
    the race's week: allowed, as is the 2-week block that ends the plan."""
    sc = scenario(
        weeks=10,
        rules__power_per_week=1,
        rules__dynamic_blocks={"min": 4, "max": 4},
        races=[{"date": "2027-02-17", "priority": "C", "distance": "5k"}],
    )
    result = solve(sc)
    mondays = [
        f"2027-{m:02d}-{d:02d}"
        for m, d in [
            (1, 4),
            (1, 11),
            (1, 18),
            (1, 25),
            (2, 1),
            (2, 8),
            (2, 15),
            (2, 22),
            (3, 1),
            (3, 8),
        ]
    ]
    in_week = {w: mondays[w - 1] for w in range(1, 11)}
    in_week[7] = "2027-02-19"  # the Friday: Monday is in the race's cut-off

    def blocks_violated(weeks: list[int]) -> bool:
        plan = with_power_on(result.plan, [in_week[w] for w in weeks])
        return any(v.rule == "dynamic_blocks" for v in check_plan(sc, plan, result.calendar))

    assert blocks_violated([1, 2, 3, 4, 6, 7, 8, 10])  # 6-8: short, the race inside
    assert not blocks_violated([1, 2, 3, 4, 6, 7, 9, 10])  # 6-7 ends in the race week
    assert blocks_violated([1, 2, 3, 4, 6, 7, 8])  # 6-8 again, no block after
    # the solver keeps to it: every block of its plan is 4 weeks or touches a cut
    power_weeks = sorted(set(result.plan.loc[result.plan["session"] == "power", "week"]))
    assert not blocks_violated(power_weeks)
