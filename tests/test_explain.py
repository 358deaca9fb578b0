"""Infeasibility explained: the conflict is minimal and the fixes were verified."""

from __future__ import annotations

import pytest

from strideplan.explain import _feasible, explain_infeasible, minimal_conflict
from strideplan.model import build

from conftest import scenario

CONFLICTS = {
    "one gym day before intervals": dict(
        athlete__gym=["mon"], runs__tue="intervals", rules__strength_per_week=1,
        rules__lower_strength_per_week=1),
    "no time for heavy legs": dict(
        athlete__availability={"mon": 50, "wed": 50}, rules__strength_per_week=1,
        rules__lower_strength_per_week=1),
    "strength days too close": dict(
        athlete__availability={"mon": 90, "tue": 90}, rules__strength_per_week=2),
    "no rest day left": dict(runs__easy_runs=7, rules__rest_days_per_week=1),
    "power only after hard days": dict(
        athlete__availability={"mon": 70, "tue": 60}, runs__mon="intervals",
        rules__power_per_week=1),
    "fixed run on a day with no time": dict(
        athlete__availability={"mon": 60}, runs__wed="tempo"),
    "double run day": dict(athlete__availability={"mon": 200}, runs__mon="intervals",
                           runs__easy_runs=1),
}


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_conflict_is_minimal_by_removal(name):
    sc = scenario(**CONFLICTS[name])
    core = minimal_conflict(sc)
    assert core, "scenario should be infeasible"
    b = build(sc, guarded=True)
    assert not _feasible(b, core, 5.0)
    for member in core:  # removing any one member makes the rest feasible
        rest = [k for k in core if k != member]
        assert _feasible(b, rest, 5.0), f"{member} is not needed"


def test_gym_day_before_intervals_names_the_rules_and_a_working_fix():
    sc = scenario(**CONFLICTS["one gym day before intervals"])
    explanation = explain_infeasible(sc)
    assert set(explanation.conflict) >= {"athlete.gym", "no_heavy_legs_before"}
    assert explanation.fixes
    text = "\n".join(explanation.lines(sc))
    assert "--set" in text
