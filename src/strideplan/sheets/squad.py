"""A squad workbook's own sheets: Squad (athletes × days, one block per week) and Gym (the
gym's heavy-legs use per day against its capacity).

The Squad grid speaks the plan Calendar's language: a day's colour says its run (or
rest, away, not available, race), strength and power are its marked lines, bold is a
hard session; each week's day header says how full the gym is.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..catalog import CATALOG, WEEKDAYS
from .book import (
    GRID_COLOUR,
    NOTE_COLOUR,
    ROW_POINTS,
    Book,
    missing,
    row_points,
    wrapped_lines,
)
from .calendar import (
    LEGEND_CELL,
    day_fonts,
    day_kind,
    kind_colours,
    write_extra_work_key,
)
from .style import DAY_KINDS, EXTRA_WORK, GYM_FILLS, words
from .tables import header, table

ATHLETE_WIDTH, DAY_WIDTH = 14.0, 17.5
WIDTHS = (ATHLETE_WIDTH, *(DAY_WIDTH,) * 7)
#: rows above the grid: title, subtitle, two legend rows; the grid's header row
TOP = 4
LINE_POINTS = 12.0


def _gym_fill(free) -> str | None:
    """The shading of a day the gym is full (or, never written, over) on."""
    if missing(free) or free > 0:
        return None
    return "#" + GYM_FILLS["full" if free == 0 else "over"]


def _cell_parts(day, sessions: list[str]) -> tuple[str, list[tuple[str, str | None]]]:
    """An athlete's day: its colour key and its lines (text, font style), as the
    athlete's Calendar says them, without minutes and doses."""
    kind = day_kind(day, sessions)
    if kind == "race":
        return kind, [(f"RACE ({day.race.priority}): {day.race.name}", "race")]
    if kind in ("away", "rest", "unavailable"):
        return kind, [(DAY_KINDS[kind][0], None)]
    parts: list[tuple[str, str | None]] = []
    for session in sessions:
        if session == "mobility":
            continue  # every training day's warm-up
        if session in EXTRA_WORK:
            parts.append((f"{EXTRA_WORK[session][0]} {words(session)}", session))
        else:
            parts.append((words(session), "bold" if CATALOG[session].hard else None))
    return kind, parts


def _legend(book: Book, ws: Worksheet) -> None:
    """Two rows: the day colours, then the extra-work marks."""
    label = book.fmt(bold=True, valign="vcenter")
    kinds = list(DAY_KINDS.items())
    ws.write_string(2, 0, "Day colour:", label)
    for i, (kind, (name, _)) in enumerate(kinds):
        row, col = (2, 1 + i) if i < 7 else (3, 1 + i - 7)
        ws.write_string(row, col, name, book.fmt(**LEGEND_CELL, **kind_colours(kind)))
    first = len(kinds) - 7 + 1
    ws.write_string(3, first, "Extra work:", book.fmt(bold=True, align="right", valign="vcenter"))
    for i, session in enumerate(EXTRA_WORK):
        write_extra_work_key(book, ws, 3, first + 1 + i, session)
    ws.write_string(
        3,
        first + 1 + len(EXTRA_WORK),
        "Bold: a hard session.",
        book.fmt(font_color=NOTE_COLOUR, valign="vcenter"),
    )
    ws.set_row(2, 27)
    ws.set_row(3, 27)


def write_squad_sheet(book: Book, squad_result, name: str = "Squad") -> Worksheet:
    """Athletes × days: one block per week (its dates and the gym's use, then a row per
    athlete), each cell what the athlete does that day, coloured as in the Calendar."""
    ws = book.sheet(name)
    squad, results = squad_result.squad, squad_result.results
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    grey = book.fmt(font_color=NOTE_COLOUR)
    ws.write_string(
        0,
        0,
        f"{squad.name}: {len(squad.names)} athletes, {squad.weeks} weeks from "
        f"{squad.start:%d %b %Y}",
        book.fmt(bold=True, font_size=14),
    )
    capacity = ", ".join(f"{d} {n}" for d, n in squad.capacity.items()) or "no limit"
    coach = ", ".join(squad.power_days) if squad.power_days else "any day"
    ws.write_string(
        1,
        0,
        f"{squad_result.status}, objective {squad_result.objective} · gym capacity (legs "
        f"sessions): {capacity} · group power days: {coach}",
        grey,
    )
    _legend(book, ws)
    header(book, ws, TOP, ["Athlete", *[d.capitalize() for d in WEEKDAYS]])
    by_athlete = [
        r.plan.groupby("date", sort=False)["session"].apply(list).to_dict() for r in results
    ]
    fonts = day_fonts(book)
    box = {"border": 1, "border_color": GRID_COLOUR, "valign": "top", "text_wrap": True}
    week_top = {"bold": True, "top": 2, "bottom": 1, "border_color": GRID_COLOUR}
    week_label = book.fmt(**week_top)
    day_label = {**week_top, "font_color": NOTE_COLOUR}
    blocks = [(0, sum(row_points(ws, r) for r in range(TOP + 1)))]
    row = TOP + 1
    cal = results[0].calendar
    for w in range(cal.n_weeks):
        first, height = row, ROW_POINTS
        ws.write_string(row, 0, f"Week {w + 1}", week_label)
        for k, day in enumerate(cal.week_days(w)):
            text, fill = f"{day.date:%d %b}", None
            limit = squad.capacity.get(day.weekday)
            if limit is not None:
                used = sum("strength_lower" in a.get(day.date, []) for a in by_athlete)
                text, fill = f"{text} · gym {used}/{limit}", _gym_fill(limit - used)
            shade = {"bg_color": fill} if fill else {}
            book.put(ws, row, 1 + k, text, book.fmt(**day_label, **shade))
        row += 1
        for athlete, result, sessions in zip(squad.names, results, by_athlete):
            lines = wrapped_lines(athlete, ATHLETE_WIDTH)
            book.put(ws, row, 0, athlete, book.fmt(**box))
            for k, day in enumerate(result.calendar.week_days(w)):
                kind, parts = _cell_parts(day, sessions.get(day.date, []))
                lines = max(lines, sum(wrapped_lines(text, DAY_WIDTH) for text, _ in parts))
                book.rich(
                    ws,
                    row,
                    1 + k,
                    [(text, fonts[style] if style else None) for text, style in parts],
                    book.fmt(**box, **kind_colours(kind)),
                )
            points = max(ROW_POINTS, LINE_POINTS * lines + 3)
            ws.set_row(row, points)
            height += points
            row += 1
        blocks.append((first, height))
    ws.write_string(
        row + 1,
        0,
        "gym n/m: heavy-legs sessions that day against the gym's capacity (shaded: full; "
        "Gym sheet). Minutes and exercises: each athlete's Calendar (Cal sheets).",
        grey,
    )
    ws.freeze_panes(TOP + 1, 1)
    book.print_setup(ws, WIDTHS, title_rows=(TOP, TOP), blocks=blocks)
    return ws


#: a one-line row of the Gym table (points): Arial 10 with a little air, as a
#: spreadsheet's default row, not XlsxWriter's 15 (12 weeks of five gym days then print on
#: two pages, not three with the last week alone)
GYM_ROW_POINTS = 13.5


def write_gym_sheet(book: Book, squad_result, name: str = "Gym") -> Worksheet:
    """The gym's heavy-legs use per date against its capacity (full days shaded), a
    week never split across pages."""
    ws = book.sheet(name)
    use = squad_result.gym_use()
    ws.write_string(
        0,
        0,
        f"{squad_result.squad.name}: heavy-legs sessions per day against the gym's capacity",
        book.fmt(bold=True, font_size=14),
    )
    ws.write_string(
        1,
        0,
        "Shaded: the gym is full that day. A day without a capacity has no limit.",
        book.fmt(font_color=NOTE_COLOUR),
    )
    top = 3
    shading = [_gym_fill(free) for free in use["free"]]
    widths = table(
        book,
        ws,
        use,
        {"date": 12, "week": 6, "day": 6, "capacity": 10, "used": 6, "free": 6, "athletes": 60},
        wrap=("athletes",),
        start_row=top,
        fills={c: shading for c in range(len(use.columns))},
    )
    blocks = [(0, sum(row_points(ws, r) for r in range(top + 1)))]
    for offset, week in enumerate(use["week"]):
        r = top + 1 + offset
        if r not in ws.row_info:  # a one-line row: as tight as a spreadsheet's default
            ws.set_row(r, GYM_ROW_POINTS)
        if offset == 0 or week != use["week"].iloc[offset - 1]:
            blocks.append((r, 0.0))
        blocks[-1] = (blocks[-1][0], blocks[-1][1] + row_points(ws, r))
    book.print_setup(ws, widths, title_rows=(top, top), blocks=blocks)
    return ws
