"""Dynamic blocks (rules/blocks.py): power in blocks of min..max weeks with static weeks
between; a block may be short only where it touches a cut (the plan's ends, a race
window), and a static week costs fifty outside race season."""

from __future__ import annotations

from datetime import timedelta

from strideplan.check import check_plan

from conftest import scenario, solve, with_power_on


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
