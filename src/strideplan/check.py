"""The solver-free checker: every hard rule's ``check`` run over a plan table.

It reads nothing from the model; a plan a coach edited by hand in a spreadsheet is
checked exactly like one the solver wrote.
"""

from __future__ import annotations

import pandas as pd

from .calendar import Calendar
from .catalog import session_order
from .plan import PlanView
from .rules import RULES, Violation
from .scenario import Scenario


class PlanOutsideError(ValueError):
    """Rows dated outside the scenario's plan."""


def _filled(cal: Calendar, table: pd.DataFrame) -> pd.DataFrame:
    """Rows a coach added without order or minutes: the session's place in the day and
    the calendar's minutes for it (a run in a taper is shortened)."""
    if not {"order", "minutes"} <= set(table.columns):
        table = table.reindex(
            columns=[*table.columns, *({"order", "minutes"} - set(table.columns))]
        )
    if not table[["order", "minutes"]].isna().any().any():
        return table
    table = table.copy()
    missing = table["minutes"].isna()
    table.loc[missing, "minutes"] = [
        cal.minutes(cal.day_of(d), s)
        for d, s in zip(table.loc[missing, "date"], table.loc[missing, "session"])
    ]
    # a day with a row of unknown order takes the canonical order (mobility, power, run,
    # strength): the coach did not say otherwise
    for day in table.loc[table["order"].isna(), "date"].unique():
        rows = table.index[table["date"] == day]
        ranked = sorted(
            rows,
            key=lambda i: (
                session_order(table.at[i, "session"]),
                table.at[i, "order"] if pd.notna(table.at[i, "order"]) else 0,
            ),
        )
        for position, i in enumerate(ranked, start=1):
            table.at[i, "order"] = position
    return table


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
    view = PlanView(cal, _filled(cal, table))
    found: list[Violation] = []
    for rule in RULES:
        if rule.enabled(scenario) and rule.effective_kind(scenario) in ("hard", "input"):
            found.extend(rule.check(view))
    return sorted(found, key=lambda v: (v.date or scenario.start, v.rule))
