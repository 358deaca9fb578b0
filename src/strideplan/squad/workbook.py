"""A squad's workbooks: the squad workbook (``Squad``, ``Gym``, then each athlete's
Calendar and Sessions), with ``--split`` one plan workbook per athlete, and a squad
comparison.

Every workbook is opened with :func:`strideplan.excel.new_book` (written atomically,
every text cell stored as text, never a formula); the sheets come from
:mod:`strideplan.sheets`: Squad and Gym from ``sheets.squad``, an athlete's sheets are
the plan's own Calendar and Sessions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..excel import new_book, plan_period, write_workbook
from ..sheets import tables
from ..sheets.calendar import write_calendar_sheet
from ..sheets.comparison import variant_sheet_names
from ..sheets.squad import write_gym_sheet, write_squad_sheet
from .scenario import name_stem


def write_squad_workbook(squad_result, path: str | Path) -> Path:
    """The squad workbook: Squad, Gym, then each athlete's Calendar and Sessions
    (``Cal 1 Sam``, ``Ses 1 Sam``: numbered in the squad's order, unique, ≤ 31 characters)."""
    squad = squad_result.squad
    with new_book(path, squad.name, plan_period(squad_result.results[0])) as book:
        write_squad_sheet(book, squad_result)
        write_gym_sheet(book, squad_result)
        sheets = variant_sheet_names(squad.names)
        for name, result, (cal, ses) in zip(squad.names, squad_result.results, sheets):
            level = result.scenario.athlete.level
            write_calendar_sheet(book, result, cal, title=f"{name} ({level}) — {squad.name}")
            tables.write_sessions_sheet(book, result, ses)
    return Path(path)


def write_split(squad_result, folder: str | Path) -> list[Path]:
    """One plan workbook per athlete in ``folder``, named after the athlete."""
    paths = split_paths(squad_result.squad.names, folder)
    return [write_workbook(r, path) for r, path in zip(squad_result.results, paths)]


def split_paths(names: list[str], folder: str | Path) -> list[Path]:
    """Where ``--split`` writes each athlete's plan (known before the solve)."""
    taken: set[str] = set()
    return [Path(folder) / f"{file_stem(name, taken)}.xlsx" for name in names]


def file_stem(name: str, taken: set[str]) -> str:
    """A safe, unique file name for an athlete (:func:`name_stem`), ``_2`` and on where
    ``taken`` holds it already (a batch's files of one stem in two folders)."""
    stem = name_stem(name)
    candidate, i = stem, 2
    while candidate.lower() in taken:
        candidate = f"{stem}_{i}"
        i += 1
    taken.add(candidate.lower())
    return candidate


def write_squad_comparison(table: pd.DataFrame, path: str | Path, squad_name: str = "") -> Path:
    """A squad comparison: metrics × variants (status, objective, points per rule)."""
    shown = table.reset_index(names="metric")
    widths = {"metric": 36, **{name: 18 for name in table.columns}}
    title = f"Squad comparison — {squad_name}" if squad_name else "Squad comparison"
    with new_book(path, title) as book:
        ws = book.sheet("Comparison")
        used = tables.table(book, ws, shown, widths, wrap=("metric",))
        book.print_setup(ws, used, title_rows=(0, 0))
    return Path(path)
