"""The Booklet sheet (SPEC v2): the printable exercise booklet.

One block per phase: each session's exercises once with the range of doses over the
phase's weeks, the warm-up and the runs' cool-down once per phase instead of once per
day. A phase's block never splits across pages unless it is longer than a page.
"""

from __future__ import annotations

import functools
import re

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..calendar import weeks_text
from ..catalog import CATALOG
from ..prescription import library
from .book import GRID_COLOUR, NOTE_COLOUR, Book, text_height, wrapped_lines
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
    'RIR 2-3; RIR 2'); a range that repeats is said once ('2 × 5-6', 'RPE 6-7; RPE 8')."""
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
    # one dose at two efforts (the burn half's RIR 2-3, the heavy half's RIR 2) reads once
    return "; ".join(dict.fromkeys(doses)), "; ".join(e for e in efforts if e)


def citations(source: str) -> str:
    """The seeds and practices behind an exercise and its dose, without the glosses and
    each seed once: 'seed 000; seed 001 (hip extension) | dose: seeds 001, 003 (…);
    common practice' -> 'seeds 000, 001, 003; common practice'."""
    parts = re.split(r"[;|]", re.sub(r"\([^)]*\)", "", source))
    seeds: set[str] = set()
    others: list[str] = []
    for part in parts:
        text = " ".join(part.replace("dose:", "").split())
        if re.match(r"^seeds?\b", text):
            seeds.update(re.findall(r"\d{3}", text))
        elif text:
            others.append(text)
    cited = []
    if seeds:
        cited.append(("seeds " if len(seeds) > 1 else "seed ") + ", ".join(sorted(seeds)))
    return "; ".join(dict.fromkeys(cited + others))


def own_cue(notes: str, cues: dict[str, str], exercise: str) -> tuple[str, str]:
    """An Exercises row's notes split into the exercise's own cue and the phase's note
    after it (the dose table's note, the landing cue, the routine's note): ('Quarter
    squat, explode up', 'Low to moderate intensity; …'). Notes that do not start with
    the library's cue (a hand edit) stay whole."""
    cue = cues.get(exercise, "")
    if cue and notes.startswith(cue):
        return cue, notes[len(cue) :].strip(" .;:")
    return notes, ""


def _text(value) -> str:
    """A cell's text; a missing value (None, or NaN from pandas) is empty, never "nan"."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _session_rows(groups: dict[str, list[dict]], cues: dict[str, str]) -> tuple[list, list]:
    """A session's notes (each phase note once, with its weeks where they differ) and its
    exercise rows (the exercise's own cue, doses as ranges per effort)."""
    tails: dict[str, set[int]] = {}
    rows = []
    for exercise, same in groups.items():
        same = sorted(same, key=lambda r: r["week"])
        for r in same:
            tail = own_cue(_text(r["notes"]), cues, exercise)[1]
            if tail:
                tails.setdefault(tail, set()).add(int(r["week"]))
        dose, efforts = _dose_ranges(same)
        contacts = [int(r["contacts"]) for r in same if pd.notna(r.get("contacts"))]
        rows.append(
            [
                str(exercise),
                dose,
                efforts,
                _span(contacts) if contacts else "",
                own_cue(_text(same[0]["notes"]), cues, exercise)[0],
                citations(_text(same[0].get("source"))),
            ]
        )
    if len(tails) == 1:
        notes = [f"Every exercise: {next(iter(tails))}"]
    else:
        ordered = sorted(tails.items(), key=lambda item: min(item[1]))
        notes = [f"{weeks_text(sorted(w)).capitalize()}: {tail}" for tail, w in ordered]
    return notes, rows


def _kind(session: str) -> str:
    """A session's booklet session: every run's cool-down is one."""
    return "run" if CATALOG[session].category == "run" else session


@functools.lru_cache(maxsize=1024)
def _parsed_reps(reps: str) -> dict:
    """``{"n": 12, "unit": " each leg"}`` from '12 each leg' (no leading number: None,
    ''); the caller spreads it into a new dict, never changes it."""
    found = re.match(r"^(\d+)(.*)$", reps)
    return {"n": int(found.group(1)), "unit": found.group(2)} if found else {"n": None, "unit": ""}


def _lines(values: list[str]) -> int:
    return max(wrapped_lines(v, w) for v, w in zip(values, WIDTHS))


def _sessions_by_phase(records: list[dict], cues: dict[str, str]) -> dict[str, dict]:
    """Per phase (in plan order), per booklet session: (notes, rows)."""
    by_phase: dict[str, list[dict]] = {}
    for r in records:
        by_phase.setdefault(r["phase"], []).append(r)
    out: dict[str, dict] = {}
    for phase, in_phase in by_phase.items():
        out[phase] = {}
        for key, _ in BOOKLET_SESSIONS:
            groups: dict[str, list[dict]] = {}
            for r in in_phase:
                if r["kind"] == key:
                    groups.setdefault(r["exercise"], []).append(r)
            if groups:
                out[phase][key] = _session_rows(groups, cues)
    return out


def _shared_sessions(phases: dict[str, dict]) -> list[str]:
    """The sessions printed the same in every phase that has them (the warm-up and the
    cool-down, in every plan so far): the booklet prints them once, before the phases."""
    if len(phases) < 2:
        return []
    shared = []
    for key, _ in BOOKLET_SESSIONS:
        contents = [sessions[key] for sessions in phases.values() if key in sessions]
        if contents and all(c == contents[0] for c in contents[1:]):
            shared.append(key)
    return shared


#: how to read the effort column (common practice: reps in reserve, Borg's CR-10 RPE)
EFFORT_KEY = (
    "Effort: RIR n = stop each set with n more reps in the tank (RIR 2: two short of "
    "failure); RPE = how hard it feels from 1 to 10 (6-7: steady, could talk; 8: hard, "
    "a few words); easy = no strain."
)


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
    ws.write_string(2, 0, EFFORT_KEY, book.fmt(font_color=NOTE_COLOUR))
    row = 4
    blocks = [(0, 4 * 15.0)]
    if ex.empty:
        ws.write_string(row, 0, "No strength, power or mobility sessions.")
        book.print_setup(ws, WIDTHS)
        return ws
    cell = book.fmt(border=1, border_color=GRID_COLOUR, valign="top", text_wrap=True)
    note = book.fmt(italic=True, font_color=NOTE_COLOUR, text_wrap=True, valign="top")
    # grouping the DataFrame per exercise is slow: its rows as dicts, each with its
    # booklet session (``kind``) and its reps parsed ('12 each leg' -> 12, ' each leg')
    records = [
        {**r, "kind": _kind(r["session"]), **_parsed_reps(str(r["reps"]))}
        for r in book.exercise_records(result)
    ]
    for phase, title, sessions in _headings(records):
        if not sessions:
            continue
        row, block = _write_phase(book, ws, row, (phase, title, sessions), cell, note)
        blocks.append(block)
    book.print_setup(ws, WIDTHS, blocks=blocks)
    return ws


def _headings(records: list[dict]) -> list[tuple[str, str, dict]]:
    """(phase, title, its sessions) in booklet order: the sessions every phase shares
    first, under one heading, then each phase's own."""
    cues = {e.name: e.cue for e in library().exercises.values()}
    phases = _sessions_by_phase(records, cues)
    shared = _shared_sessions(phases)
    weeks = {}
    for r in records:
        weeks.setdefault(r["phase"], []).append(r["week"])
    heading = (
        [
            (
                "every phase",
                "Every phase",
                {k: phases[p][k] for p in phases for k in shared if k in phases[p]},
            )
        ]
        if shared
        else []
    )
    return heading + [
        (
            phase,
            f"{phase.capitalize()} — {weeks_text(weeks[phase])}",
            {k: v for k, v in sessions.items() if k not in shared},
        )
        for phase, sessions in phases.items()
    ]


def _write_phase(book: Book, ws: Worksheet, row: int, heading: tuple, cell, note):
    """One phase's heading and sessions from ``row``: (the next free row, its print
    block: first row, height and where it may break between sessions)."""
    phase, title, sessions = heading
    labels = dict(BOOKLET_SESSIONS)
    first, height = row, 20.0
    ws.merge_range(
        row,
        0,
        row,
        len(WIDTHS) - 1,
        title,
        book.fmt(bold=True, font_size=12, bg_color="#" + PHASE_COLOURS.get(phase, "D9D9D9")),
    )
    ws.set_row(row, 20)
    row += 1
    parts = []
    for key, (notes, rows) in sessions.items():
        # a phase longer than a page breaks between its sessions; its heading stays
        # with its first session
        part_row, before = (row, height) if parts else (first, 0.0)
        label = labels[key]
        header(book, ws, row, [label, *COLUMNS[1:]])
        points = text_height(wrapped_lines(label, WIDTHS[0], bold=True))
        ws.set_row(row, points)
        height += points
        row += 1
        for text in notes:
            ws.merge_range(row, 0, row, len(WIDTHS) - 1, text, note)
            points = text_height(wrapped_lines(text, sum(WIDTHS)))
            ws.set_row(row, points)
            height += points
            row += 1
        for values in rows:
            for c, value in enumerate(values):
                ws.write_string(row, c, value, cell)
            points = text_height(_lines(values))
            ws.set_row(row, points)
            height += points
            row += 1
        parts.append((part_row, height - before))
    row += 1
    return row, (first, height + 15, parts)
