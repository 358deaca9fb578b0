"""The calendar export: an .ics that parses back with the plan's sessions, times and
stable UIDs; an unchanged plan exports byte for byte the same."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from strideplan.excel import write_workbook
from strideplan.living.ics import IcsError, ics_bytes, parse_start_time, read_plan, zone
from strideplan.result import plan_scenario
from strideplan.scenario import load_scenario

from conftest import ROOT


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("ics") / "plan.xlsx"
    result = plan_scenario(load_scenario(ROOT / "scenarios" / "beginner_5k.yaml"))
    write_workbook(result, path)
    return path, result


def _events(data: bytes):
    return [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def test_one_event_per_run_strength_or_power_session(workbook):
    path, result = workbook
    events = _events(ics_bytes(read_plan(path)))
    sessions = result.plan[result.plan["session"] != "mobility"]
    assert len(events) == len(sessions)
    assert sorted(str(e["dtstart"].dt) for e in events) == sorted(str(d) for d in sessions["date"])
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids) and all(u.startswith("first-5k-w0") for u in uids)


def test_the_description_holds_the_prescription_and_the_first_event_the_warm_up(workbook):
    path, result = workbook
    events = _events(ics_bytes(read_plan(path)))
    legs = next(e for e in events if str(e["summary"]).startswith("Strength (legs)"))
    text = str(legs["description"])
    assert "Goblet squat" in text and "RIR" in text
    first_of_day = events[0]  # Tuesday: easy run first, legs after
    assert "Warm-up first (10 min)" in str(first_of_day["description"])
    assert "Warm-up" not in text  # the legs come second that day


def test_timed_events_follow_each_other_from_the_start_time(workbook):
    path, _ = workbook
    events = _events(ics_bytes(read_plan(path), parse_start_time("07:00"), "Europe/London"))
    tuesday = [e for e in events if e["dtstart"].dt.date().isoformat() == "2027-03-02"]
    start = [e["dtstart"].dt for e in tuesday]
    assert start[0].time() == time(7, 0) and str(start[0].tzinfo) == "Europe/London"
    # easy run 30' + warm-up 10' -> the legs start at 07:40
    assert start[1] - start[0] == timedelta(minutes=40)
    assert tuesday[1]["dtend"].dt - start[1] == timedelta(minutes=45)


def test_an_unchanged_plan_exports_the_same_bytes(workbook):
    path, _ = workbook
    assert ics_bytes(read_plan(path)) == ics_bytes(read_plan(path))


def test_a_session_moved_within_its_week_keeps_its_uid(workbook, tmp_path):
    path, _ = workbook
    before = {str(e["uid"]): e for e in _events(ics_bytes(read_plan(path)))}
    wb = load_workbook(path)
    ws = wb["Sessions"]
    header = [c.value for c in ws[1]]
    date_col, session_col = header.index("date") + 1, header.index("session") + 1
    for row in range(2, ws.max_row + 1):  # week 1's core on Saturday moves to Sunday
        if ws.cell(row, session_col).value == "strength_core":
            ws.cell(row, date_col).value = "2027-03-07"
            break
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    after = {str(e["uid"]): e for e in _events(ics_bytes(read_plan(moved)))}
    assert set(after) == set(before)
    uid = "first-5k-w001-strength_core-1@strideplan"
    assert str(after[uid]["dtstart"].dt) == "2027-03-07"


def test_a_session_entered_twice_on_one_day_gets_two_uids_and_two_workouts(workbook, tmp_path):
    # a coach copies a row by hand (two easy runs on a Tuesday): RFC 5545 wants every
    # event's UID unique, and the watch needs two workout files, not one over the other
    from strideplan.living.workouts import workouts

    path, _ = workbook
    wb = load_workbook(path)
    ws = wb["Sessions"]
    header = [c.value for c in ws[1]]
    session_col = header.index("session") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, session_col).value == "easy_run")
    ws.append([ws.cell(row, c).value for c in range(1, ws.max_column + 1)])
    twice = tmp_path / "twice.xlsx"
    wb.save(twice)
    plan = read_plan(twice)
    uids = [str(e["uid"]) for e in _events(ics_bytes(plan))]
    assert len(uids) == len(set(uids)) == len(_events(ics_bytes(read_plan(path)))) + 1
    ids = [w.id for w in workouts(plan)]
    assert len(ids) == len(set(ids)) == len(uids)


def test_bad_time_zone_and_start_time_are_refused():
    with pytest.raises(IcsError, match="unknown time zone"):
        zone("Mars/Olympus")
    with pytest.raises(IcsError, match="HH:MM"):
        parse_start_time("25:00")


def _edited(path, tmp_path, edit) -> object:
    wb = load_workbook(path)
    edit(wb)
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return out


def test_a_session_moved_on_the_sessions_sheet_only_keeps_its_exercises(workbook, tmp_path):
    """A coach moves the week's core session a day on the Sessions sheet (the Exercises
    sheet left as it was): its workout and event keep the exercises, not none."""
    from strideplan.living.workouts import workouts

    path, _ = workbook

    def move(wb):
        ws = wb["Sessions"]
        header = [c.value for c in ws[1]]
        d, s = header.index("date") + 1, header.index("session") + 1
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, s).value == "strength_core")
        ws.cell(row, d).value = "2027-03-07"

    plan = read_plan(_edited(path, tmp_path, move))
    core = next(w for w in workouts(plan) if w.session == "strength_core")
    assert str(core.date) == "2027-03-07" and len(core.steps) >= 3
    sunday = next(e for e in _events(ics_bytes(plan)) if str(e["dtstart"].dt) == "2027-03-07")
    assert " × " in str(sunday["description"])


def test_a_blank_sets_cell_leaves_every_other_exercise_its_sets(workbook, tmp_path):
    """One blank 'sets' cell made the column decimal: every exercise became 1 set in the
    workouts and '2.0 × 12' in the calendar."""
    from strideplan.living.workouts import workouts

    path, _ = workbook

    def blank(wb):
        ws = wb["Exercises"]
        col = [c.value for c in ws[1]].index("sets") + 1
        ws.cell(2, col).value = None

    plan = read_plan(_edited(path, tmp_path, blank))
    sets = [s.sets for w in workouts(plan) if w.kind != "run" for s in w.steps]
    assert max(sets) >= 2
    text = b"".join(str(e["description"]).encode() for e in _events(ics_bytes(plan)))
    assert b".0 \xc3\x97" not in text and not re.search(rb"\bnan\b", text)


def test_a_formula_in_the_exercises_or_a_bad_scenario_sheet_is_bad_input(workbook, tmp_path):
    from strideplan.excel import PlanFileError

    path, _ = workbook

    def formula(wb):
        ws = wb["Exercises"]
        ws.cell(2, [c.value for c in ws[1]].index("reps") + 1).value = "=1+1"

    with pytest.raises(PlanFileError, match=r"Exercises!F2 .*a formula"):
        read_plan(_edited(path, tmp_path, formula))

    def start(wb):
        ws = wb["Scenario"]
        for row in ws.iter_rows():
            if isinstance(row[0].value, str) and row[0].value.startswith("start: "):
                row[0].value = "start: 2027-13-01"

    with pytest.raises(PlanFileError, match="sheet Scenario, row"):
        read_plan(_edited(path, tmp_path, start))


def test_events_carry_a_sequence_and_a_utc_stamp(workbook):
    """A re-plan's events are revisions (SEQUENCE rises with the solve time); DTSTAMP is
    UTC (it was the local time labelled UTC)."""
    from datetime import UTC, datetime

    path, _ = workbook
    plan = read_plan(path)
    event = _events(ics_bytes(plan))[0]
    assert int(event["sequence"]) > 0
    stamp = event["dtstamp"].dt
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 3600
