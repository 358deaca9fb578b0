"""What every rule shares (rules/base.py): `hard: false` makes a hard rule a weighted
penalty."""

from __future__ import annotations

from conftest import scenario, solve
from rule_helpers import only


def test_hard_false_turns_a_hard_rule_into_a_weighted_penalty():
    base = dict(
        athlete__availability=only(mon=50),
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    )
    result = solve(scenario(**base, rules__daily_minutes={"hard": False, "weight": 7}))
    assert result.penalties["daily_minutes"] == 7
