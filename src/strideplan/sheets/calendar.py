"""The Calendar sheet: weeks × Mon..Sun, read at a glance and printed to pin up.

A day's colour says its run (intervals, tempo, long run, easy run, race), or that it has
no run, is a rest day, an away day or a day the athlete is not available; strength and
power are marked lines in the cell; the phase has colours of its own; each week shows
its run minutes and load (session-RPE × minutes, common practice). The daily mobility
warm-up and the runs' cool-down stretch are said once in the legend (the Booklet holds
them), not on every day.
"""

from __future__ import annotations

from datetime import date

from xlsxwriter.worksheet import Worksheet

from ..calendar import Day
from ..catalog import CATALOG, WEEKDAYS
from ..prescription import plan_weeks, short_summaries
from ..shortfalls import week_notes
from .book import (
    GRID_COLOUR,
    NOTE_COLOUR,
    Book,
    lines_height,
    row_points,
    text_height,
    wrapped_lines,
)
from .style import DAY_KINDS, DAY_TEXT, EXTRA_WORK, PHASE_COLOURS, words
from .tables import header

#: column widths: week (with its phase), seven days, run minutes, load
WIDTHS = (9.0, *(16.5,) * 7, 7.0, 7.0)
FIRST_DAY_COL = 1
RUN_MIN_COL, LOAD_COL = 8, 9
RUN_KINDS = ("race", "intervals", "tempo", "long_run", "easy_run")


def day_kind(day: Day, sessions: list[str]) -> str:
    """What colours a calendar day: its run, else no run / rest / away / not available."""
    if day.away:
        return "away"
    if day.race is not None:
        return "race"
    for kind in RUN_KINDS:
        if kind in sessions:
            return kind
    if any(s != "mobility" for s in sessions):
        return "no_run"
    return "rest" if day.available > 0 else "unavailable"


def kind_colours(kind: str) -> dict:
    """Format properties of a day kind: its fill, and white text where the fill is dark."""
    colours = {"bg_color": "#" + DAY_KINDS[kind][1]}
    if kind in DAY_TEXT:
        colours["font_color"] = "#" + DAY_TEXT[kind]
    return colours


def _lines_points(parts: list[tuple[str, int, bool]]) -> float:
    """The height of a day cell's lines (text, font size, bold), each wrapped."""
    return lines_height(parts, WIDTHS[FIRST_DAY_COL])


def _race_text(day: Day, rows) -> list[tuple[str, str]]:
    """A race cell's lines; ``rows``: the day's rows of the plan."""
    race = day.race
    minutes = next((int(x.minutes) for x in rows if x.session == "race"), None)
    distance = race.distance if isinstance(race.distance, str) else f"{race.distance:g} km"
    return [
        (f"RACE ({race.priority}): {race.name}", "race"),
        (f"{distance}" + (f" · {minutes}'" if minutes is not None else ""), "race_small"),
    ]


def write_calendar_sheet(
    book: Book, result, name: str = "Calendar", title: str | None = None
) -> Worksheet:
    """The Calendar of one result (a plan, a comparison's variant, a squad's athlete)."""
    ws = book.sheet(name)
    cal = result.calendar
    phases = result.phases()
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    grey = book.fmt(font_color=NOTE_COLOUR)
    top = _above_the_grid(book, ws, result, phases, title, grey) + 1  # the grid's header
    header(book, ws, top, ["Week", *[d.capitalize() for d in WEEKDAYS], "Run min", "Load"])
    above = sum(row_points(ws, r) for r in range(top + 1))
    blocks = [(0, above)]
    grid = _Grid(book, result, phases)
    for w in range(cal.n_weeks):
        r = top + 1 + w
        height = _write_week(book, ws, grid, w, r)
        ws.set_row(r, height)
        blocks.append((r, height))
    note = top + 2 + cal.n_weeks
    ws.write_string(
        note,
        0,
        "Run min: the week's running minutes; Load: session-RPE × minutes of every session "
        "(Weekly sheet). Exact doses of every session: the Booklet.",
        grey,
    )
    for w, text in grid.light.items():  # * light weeks: expected, not warnings (SPEC v3)
        note += 1
        ws.write_string(note, 0, f"* W{w} light week: {text}", grey)
    ws.freeze_panes(top + 1, 2)
    book.print_setup(ws, WIDTHS, title_rows=(top, top), blocks=blocks)
    return ws


def _above_the_grid(book: Book, ws: Worksheet, result, phases, title, grey) -> int:
    """The title, the plan's dates and status, the legend, then what the plan could not
    do (SPEC v2); returns the row after them."""
    sc = result.scenario
    ws.write_string(
        0,
        0,
        title or f"{sc.name} — {sc.athlete.name} ({sc.athlete.level})",
        book.fmt(bold=True, font_size=14),
    )
    ws.write_string(
        1,
        0,
        f"{sc.start:%d %b %Y} – {sc.end:%d %b %Y}, {sc.weeks} weeks · "
        f"{result.status}, objective {result.objective}",
        grey,
    )
    row = _legend(book, ws, phases, 2)
    warning = book.fmt(bold=True, font_color="#9C0006", text_wrap=True, valign="top")
    for text in getattr(result, "warnings", None) or []:
        lines = wrapped_lines(f"Warning: {text}", sum(WIDTHS), bold=True)
        ws.merge_range(row, 0, row, len(WIDTHS) - 1, f"Warning: {text}", warning)
        ws.set_row(row, text_height(lines))
        row += 1
    return row


class _Grid:
    """What every week's row of the grid reads, made once."""

    def __init__(self, book: Book, result, phases: list[str]):
        self.result = result
        self.phases = phases
        self.by_day: dict[date, list] = {}
        for plan_row in result.plan.itertuples(index=False):
            self.by_day.setdefault(plan_row.date, []).append(plan_row)
        self.work = short_summaries(book.exercise_records(result)) if len(result.exercises) else {}
        weekly = book.weekly(result) if result.solved else None
        # by week, as plain ints (a Series lookup per cell is slow)
        self.run_min = weekly["run_min"].astype(int).tolist() if weekly is not None else None
        self.load = weekly["load"].astype(int).tolist() if weekly is not None else None
        self.fonts = day_fonts(book)
        self.box = {"border": 1, "border_color": GRID_COLOUR, "valign": "top", "text_wrap": True}
        self.light = week_notes(getattr(result, "notes", None) or [])
        #: deload weeks (0-based): strength at about 60 %, said in the week's label
        self.deload = (
            {w for w, week in enumerate(plan_weeks(result.calendar, result.dynamic)) if week.deload}
            if result.solved and result.dynamic
            else set()
        )


def _write_week(book: Book, ws: Worksheet, grid: _Grid, w: int, r: int) -> float:
    """Week ``w``'s row ``r`` of the grid: its label, each day, run minutes and load;
    returns the row's height in points."""
    days = grid.result.calendar.week_days(w)
    phase = grid.phases[w]
    fonts, box = grid.fonts, grid.box
    label = [
        (f"W{w + 1}", fonts["bold"]),
        (f"{days[0].date:%d %b}", None),
        (phase, fonts["date"]),
    ]
    if w in grid.deload:
        label.append(("deload", fonts["date"]))
    if w + 1 in grid.light:  # an expected light week: its note below the grid
        label.append(("light week*", fonts["date"]))
    book.rich(ws, r, 0, label, book.fmt(**box, bg_color="#" + PHASE_COLOURS.get(phase, "FFFFFF")))
    # the label's lines count too: a week away has one-line days under a 3-4-line label
    tallest = lines_height(
        [
            (text, 10 if font is not fonts["date"] else 9, font is fonts["bold"])
            for text, font in label
        ],
        WIDTHS[0],
    )
    for k, day in enumerate(days):
        rows = grid.by_day.get(day.date, [])
        kind = day_kind(day, [x.session for x in rows])
        parts, sizes = _day_parts(grid.result, day, kind, rows, grid.work)
        tallest = max(tallest, _lines_points(sizes))
        book.rich(
            ws,
            r,
            FIRST_DAY_COL + k,
            [(text, fonts[style] if style else None) for text, style in parts],
            book.fmt(**box, **kind_colours(kind)),
        )
    number = book.fmt(**box, num_format="#,##0")
    if grid.run_min is not None:
        ws.write_number(r, RUN_MIN_COL, grid.run_min[w], number)
        ws.write_number(r, LOAD_COL, grid.load[w], number)
    else:
        ws.write_blank(r, RUN_MIN_COL, None, number)
        ws.write_blank(r, LOAD_COL, None, number)
    return max(30.0, tallest)


def day_fonts(book: Book) -> dict:
    """Fonts of a day cell's lines by style: date, bold, work, race, race_small and each
    extra-work session (its marker's colour; bold when hard)."""
    fonts = {
        "date": book.fmt(font_size=9, font_color=NOTE_COLOUR),
        "bold": book.fmt(bold=True),
        "work": book.fmt(font_size=9, font_color="#262626"),
        "race": book.fmt(bold=True, font_color="#FFFFFF"),
        "race_small": book.fmt(font_color="#FFFFFF"),
    }
    for session, (_, colour) in EXTRA_WORK.items():
        fonts[session] = book.fmt(bold=CATALOG[session].hard, font_color="#" + colour)
    return fonts


def _day_parts(result, day: Day, kind: str, rows, work) -> tuple[list, list]:
    """A day cell's lines (text, font style) and (text, font size) for its height."""
    parts: list[tuple[str, str | None]] = [(f"{day.date:%d %b}", "date")]
    if kind == "race":
        parts += _race_text(day, rows)
    elif kind in ("away", "rest", "unavailable"):
        parts.append((DAY_KINDS[kind][0], None))
    else:
        for x in rows:
            if x.session == "mobility":
                continue  # every training day's warm-up: said once in the legend
            minutes = f"{words(x.session)} {int(x.minutes)}'"
            if x.session in EXTRA_WORK:
                parts.append((f"{EXTRA_WORK[x.session][0]} {minutes}", x.session))
                summary = work.get((day.date, x.session))
                if summary:
                    parts.append((summary, "work"))
            else:
                parts.append((minutes, "bold" if CATALOG[x.session].hard else None))
    sizes = [
        (
            text,
            9 if style in ("date", "work") else 10,
            style in ("bold", "race") or (style in EXTRA_WORK and CATALOG[style].hard),
        )
        for text, style in parts
    ]
    return parts, sizes


#: a legend's key cell
LEGEND_CELL = {
    "border": 1,
    "border_color": GRID_COLOUR,
    "align": "center",
    "valign": "vcenter",
    "text_wrap": True,
}


def write_extra_work_key(book: Book, ws: Worksheet, row: int, col: int, session: str) -> None:
    """A legend's key of extra work: its mark and name in its colour (bold when hard)."""
    mark, colour = EXTRA_WORK[session]
    ws.write_string(
        row,
        col,
        f"{mark} {words(session)}",
        book.fmt(**LEGEND_CELL, bold=CATALOG[session].hard, font_color="#" + colour),
    )


def _legend(book: Book, ws: Worksheet, phases: list[str], row: int) -> int:
    """Day colours, extra-work marks and phase colours, as used in the grid; returns
    the first free row."""
    label = book.fmt(bold=True, valign="top", text_wrap=True)
    ws.write_string(row, 0, "Day colour:", label)
    for i, (kind, (name, _)) in enumerate(DAY_KINDS.items()):
        ws.write_string(row, FIRST_DAY_COL + i, name, book.fmt(**LEGEND_CELL, **kind_colours(kind)))
    ws.set_row(row, 27)
    row += 1
    ws.write_string(row, 0, "Extra work:", label)
    for i, session in enumerate(EXTRA_WORK):
        write_extra_work_key(book, ws, row, FIRST_DAY_COL + i, session)
    ws.merge_range(
        row,
        FIRST_DAY_COL + 3,
        row,
        len(WIDTHS) - 1,
        "Bold: a hard session. Every training day starts with the mobility warm-up; every "
        "run ends with a 5' stretch (Booklet). Power comes before the run, strength after it.",
        book.fmt(font_color=NOTE_COLOUR, text_wrap=True, valign="vcenter"),
    )
    ws.set_row(row, 27)
    row += 1
    ws.write_string(row, 0, "Phase:", label)
    for i, phase in enumerate(dict.fromkeys(phases)):
        ws.write_string(
            row,
            FIRST_DAY_COL + i,
            phase,
            book.fmt(**LEGEND_CELL, bg_color="#" + PHASE_COLOURS.get(phase, "FFFFFF")),
        )
    return row + 1
