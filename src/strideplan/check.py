"""The solver-free checker: every hard rule's ``check`` run over a plan table.

It reads nothing from the model; a plan a coach edited by hand in a spreadsheet is
checked exactly like one the solver wrote.
"""

from __future__ import annotations

import pandas as pd

from .calendar import Calendar
from .catalog import CATALOG, session_order
from .plan import PlanView
from .rules import RULES, Violation
from .scenario import Scenario


class PlanOutsideError(ValueError):
    """Rows dated outside the scenario's plan."""


#: the rule key of a Sessions row whose week, day, category or hard column disagrees
#: with its date and session
COLUMNS_RULE = "sessions_columns"


def column_violations(cal: Calendar, table: pd.DataFrame) -> list[Violation]:
    """Rows whose contract columns (week, day, category, hard) disagree with what their
    date and session say. An empty cell is fine (a coach's added row); a wrong one is a
    violation, not bad input: the row itself reads fine, it just says two things, and
    the coach fixes it like any other broken rule, by date."""
    expected_of = {
        "week": lambda day, s: day.week + 1,
        "day": lambda day, s: day.weekday,
        "category": lambda day, s: CATALOG[s].category,
        "hard": lambda day, s: CATALOG[s].hard,
    }
    present = [c for c in expected_of if c in table.columns]
    out = []
    for row in table.itertuples(index=False):
        day = cal.day_of(row.date)
        if day is None:
            continue
        for column in present:
            got = getattr(row, column)
            if got is None or (isinstance(got, float) and pd.isna(got)):
                continue
            want = expected_of[column](day, row.session)
            same = type(got) is type(want) or not isinstance(want, bool)
            if not same or got != want:
                out.append(
                    Violation(
                        COLUMNS_RULE,
                        day.date,
                        f"{row.session}: column {column} says {got!r}, but date and "
                        f"session say {want!r}",
                    )
                )
    return out


def filled(cal: Calendar, table: pd.DataFrame) -> pd.DataFrame:
    """Rows a coach added without order or minutes: the session's place in the day and
    the calendar's minutes for it (a run in a taper is shortened)."""
    if not {"order", "minutes"} <= set(table.columns):
        table = table.reindex(
            columns=[*table.columns, *({"order", "minutes"} - set(table.columns))]
        )
    if not table[["order", "minutes"]].isna().any().any():
        return table
    table = table.copy()
    table[["order", "minutes"]] = table[["order", "minutes"]].astype(object)
    missing = table["minutes"].isna()
    if missing.any():
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
    full = filled(cal, table)
    full.attrs.update(table.attrs)  # the re-plan's day (run_spike)
    view = PlanView(cal, full)
    found: list[Violation] = column_violations(cal, table)
    for rule in RULES:
        if rule.enabled(scenario) and rule.effective_kind(scenario) in ("hard", "input"):
            found.extend(rule.check(view))
    return sorted(found, key=lambda v: (v.date or scenario.start, v.rule))


def calendar_disagreements(
    cal: Calendar, table: pd.DataFrame, shown: dict[tuple[int, int], list[str]]
) -> list[str]:
    """Days where the Calendar sheet shows other sessions than the Sessions sheet (the
    one judged): a coach's edit made on the Calendar only. Mobility is left out (the
    Calendar says it once, in its legend)."""
    planned: dict = {}
    for row in table.itertuples(index=False):
        if row.session != "mobility":
            planned.setdefault(row.date, []).append(row.session)
    out = []
    for (week, weekday), on_calendar in sorted(shown.items()):
        if not 1 <= week <= cal.n_weeks:
            continue
        day = cal.week_days(week - 1)[weekday]
        in_sessions = planned.get(day.date, [])
        if sorted(on_calendar) == sorted(in_sessions):
            continue
        only_cal = [s for s in on_calendar if s not in in_sessions]
        only_ses = [s for s in in_sessions if s not in on_calendar]
        said = []
        if only_cal:
            said.append(f"the Calendar shows {', '.join(only_cal)}")
        if only_ses:
            said.append(f"Sessions has {', '.join(only_ses)}")
        if not said:
            said.append(
                f"the Calendar shows {', '.join(on_calendar) or 'nothing'}, "
                f"Sessions has {', '.join(in_sessions) or 'nothing'}"
            )
        out.append(f"{day.label}: {' but '.join(said)} (only Sessions is judged)")
    return out
