"""The Weekly sheet: per week, sessions, minutes and load per category, in a coach's
words, with the load ratio (ACWR, common practice) from week 4 and two charts that
never straddle a page break."""

from __future__ import annotations

import math

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..catalog import CATEGORIES
from ..load import ACWR_RANGE
from .book import NOTE_COLOUR, ROW_POINTS, Book, page_height
from .style import CHART_COLOURS
from .tables import table

#: weeks of history the load ratio needs (a 4-week chronic load)
ACWR_FROM_WEEK = 4
NOT_ENOUGH = "—"

#: weekly_table's columns in a coach's words (units in brackets), as printed; "clean"
#: stays out
HEADERS = {
    "week": "Week",
    "start": "Starts",
    "phase": "Phase",
    **{f"{c}_n": f"{c.capitalize()} sessions" for c in CATEGORIES},
    **{f"{c}_min": f"{c.capitalize()} (min)" for c in CATEGORIES},
    "total_min": "Total (min)",
    "hard_days": "Hard days",
    "rest_days": "Rest days",
    "load": "Load (RPE × min)",
    "acwr": "Load ratio (ACWR)",
    "acwr_flag": "Load ratio says",
}
#: the load per category: beside the printed table, for the load chart
LOADS = {f"{c}_load": f"{c.capitalize()} load" for c in CATEGORIES}
FLAG_WORDS = {
    "high": f"jump (> {ACWR_RANGE[1]})",
    "low": f"drop (< {ACWR_RANGE[0]})",
    "planned high": "jump, as planned",
    "planned low": "drop, as planned",
}


def coach_table(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weekly table as printed: coach's headers, the load ratio from week 4."""
    shown = weekly[[c for c in [*HEADERS, *LOADS] if c in weekly.columns]].copy()
    shown["acwr"] = [
        NOT_ENOUGH if week < ACWR_FROM_WEEK else value
        for week, value in zip(shown["week"], shown["acwr"])
    ]
    shown["acwr_flag"] = [FLAG_WORDS.get(flag, "") for flag in shown["acwr_flag"]]
    return shown.rename(columns={**HEADERS, **LOADS})


def write_weekly_sheet(book: Book, result, name: str = "Weekly") -> Worksheet:
    """The Weekly sheet of one result."""
    ws = book.sheet(name)
    shown = coach_table(book.weekly(result))
    widths = {h: 8.5 for h in shown.columns}
    widths.update(
        {
            "Week": 5.0,
            "Starts": 10.5,
            "Phase": 9.0,
            "Total (min)": 7.0,
            "Hard days": 6.0,
            "Rest days": 6.0,
            "Load ratio says": 13.0,
        }
    )
    used = table(book, ws, shown, widths, wrap=("Phase",))
    printed = used[: len(HEADERS)]
    ws.set_row(0, 40)
    n = len(shown)
    cols = {name: i for i, name in enumerate(shown.columns)}
    flag_fill = book.fmt(border=1, border_color="#BFBFBF", valign="top", bg_color="#F4CCCC")
    for r, flag in enumerate(shown["Load ratio says"], start=1):
        if flag in (FLAG_WORDS["high"], FLAG_WORDS["low"]):  # the alarms, not the plan's
            book.put(
                ws, r, cols["Load ratio (ACWR)"], shown["Load ratio (ACWR)"].iloc[r - 1], flag_fill
            )
    note = n + 2
    ws.write_string(
        note,
        0,
        f"Load: session-RPE × minutes. Load ratio (ACWR): the week's load over the mean of the "
        f"last four weeks, shown from week {ACWR_FROM_WEEK} ({NOT_ENOUGH}: not enough history "
        f"yet); outside {ACWR_RANGE[0]}–{ACWR_RANGE[1]} it is flagged, in red where the week's "
        "own windows (a taper, a race, a break) do not explain it.",
        book.fmt(font_color=NOTE_COLOUR),
    )
    scale = book.print_setup(ws, printed, title_rows=(0, 0))
    if n == 0:
        ws.print_area(0, 0, note, len(printed) - 1)
        return ws
    capacity = page_height("landscape", scale)
    first = note + 2
    left = capacity - (40 + (first + 1) * ROW_POINTS) % capacity  # on the table's last page
    if left >= 200:  # the charts fit under the table
        chart_points = min(300.0, left - 10)
    else:  # a page of their own: a break never cuts a chart
        chart_points = min(300.0, capacity - 40)
        ws.set_h_pagebreaks([first])
    width_px = int(sum((w * 7 + 5) for w in printed) * 0.98 / 2)
    height_px = int(chart_points * 4 / 3)
    for i, (title, y_title, suffix) in enumerate(
        (
            ("Minutes per week by category", "minutes", "(min)"),
            ("Training load by category (session-RPE × min)", "load", "load"),
        )
    ):
        chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
        for cat in CATEGORIES:
            col = cols[f"{cat.capitalize()} {suffix}"]
            chart.add_series(
                {
                    "name": cat.capitalize(),
                    "categories": [name, 1, 0, n, 0],
                    "values": [name, 1, col, n, col],
                    "fill": {"color": "#" + CHART_COLOURS[cat]},
                    "gap": 50,
                }
            )
        chart.set_title({"name": title, "name_font": {"size": 11}})
        chart.set_x_axis({"name": "week"})
        chart.set_y_axis({"name": y_title})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": width_px, "height": height_px})
        ws.insert_chart(
            first, 0, chart, {"x_offset": i * width_px + 4, "y_offset": 4, "object_position": 3}
        )
    ws.print_area(0, 0, first + math.ceil(height_px / 20) + 1, len(printed) - 1)
    return ws
