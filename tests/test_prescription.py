"""Prescriptions: concrete, seed-grounded, progressing without jumps, deloading."""

from __future__ import annotations

import pytest

from strideplan.prescription import LIBRARY, MAX_WEEKLY_RISE, ladder
from strideplan.scenario import load_scenario

from conftest import SCENARIOS, scenario, solve


@pytest.mark.parametrize("session", ["strength_lower", "strength_core", "power"])
@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
def test_every_progression_step_stays_under_the_cap(session, level):
    steps = ladder(session, level)
    assert len(steps) >= 4
    for (s1, r1), (s2, r2) in zip(steps, steps[1:]):
        assert s1 * r1 < s2 * r2 <= s1 * r1 * (1 + MAX_WEEKLY_RISE)
    if session == "power":
        assert all(2 <= s <= 3 for s, _ in steps)  # seed 000: 2-3 sets


def test_every_exercise_cites_a_seed_and_has_a_cue():
    for ex in LIBRARY:
        assert ex.source.startswith("seed") and ex.cue


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_strength_power_mobility_session_has_a_prescription(path):
    result = solve(load_scenario(path))
    plan = result.plan
    ex = result.exercises
    for row in plan[plan["category"] != "run"].itertuples():
        rows = ex[(ex["date"] == row.date) & (ex["session"] == row.session)]
        assert len(rows) >= 3, (row.date, row.session)
        assert (rows["sets"] >= 1).all() and rows["reps"].str.len().gt(0).all()
        if row.session != "mobility":
            assert "×" in row.details


def test_deload_week_drops_volume_and_progress_resumes():
    result = solve(
        scenario(
            weeks=6,
            rules__strength_per_week=1,
            rules__lower_strength_per_week=1,
            rules__deload_every=4,
        )
    )
    ex = result.exercises
    squat = ex[ex["exercise"] == "Back squat"].groupby("week")["sets"].max()
    reps = ex[ex["exercise"] == "Back squat"].groupby("week")["reps"].max().astype(int)
    volume = squat * reps
    assert volume[4] < volume[3]  # the deload week
    assert volume[5] >= volume[3]  # resumes where it was, not from the start
    assert squat[4] == squat[3] - 1


def test_calf_raises_never_below_fifteen_reps():
    result = solve(
        scenario(
            weeks=3,
            rules__strength_per_week=1,
            rules__lower_strength_per_week=1,
            athlete__level="beginner",
        )
    )
    calf = result.exercises[result.exercises["exercise"] == "Weighted calf raise"]
    assert len(calf) == 3 and (calf["reps"].astype(int) >= 15).all()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_prescriptions_fit_the_session_minutes(path):
    result = solve(load_scenario(path))
    ex = result.exercises
    per_session = ex.groupby(["date", "session"])["minutes"].sum()
    for (day, session), minutes in per_session.items():
        assert minutes <= result.scenario.minutes(session) + 1e-9, (day, session, minutes)


def test_static_weeks_use_static_strength_and_no_power():
    # 10 weeks with blocks of 6-8: one static week; heavy legs turn slow and controlled
    result = solve(
        scenario(
            weeks=10,
            rules__strength_per_week=1,
            rules__lower_strength_per_week=1,
            rules__power_per_week=1,
            rules__dynamic_blocks=[6, 8],
        )
    )
    ex = result.exercises
    static_weeks = set(ex.loc[ex["phase"] == "static", "week"])
    assert len(static_weeks) == 1
    week = ex[ex["week"].isin(static_weeks)]
    assert "Tempo back squat" in set(week["exercise"]) and "Back squat" not in set(week["exercise"])
    assert not (week["session"] == "power").any()
    dynamic = ex[~ex["week"].isin(static_weeks)]
    assert "Back squat" in set(dynamic["exercise"])


def test_beginners_start_with_their_own_weight():
    base = dict(weeks=1, rules__strength_per_week=1, rules__lower_strength_per_week=1)
    beginner = solve(scenario(**base, athlete__level="beginner")).exercises
    advanced = solve(scenario(**base, athlete__level="advanced")).exercises
    assert "Bodyweight squat" in set(beginner["exercise"])
    assert "Back squat" in set(advanced["exercise"])
    squat = lambda ex, name: ex[ex["exercise"] == name].iloc[0]  # noqa: E731
    assert squat(beginner, "Bodyweight squat")["sets"] < squat(advanced, "Back squat")["sets"]
