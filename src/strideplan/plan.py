"""The plan as a tidy table (SPEC's ``Sessions`` sheet) and a day-by-day view of it.

:func:`plan_table` turns solver values into the table; :class:`PlanView` reads any such
table back (one the solver wrote, or one a coach edited in a spreadsheet) for the
solver-free checker and the workbook.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd

from .calendar import Calendar, Day
from .catalog import CATALOG, PLACED_SESSIONS, STRENGTH_SESSIONS, session_order

COLUMNS = [
    "date",
    "week",
    "day",
    "order",
    "session",
    "category",
    "minutes",
    "hard",
    "details",
    "phase",
]


def day_sessions(day: Day, placed: dict[str, dict[int, int]]) -> list[str]:
    """A day's sessions in training order, mobility first on a training day."""
    keys = list(day.fixed_runs)
    keys += [s for s in PLACED_SESSIONS for _ in range(placed.get(s, {}).get(day.index, 0))]
    if not keys:
        return []
    return sorted(["mobility", *keys], key=session_order)


def _details(day: Day, key: str, text: str) -> str:
    """A session's details; a race's say which race it is."""
    if key == "race" and day.race is not None:
        return f"{day.race.label}: {text}"
    return text


def plan_table(
    cal: Calendar,
    placed: dict[str, dict[int, int]],
    dynamic: list[bool],
    details: dict[tuple[int, str], str] | None = None,
) -> pd.DataFrame:
    """The Sessions table: one row per session, days in date order, rest days absent."""
    sc = cal.scenario
    rows = []
    for day in cal.days:
        phase = cal.week_phase(day.week, dynamic[day.week])
        for order, key in enumerate(day_sessions(day, placed), start=1):
            rows.append(
                {
                    "date": day.date,
                    "week": day.week + 1,
                    "day": day.weekday,
                    "order": order,
                    "session": key,
                    "category": CATALOG[key].category,
                    "minutes": cal.minutes(day, key),
                    "hard": CATALOG[key].hard,
                    "details": _details(
                        day, key, (details or {}).get((day.index, key)) or sc.details(key)
                    ),
                    "phase": phase,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


@dataclass
class PlanSession:
    """One row of a plan, as read back."""

    key: str
    order: int
    minutes: int


class PlanView:
    """Day-indexed questions about a plan table, answered without any solver."""

    def __init__(self, cal: Calendar, table: pd.DataFrame):
        self.cal = cal
        self.sc = cal.scenario
        self.table = table
        by_day: dict[int, list[PlanSession]] = defaultdict(list)
        for row in table.itertuples(index=False):
            day = cal.day_of(row.date)
            if day is not None:
                by_day[day.index].append(
                    PlanSession(str(row.session), int(row.order), int(row.minutes))
                )
        self.by_day = {d: sorted(v, key=lambda s: s.order) for d, v in by_day.items()}

    def sessions(self, d: int) -> list[PlanSession]:
        """Every session of day ``d`` (mobility included), in the table's order."""
        return self.by_day.get(d, [])

    def keys(self, d: int) -> list[str]:
        """Session keys of day ``d``, mobility excluded."""
        return [s.key for s in self.sessions(d) if s.key != "mobility"]

    def count(self, d: int, *keys: str) -> int:
        """How many sessions of these kinds day ``d`` holds."""
        return sum(1 for k in self.keys(d) if k in keys)

    def runs(self, d: int) -> int:
        """Runs on day ``d`` (race included)."""
        return sum(1 for k in self.keys(d) if CATALOG[k].category == "run")

    def strength(self, d: int) -> int:
        """Strength sessions on day ``d``."""
        return self.count(d, *STRENGTH_SESSIONS)

    def training(self, d: int) -> bool:
        """A training day has at least one run, strength or power session."""
        return bool(self.keys(d))

    def hard(self, d: int) -> bool:
        """A hard day has a hard session."""
        return 0 <= d < len(self.cal.days) and any(CATALOG[k].hard for k in self.keys(d))

    def minutes(self, d: int) -> int:
        """Minutes of day ``d``, mobility included, as the table says."""
        return sum(s.minutes for s in self.sessions(d))

    def placed_easy_runs(self, d: int) -> int:
        """Easy runs of day ``d`` beyond its fixed (or converted) easy run."""
        return self.cal.placed_easy_runs(self.cal.days[d], self.count(d, "easy_run"))

    def week(self, w: int) -> range:
        """Day indexes of a 0-based week."""
        return range(7 * w, 7 * w + 7)


def placed_sessions(view: PlanView) -> dict[str, dict[int, int]]:
    """The solver's decisions read back from a plan: placed sessions per day index."""
    out: dict[str, dict[int, int]] = {s: {} for s in PLACED_SESSIONS}
    for d in view.by_day:
        counts = {"easy_run": view.placed_easy_runs(d)}
        for s in ("strength_lower", "strength_core", "power"):
            counts[s] = view.count(d, s)
        for s, n in counts.items():
            if n:
                out[s][d] = n
    return out


def replanned_from(table: pd.DataFrame):
    """The first re-planned day of a re-plan's workbook: the day its Scenario sheet
    records (``table.attrs["replanned_from"]``, see :func:`strideplan.excel.read_sessions`:
    ``replan --today``, though the days before it end without a done session, a long run
    missed); else, where the Sessions sheet marks the past ``done``, the day after the
    last done session; None otherwise."""
    if table.attrs.get("replanned_from") is not None:
        return table.attrs["replanned_from"]
    if "status" not in table.columns:
        return None
    done = table.loc[table["status"].astype(str).str.strip().str.lower() == "done", "date"]
    return max(done) + timedelta(days=1) if len(done) else None
