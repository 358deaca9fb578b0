"""Shared helpers: tiny scenarios whose optimum can be worked out by hand."""

from __future__ import annotations

import copy
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from strideplan.app import plan_and_report
from strideplan.check import check_plan
from strideplan.result import Result
from strideplan.scenario import apply_override, load_scenario, validate

# HYPOTHESIS_PROFILE=deep runs many more random scenarios (by hand, not in CI)
# CI draws the same examples every run (a red CI names a change, never luck); the deep
# profile explores new ones
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
#: hand-made scenario files of the tests
DATA = ROOT / "tests" / "data"
#: a plan workbook's sheets, in SPEC's order
PLAN_SHEETS = ["Calendar", "Booklet", "Sessions", "Weekly", "Rules", "Exercises", "Scenario"]

#: One week, every day free for two hours, nothing fixed, every weekly rule quiet.
QUIET = {
    "name": "tiny",
    "start": "2027-01-04",
    "weeks": 1,
    "athlete": {
        "availability": {d: 120 for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    },
    "rules": {
        "strength_per_week": 0,
        "lower_strength_per_week": 0,
        "power_per_week": 0,
        "rest_days_per_week": 0,
        "max_training_days_in_a_row": "off",
        "heavy_legs_near_long_run": "off",
        "max_days_without_strength": "off",
        "dynamic_blocks": "off",
        "same_weekly_pattern": "off",
        "back_to_back_hard": "off",
        "strength_after_easy_run": "off",
        "power_with_speed_or_strength": "off",
    },
}


def scenario(base: dict | None = None, **overrides):
    """A validated scenario: QUIET (or ``base``) with dotted overrides (``a__b`` = ``a.b``)."""
    data = copy.deepcopy(base if base is not None else QUIET)
    for key, value in overrides.items():
        apply_override(data, key.replace("__", "."), value)
    return validate(data, "test")


def solve(sc, **kw) -> Result:
    """Solve; when a plan comes back, the independent checker must accept it."""
    result = plan_and_report(sc, findings=False, **kw)
    if result.solved:
        assert result.status == "optimal"
        violations = check_plan(sc, result.plan, result.calendar)
        assert violations == [], [str(v) for v in violations]
    return result


def solve_data(name: str) -> Result:
    """Solve a scenario file of tests/data/ (checked as :func:`solve` does)."""
    return solve(load_scenario(DATA / name))


def days_of(result: Result, session: str) -> list[str]:
    """Weekdays holding a session, in date order (with repeats across weeks)."""
    plan = result.plan
    return list(plan.loc[plan["session"] == session, "day"])


@pytest.fixture
def quiet():
    """The QUIET base scenario as a dict to modify."""
    return copy.deepcopy(QUIET)


def with_power_on(table: pd.DataFrame, days: list[str]) -> pd.DataFrame:
    """The plan with its power sessions replaced by one on each of ``days``."""
    rest = table[table["session"] != "power"]
    rows = [
        {
            **{c: None for c in table.columns},
            "date": date.fromisoformat(str(d)),
            "session": "power",
            "minutes": 20,
            "order": 1,
        }
        for d in days
    ]
    return pd.concat([rest, pd.DataFrame(rows)], ignore_index=True)
