"""Re-plan from what actually happened (SPEC v2 "Living plan").

A published plan meets real life: sessions are done, missed, moved, added. What
happened comes from the plan's Sessions sheet (a ``status`` column: ``done``,
``missed``, ``moved YYYY-MM-DD``, empty = as planned) or from a log (CSV: ``date,
session, status[, minutes, rpe]``; rows for unplanned sessions allowed; the log wins
where both speak of the same session). Then:

* days before ``today`` are fixed to what happened: every rule sees them (spacing, the
  longest stretch without strength, fresh days, rolling rest, weekly counts), but a rule
  the past already broke is a fact of the past, not a conflict;
* every week holding a past day is not clean (its minimums are shortfalls);
* the future changes as little as needed: rule ``replan_stability`` charges its weight
  per session added, dropped or moved against the published plan;
* the changes are listed, each with the rule that forced it.

This is a room on top of the model: it builds a calendar that holds the past and asks
:func:`strideplan.result.plan_scenario` for the plan.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..app import plan_and_report
from ..calendar import Calendar
from ..catalog import CATALOG, PLACED_SESSIONS
from ..check import check_plan, filled
from ..excel import read_sessions
from ..plan import PlanView, placed_sessions
from ..result import Result
from ..rules import Violation
from ..rules.spike import history_window, spike_cap
from ..scenario import Scenario
from .stability import ReplanStability

LOG_COLUMNS = ("date", "session", "status", "minutes", "rpe")


class LogError(ValueError):
    """A bad row in a log or a status column (names the file and the row)."""


@dataclass(frozen=True)
class Event:
    """What happened to one session: ``done``, ``missed`` or ``moved`` (to ``moved_to``)."""

    date: date
    session: str
    status: str
    moved_to: date | None = None
    minutes: int | None = None
    source: str = ""  # "status" or "log", for messages


@dataclass
class Replan:
    """A re-plan: the new result, the changes against the published plan, and the
    rules the past broke (facts, not errors)."""

    result: Result
    changes: pd.DataFrame
    past_facts: list[Violation] = field(default_factory=list)
    log_wins: int = 0  # sessions where the log overrode the status column
    capped: list[str] = field(default_factory=list)  # runs the spike cap shortened
    matches: list = field(default_factory=list)  # how each recorded activity was read
    activity_wins: int = 0  # sessions where the activities overrode the status column

    @property
    def read(self) -> list:
        """The activities the watch recorded, as read (its misses are changes' rows)."""
        return [m for m in self.matches if m.status != "missed"]

    @property
    def sheet_changes(self) -> pd.DataFrame:
        """The Changes sheet: what the watch said of each day, then the changes."""
        if not self.read:
            return self.changes
        return pd.concat([matches_table(self.read), self.changes], ignore_index=True)


def parse_status(text: object, where: str) -> tuple[str, date | None]:
    """``done`` / ``missed`` / ``moved YYYY-MM-DD`` / empty (``planned``)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or str(text).strip() == "":
        return "planned", None
    value = str(text).strip().lower()
    if value in ("done", "missed"):
        return value, None
    m = re.fullmatch(r"moved\s+(?:to\s+)?(\d{4}-\d{2}-\d{2})", value)
    if m:
        try:
            return "moved", date.fromisoformat(m.group(1))
        except ValueError:
            pass
    raise LogError(f"{where}: status {text!r}: expected done, missed, 'moved YYYY-MM-DD' or empty")


def _session(value: object, where: str) -> str:
    session = str(value or "").strip()
    if session not in CATALOG or session == "mobility":
        import difflib

        close = difflib.get_close_matches(session, list(CATALOG), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise LogError(f"{where}: unknown session {session!r}{hint}")
    return session


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise LogError(f"{where}: date {value!r} is not a date (expected YYYY-MM-DD)") from None


def read_log(path: str | Path, cal: Calendar, today: date) -> list[Event]:
    """The log's rows as events; a bad row is :class:`LogError` naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LogError(f"{path}: cannot read the log ({exc})") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))  # a U+2028 in a text is text
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("date", "session", "status") if c not in header]
    unknown = [h for h in header if h not in LOG_COLUMNS]
    if missing or unknown:
        what = f"missing column(s) {', '.join(missing)}" if missing else ""
        what += ("; " if missing and unknown else "") + (
            f"unknown column(s) {', '.join(repr(u) for u in unknown)}" if unknown else ""
        )
        raise LogError(f"{path}: row 1: {what}; expected {', '.join(LOG_COLUMNS)}")
    out = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{path}: row {r}"
        if len(row) > len(header):
            raise LogError(f"{where}: {len(row)} fields; expected at most {len(header)}")
        values = dict(zip(header, row))
        day = _date(values.get("date"), where)
        if cal.day_of(day) is None:
            raise LogError(
                f"{where}: date {day} is outside the plan "
                f"({cal.scenario.start} .. {cal.scenario.end})"
            )
        session = _session(values.get("session"), where)
        status, moved_to = parse_status(values.get("status"), where)
        if status == "planned":
            raise LogError(f"{where}: status is empty; expected done, missed or moved")
        if status == "done" and day >= today:
            raise LogError(f"{where}: {day} is on or after --today ({today}) but marked done")
        if moved_to is not None and cal.day_of(moved_to) is None:
            raise LogError(f"{where}: moved to {moved_to}, outside the plan")
        minutes = None
        if values.get("minutes", "").strip():
            try:
                minutes = int(float(values["minutes"]))
            except ValueError:
                raise LogError(f"{where}: minutes {values['minutes']!r} is not a number") from None
            if not 0 <= minutes <= 1440:
                raise LogError(f"{where}: minutes {minutes} is outside 0..1440")
        rpe = values.get("rpe", "").strip()
        if rpe:
            try:
                ok = 0 <= float(rpe) <= 10
            except ValueError:
                ok = False
            if not ok:
                raise LogError(f"{where}: rpe {rpe!r}: expected a number from 0 to 10")
        out.append(Event(day, session, status, moved_to, minutes, "log"))
    return out


def status_events(published: pd.DataFrame, cal: Calendar, today: date, source: str) -> list[Event]:
    """Events from the Sessions sheet's ``status`` column (rows without a status: none)."""
    out = []
    if "status" not in published:
        return out
    for i, row in enumerate(published.itertuples(index=False), start=2):
        if row.session == "mobility":
            continue
        where = f"{source}: sheet Sessions, row {i}"
        status, moved_to = parse_status(row.status, where)
        if status == "planned":
            continue
        if status == "done" and row.date >= today:
            raise LogError(f"{where}: {row.date} is on or after --today ({today}) but marked done")
        if moved_to is not None and cal.day_of(moved_to) is None:
            raise LogError(f"{where}: moved to {moved_to}, outside the plan")
        out.append(Event(row.date, row.session, status, moved_to, None, "status"))
    return out


def what_happened(
    published: pd.DataFrame, events: list[Event], today: date
) -> tuple[dict[date, list[str]], dict[date, list[str]], list[Event]]:
    """(past sessions per date, future sessions per date, missed) after the events.

    A published session in the past with no event happened as planned; a moved session
    happened (or is planned) on its new date; a log row about a session that was not
    published is an extra session.
    """
    sessions = published[published["session"] != "mobility"]
    by_day: dict[date, list[str]] = {}
    for row in sessions.itertuples(index=False):
        by_day.setdefault(row.date, []).append(row.session)
    missed = []
    for ev in events:
        planned = by_day.get(ev.date, [])
        if ev.session in planned:
            planned.remove(ev.session)
        if ev.status in ("done",):
            by_day.setdefault(ev.date, []).append(ev.session)
        elif ev.status == "moved":
            by_day.setdefault(ev.moved_to, []).append(ev.session)
        elif ev.status == "missed":
            missed.append(ev)
    past = {d: v for d, v in by_day.items() if d < today and v}
    future = {d: v for d, v in by_day.items() if d >= today and v}
    return past, future, missed


def merge_events(status: list[Event], log: list[Event]) -> tuple[list[Event], int]:
    """The log wins where both speak of the same (date, session); how many it overrode."""
    logged = {(e.date, e.session) for e in log}
    kept = [e for e in status if (e.date, e.session) not in logged]
    return kept + log, len(status) - len(kept)


def replan(
    scenario: Scenario,
    published: pd.DataFrame,
    today: date,
    log: list[Event] | None = None,
    *,
    matches: list | None = None,
    source: str = "plan",
    time_limit: float | None = None,
    seed: int | None = None,
) -> Replan:
    """Re-plan ``published`` (a Sessions table, maybe with a ``status`` column) from
    ``today`` with what happened; the result's plan holds the past as it happened."""
    base = Calendar(scenario)
    if base.day_of(today) is None:
        raise LogError(f"--today {today} is outside the plan ({scenario.start} .. {scenario.end})")
    outside = sorted({d for d in published["date"] if base.day_of(d) is None})
    if outside:
        raise LogError(
            f"{source}: sheet Sessions: {len(outside)} date(s) outside the plan "
            f"({scenario.start} .. {scenario.end}), first {outside[0]}: is this the plan "
            "of this scenario?"
        )
    published = filled(base, published)  # a coach's rows without order or minutes
    # the later source wins: the status column, then the watch's activities, then the log
    status = status_events(published, base, today, source)
    said = {(e.date, e.session) for e in status}
    # nothing on the watch is no word on a session the sheet marks (done before, moved,
    # missed): only what the watch recorded overrides the status column
    recorded = [
        e
        for e in activity_events(matches or [])
        if not (e.status == "missed" and (e.date, e.session) in said)
    ]
    events, activity_wins = merge_events(status, recorded)
    events, log_wins = merge_events(events, log or [])
    past, future, missed = what_happened(published, events, today)
    # runs moved to a future day go with the athlete's wish: the day's fixed runs
    moved_runs: dict[date, tuple[str, ...]] = {}
    for ev in events:
        if ev.status == "moved" and ev.moved_to >= today and CATALOG[ev.session].category == "run":
            if ev.session != "easy_run":
                source_day = base.day_of(ev.date)
                if ev.date >= today and source_day is not None:
                    left = list(source_day.fixed_runs)
                    if ev.session in left:
                        left.remove(ev.session)
                    moved_runs[ev.date] = tuple(left)
                target = base.day_of(ev.moved_to)
                moved_runs[ev.moved_to] = (*target.fixed_runs, ev.session)
    cal = base.with_past(today, past, moved_runs)
    cap = _spike_cap(scenario, events, past, today)
    if cap is not None:
        cal = cal.with_run_cap(today, scenario.rules.run_spike.days, cap)
    future_table = published[published["date"] >= today]
    wished = _wished_future(future_table, future, base)
    published_placed = {
        s: {d: n for d, n in days.items() if not cal.days[d].past}
        for s, days in placed_sessions(PlanView(cal, wished)).items()
    }
    # the pipeline `solve` runs: the days from today on checked, their findings, and
    # why there is no plan (the past is a fact)
    result = plan_and_report(
        scenario,
        calendar=cal,
        extra=(ReplanStability(published_placed),),
        time_limit=time_limit,
        seed=seed,
    )
    minutes = {(e.date, e.session): e.minutes for e in events if e.minutes is not None}
    if result.solved:
        plan = result.plan.copy()
        plan["status"] = ["done" if d < today else "" for d in plan["date"]]
        for (d, s), m in minutes.items():
            plan.loc[(plan["date"] == d) & (plan["session"] == s), "minutes"] = m
        result.plan = plan
    capped = _capped_runs(result, base, today, cap) if result.solved and cap is not None else []
    violations = check_plan(scenario, result.plan, cal) if result.solved else []
    past_facts = [v for v in violations if v.date is not None and v.date < today]
    changes = _changes(wished, result, today, missed)
    return Replan(result, changes, past_facts, log_wins, capped, matches or [], activity_wins)


def _capped_runs(result: Result, base: Calendar, today: date, cap: int) -> list[str]:
    """A line for each planned run (fixed or placed) the spike cap shortened."""
    setting = result.scenario.rules.run_spike
    out = []
    for row in result.plan.itertuples(index=False):
        day = base.day_of(row.date)
        if (
            day is None
            or not 0 <= (row.date - today).days < setting.days
            or CATALOG[row.session].category != "run"
            or row.session == "race"
        ):
            continue
        plain = base.minutes(day, row.session)  # without the cap
        if plain > cap:
            out.append(
                f"{day.label} {row.session}: {plain} -> {int(row.minutes)} min "
                f"(run_spike: {round(setting.ratio * 100)} % of the longest run of "
                f"the {setting.days} days before {today})"
            )
    return out


def activity_events(matches: list) -> list[Event]:
    """Re-plan events of the watch's matches (:func:`strideplan.living.activities.match_activities`):
    done and extra sessions with their minutes, missed ones; other sports none."""
    status = {"done": "done", "extra": "done", "missed": "missed"}
    return [
        Event(m.date, m.session, status[m.status], None, m.minutes, "activities")
        for m in matches
        if m.status in status
    ]


def matches_table(matches: list) -> pd.DataFrame:
    """The matches as rows of the Changes sheet: what the watch said of each day."""
    return pd.DataFrame(
        [
            {"date": m.date, "session": m.session, "change": m.how, "rule": "activities"}
            for m in matches
        ],
        columns=["date", "session", "change", "rule"],
    )


def _spike_cap(
    scenario: Scenario,
    events: list[Event],
    past: dict[date, list[str]],
    today: date,
) -> int | None:
    """The run-spike cap from the runs that happened in the days before ``today`` (their
    recorded minutes where known), or None (rule off, or no run known)."""
    setting = scenario.rules.run_spike
    if not setting.enabled:
        return None
    window = history_window(scenario.start, today, setting.days)
    recorded = {(e.date, e.session): e.minutes for e in events if e.minutes is not None}
    base = Calendar(scenario)
    runs = [  # the minutes the new plan's past shows: recorded, else the scenario's
        recorded.get((d, s), base.minutes(base.day_of(d), s))
        for d, sessions in past.items()
        if window[0] <= d < window[1]
        for s in sessions
        if CATALOG[s].category == "run"
    ]
    return spike_cap(max(runs), setting.ratio) if runs else None


def _wished_future(future_table: pd.DataFrame, future: dict, cal: Calendar) -> pd.DataFrame:
    """The published future after moves into it: a Sessions table (mobility included)."""
    rows = []
    for d, sessions in sorted(future.items()):
        day = cal.day_of(d)
        keys = sorted(["mobility", *sessions], key=lambda k: CATALOG[k].category != "mobility")
        for order, key in enumerate(keys, start=1):
            same = future_table[(future_table["date"] == d) & (future_table["session"] == key)]
            minutes = int(same["minutes"].iloc[0]) if len(same) else cal.minutes(day, key)
            rows.append({"date": d, "session": key, "order": order, "minutes": minutes})
    return pd.DataFrame(rows, columns=["date", "session", "order", "minutes"])


#: where a missed session was read, as the Changes sheet's rule column says it
_SOURCE = {
    "status": "(the status column)",
    "log": "(the log)",
    "activities": "(nothing on the watch)",
    "": "(what happened)",
}


def _changes(
    wished: pd.DataFrame,
    result: Result,
    today: date,
    missed: list[Event],
) -> pd.DataFrame:
    """date, session, change, rule: what the re-plan changed from today on."""
    columns = ["date", "session", "change", "rule"]
    rows = [
        {"date": e.date, "session": e.session, "change": "missed", "rule": _SOURCE[e.source]}
        for e in sorted(missed, key=lambda e: e.date)
    ]
    if not result.solved:
        return pd.DataFrame(rows, columns=columns)
    new = result.plan[(result.plan["date"] >= today) & (result.plan["session"] != "mobility")]
    old = wished[wished["session"] != "mobility"]

    def counts(table):
        out: dict[tuple[date, str], list[int]] = {}
        for row in table.itertuples(index=False):
            out.setdefault((row.date, row.session), []).append(int(row.minutes))
        return out

    before, after = counts(old), counts(new)
    removed = [k for k in before if k not in after]
    added = [k for k in after if k not in before]
    start = result.scenario.start
    week_of = {k: (k[0] - start).days // 7 for k in set(removed) | set(added)}
    found: list[dict] = []
    for key in list(removed):
        partner = next((a for a in added if a[1] == key[1] and week_of[a] == week_of[key]), None)
        if partner is not None:
            added.remove(partner)
            removed.remove(key)
            found.append(
                {
                    "date": partner[0],
                    "session": key[1],
                    "change": f"moved from {key[0]}",
                    "undo": ([partner], [key]),  # (take away, put back)
                }
            )
    found += [
        {"date": d, "session": s, "change": "dropped", "undo": ([], [(d, s)])} for d, s in removed
    ]
    found += [
        {"date": d, "session": s, "change": "added", "undo": ([(d, s)], [])} for d, s in added
    ]
    for key in set(before) & set(after):
        if sorted(before[key]) != sorted(after[key]):
            found.append(
                {
                    "date": key[0],
                    "session": key[1],
                    "change": f"minutes {before[key][0]} → {after[key][0]}",
                    "undo": None,
                    "minutes": (before[key][0], after[key][0]),
                }
            )
    for change in found:
        change["rule"] = _forced_by(change, result, today, missed)
        del change["undo"]
        change.pop("minutes", None)
    rows += sorted(found, key=lambda c: (c["date"], c["session"]))
    return pd.DataFrame(rows, columns=columns)


def _forced_by(change: dict, result: Result, today: date, missed: list[Event]) -> str:
    """The rule that made a change: the hard rules the new plan would break, next to the
    change, were the change undone; else the missed session it makes up; else the soft
    rules (a better plan from here)."""
    start = result.scenario.start
    if change["undo"] is None:
        day = result.calendar.day_of(change["date"])
        was, now = change["minutes"]
        if day is not None and day.run_cap is not None and now <= day.run_cap < was:
            return "run_spike"
        return "the calendar (run taper, race windows)"
    take, put = change["undo"]
    plan = result.plan
    keep = pd.Series(True, index=plan.index)
    for d, s in take:
        match = plan.index[(plan["date"] == d) & (plan["session"] == s)]
        keep[match[:1]] = False
    undone = plan[keep]
    if put:
        bare = {d for d, _ in put if not (undone["date"] == d).any()}  # needs its warm-up
        extra = pd.DataFrame(
            [{"date": d, "session": s, "order": None, "minutes": None} for d, s in put]
            + [{"date": d, "session": "mobility", "order": None, "minutes": None} for d in bare]
        )
        undone = pd.concat([undone[["date", "session", "order", "minutes"]], extra])
        undone = undone.reset_index(drop=True)
    days = [d for d, _ in take + put]
    weeks = {(d - start).days // 7 for d in days}
    rules = sorted(
        {
            v.rule
            for v in check_plan(result.scenario, undone, result.calendar)
            if v.date is not None
            and v.date >= today - pd.Timedelta(days=7).to_pytimedelta()
            and (
                any(abs((v.date - d).days) <= 7 for d in days)
                or (v.date - start).days // 7 in weeks
            )
        }
    )
    if rules:
        return ", ".join(rules)
    session = change["session"]
    for e in missed:
        same_kind = CATALOG[e.session].category == CATALOG[session].category
        if same_kind and (e.date - start).days // 7 in weeks and change["change"] == "added":
            return f"makes up the missed {e.session} of {e.date}"
    if session in PLACED_SESSIONS:
        return "soft rules (a better plan from here)"
    return "runs (the calendar)"


def read_published(path: str | Path) -> pd.DataFrame:
    """The Sessions sheet of a plan workbook with its ``status`` column (hand edits
    included); :class:`strideplan.excel.PlanFileError` when it is not a plan."""

    return read_sessions(path, extra=("status",))
