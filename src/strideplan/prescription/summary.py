"""Short words for a session's prescription (the Sessions sheet's details, the
Calendar's cells)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from ..catalog import CATALOG
from .library import library


def _short_reps(reps: str) -> str:
    return reps.replace(" each leg", "/leg").replace(" each side", "/side")


def details_of(rows: list[dict]) -> str:
    """``Back squat 3×12, …; RIR 2-3`` for the Sessions sheet (a session's rows as
    dicts: a DataFrame per session cost half a second on 52 weeks)."""
    text = ", ".join(f"{r['exercise']} {r['sets']}×{r['reps']}" for r in rows)
    if rows:
        text += f"; {rows[0]['effort']}"
        contacts = [r["contacts"] for r in rows if r["contacts"] is not None]
        if contacts:
            text += f"; {int(sum(contacts))} contacts, land softly"
    return text


def short_summary(exercises: pd.DataFrame) -> str:
    """``Squat 3×12 · Lunge 3×12/leg … (RIR 2-3)`` for a session's rows (calendar cells);
    a run's cool-down reads ``+ 5' stretch``."""
    return _summary(exercises.to_dict("records"))


def records(table: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts of plain Python values, like ``to_dict("records")`` but
    column by column (pandas boxes every cell on its own: on the 52-week Exercises table,
    3 000 rows, that took several times as long)."""
    columns = list(table.columns)
    return [dict(zip(columns, row)) for row in zip(*(table[c].tolist() for c in columns))]


def short_summaries(exercises: pd.DataFrame | list[dict]) -> dict[tuple, str]:
    """:func:`short_summary` of every (date, session) in one pass over the table, or over
    its :func:`records` (a 52-week plan has about 700 sessions; grouping the DataFrame
    per session is slow)."""
    rows_of = records(exercises) if isinstance(exercises, pd.DataFrame) else exercises
    groups: dict[tuple, list[dict]] = {}
    for row in rows_of:
        groups.setdefault((row["date"], row["session"]), []).append(row)
    return {key: _summary(rows) for key, rows in groups.items()}


@cache
def _short_names() -> dict[str, str]:
    return {ex.name: ex.short for ex in library().exercises.values()}


def _summary(rows: list[dict]) -> str:
    if not rows:
        return ""
    session = str(rows[0]["session"])
    if session in CATALOG and CATALOG[session].category == "run":
        return f"+ {round(sum(r['minutes'] for r in rows))}' stretch"
    short = _short_names()
    text = " · ".join(
        f"{short.get(r['exercise'], r['exercise'])} {r['sets']}×{_short_reps(str(r['reps']))}"
        for r in rows
    )
    contacts = [r["contacts"] for r in rows if "contacts" in r and pd.notna(r["contacts"])]
    if contacts:
        text += f" · {int(sum(contacts))} contacts"
    if "effort" in rows[0] and session != "mobility":
        text += f" ({rows[0]['effort']})"
    return text
