"""The comparison workbook's sheets: Comparison (metrics × variants, the best of each
row in green, a weekly-load chart), Differences (the days where variants differ), then
each variant's Calendar and Sessions under short, unique, numbered sheet names."""

from __future__ import annotations

import re

import pandas as pd

from ..compare import LOWER_IS_BETTER
from .book import NOTE_COLOUR, Book
from .calendar import write_calendar_sheet
from .tables import table, write_sessions_sheet

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")
SHEET_CHARS = 31  # Excel's limit


def short_label(name: str, room: int) -> str:
    """A variant's name in at most ``room`` characters: as is when it fits; a sweep's
    ``key=value`` pairs with each key cut to its initials (``strength_per_week=1,
    easy_runs=2`` -> ``spw=1 er=2``); else cut with an ellipsis."""
    text = " ".join(_BAD_SHEET_CHARS.sub("-", name).split())
    if len(text) <= room:
        return text
    if "=" in text:
        pairs = []
        for part in re.split(r",\s*", text):
            key, eq, value = part.partition("=")
            initials = "".join(w[0] for w in re.split(r"[_.\s]+", key.strip()) if w)
            pairs.append(f"{initials}{eq}{value.strip()}")
        text = " ".join(pairs)
        if len(text) <= room:
            return text
    return text[: room - 1].rstrip() + "…"


def variant_sheet_names(names: list[str]) -> list[tuple[str, str]]:
    """(calendar, sessions) sheet names per variant: ``Cal 3 spw=1 er=2`` and
    ``Ses 3 spw=1 er=2``; the number is the variant's column in the Comparison sheet
    (a squad's athlete: its place in the squad), so names are unique and never
    near-twins cut at 31 characters."""
    out = []
    for i, name in enumerate(names, start=1):
        prefix = f"{i} "
        label = short_label(name, SHEET_CHARS - len("Cal ") - len(prefix))
        out.append((f"Cal {prefix}{label}".strip(), f"Ses {prefix}{label}".strip()))
    return out


def fill_comparison(
    book: Book,
    results,
    names: list[str],
    metrics: pd.DataFrame,
    diffs: pd.DataFrame,
    note: str = "",
) -> None:
    """Comparison, Differences and each solved variant's Calendar and Sessions."""

    sheets = variant_sheet_names(names)
    ws = book.sheet("Comparison")
    shown = metrics.reset_index().rename(columns={"index": "metric"})
    extra = {"metric": "sheets"}
    extra.update(
        {
            n: f"{cal} / {ses}" if r.solved else ""
            for n, r, (cal, ses) in zip(names, results, sheets)
        }
    )
    rows = [extra]
    explanations = {
        name: "; ".join(r.explanation.conflict) if r.explanation else ""
        for name, r in zip(names, results)
        if not r.solved
    }
    if explanations:
        row = {"metric": "conflicting rules"}
        row.update({n: explanations.get(n, "") for n in names})
        rows.append(row)
    shown = pd.concat([shown, pd.DataFrame(rows)], ignore_index=True)
    widths = {"metric": 30, **{n: max(16, min(30, len(n) + 4)) for n in names}}
    used = table(book, ws, shown, widths, wrap=tuple(["metric", *names]))
    best = book.fmt(border=1, border_color="#BFBFBF", valign="top", bold=True, bg_color="#B6D7A8")
    for r, metric in enumerate(shown["metric"], start=1):
        if not LOWER_IS_BETTER.match(str(metric)):
            continue
        values = [shown[n].iloc[r - 1] for n in names]
        numbers = [v for v in values if isinstance(v, (int, float)) and v == v]
        if len(set(numbers)) > 1:
            for c, v in enumerate(values, start=1):
                if v == min(numbers):
                    book.put(ws, r, c, v, best)
    below = len(shown) + 2
    grey = book.fmt(font_color=NOTE_COLOUR)
    ws.write_string(
        below, 0, "Green: the best (lowest) value of the row. Points: penalties +, rewards -.", grey
    )
    if note:
        ws.write_string(below + 1, 0, note, grey)
    _load_chart(book, ws, results, names, below + 3)
    book.print_setup(ws, used, title_rows=(0, 0))

    ws_diff = book.sheet("Differences")
    start = 0
    if note:
        ws_diff.write_string(0, 0, note, book.fmt(bold=True))
        start = 2
    used = table(
        book,
        ws_diff,
        diffs,
        {"date": 12, "week": 6, "day": 6, **{n: 24 for n in names}},
        wrap=tuple(names),
        start_row=start,
    )
    changed = book.fmt(
        border=1, border_color="#BFBFBF", valign="top", text_wrap=True, bg_color="#FFF2CC"
    )
    for r in range(len(diffs)):  # a variant's day that differs from the first one
        first = diffs.iloc[r, 2] if len(diffs.columns) > 2 else None
        for c in range(3, len(diffs.columns)):
            if diffs.iloc[r, c] != first:
                book.put(ws_diff, start + 1 + r, c, diffs.iloc[r, c], changed)
    book.print_setup(ws_diff, used, title_rows=(start, start))

    for name, result, (cal, ses) in zip(names, results, sheets):
        if not result.solved:
            continue
        write_calendar_sheet(book, result, cal, title=f"{name} — {result.scenario.name}")
        write_sessions_sheet(book, result, ses)


def _load_chart(book: Book, ws, results, names: list[str], row: int) -> None:
    """Weekly load per variant: a small data block and a line chart beside it."""
    solved = [(n, r) for n, r in zip(names, results) if r.solved]
    if not solved:
        return
    bold = book.fmt(bold=True)
    ws.write_string(row, 0, "week", bold)
    series = {n: list(book.weekly(r)["load"]) for n, r in solved}
    weeks = max(len(v) for v in series.values())
    for c, (n, values) in enumerate(series.items(), start=1):
        ws.write_string(row, c, n, bold)
        for i, v in enumerate(values):
            book.put(ws, row + 1 + i, c, int(v))
    for i in range(weeks):
        book.put(ws, row + 1 + i, 0, i + 1)
    chart = book.workbook.add_chart({"type": "line"})
    for c in range(1, len(series) + 1):
        chart.add_series(
            {
                "name": [ws.name, row, c],
                "categories": [ws.name, row + 1, 0, row + weeks, 0],
                "values": [ws.name, row + 1, c, row + weeks, c],
            }
        )
    chart.set_title({"name": "Weekly load per variant", "name_font": {"size": 11}})
    chart.set_x_axis({"name": "week"})
    chart.set_y_axis({"name": "load (RPE × min)"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 300})
    ws.insert_chart(row, len(series) + 2, chart, {"object_position": 3})
