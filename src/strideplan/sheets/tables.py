"""Plain tables: SPEC's data sheets (Sessions, Exercises) and the re-plan's Changes.

Sessions and Exercises are the contract's data tables (header in row 1, one row per
session / exercise; ``check``, ``replan`` and ``ics`` read them back): they stay visible
among the tabs but print nothing (the Calendar and the Booklet are their printable
form).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..prescription import COLUMNS as EXERCISE_TABLE
from .book import BOOLEAN_FORMAT, GRID_COLOUR, HEADER_COLOUR, Book, text_height, wrapped_lines
from .style import COLOURS


def header(book: Book, ws: Worksheet, row: int, values, col: int = 0) -> None:
    """A header row (0-based row and first column): white bold text on dark blue."""
    fmt = book.fmt(
        bold=True,
        font_color="#FFFFFF",
        bg_color=HEADER_COLOUR,
        border=1,
        border_color=GRID_COLOUR,
        valign="vcenter",
        text_wrap=True,
    )
    for i, value in enumerate(values):
        book.put(ws, row, col + i, value, fmt)


#: the Python classes of each column kind (after ``Series.tolist()``)
_KIND_OF_CLASS = {str: "text", bool: "boolean", int: "number", float: "number"}
_KIND_OF_CLASS.update({date: "dated", datetime: "dated"})


def _column_kind(values: list) -> str:
    """What a column holds, decided once for the whole column: ``text`` (strings),
    ``dated``, ``boolean``, ``number`` (missing values aside: None, NaN), else ``mixed``
    (written cell by cell through :meth:`Book.put`)."""
    classes = set(map(type, values))  # one pass in C
    classes.discard(type(None))
    if float in classes and str in classes and all(v != v for v in values if v.__class__ is float):
        classes.discard(float)  # NaN: a missing value in a text column
    kinds = {_KIND_OF_CLASS.get(cls, "mixed") for cls in classes}
    if len(kinds) > 1 or "mixed" in kinds:
        return "mixed"  # numpy scalars, pandas' NA and NaT, several kinds
    return kinds.pop() if kinds else "empty"


#: the cell format of every table cell, and each column kind's own
_BASE = {"border": 1, "border_color": GRID_COLOUR, "valign": "top"}
_KINDS: dict[str, dict] = {
    "plain": {},
    "dated": {"num_format": "yyyy-mm-dd"},
    "boolean": {"num_format": BOOLEAN_FORMAT},
    "wrapped": {"text_wrap": True},
}


def table(
    book: Book,
    ws: Worksheet,
    df: pd.DataFrame,
    widths: dict[str, float] | None = None,
    wrap: tuple[str, ...] = (),
    start_row: int = 0,
    fills: dict[int, list] | None = None,
) -> list[float]:
    """A plain table from ``start_row`` (0-based): header, frozen, filtered, sized.

    Columns named in ``wrap`` wrap their text and the row grows to fit (neither Excel nor
    LibreOffice grows rows of wrapped text written by a library on its own). ``fills``
    gives a column's per-row fill colours (``None``: no fill), kept with the cell's date,
    boolean or wrap format. Returns the column widths.
    """
    header(book, ws, start_row, list(df.columns))
    col_width: list[float] = []
    for c, name in enumerate(df.columns):
        width = (widths or {}).get(name)
        if width is None:
            longest = max([len(str(name))] + [len(str(v)) for v in df[name].head(200)])
            width = min(60, max(8, longest + 2))
        col_width.append(width)
        ws.set_column(c, c, width)
    made = {kind: book.fmt(**_BASE, **props) for kind, props in _KINDS.items()}
    header_lines = max(
        [wrapped_lines(str(name), w, bold=True) for name, w in zip(df.columns, col_width)] or [1]
    )
    if header_lines > 1:
        ws.set_row(start_row, text_height(header_lines))
    # column by column, each column's kind decided once (the data tables run to
    # thousands of cells: a type dispatch per cell was most of the write); text goes
    # through write_string, which never makes a formula
    heights = [1] * len(df)
    first = start_row + 1
    for c, name in enumerate(df.columns):
        column = _Column(c, df[name].tolist(), name in wrap, col_width[c])
        _write_column(book, ws, first, column, fills.get(c) if fills else None, made, heights)
    for i, lines in enumerate(heights):
        if lines > 1:
            ws.set_row(first + i, text_height(lines))
    ws.freeze_panes(start_row + 1, 0)
    ws.autofilter(start_row, 0, start_row + max(1, len(df)), max(0, len(df.columns) - 1))
    return col_width


@dataclass
class _Column:
    index: int
    values: list
    wrapped: bool
    width: float


def _write_column(book, ws, first, column: _Column, fill_of, made, heights) -> None:
    """One column's cells from row ``first``; wrapped text raises ``heights`` (lines)."""
    c, values, wrapped = column.index, column.values, column.wrapped
    kind = _column_kind(values)
    style = "wrapped" if wrapped else {"dated": "dated", "boolean": "boolean"}.get(kind, "plain")
    formats = None
    if fill_of:
        by_fill = {
            fill: book.fmt(**_BASE, **_KINDS[style], bg_color=fill) for fill in set(fill_of) if fill
        }
        formats = [by_fill[fill] if fill else made[style] for fill in fill_of]
    fmt = made[style]
    if kind == "text" or kind == "empty":
        for i, value in enumerate(values):
            if formats:
                fmt = formats[i]
            if value.__class__ is str and value:  # else None or NaN (pandas' str dtype)
                ws.write_string(first + i, c, value, fmt)
                if wrapped:
                    lines = wrapped_lines(value, column.width)
                    if lines > heights[i]:
                        heights[i] = lines
            else:
                ws.write_blank(first + i, c, None, fmt)
    elif kind == "number":
        for i, value in enumerate(values):
            if formats:
                fmt = formats[i]
            if value is None or value != value or value in (math.inf, -math.inf):
                ws.write_blank(first + i, c, None, fmt)
            else:
                ws.write_number(first + i, c, value, fmt)
    elif kind in ("dated", "boolean"):
        write = ws.write_datetime if kind == "dated" else ws.write_boolean
        for i, value in enumerate(values):
            if formats:
                fmt = formats[i]
            if value is None:
                ws.write_blank(first + i, c, None, fmt)
            else:
                write(first + i, c, value, fmt)
    else:  # mixed: each cell's own kind
        for i, value in enumerate(values):
            if value.__class__ is str and value and wrapped:
                heights[i] = max(heights[i], wrapped_lines(value, column.width))
            if not wrapped:
                style = (
                    "dated"
                    if isinstance(value, (date, datetime))
                    else "boolean"
                    if isinstance(value, bool)
                    else "plain"
                )
            fill = fill_of[i] if fill_of else None
            cell = book.fmt(**_BASE, **_KINDS[style], bg_color=fill) if fill else made[style]
            book.put(ws, first + i, c, value, cell)


def write_sessions_sheet(book: Book, result, name: str = "Sessions") -> Worksheet:
    """SPEC's Sessions table (``check`` reads it); the session cell coloured by category.
    Visible, not printed."""
    ws = book.sheet(name)
    plan = result.plan
    session_col = list(plan.columns).index("session") if "session" in plan.columns else None
    fills = None
    if session_col is not None and len(plan):
        fills = {
            session_col: ["#" + COLOURS.get(cat, "FFFFFF") for cat in plan["category"].astype(str)]
        }
    table(book, ws, plan, {"details": 70, "date": 12, "session": 16}, ("details",), fills=fills)
    book.not_printed(ws)
    return ws


#: The Exercises sheet's columns: SPEC's ten, then what only this sheet shows (the load
#: and the equipment) and each exercise's source. The prescription's per-exercise minutes
#: and deload flag stay in the result (the phase column says "deload").
EXERCISE_COLUMNS = tuple(c for c in EXERCISE_TABLE if c not in ("minutes", "deload"))


#: Excel's day 0 (the 1900 date system, XlsxWriter's default); from 1 March 1900 on a
#: date's serial number is its distance from it in days
EXCEL_EPOCH = date(1899, 12, 30)


def _excel_serial(value: date | datetime) -> int | None:
    """The serial number write_datetime stores for a plain date (from March 1900); None
    for anything else (XlsxWriter converts those itself)."""
    if value.__class__ is date and value >= date(1900, 3, 1):
        return (value - EXCEL_EPOCH).days
    return None


def data_table(book: Book, ws: Worksheet, df: pd.DataFrame, widths: dict[str, float]) -> None:
    """A data table to be read back, as lean as it can be written (the Exercises sheet's
    ~3 000 rows for a year were most of the workbook's write): the header as
    :func:`table` draws it, frozen and filtered; cells without a format of their own
    (dates formatted as dates), an empty value no cell at all, no wrapping (no row
    grows). Text goes through write_string: never a formula."""
    header(book, ws, 0, list(df.columns))
    dated = book.fmt(num_format="yyyy-mm-dd")
    for c, name in enumerate(df.columns):
        ws.set_column(c, c, widths.get(name, 10))
        values = df[name].tolist()
        kind = _column_kind(values)
        if kind == "text":
            write = ws.write_string
            for r, value in enumerate(values, start=1):
                if value.__class__ is str and value:  # else None or NaN (pandas' str dtype)
                    write(r, c, value)
        elif kind == "number":
            write = ws.write_number
            for r, value in enumerate(values, start=1):
                if value is not None and value == value and value not in (math.inf, -math.inf):
                    write(r, c, value)
        elif kind == "dated":
            serials: dict = {}  # a year's 3 000 rows hold 300 dates: each converted once
            for r, value in enumerate(values, start=1):
                if value is None:
                    continue
                serial = serials.get(value)
                if serial is None:
                    serial = serials[value] = _excel_serial(value)
                if serial is None:
                    ws.write_datetime(r, c, value, dated)
                else:
                    ws.write_number(r, c, serial, dated)
        elif kind != "empty":  # booleans, mixed: each cell's own kind
            for r, value in enumerate(values, start=1):
                fmt = (
                    dated
                    if isinstance(value, (date, datetime))
                    else book.fmt(num_format=BOOLEAN_FORMAT)  # LibreOffice shows 1/0 else
                    if isinstance(value, bool)
                    else None
                )
                book.put(ws, r, c, value, fmt)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(df)), max(0, len(df.columns) - 1))


def write_exercises_sheet(book: Book, result, name: str = "Exercises") -> Worksheet:
    """SPEC's Exercises table (:data:`EXERCISE_COLUMNS`). Visible, not printed."""
    ws = book.sheet(name)
    ex = result.exercises
    data_table(
        book,
        ws,
        ex[[c for c in EXERCISE_COLUMNS if c in ex.columns]],
        {
            "date": 12,
            "week": 6,
            "session": 15,
            "exercise": 28,
            "sets": 6,
            "reps": 14,
            "notes": 60,
            "effort": 10,
            "contacts": 9,
            "phase": 12,
            "load": 40,
            "equipment": 16,
            "source": 40,
        },
    )
    book.not_printed(ws)
    return ws


def write_changes_sheet(book: Book, changes: pd.DataFrame, name: str = "Changes") -> Worksheet:
    """A re-plan's changes (date, session, change, rule), printed."""
    ws = book.sheet(name)
    widths = table(book, ws, changes, {"date": 12, "change": 30, "rule": 60}, wrap=("rule",))
    book.print_setup(ws, widths, title_rows=(0, 0))
    return ws
