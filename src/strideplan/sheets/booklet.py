"""The Booklet sheet (SPEC v2): the printable exercise booklet.

One block per phase: each session's exercises once with the range of doses over the
phase's weeks, the warm-up and the runs' cool-down once per phase instead of once per
day. A phase's block never splits across pages unless it is longer than a page.
"""

from __future__ import annotations

import re

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..calendar import weeks_text
from ..catalog import CATALOG
from .book import GRID_COLOUR, NOTE_COLOUR, Book, wrapped_lines
from .style import PHASE_COLOURS
from .tables import header

#: The booklet's sessions, in the order of a training day (the runs' cool-down last).
BOOKLET_SESSIONS = (
    ("mobility", "Warm-up before every training day"),
    ("power", "Power (plyometrics)"),
    ("strength_lower", "Strength (legs)"),
    ("strength_core", "Strength (core)"),
    ("run", "Cool-down after every run"),
)
COLUMNS = ("exercise", "dose", "effort", "contacts", "cue", "source")
WIDTHS = (27.0, 24.0, 12.0, 8.5, 46.0, 24.0)


def _span(values) -> str:
    lo, hi = min(values), max(values)
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def _dose_ranges(rows: list[dict]) -> tuple[str, str]:
    """An exercise's doses over a phase (rows in week order, with ``n`` and ``unit``
    parsed from ``reps``), one range per effort: ('3 × 12-15 each leg; 3 × 5-8 each leg',
    'RIR 2-3; RIR 2')."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        effort = r["effort"] if isinstance(r["effort"], str) else None
        groups.setdefault((effort, r["unit"]), []).append(r)
    doses, efforts = [], []
    for (effort, unit), same in groups.items():
        numbers = [int(r["n"]) for r in same if pd.notna(r["n"])]
        reps = _span(numbers) if numbers else ""
        doses.append(f"{_span([int(r['sets']) for r in same])} × {reps}{unit}")
        efforts.append(effort or "")
    return "; ".join(doses), "; ".join(e for e in efforts if e)


def citations(source: str) -> str:
    """The seeds and practices behind an exercise and its dose, without the glosses:
    'seed 000; seed 001 (hip extension) | dose: seed 000 (…)' -> 'seed 000; seed 001'."""
    parts = re.split(r"[;|]", re.sub(r"\([^)]*\)", "", source))
    found = [" ".join(p.replace("dose:", "").split()) for p in parts]
    return "; ".join(dict.fromkeys(p for p in found if p))


def common_tail(cues: list[str], shortest: int = 25) -> str:
    """The end every cue of a session shares (a phase's note such as 'land softly,
    cushion the landing'), cut at a sentence or clause, to print once; '' if none."""
    if len(cues) < 2:
        return ""
    tail = cues[0]
    for cue in cues[1:]:
        n = 0
        while n < min(len(tail), len(cue)) and tail[-1 - n] == cue[-1 - n]:
            n += 1
        tail = tail[len(tail) - n :] if n else ""
    marks = [tail.index(m) for m in (". ", "; ", ": ") if m in tail]
    if not marks:  # start at a clause the cues all end with, never mid-word
        return ""
    tail = tail[min(marks) + 2 :]
    tail = tail.strip(" ;.,:")
    if len(tail) < shortest or not all(c.rstrip(" ;.,:").endswith(tail) for c in cues):
        return ""
    return tail


def _lines(values: list[str]) -> int:
    return max(wrapped_lines(v, w) for v, w in zip(values, WIDTHS))


def write_booklet_sheet(book: Book, result, name: str = "Booklet") -> Worksheet:
    """The exercise booklet of one result."""
    ws = book.sheet(name)
    sc = result.scenario
    ex = result.exercises
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.write_string(
        0,
        0,
        f"Exercise booklet — {sc.name} ({sc.athlete.name}, {sc.athlete.level})",
        book.fmt(bold=True, font_size=14),
    )
    ws.write_string(
        1,
        0,
        "Each phase's sessions once, with the range of doses over its weeks (progressing "
        "week by week); the Calendar shows each day's dose.",
        book.fmt(font_color=NOTE_COLOUR),
    )
    row = 3
    blocks = [(0, 3 * 15.0)]
    if ex.empty:
        ws.write_string(row, 0, "No strength, power or mobility sessions.")
        book.print_setup(ws, WIDTHS)
        return ws
    kind = ex["session"].map(lambda s: "run" if CATALOG[s].category == "run" else s)
    parsed = ex["reps"].astype(str).str.extract(r"^(\d+)(.*)$")  # '12 each leg' -> 12, ' each leg'
    ex = ex.assign(kind=kind, n=pd.to_numeric(parsed[0]), unit=parsed[1].fillna(""))
    cell = book.fmt(border=1, border_color=GRID_COLOUR, valign="top", text_wrap=True)
    note = book.fmt(italic=True, font_color=NOTE_COLOUR, text_wrap=True, valign="top")
    records = ex.to_dict("records")  # grouping the DataFrame per exercise is slow
    by_phase: dict[str, list[dict]] = {}
    for r in records:
        by_phase.setdefault(r["phase"], []).append(r)
    for phase, in_phase in by_phase.items():
        first, height = row, 24.0
        ws.merge_range(
            row,
            0,
            row,
            len(WIDTHS) - 1,
            f"{phase.capitalize()} — {weeks_text([r['week'] for r in in_phase])}",
            book.fmt(bold=True, font_size=12, bg_color="#" + PHASE_COLOURS.get(phase, "D9D9D9")),
        )
        ws.set_row(row, 20)
        row += 1
        for key, label in BOOKLET_SESSIONS:
            groups: dict[str, list[dict]] = {}
            for r in in_phase:
                if r["kind"] == key:
                    groups.setdefault(r["exercise"], []).append(r)
            if not groups:
                continue
            header(book, ws, row, [label, *COLUMNS[1:]])
            ws.set_row(row, 27 if len(label) > WIDTHS[0] else 15)
            height += 27 if len(label) > WIDTHS[0] else 15
            row += 1
            cues = [str(same[0]["notes"] or "") for same in groups.values()]
            tail = common_tail(cues)
            if tail:
                text = f"Every exercise: {tail}"
                ws.merge_range(row, 0, row, len(WIDTHS) - 1, text, note)
                points = 12.0 * wrapped_lines(text, sum(WIDTHS)) + 3
                ws.set_row(row, points)
                height += points
                row += 1
            for (exercise, same), cue in zip(groups.items(), cues):
                dose, efforts = _dose_ranges(sorted(same, key=lambda r: r["week"]))
                contacts = [int(r["contacts"]) for r in same if pd.notna(r.get("contacts"))]
                values = [
                    str(exercise),
                    dose,
                    efforts,
                    _span(contacts) if contacts else "",
                    cue[: len(cue) - len(tail)].rstrip(" ;.,:") if tail else cue,
                    citations(str(same[0].get("source") or "")),
                ]
                for c, value in enumerate(values):
                    ws.write_string(row, c, value, cell)
                points = 12.0 * _lines(values) + 3
                ws.set_row(row, points)
                height += points
                row += 1
        row += 1
        blocks.append((first, height + 15))
    book.print_setup(ws, WIDTHS, blocks=blocks)
    return ws
