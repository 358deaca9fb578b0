"""The workbook being written: XlsxWriter underneath, strideplan's formats and page setup.

Every sheet module writes through :class:`Book`: cells go through :meth:`Book.put`, which
writes text as text (a name beginning with ``=``, ``+``, ``-`` or ``@`` never becomes a
formula: ``write_string`` plus XlsxWriter's ``strings_to_formulas: False``), and every
printed sheet gets :meth:`Book.print_setup`: the plan's name, the sheet, the period and
the writing date in header/footer, "Page &P of &N", repeated title rows, A4 at a fixed
scale worked out from the column widths (fit-to-page would let Excel ignore our page
breaks and shrink fonts to unreadable), and manual page breaks that never split a block.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..load import weekly_table
from ..prescription import records

#: A4 in points (width, height) by orientation.
PAGE_POINTS = {"landscape": (841.9, 595.3), "portrait": (595.3, 841.9)}
MARGIN_SIDE, MARGIN_TOP, MARGIN_HEADER = 0.4, 0.6, 0.25  # inches
#: the smallest print scale any sheet may use (issue 11: readable on paper)
MIN_SCALE = 90
#: points a default row takes
ROW_POINTS = 15.0
#: page-height estimates are an approximation of how Excel and LibreOffice lay out text:
#: leave this share of a page free so that neither adds a break of its own
PAGE_SAFETY = 0.95

HEADER_COLOUR = "#1F3864"
GRID_COLOUR = "#BFBFBF"
NOTE_COLOUR = "#595959"
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'  # LibreOffice shows 1/0 else


def column_points(width: float) -> float:
    """Points a column of ``width`` characters takes on paper. Excel gives a character
    7 px (5.25 pt) of Arial 10; LibreOffice draws the same column about 10 % wider
    (measured: 5.8-5.9 pt a character through its PDF export), so the wider one is used,
    rounded up, and nothing is cut in either."""
    return width * 6.0


def print_scale(widths: Iterable[float], orientation: str = "landscape") -> int:
    """The largest scale (percent, at most 100) at which the columns fit the page width."""
    usable = PAGE_POINTS[orientation][0] - 2 * MARGIN_SIDE * 72
    needed = sum(column_points(w) for w in widths)
    return max(10, min(100, math.floor(100 * usable * 0.98 / needed)))


def page_height(orientation: str, scale: int) -> float:
    """Points of sheet rows that fit on one page at ``scale``."""
    usable = PAGE_POINTS[orientation][1] - 2 * MARGIN_TOP * 72
    return usable * 100 / scale * PAGE_SAFETY


#: Advance widths of Arial (1/1000 em; Helvetica's metrics, which Arial and LibreOffice's
#: Liberation Sans share), for the characters strideplan writes; any other character
#: counts as a wide one, so an estimate errs towards one line too many, never too few.
ARIAL_WIDTHS = {
    **dict.fromkeys(" !,./:;[\\]ft", 278),
    **dict.fromkeys("0123456789#$?_abdeghnopqu", 556),
    **dict.fromkeys("cksvxyzJ", 500),
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("-()r`", 333),
    **dict.fromkeys("+<=>~×", 584),
    '"': 355,
    "%": 889,
    "'": 191,
    "*": 389,
    "@": 1015,
    "^": 469,
    "{": 334,
    "|": 260,
    "}": 334,
    "I": 278,
    "L": 556,
    "M": 833,
    "W": 944,
    "m": 833,
    "·": 278,
    "–": 556,
    "—": 1000,
    "…": 1000,
    "’": 222,
    "‘": 222,
    "■": 604,  # Arial's geometric shapes (the Calendar's marks)
    "●": 604,
    "▲": 990,
}
WIDE_CHARACTER = 1000
#: bold Arial is about this much wider than regular
BOLD_WIDENING = 1.1
#: a line of Arial (ascent and descent, 1.117 em) with a little air, by font size
LINE_FACTOR = 1.15
#: points of a cell's padding: inside a wrapping cell (both sides), above and below its text
CELL_PADDING, CELL_AIR = 3.0, 3.0


def text_points(text: str, size: float = 10, bold: bool = False) -> float:
    """The width of one line of Arial text in points."""
    units = sum(ARIAL_WIDTHS.get(c, WIDE_CHARACTER) for c in text)
    return units * size / 1000 * (BOLD_WIDENING if bold else 1.0)


def line_points(size: float = 10) -> float:
    """The height of one line of ``size``-point Arial in a cell."""
    return size * LINE_FACTOR


def text_room(width: float) -> float:
    """Points a wrapping cell of ``width`` characters leaves for its text: measured on
    LibreOffice's PDF, a 16.5 column holds a 91.3 pt line (not 103.6), a 35 column 194 pt
    (not 199)."""
    return width * 5.72 - CELL_PADDING


@functools.lru_cache(maxsize=4096)  # a plan's tables repeat the same notes many times
def wrapped_lines(text: str, width: float, size: float = 10, bold: bool = False) -> int:
    """Lines a text of ``size``-point Arial takes in a wrapping column of ``width``
    characters, wrapped at spaces as Excel and LibreOffice do (a long rule name moves
    whole; a word longer than a line breaks where it must), measured with Arial's
    character widths."""
    room = text_room(width)
    space = text_points(" ", size, bold)
    total = 0
    for part in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in part.split(" "):
            points = text_points(word, size, bold)
            if used and used + space + points > room:
                lines, used = lines + 1, 0.0
            elif used:
                used += space
            while points > room:  # a word wider than the cell breaks inside
                lines, points = lines + 1, points - room
            used += points
        total += lines
    return max(1, total)


def lines_height(lines: Iterable[tuple[str, float, bool]], width: float) -> float:
    """The row height (points) of a cell of several lines, each (text, font size, bold)
    and each wrapped in a column of ``width`` characters (a rich-text cell)."""
    return CELL_AIR + sum(
        line_points(size) * wrapped_lines(text, width, size, bold) for text, size, bold in lines
    )


def text_height(lines: int, size: float = 10) -> float:
    """The row height (points) that shows ``lines`` lines of ``size``-point text."""
    return lines * line_points(size) + CELL_AIR


def page_breaks(blocks: Sequence[tuple], capacity: float) -> list[int]:
    """Rows to break before so that no block is split: ``blocks`` are (first row,
    height in points) in order, or (first row, height, parts) where ``parts`` are the
    block's own (first row, height) pieces in order (a booklet phase's sessions). A block
    taller than a page cannot stay whole: it follows on where the page is and breaks
    between its parts (without parts, between its rows)."""
    breaks: list[int] = []
    _lay_out(blocks, capacity, breaks, 0.0)
    return breaks


def _lay_out(blocks: Sequence[tuple], capacity: float, breaks: list[int], used: float) -> float:
    """Add the breaks ``blocks`` need from a page ``used`` points full; returns the
    points used on the last page."""
    for row, height, *parts in blocks:
        if height > capacity:
            if parts and parts[0]:
                used = _lay_out(parts[0], capacity, breaks, used)
            else:
                used = (used + height) % capacity
            continue
        if used and used + height > capacity:
            breaks.append(row)
            used = 0.0
        used += height
    return used


def row_points(ws: Worksheet, row: int) -> float:
    """The height of a written row in points (a row left alone: the default)."""
    info = ws.row_info.get(row)
    return info.height * 0.75 if info is not None and info.height else ROW_POINTS


def missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA: an empty cell."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def header_text(text: str) -> str:
    """Text safe inside an Excel header/footer: '&' doubled, kept short (the whole
    header must stay under 255 characters)."""
    text = " ".join(str(text).split())
    if len(text) > 60:
        text = text[:59] + "…"
    return text.replace("&", "&&")


class Book:
    """An XlsxWriter workbook with cached formats, text-safe cells and page setup."""

    def __init__(self, path, plan_name: str, period: str = ""):
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "in_memory": True,  # no temporary files outside the target folder
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                # Arial: on every Excel, and LibreOffice draws it with the metric-twin
                # Liberation Sans, so text wraps where the row heights expect it
                "default_format_properties": {"font_name": "Arial", "font_size": 10},
            },
        )
        self.plan_name = plan_name
        self.period = period
        # UTC (naive): the .ics DTSTAMP and the workouts' time_created are UTC times
        self.written = datetime.now(UTC).replace(tzinfo=None)
        self._formats: dict[tuple, Format] = {}
        self._props: dict[Format, dict] = {}
        self._weekly: dict[int, pd.DataFrame] = {}
        self._records: dict[int, list[dict]] = {}
        self._reserved: dict[str, Worksheet] = {}

    def weekly(self, result) -> pd.DataFrame:
        """The result's weekly table (load.weekly_table), made once for all its sheets."""

        key = id(result)
        if key not in self._weekly:
            self._weekly[key] = weekly_table(result)
        return self._weekly[key]

    def exercise_records(self, result) -> list[dict]:
        """The result's Exercises table as dicts (prescription.records), made once for
        the sheets that group it (Calendar, Booklet)."""

        key = id(result)
        if key not in self._records:
            self._records[key] = records(result.exercises)
        return self._records[key]

    # ------------------------------------------------------------------ cells
    def fmt(self, **props: Any) -> Format:
        """A cell format, made once per distinct set of properties."""
        key = tuple(sorted(props.items()))
        made = self._formats.get(key)
        if made is None:
            made = self._formats[key] = self.workbook.add_format(props)
            self._props[made] = props
        return made

    def sheet(self, name: str) -> Worksheet:
        """A new worksheet (or the one :meth:`reserve` put in place under that name)."""
        reserved = self._reserved.pop(name, None)
        return reserved if reserved is not None else self.workbook.add_worksheet(name)

    def reserve(self, names: Iterable[str]) -> None:
        """Add empty worksheets now, in this order, to be filled in any order later
        (tabs follow the order sheets are added)."""
        for name in names:
            self._reserved[name] = self.workbook.add_worksheet(name)

    @staticmethod
    def put(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        """Write one value (0-based row and column): text always as text, numbers,
        booleans and dates as such, None, NaN and empty text as a blank cell."""
        if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
            value = value.item()
        if missing(value) or value == "" or (isinstance(value, float) and not math.isfinite(value)):
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, (date, datetime)):
            ws.write_datetime(row, col, value, fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    def rich(self, ws: Worksheet, row: int, col: int, parts, cell_fmt: Format) -> None:
        """A cell of several lines, each ``(text, font format or None)``; a line without
        one has the cell's font (a rich-text run without a font falls back to the
        spreadsheet's default, not Arial 10)."""
        fragments: list = []
        for i, (text, fmt) in enumerate(parts):
            line = text + ("\n" if i < len(parts) - 1 else "")
            if line:
                fragments += [fmt or cell_fmt, line]
        if len(fragments) < 4:  # XlsxWriter wants two fragments for a rich string
            font = fragments[0] if fragments else cell_fmt
            merged = {**self._props.get(cell_fmt, {}), **self._props.get(font, {})}
            known = cell_fmt in self._props
            ws.write_string(
                row, col, "".join(fragments[1::2]), self.fmt(**merged) if known else cell_fmt
            )
        else:
            ws.write_rich_string(row, col, *fragments, cell_fmt)

    # ------------------------------------------------------------------ printing
    def print_setup(
        self,
        ws: Worksheet,
        widths: Sequence[float],
        orientation: str = "landscape",
        title_rows: tuple[int, int] | None = None,
        blocks: Sequence[tuple] = (),
    ) -> int:
        """Page setup for a printed sheet; returns the scale used (percent). ``blocks``
        (first row, height in points) are kept whole on a page (:func:`page_breaks`),
        on the room the repeated title rows leave."""
        if orientation == "landscape":
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_paper(9)  # A4
        ws.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=MARGIN_TOP, bottom=MARGIN_TOP)
        scale = print_scale(widths, orientation)
        ws.set_print_scale(scale)
        ws.set_header(
            f'&L&"-,Bold"{header_text(self.plan_name)}&C&A&R{header_text(self.period)}',
            {"margin": MARGIN_HEADER},
        )
        ws.set_footer(
            f"&Lwritten {self.written:%d %b %Y}&CPage &P of &N&Rstrideplan {__version__}",
            {"margin": MARGIN_HEADER},
        )
        room = page_height(orientation, scale)
        if title_rows is not None:
            ws.repeat_rows(*title_rows)
            room -= sum(row_points(ws, r) for r in range(title_rows[0], title_rows[1] + 1))
        breaks = page_breaks(blocks, room)
        if breaks:
            ws.set_h_pagebreaks(breaks)
        return scale

    @staticmethod
    def not_printed(ws: Worksheet) -> None:
        """A data table that stays visible (a coach finds it among the tabs) but prints
        nothing: its print area is one empty cell far to the right, which LibreOffice and
        Excel skip when printing the workbook."""
        ws.print_area("XFD1:XFD1")

    def close(self) -> None:
        """Write the file."""
        self.workbook.close()
