"""A squad's workbooks: the squad workbook (``Squad``, ``Gym``, then each athlete's
Calendar and Sessions) and, with ``--split``, one plan workbook per athlete.

Sheets of a single plan come from :mod:`strideplan.excel` through one adapter,
:func:`athlete_sheets`, and the per-athlete workbooks through its whole-plan writer;
every workbook is saved with :func:`strideplan.excel.save_workbook` (atomic, every text
cell stored as text, never a formula).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .catalog import CATALOG, WEEKDAYS

#: day colours of the Squad sheet (as the plan's Calendar: a day's main kind of work)
COLOURS = {
    "race": "E06666",
    "strength": "F4CCCC",
    "core": "EAD1DC",
    "power": "FFE599",
    "run": "CFE2F3",
    "rest": "F3F3F3",
    "away": "D9D9D9",
}
SHORT = {
    "intervals": "Intervals",
    "tempo": "Tempo",
    "long_run": "Long run",
    "easy_run": "Easy",
    "race": "RACE",
    "strength_lower": "Legs",
    "strength_core": "Core",
    "power": "Power",
}
_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FULL_FILL = PatternFill("solid", fgColor="FCE5CD")
_OVER_FILL = PatternFill("solid", fgColor="E06666")


def athlete_sheets(wb: Workbook, result, name: str, taken: set[str]) -> None:
    """The one adapter to excel.py's sheets: an athlete's Calendar and Sessions sheets
    (uniquely named, at most 31 characters) appended to ``wb``."""
    from .excel import _sessions_sheet, sheet_name, write_calendar

    write_calendar(wb.create_sheet(sheet_name("Cal", name, taken)), result)
    _sessions_sheet(wb.create_sheet(sheet_name("Ses", name, taken)), result.plan)


def write_squad_workbook(squad_result, path: str | Path) -> Path:
    """The squad workbook: Squad, Gym, then each athlete's Calendar and Sessions."""
    from .excel import save_workbook

    wb = Workbook()
    squad_sheet(wb.active, squad_result)
    gym_sheet(wb.create_sheet("Gym"), squad_result)
    taken = {"Squad", "Gym"}
    for name, result in zip(squad_result.squad.names, squad_result.results):
        athlete_sheets(wb, result, name, taken)
    return save_workbook(wb, path)


def write_split(squad_result, folder: str | Path) -> list[Path]:
    """One plan workbook per athlete in ``folder``, named after the athlete."""
    from .excel import write_workbook

    folder = Path(folder)
    taken: set[str] = set()
    out = []
    for name, result in zip(squad_result.squad.names, squad_result.results):
        out.append(write_workbook(result, folder / f"{file_stem(name, taken)}.xlsx"))
    return out


def file_stem(name: str, taken: set[str]) -> str:
    """A safe, unique file name for an athlete: ASCII letters, digits, ``-``, ``_`` and
    ``.`` only (accents dropped, anything else ``_``), never hidden, at most 80 long."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name)
    stem = re.sub(r"\.{2,}", ".", stem).strip("._")[:80] or "athlete"
    candidate, i = stem, 2
    while candidate.lower() in taken:
        candidate = f"{stem}_{i}"
        i += 1
    taken.add(candidate.lower())
    return candidate


def _header(ws: Worksheet, row: int, values: list) -> None:
    for c, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=c, value=value)
        cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.oddHeader.center.text = "&A"
    ws.oddFooter.center.text = "page &P of &N"


def day_text(day, sessions: list[str]) -> tuple[str, str]:
    """A squad-grid cell: the day's training in short words, and its colour key."""
    if day.away:
        return "away", "away"
    if not sessions:
        return ("rest" if day.available else "—"), "rest"
    order = sorted(sessions, key=lambda s: list(SHORT).index(s))
    text = " + ".join(SHORT[s] for s in order)
    if "race" in sessions:
        kind = "race"
    elif "strength_lower" in sessions:
        kind = "strength"
    elif "power" in sessions:
        kind = "power"
    elif any(CATALOG[s].category == "run" for s in sessions):
        kind = "run"
    else:
        kind = "core"
    return text, kind


def squad_sheet(ws: Worksheet, squad_result) -> None:
    """Athletes × days: one block per week (Mon..Sun), one row per athlete, each cell
    what the athlete does that day, coloured by its main work (legs, power, run, race)."""
    squad = squad_result.squad
    results = squad_result.results
    ws.title = "Squad"
    ws["A1"] = (
        f"{squad.name}: {len(squad.names)} athletes, {squad.weeks} weeks from {squad.start:%d %b %Y}"
    )
    ws["A1"].font = Font(bold=True, size=14)
    capacity = ", ".join(f"{d} {n}" for d, n in squad.capacity.items()) or "no limit"
    coach = ", ".join(squad.power_days) if squad.power_days else "any day"
    ws["A2"] = (
        f"{squad_result.status}, objective {squad_result.objective} · gym capacity (legs "
        f"sessions): {capacity} · group power days: {coach}"
    )
    ws["A2"].font = Font(italic=True, color="595959")
    for i, (label, key) in enumerate(
        [
            ("Legs", "strength"),
            ("Power", "power"),
            ("Run", "run"),
            ("Race", "race"),
            ("Rest", "rest"),
            ("Away", "away"),
        ]
    ):
        cell = ws.cell(row=3, column=2 + i, value=label)
        cell.fill = PatternFill("solid", fgColor=COLOURS[key])
        cell.border, cell.alignment = _BOX, Alignment(horizontal="center")
    top = 5
    _header(ws, top, ["Athlete", *[d.capitalize() for d in WEEKDAYS]])
    by_athlete = [
        r.plan[r.plan["session"] != "mobility"].groupby("date")["session"].apply(list).to_dict()
        for r in results
    ]
    row = top + 1
    cal = results[0].calendar
    for w in range(cal.n_weeks):
        days = cal.week_days(w)
        title = ws.cell(row=row, column=1, value=f"Week {w + 1}")
        title.font = Font(bold=True)
        for k, day in enumerate(days):
            cell = ws.cell(row=row, column=2 + k, value=f"{day.date:%d %b}")
            cell.font = Font(bold=True, color="595959")
            limit = squad.capacity.get(day.weekday)
            if limit is not None:
                used = sum("strength_lower" in a.get(day.date, []) for a in by_athlete)
                cell.value = f"{day.date:%d %b} · gym {used}/{limit}"
        row += 1
        for name, result, sessions in zip(squad.names, results, by_athlete):
            ws.cell(row=row, column=1, value=name).border = _BOX
            for k, day in enumerate(result.calendar.week_days(w)):
                text, kind = day_text(day, sessions.get(day.date, []))
                cell = ws.cell(row=row, column=2 + k, value=text)
                cell.fill = PatternFill("solid", fgColor=COLOURS[kind])
                cell.border, cell.alignment = _BOX, Alignment(vertical="top", wrap_text=True)
            row += 1
    ws.column_dimensions["A"].width = 18
    for k in range(7):
        ws.column_dimensions[get_column_letter(2 + k)].width = 20
    ws.freeze_panes = f"B{top + 1}"
    _print_setup(ws, f"{top}:{top}")


def gym_sheet(ws: Worksheet, squad_result) -> None:
    """The gym's use per date against its capacity (full days shaded, none over)."""
    table: pd.DataFrame = squad_result.gym_use()
    ws["A1"] = f"{squad_result.squad.name}: heavy-legs sessions per day against the gym's capacity"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Shaded: the gym is full that day. A day without a capacity has no limit."
    ws["A2"].font = Font(italic=True, color="595959")
    top = 4
    _header(ws, top, list(table.columns))
    for r, values in enumerate(table.itertuples(index=False), start=top + 1):
        for c, value in enumerate(values, start=1):
            if value is pd.NA or (isinstance(value, float) and value != value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = _BOX
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        free = values.free
        if free is not pd.NA and free is not None and free <= 0:
            fill = _FULL_FILL if free == 0 else _OVER_FILL
            for c in range(1, len(table.columns) + 1):
                ws.cell(row=r, column=c).fill = fill
    for c, width in enumerate((12, 6, 6, 9, 6, 6, 80), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = f"A{top + 1}"
    _print_setup(ws, f"{top}:{top}")


def write_squad_comparison(table: pd.DataFrame, path: str | Path) -> Path:
    """A squad comparison: metrics × variants (status, objective, points per rule)."""
    from .excel import save_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Comparison"
    _header(ws, 1, ["metric", *table.columns])
    for r, (metric, values) in enumerate(table.iterrows(), start=2):
        ws.cell(row=r, column=1, value=metric).border = _BOX
        for c, value in enumerate(values, start=2):
            if value is None or (isinstance(value, float) and value != value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            ws.cell(row=r, column=c, value=value).border = _BOX
    ws.column_dimensions["A"].width = 36
    for c in range(2, len(table.columns) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 18
    _print_setup(ws, "1:1")
    return save_workbook(wb, path)
