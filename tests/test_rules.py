"""One behaviour test per rule, on tiny scenarios worked out by hand: switching the rule
on or off (or tuning it) changes the plan the way the rule says."""

from __future__ import annotations

from datetime import timedelta

from conftest import days_of, scenario, solve, with_power_on

ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def only(**minutes):
    """Availability with just these days."""
    return dict(minutes)


# ---------------------------------------------------------------- weekly counts
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


# ---------------------------------------------------------------- spacing
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


# ---------------------------------------------------------------- per day
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


def test_a_day_left_out_of_availability_holds_nothing():
    result = solve(scenario(athlete__availability=only(wed=60), runs__easy_runs=1))
    assert set(result.plan["day"]) == {"wed"}


# ---------------------------------------------------------------- inputs
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


# ---------------------------------------------------------------- races
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


def test_race_recovery_turns_fixed_hard_runs_easy():
    base = dict(runs__tue="intervals", races=[{"date": "2027-01-04", "priority": "B"}])
    on = solve(scenario(**base))
    off = solve(scenario(**base, rules__race_recovery="off"))
    assert days_of(on, "intervals") == [] and "tue" in days_of(on, "easy_run")
    assert days_of(off, "intervals") == ["tue"]


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


# ---------------------------------------------------------------- dynamic blocks
def test_dynamic_blocks_put_a_static_week_after_eight_dynamic_weeks():
    base = dict(weeks=10, rules__power_per_week=[1, 2])
    on = solve(scenario(**base, rules__dynamic_blocks=[6, 8]))
    off = solve(scenario(**base))
    power_weeks = sorted(set(on.plan.loc[on.plan["session"] == "power", "week"]))
    assert len(power_weeks) == 9 and len(set(range(1, 11)) - set(power_weeks)) == 1
    assert on.penalties["dynamic_blocks"] == 50
    assert sorted(set(off.plan.loc[off.plan["session"] == "power", "week"])) == list(range(1, 11))


def test_dynamic_blocks_shorter_than_min_only_at_the_plans_start_or_end():
    # 6 weeks, blocks of 3-4: one static week is needed; week 1 or 6 would leave a block
    # of 5, and any of weeks 2-5 leaves a short block that touches the plan's start or
    # end (SPEC v3), which is allowed.
    result = solve(
        scenario(weeks=6, rules__power_per_week=[1, 2], rules__dynamic_blocks={"min": 3, "max": 4})
    )
    plan = result.plan
    static = [
        w for w in range(1, 7) if not (plan.loc[plan["session"] == "power", "week"] == w).any()
    ]
    assert static in ([2], [3], [4], [5])
    assert result.penalties["dynamic_blocks"] == 50


def test_a_short_block_in_the_middle_of_the_plan_is_a_violation():
    # 9 weeks, blocks of exactly 3, no race: power in weeks 5-6 alone is a short block
    # touching neither end; weeks 5-7 is a full one
    from strideplan.check import check_plan

    sc = scenario(weeks=9, rules__power_per_week=1, rules__dynamic_blocks={"min": 3, "max": 3})
    result = solve(sc)

    def violated(weeks):
        days = [sc.start + timedelta(weeks=w - 1) for w in weeks]
        plan = with_power_on(result.plan, days)
        return [v.rule for v in check_plan(sc, plan, result.calendar)]

    assert "dynamic_blocks" in violated([1, 2, 3, 5, 6, 8, 9])
    assert "dynamic_blocks" not in violated([1, 2, 3, 5, 6, 7, 9])


# ---------------------------------------------------------------- soft rules
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


def test_hard_false_turns_a_hard_rule_into_a_weighted_penalty():
    base = dict(
        athlete__availability=only(mon=50),
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    )
    result = solve(scenario(**base, rules__daily_minutes={"hard": False, "weight": 7}))
    assert result.penalties["daily_minutes"] == 7
