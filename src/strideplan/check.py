"""The solver-free checker: every hard rule's ``check`` run over a plan table.

It reads nothing from the model; a plan a coach edited by hand in a spreadsheet is
checked exactly like one the solver wrote.
"""

from __future__ import annotations

import pandas as pd

from .calendar import Calendar
from .plan import PlanView
from .rules import RULES, Violation
from .scenario import Scenario


class PlanOutsideError(ValueError):
    """Rows dated outside the scenario's plan."""


def check_plan(
    scenario: Scenario, table: pd.DataFrame, calendar: Calendar | None = None
) -> list[Violation]:
    """Every violation of an enabled hard rule (or input fact), in date order."""
    cal = calendar or Calendar(scenario)
    outside = sorted({d for d in table["date"] if cal.day_of(d) is None})
    if outside:
        raise PlanOutsideError(
            f"{len(outside)} date(s) outside the plan {scenario.start} .. {scenario.end}, "
            f"first {outside[0]}"
        )
    view = PlanView(cal, table)
    found: list[Violation] = []
    for rule in RULES:
        if rule.enabled(scenario) and rule.effective_kind(scenario) in ("hard", "input"):
            found.extend(rule.check(view))
    return sorted(found, key=lambda v: (v.date or scenario.start, v.rule))
