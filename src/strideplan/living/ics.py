"""The plan in the athlete's calendar: an iCalendar file (RFC 5545) from a plan workbook.

Built with the ``icalendar`` library (the well-kept Python implementation of RFC 5545:
escaping, line folding and VTIMEZONE components are its job, not ours). The workbook's
Sessions and Exercises sheets are read as they stand, hand edits included:

* one event per run, strength or power session, with its minutes and its prescription
  in the description; the day's mobility warm-up goes into the day's first event;
* UIDs are made from the plan's name, the week, the session and its occurrence in that
  week, so a session moved within its week keeps its UID and a re-import updates it;
* DTSTAMP is the workbook's solve time, so an unchanged plan exports byte for byte the
  same;
* timed at ``start_time`` in ``tz`` (the day's sessions one after another), or all-day.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ..catalog import CATALOG
from ..excel import PlanFileError, read_rows, read_sessions

#: Summaries in the runner's words.
LABELS = {
    "intervals": "Intervals",
    "tempo": "Tempo run",
    "long_run": "Long run",
    "easy_run": "Easy run",
    "race": "Race",
    "strength_lower": "Strength (legs)",
    "strength_core": "Strength (core)",
    "power": "Power (plyometrics)",
}


class IcsError(ValueError):
    """Bad input for the calendar export (an unknown time zone, a bad start time)."""


@dataclass
class PlanSheets:
    """What the calendar export reads from a plan workbook."""

    name: str
    written: datetime  # when the plan was solved: every event's DTSTAMP
    start: date | None  # the plan's first Monday (weeks count from it)
    sessions: pd.DataFrame  # date, order, session, minutes, details
    exercises: pd.DataFrame  # date, session, exercise, sets, reps, notes, effort


def local_zone() -> str:
    """The machine's time zone name (TZ, /etc/timezone, /etc/localtime), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text().strip())
    except OSError:
        pass
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                ZoneInfo(name)
                return name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"


def zone(name: str) -> ZoneInfo:
    """A time zone by its IANA name, or :class:`IcsError` naming what was expected."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise IcsError(
            f"--tz {name!r}: unknown time zone; expected an IANA name such as Europe/Berlin"
        ) from None


def parse_start_time(text: str) -> time:
    """``HH:MM`` (24 h) as a time, or :class:`IcsError`."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise IcsError(f"--start-time {text!r}: expected HH:MM, e.g. 07:00")
    return time(int(m.group(1)), int(m.group(2)))


def plan_slug(name: str) -> str:
    """The plan's name in ids (UIDs, workout files): ASCII letters and digits, with a
    short hash of the name where it holds other letters ("Весенний марафон", "Chloé"),
    so two such plans never share ids, or where it is long (a file name stays short)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if any(c.isalnum() and not c.isascii() for c in name) or len(slug) > 60:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        slug = f"{slug[:51].rstrip('-')}-{digest}".strip("-")
    return slug or "plan"


def _prescription(rows: pd.DataFrame, cues: bool = True) -> list[str]:
    """One line per exercise: 'Back squat: 3 × 12 (RIR 2-3) — cue'."""
    lines = []
    for row in rows.itertuples(index=False):
        effort = f" ({row.effort})" if isinstance(row.effort, str) and row.effort else ""
        notes = f" — {row.notes}" if cues and isinstance(row.notes, str) and row.notes else ""
        dose = f"{row.sets} × {row.reps}" if row.sets is not None else str(row.reps)
        lines.append(f"{row.exercise}: {dose}{effort}{notes}")
    return lines


def session_exercises(plan: PlanSheets, day: date, session: str) -> pd.DataFrame:
    """The Exercises rows of a session on ``day``; for a session a coach moved on the
    Sessions sheet only, those it had on its day of the week before the move (a day of
    that week whose Sessions rows no longer hold it), the nearest first."""
    ex = plan.exercises
    here = ex[(ex["date"] == day) & (ex["session"] == session)]
    if len(here) or session == "mobility":
        return here
    monday = day - timedelta(days=day.weekday())
    held = set(plan.sessions.loc[plan.sessions["session"] == session, "date"])
    left = sorted(
        {d for d in ex.loc[ex["session"] == session, "date"] if isinstance(d, date)} - held,
        key=lambda d: abs((d - day).days),
    )
    left = [d for d in left if monday <= d < monday + timedelta(days=7)]
    return ex[(ex["date"] == left[0]) & (ex["session"] == session)] if left else here


def session_ids(plan: PlanSheets) -> dict[object, str]:
    """A stable id per run, strength or power session, keyed by its row's label in
    ``plan.sessions``: the plan's name, the week, the session and its occurrence in that
    week, so a session moved within its week keeps its id (the .ics UIDs, the watch's
    workout files), and a session a coach entered twice on one day gets two."""
    sessions = plan.sessions.sort_values(["date", "order"], kind="stable")
    first_day = plan.start or min(sessions["date"], default=date(2000, 1, 3))
    monday = first_day - timedelta(days=first_day.weekday())
    slug = plan_slug(plan.name)
    seen: dict[tuple[int, str], int] = {}
    out = {}
    for row in sessions[sessions["session"] != "mobility"].itertuples():
        week = (row.date - monday).days // 7 + 1
        n = seen.get((week, row.session), 0) + 1
        seen[(week, row.session)] = n
        out[row.Index] = f"{slug}-w{week:03d}-{row.session}-{n}"
    return out


def build_calendar(plan: PlanSheets, start_time: time | None = None, tz: str | None = None):
    """The plan as an ``icalendar.Calendar``: one event per session (mobility folded into
    the day's first event)."""
    from icalendar import Calendar, Event

    tzinfo = zone(tz or local_zone()) if start_time is not None else None
    cal = Calendar()
    cal.add("prodid", "-//strideplan//training plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", plan.name)
    stamp = plan.written.replace(tzinfo=UTC)
    # a re-plan's events are revisions of the plan's (RFC 5545 SEQUENCE: a calendar that
    # keys updates on UID and a higher SEQUENCE takes them): minutes since 2020, by the
    # solve time, so a later plan's are higher and an unchanged plan's the same
    sequence = max(0, int((plan.written - datetime(2020, 1, 1)).total_seconds() // 60))
    sessions = plan.sessions.sort_values(["date", "order"], kind="stable")
    exercises = plan.exercises
    ids = session_ids(plan)
    for day, rows in sessions.groupby("date", sort=True):
        warm_up = rows[rows["session"] == "mobility"]
        clock = datetime.combine(day, start_time, tzinfo) if start_time is not None else None
        first = True
        for row in rows[rows["session"] != "mobility"].itertuples():
            minutes = int(row.minutes or CATALOG[row.session].minutes)
            here = session_exercises(plan, day, row.session)
            lines = [f"{LABELS.get(row.session, row.session)}, {minutes} min"]
            if isinstance(row.details, str) and row.details:
                lines.append(row.details)
            lines += _prescription(here, cues=CATALOG[row.session].category != "run")
            extra = 0
            if first and len(warm_up):
                extra = int(warm_up["minutes"].fillna(0).sum())
                drills = exercises[
                    (exercises["date"] == day) & (exercises["session"] == "mobility")
                ]
                warm = _prescription(drills, cues=False)
                lines = [f"Warm-up first ({extra} min):", *warm, "", *lines]
            event = Event()
            event.add("uid", f"{ids[row.Index]}@strideplan")
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            title = LABELS.get(row.session, row.session)
            if row.session == "race" and isinstance(row.details, str) and ":" in row.details:
                title = f"Race: {row.details.split(':', 1)[0]}"  # which race it is
            event.add("summary", f"{title} {minutes}'")
            event.add("description", "\n".join(lines))
            if clock is not None:
                event.add("dtstart", clock)
                clock = clock + timedelta(minutes=minutes + extra)
                event.add("dtend", clock)
            else:
                event.add("dtstart", day)
                event.add("dtend", day + timedelta(days=1))
                event.add("transp", "TRANSPARENT")
            cal.add_component(event)
            first = False
    if tzinfo is not None:
        cal.add_missing_timezones()
    return cal


def ics_bytes(plan: PlanSheets, start_time: time | None = None, tz: str | None = None) -> bytes:
    """The iCalendar file's bytes."""
    return build_calendar(plan, start_time, tz).to_ical()


def read_plan(path: str | Path) -> PlanSheets:
    """The Sessions and Exercises sheets and the plan's name and solve time, from a
    plan workbook (hand edits included); :class:`strideplan.excel.PlanFileError` when it
    is not one."""
    import yaml
    from openpyxl import load_workbook

    path = Path(path)
    table = read_sessions(path, extra=("details", "status"))  # validated, capped, values only
    table["order"] = table["order"].fillna(0)
    missing = table["minutes"].isna()  # a coach's row without minutes: the catalog's
    if missing.any():
        table["minutes"] = table["minutes"].astype(object)
        table.loc[missing, "minutes"] = [CATALOG[s].minutes for s in table.loc[missing, "session"]]
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        if "Exercises" not in wb.sheetnames:
            raise PlanFileError(f"{path}: no 'Exercises' sheet; expected a strideplan plan")
        exercises = read_rows(path, wb["Exercises"], ("date", "session"))
        name, written, start = path.stem, datetime(2000, 1, 1), None
        if "Scenario" in wb.sheetnames:
            rows = wb["Scenario"].iter_rows(max_col=2, values_only=True)
            for r, (a, b, *_) in enumerate(rows, start=1):
                try:
                    if a == "written" and b:
                        written = datetime.fromisoformat(str(b))
                    elif isinstance(a, str) and a.startswith("name: "):
                        name = str(yaml.safe_load(a)["name"])
                    elif isinstance(a, str) and a.startswith("start: "):
                        start = date.fromisoformat(str(yaml.safe_load(a)["start"]))
                        break
                except (ValueError, TypeError, KeyError, yaml.YAMLError):
                    shown = str(a if a != "written" else b)[:60]
                    raise PlanFileError(
                        f"{path}: sheet Scenario, row {r}: {shown!r} is not what strideplan "
                        "wrote there (the written time, name: or start: of the plan)"
                    ) from None
    finally:
        wb.close()
    ex = pd.DataFrame(exercises)
    for col in ("date", "session", "exercise", "sets", "reps", "notes", "effort"):
        if col not in ex:
            ex[col] = None
    ex["date"] = [v.date() if isinstance(v, datetime) else v for v in ex["date"]]
    # a blank or hand-typed cell: the column stays whole numbers where they are whole
    ex["sets"] = pd.Series([_whole(v) for v in ex["sets"]], index=ex.index, dtype=object)
    return PlanSheets(name, written, start, table, ex)


def _whole(value: object) -> object:
    """A sets cell as a whole number where it is one (2, 2.0, '2'); else as it stands
    (None for a blank)."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return value
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else value
