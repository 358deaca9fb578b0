"""The watch, both ways (SPEC v3, issue 23): real FIT files written with fit-tool and
read with fitdecode, CSVs with the exports' real headers, the run-spike cap, and every
workout file decoded back."""

from __future__ import annotations

import csv
import gzip
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import fitdecode
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from strideplan.cli import cli
from strideplan.living.activities import ActivityError, fit_activity_bytes, read_activities
from strideplan.living.replan import read_published

from conftest import ROOT

TENK = ROOT / "scenarios" / "10k_build.yaml"

#: the first columns of a Strava bulk export's activities.csv, as it writes them
STRAVA_HEADER = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute",
    "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight", "Bike Weight",
    "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Perceived Exertion",
]  # fmt: skip
#: a Garmin Connect activities export's first columns
GARMIN_HEADER = [
    "Activity Type", "Date", "Favorite", "Title", "Distance", "Calories", "Time",
    "Avg HR", "Max HR", "Aerobic TE",
]  # fmt: skip


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def fit_activity(path: Path, start: datetime, minutes: int, sport: str, sub: str = "GENERIC",
                 rpe: int | None = None) -> Path:  # fmt: skip
    """A FIT activity file as a watch writes one (gzipped for a .gz name)."""
    data = fit_activity_bytes(start, minutes, sport, sub, rpe)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def strava_csv(path: Path, rows: list[tuple[datetime, str, int]]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(STRAVA_HEADER)
        for i, (start, sport, seconds) in enumerate(rows):
            row = [""] * len(STRAVA_HEADER)
            row[0], row[1], row[2], row[3] = (
                str(1000 + i),
                f"{start:%b %-d, %Y, %-I:%M:%S %p}",
                "x",
                sport,
            )
            row[5] = row[15] = str(seconds)
            writer.writerow(row)
    return path


# ---------------------------------------------------------------------- reading
def test_fit_and_csv_activities_are_read_with_their_minutes_sport_and_effort(tmp_path):
    t = datetime(2027, 1, 19, 7, 0)
    fit_activity(tmp_path / "run.fit", t, 52, "RUNNING", rpe=7)
    fit_activity(
        tmp_path / "legs.fit.gz", t + timedelta(days=3), 44, "TRAINING", "STRENGTH_TRAINING"
    )
    fit_activity(tmp_path / "ride.fit", t + timedelta(days=1), 75, "CYCLING")
    strava_csv(tmp_path / "activities.csv", [(t + timedelta(days=4), "Weight Training", 1800)])
    garmin = tmp_path / "garmin.csv"
    garmin.write_text(
        ",".join(GARMIN_HEADER)
        + "\nRunning,2027-01-24 08:00:00,false,Long,14.2,900,01:25:30,140,160,3.1\n"
    )
    got = [(a.date, a.kind, a.minutes, a.rpe) for a in read_activities([tmp_path])]
    assert got == [
        (date(2027, 1, 19), "run", 52, 7.0),
        (date(2027, 1, 20), "other", 75, None),
        (date(2027, 1, 22), "strength", 44, None),
        (date(2027, 1, 23), "strength", 30, None),
        (date(2027, 1, 24), "run", 86, None),
    ]


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("broken.fit", b"\x0e\x10\x00\x00garbage-not-fit", "not a readable FIT file"),
        ("hello.fit", b"hello world", "FIT"),
        ("broken.fit.gz", b"not gzip", ".gz"),
        ("export.csv", b"date,what\n2027-01-19,run\n", "not a Strava"),
        ("route.gpx", b"<gpx></gpx>", "read only through an export"),
    ],
)
def test_bad_or_foreign_activity_files_are_bad_input_naming_the_file(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ActivityError, match=words):
        read_activities([path])
    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    out = tmp_path / "new.xlsx"
    result = run("replan", TENK, plan, "--today", "2027-01-25", "--activities", path, "-o", out)
    assert result.exit_code == 2 and str(path) in result.output, result.output
    assert not out.exists()


def test_a_fit_activity_is_dated_by_the_watchs_local_time(tmp_path):
    """06:30 on a Wednesday in Sydney is Tuesday 19:30 UTC; 23:00 on a Thursday in New
    York is Friday 04:00 UTC: each is its local day's session."""
    sydney = fit_activity_bytes(
        datetime(2027, 1, 19, 19, 30), 40, "RUNNING", utc_offset=timedelta(hours=11)
    )
    new_york = fit_activity_bytes(
        datetime(2027, 1, 22, 4, 0), 50, "RUNNING", utc_offset=timedelta(hours=-5)
    )
    (tmp_path / "syd.fit").write_bytes(sydney)
    (tmp_path / "nyc.fit").write_bytes(new_york)
    assert [a.date for a in read_activities([tmp_path])] == [date(2027, 1, 20), date(2027, 1, 21)]


def test_a_damaged_or_foreign_fit_file_is_bad_input(tmp_path):
    """A flipped bit in a session's minutes fails the file's CRC (never read as other
    minutes); a FIT workout file (what `workouts` writes) is not an activity."""
    data = bytearray(fit_activity_bytes(datetime(2027, 1, 19, 7), 60, "RUNNING"))
    seconds = (3600 * 1000).to_bytes(4, "little")  # total_timer_time, in ms
    at = bytes(data).index(seconds)
    data[at + 2] ^= 0x04
    damaged = tmp_path / "damaged.fit"
    damaged.write_bytes(bytes(data))
    with pytest.raises(
        ActivityError, match="damaged.fit: not a readable FIT file .its CRC does not match"
    ):
        read_activities([damaged])
    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    assert run("workouts", plan, "-o", tmp_path / "w").exit_code == 0
    workout = sorted((tmp_path / "w").glob("*.fit"))[0]
    with pytest.raises(ActivityError, match="not an activity"):
        read_activities([workout])


def test_activities_match_their_own_sport_only_and_silent_days_are_missed(tmp_path):
    """Strength training on a day that plans power only is an extra core session, not
    the power; yoga is another sport; a planned day before the first recorded activity
    is missed (SPEC: nothing recorded on a past day)."""
    from strideplan.living.activities import match_activities

    published = read_published_of(tmp_path)
    power_day = next(
        d for d, day in published.groupby("date")
        if "power" in set(day["session"]) and not {"strength_lower", "strength_core"} & set(day["session"])
    )  # fmt: skip
    first = published["date"].min()
    path = tmp_path / "acts"
    path.mkdir()
    at = datetime.combine(power_day, datetime.min.time()) + timedelta(hours=7)
    fit_activity(path / "legs.fit", at, 40, "TRAINING", "STRENGTH_TRAINING")
    fit_activity(path / "yoga.fit", at + timedelta(hours=5), 30, "TRAINING", "YOGA")
    today = power_day + timedelta(days=1)
    matches = match_activities(read_activities([path]), published, today)
    on_day = {(m.session, m.status) for m in matches if m.date == power_day}
    assert ("strength_core", "extra") in on_day and ("power", "missed") in on_day
    assert any(m.status == "other" and "yoga" in m.session for m in matches)
    if first < power_day:
        assert any(m.date == first and m.status == "missed" for m in matches)


def read_published_of(tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    return read_published(plan)


# ---------------------------------------------------------------------- a week from the watch
def test_a_week_from_the_watch(tmp_path):
    """The README's walkthrough: solve; week 3 from the watch (FIT files and a Strava CSV:
    one run shorter, the strength core session missed, an extra ride); replan; the
    Changes sheet; workouts for the watch, every file decoded back."""
    plan = tmp_path / "10k_build.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    watch = tmp_path / "watch"
    watch.mkdir()
    day = lambda d, h=7: datetime(2027, 1, d, h)  # noqa: E731
    fit_activity(watch / "tue.fit", day(19), 20, "TRAINING", "CARDIO_TRAINING")  # power
    fit_activity(watch / "tue-run.fit", day(19, 8), 60, "RUNNING")  # intervals
    fit_activity(watch / "wed.fit.gz", day(20), 32, "RUNNING")  # the easy run, shorter
    fit_activity(watch / "thu.fit", day(21), 50, "RUNNING", rpe=8)  # tempo
    fit_activity(watch / "sat.fit", day(23), 40, "RUNNING")  # easy run (core missed)
    fit_activity(watch / "sun.fit", day(24), 90, "RUNNING")  # long run
    fit_activity(watch / "ride.fit", day(22, 17), 60, "CYCLING")  # an extra ride
    strava = strava_csv(tmp_path / "activities.csv", [(day(22), "Weight Training", 2700)])
    out = tmp_path / "week4.xlsx"
    result = run(
        "replan", TENK, plan, "--today", "2027-01-25", "--activities", watch, strava, "-o", out
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert "From the watch" in text
    assert "easy_run: done, 32 min" in text and "strength_lower: done, 45 min" in text
    assert "tempo: done, 50 min, RPE 8" in text  # the perceived effort the watch held
    assert "strength_core: missed — (nothing on the watch)" in text
    assert "not a session strideplan plans" in text
    wb = load_workbook(out, read_only=True)
    changes = list(wb["Changes"].iter_rows(values_only=True))
    assert any(r[3] == "activities" and "32 min" in str(r[2]) for r in changes)
    sessions = read_published(out)
    wed = sessions[(sessions["date"] == date(2027, 1, 20)) & (sessions["session"] == "easy_run")]
    assert list(wed["minutes"]) == [32]
    assert not (
        (sessions["date"] == date(2027, 1, 23)) & (sessions["session"] == "strength_core")
    ).any()
    # check judges the new plan from --today on: the missed core session is a fact
    checked = run("check", TENK, out)
    assert checked.exit_code == 0, checked.output
    assert "a fact of the past (before 2027-01-25)" in checked.output
    # the plan out to the watch
    folder = tmp_path / "workouts"
    result = run("workouts", out, "-o", folder)
    assert result.exit_code == 0, result.output
    with (folder / "schedule.csv").open() as f:
        schedule = list(csv.DictReader(f))
    assert schedule and all((folder / row["file"]).is_file() for row in schedule)
    # the re-planned days only: the past is done
    future = sessions[(sessions["session"] != "mobility") & (sessions["date"] >= date(2027, 1, 25))]
    assert len(schedule) == len(future) and min(r["date"] for r in schedule) >= "2027-01-25"
    # the summary names the first day that holds a workout, as the schedule does
    assert f"workout(s) from {min(r['date'] for r in schedule)} and" in result.output
    for row in schedule:
        steps, name = _decoded(folder / row["file"])
        assert name and steps
        if row["session"] in ("intervals", "tempo", "long_run", "easy_run"):
            assert steps[-1]["wkt_step_name"] == "Cool-down stretch"
            assert steps[-1]["duration_time"] == 300.0
        if row["session"] == "intervals":  # 6 × 400 m fast / 200 m slow, repeated
            distances = [s.get("duration_distance") for s in steps if "duration_distance" in s]
            assert distances == [400.0, 200.0]
            assert "Warm-up jog" in [s.get("wkt_step_name") for s in steps]
            assert any(s.get("repeat_steps") == 6 for s in steps)
        if row["session"] == "strength_lower":
            reps = [s for s in steps if s.get("duration_type") == "reps"]
            repeats = [s for s in steps if s.get("duration_type") == "repeat_until_steps_cmplt"]
            assert reps and all(s["duration_reps"] >= 5 for s in reps) and repeats
            assert any(s.get("exercise_category") == "squat" for s in steps)
    # a re-plan writes the same names: the watch updates, it does not duplicate
    again = tmp_path / "again"
    assert run("workouts", out, "-o", again).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in again.iterdir())


def _decoded(path: Path) -> tuple[list[dict], str]:
    steps, name = [], ""
    with fitdecode.FitReader(path, check_crc=fitdecode.CrcCheck.RAISE) as fit:
        for frame in fit:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "workout":
                name = frame.get_value("wkt_name")
            elif frame.name == "workout_step":
                steps.append({f.name: f.value for f in frame.fields if f.value is not None})
    return steps, name


def test_workouts_as_text_for_intervals_icu(tmp_path):
    plan = tmp_path / "p.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    folder = tmp_path / "text"
    assert run("workouts", plan, "-o", folder, "--format", "text").exit_code == 0
    legs = sorted(folder.glob("*-strength_lower-*.txt"))[0].read_text()
    assert "Warmup" in legs and "2x" in legs and "- Rest 1m30s" in legs
    run_text = sorted(folder.glob("*-long_run-*.txt"))[0].read_text()
    assert "- Cool-down stretch 5m" in run_text and "- Long run 85m 78-88% Pace" in run_text
    # intervals.icu's syntax: the words before the first duration are the step's cue (no
    # digits there: '400 m' would read as 400 minutes), metres are 'mtr', runs target
    # a share of threshold pace, repeats open with 'Nx'
    intervals = sorted(folder.glob("*-intervals-*.txt"))[0].read_text()
    assert "Main set 6x\n- Fast 400mtr 105-115% Pace\n- Slow jog 200mtr" in intervals
    for path in folder.glob("*.txt"):
        for line in path.read_text().splitlines():
            if line.startswith("- "):
                assert re.match(r"- [A-Za-z][^\d]* \d+(m|s|mtr)(\d+s)?\b", line), (path.name, line)
    race = sorted(folder.glob("*-race-*.txt"))[0].read_text()
    assert "press lap" in race  # the finish, however long it takes


def test_check_judges_the_spike_cap_in_a_replanned_workbook(tmp_path):
    import yaml

    from conftest import QUIET

    data = {**QUIET, "weeks": 10, "runs": {"sun": "long_run"}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    plan, new = tmp_path / "plan.xlsx", tmp_path / "new.xlsx"
    assert run("solve", path, "-o", plan).exit_code == 0
    log = tmp_path / "log.csv"
    sundays = [date(2027, 1, 10) + timedelta(weeks=k) for k in range(5)]
    log.write_text(
        "date,session,status,minutes\n" + "".join(f"{d},long_run,done,60\n" for d in sundays)
    )
    replanned = run("replan", path, plan, "--today", "2027-02-08", "--log", log, "-o", new)
    assert (
        replanned.exit_code == 0 and "capped: Sun 2027-02-14 long_run: 90 -> 65" in replanned.output
    )
    assert run("check", path, new).exit_code == 0
    wb = load_workbook(new)
    ws = wb["Sessions"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if (
            str(row[header.index("date")].value)[:10] == "2027-02-14"
            and row[header.index("session")].value == "long_run"
        ):
            row[header.index("minutes")].value = 80
    wb.save(new)
    checked = run("check", path, new)
    assert checked.exit_code == 1 and "run_spike" in checked.output and "cap 65" in checked.output


def test_an_early_replan_caps_every_run_after_the_runs_it_knows(tmp_path):
    """Two weeks into a plan the 30 days before reach past its start: the runs known
    (the plan's own days) still set the cap (SPEC sets no minimum history). Fixed and
    placed runs are both capped and noted, and the Changes sheet names run_spike."""
    import yaml

    from conftest import QUIET

    data = {**QUIET, "weeks": 4, "runs": {"sun": "long_run", "easy_runs": 1}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    plan, new = tmp_path / "plan.xlsx", tmp_path / "new.xlsx"
    assert run("solve", path, "-o", plan).exit_code == 0
    past = read_published(plan)
    past = past[past["date"] < date(2027, 1, 18)]
    rows = [  # the long runs done at 30 minutes, the easy runs missed
        f"{r.date},{r.session},{'done,30' if r.session == 'long_run' else 'missed,'}\n"
        for r in past.itertuples()
        if r.session in ("long_run", "easy_run")
    ]
    log = tmp_path / "log.csv"
    log.write_text("date,session,status,minutes\n" + "".join(rows))
    replanned = run("replan", path, plan, "--today", "2027-01-18", "--log", log, "-o", new)
    assert replanned.exit_code == 0, replanned.output
    assert "capped: Sun 2027-01-24 long_run: 90 -> 30" in replanned.output
    assert "easy_run: 40 -> 30" in replanned.output  # a run the solver placed
    sessions = read_published(new)
    ahead = sessions[(sessions["date"] >= date(2027, 1, 18)) & (sessions["category"] == "run")]
    assert len(ahead) and (ahead["minutes"] <= 30).all()
    changes = {
        (str(r[0].value)[:10], r[1].value): r[3].value
        for r in load_workbook(new)["Changes"].iter_rows(min_row=2)
    }
    assert changes[("2027-01-24", "long_run")] == "run_spike"
    assert run("check", path, new).exit_code == 0


def test_a_strava_archive_folder_counts_each_activity_once(tmp_path):
    """A Strava archive holds each activity as a row of activities.csv and as its file
    (the row's Filename); its other tables (profile.csv) are not activities."""
    (tmp_path / "activities").mkdir()
    fit_activity(tmp_path / "activities" / "1000.fit.gz", datetime(2027, 1, 19, 7), 45, "RUNNING")
    rows = [(datetime(2027, 1, 19, 7), "Run", 2700), (datetime(2027, 1, 20, 7), "Run", 1800)]
    export = strava_csv(tmp_path / "activities.csv", rows)
    table = list(csv.reader(export.open()))
    table[1][STRAVA_HEADER.index("Filename")] = "activities/1000.fit.gz"
    with export.open("w", newline="") as f:
        csv.writer(f).writerows(table)
    (tmp_path / "profile.csv").write_text("Email,First Name\nsam@example.com,Sam\n")
    got = [(a.date, a.minutes, Path(a.source).name) for a in read_activities([tmp_path])]
    assert got == [
        (date(2027, 1, 19), 45, "1000.fit.gz"),
        (date(2027, 1, 20), 30, "activities.csv: row 3"),
    ]
    with pytest.raises(ActivityError, match="profile.csv"):  # named, it is still refused
        read_activities([tmp_path / "profile.csv"])


def test_two_runs_on_one_day_are_one_session_with_both_times():
    """A double (35 and 20 minutes on a day planning one easy run) keeps all 55 minutes
    in the day's run: the plan holds one run a day (max_runs_per_day)."""
    import pandas as pd

    from strideplan.living.activities import Activity, match_activities

    day = date(2027, 1, 20)
    published = pd.DataFrame(
        [{"date": day, "session": "mobility"}, {"date": day, "session": "easy_run"}]
    )
    runs = [
        Activity(day, "run", 35, None, "running", "a.fit"),
        Activity(day, "run", 20, None, "running", "b.fit"),
    ]
    (match,) = match_activities(runs, published, date(2027, 1, 25))
    assert (match.session, match.status, match.minutes) == ("easy_run", "done", 55)
    assert "20 min more the same day" in match.how


def test_the_race_workout_ends_with_the_cool_down_stretch(tmp_path):
    """The plan prescribes the stretch after the race as after every run (SPEC v2)."""
    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    assert run("workouts", plan, "-o", tmp_path / "w").exit_code == 0
    with (tmp_path / "w" / "schedule.csv").open() as f:
        (race,) = [r for r in csv.DictReader(f) if r["session"] == "race"]
    steps, _ = _decoded(tmp_path / "w" / race["file"])
    assert steps[-1]["wkt_step_name"] == "Cool-down stretch" and steps[-2]["intensity"] == "active"
    assert steps[-2]["duration_type"] == "open"  # the race ends at the finish: a lap press


def test_a_repeat_run_adds_up_to_its_minutes(tmp_path):
    """Warm-up jog, the repeats (at about 5 min per km, fast and slow together), easy
    running for the minutes left and the stretch add up to the planned minutes: no open
    step the watch waits on."""
    from strideplan.living.ics import read_plan
    from strideplan.living.workouts import REPEAT_MINUTES_PER_KM, workouts

    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    for w in workouts(read_plan(plan)):
        if w.session != "intervals":
            continue
        total = 0.0
        for s in w.steps:
            if s.meters is not None:
                total += s.sets * (s.meters + (s.rest_meters or 0)) / 1000 * REPEAT_MINUTES_PER_KM
            else:
                assert s.seconds, (w.id, s.name)
                total += s.seconds / 60
        warm_up = w.steps[0].seconds / 60 if w.steps[0].name == "Mobility warm-up" else 0
        assert abs(total - warm_up - w.minutes) <= 1, (w.id, total, w.minutes)


def test_a_text_workout_step_shorter_than_a_minute_is_in_seconds():
    from strideplan.living.workouts import Step, Workout, text_of

    w = Workout("x", date(2027, 1, 5), "strength_core", "Core", 30)
    w.steps = [Step("Plank", "active", 45), Step("Easy", "active", 600)]
    assert "- Plank 45s" in text_of(w) and "- Easy 10m" in text_of(w)


def test_activities_outside_the_plans_past_are_left_out_and_the_summary_says_so(tmp_path):
    # a watch folder spans more than the plan: the runs before its start and from
    # --today on are not matched, and the summary counts them (they were dropped
    # without a word)
    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    acts = tmp_path / "acts"
    acts.mkdir()
    fit_activity(acts / "before.fit", datetime(2026, 12, 1, 7), 40, "RUNNING")  # before start
    fit_activity(acts / "in.fit", datetime(2027, 1, 5, 7), 60, "RUNNING")  # the plan's Tue
    fit_activity(acts / "after.fit", datetime(2027, 1, 20, 7), 30, "RUNNING")  # from today
    out = tmp_path / "new.xlsx"
    result = run("replan", TENK, plan, "--today", "2027-01-14", "--activities", acts, "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 activities outside the plan's past" in result.output
    assert "from 2026-12-01 to 2027-01-20: left out" in result.output
    assert "1 activities on 1 days" in result.output
    text = run(
        "replan", TENK, plan, "--today", "2027-01-14", "--activities", acts, "-o", out,
        "--format", "json",
    ).output  # fmt: skip
    assert json.loads(text)["activities_left_out"] == 2


# ------------------------------------------------------------------ real exports, read as such
def test_a_strava_archive_of_phone_recordings_reads_their_rows(tmp_path):
    """A phone's activities come in a Strava archive as GPX files its activities.csv
    lists: the rows count; a GPX file no row lists is still refused, named."""
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "1000.gpx").write_text("<gpx></gpx>")
    export = strava_csv(tmp_path / "activities.csv", [(datetime(2027, 1, 19, 7), "Run", 2700)])
    table = list(csv.reader(export.open()))
    table[1][STRAVA_HEADER.index("Filename")] = "activities/1000.gpx"
    with export.open("w", newline="") as f:
        csv.writer(f).writerows(table)
    got = [(a.date, a.kind, a.minutes) for a in read_activities([tmp_path])]
    assert got == [(date(2027, 1, 19), "run", 45)]
    (tmp_path / "activities" / "2000.gpx").write_text("<gpx></gpx>")
    with pytest.raises(ActivityError, match="2000.gpx: GPX and TCX files are read only"):
        read_activities([tmp_path])


def test_one_activity_reached_twice_counts_once(tmp_path):
    """A FIT file given and found in its folder, or the watch's file beside the
    account's CSV row of the same activity: one activity."""
    path = tmp_path / "acts"
    path.mkdir()
    fit = fit_activity(path / "run.fit", datetime(2027, 1, 19, 7), 45, "RUNNING")
    with (path / "Activities.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(GARMIN_HEADER)
        writer.writerow(["Running", "2027-01-19 07:00:00", "false", "x", "9", "500", "00:45:10"]
                        + [""] * 3)  # fmt: skip
    got = read_activities([path, fit, tmp_path / "." / "acts"])
    assert [(a.date, a.minutes, Path(a.source).name) for a in got] == [
        (date(2027, 1, 19), 45, "run.fit")
    ]


def test_a_transition_is_no_run_and_the_days_longest_run_is_its_planned_run(tmp_path):
    """A multisport file's bike-to-run changeover is another sport; of two runs on a
    day, the longer is the planned one and the short warm-up the extra."""
    from strideplan.living.activities import match_activities

    published = read_published_of(tmp_path)
    tuesday = date(2027, 1, 5)  # the 10k build's intervals
    path = tmp_path / "acts"
    path.mkdir()
    fit_activity(path / "a-warmup.fit", datetime(2027, 1, 5, 6, 30), 12, "RUNNING")
    fit_activity(path / "b-main.fit", datetime(2027, 1, 5, 7), 45, "RUNNING")
    fit_activity(path / "c-change.fit", datetime(2027, 1, 5, 8), 2, "TRANSITION",
                 "BIKE_TO_RUN_TRANSITION")  # fmt: skip
    matches = match_activities(read_activities([path]), published, tuesday + timedelta(days=1))
    on_day = {(m.session, m.status, m.minutes) for m in matches if m.date == tuesday}
    assert ("intervals", "done", 45) in on_day
    assert ("easy_run", "extra", 12) in on_day
    assert any(m.status == "other" for m in matches if m.date == tuesday)


def test_a_workout_file_made_before_the_plan_is_still_no_activity(tmp_path):
    """A FIT workout (or course) is foreign whenever it was made: bad input, named,
    even where its date would have left it out unread."""
    plan = tmp_path / "plan.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    assert run("workouts", plan, "-o", tmp_path / "w").exit_code == 0
    workout = sorted((tmp_path / "w").glob("*.fit"))[0]
    with pytest.raises(ActivityError, match="not an activity"):
        read_activities([workout], between=(date(2030, 1, 1), date(2030, 2, 1)))


def test_marks_in_the_sheet_stand_where_the_watch_recorded_nothing(tmp_path):
    """The athlete exports only last week from the watch: the week before, marked done
    in the Sessions sheet (as a re-plan writes it), is not made missed by the silence."""
    plan, first, again = tmp_path / "plan.xlsx", tmp_path / "w2.xlsx", tmp_path / "w3.xlsx"
    assert run("solve", TENK, "-o", plan).exit_code == 0
    week1 = tmp_path / "week1"
    week1.mkdir()
    fit_activity(week1 / "tue.fit", datetime(2027, 1, 5, 7), 60, "RUNNING")
    done = run("replan", TENK, plan, "--today", "2027-01-11", "--activities", week1, "-o", first)
    assert done.exit_code == 0, done.output
    week2 = tmp_path / "week2"
    week2.mkdir()
    fit_activity(week2 / "tue.fit", datetime(2027, 1, 12, 7), 60, "RUNNING")
    result = run("replan", TENK, first, "--today", "2027-01-18", "--activities", week2, "-o",
                 again)  # fmt: skip
    assert result.exit_code == 0, result.output
    past = read_published(again)
    assert "intervals" in set(past.loc[past["date"] == date(2027, 1, 5), "session"])
    assert "the activities override the status column" not in result.output


# ------------------------------------------------------------------ workouts as the watch takes them
def test_a_plan_in_cyrillic_writes_workouts_within_fits_byte_limits(tmp_path):
    """FIT strings are sized in bytes (at most 255): a Russian plan's long details are
    cut in bytes, not letters, and every workout is written (it exited 3 after writing a
    few files); two plans of non-Latin names never share ids."""
    import yaml

    from strideplan.living.ics import plan_slug

    data = yaml.safe_load(TENK.read_text())
    data["name"] = "Весенний марафон"
    data["sessions"] = {"tempo": {"details": "Темповый бег в комфортно тяжёлом темпе " * 6}}
    path = tmp_path / "ru.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    plan, out = tmp_path / "plan.xlsx", tmp_path / "w"
    assert run("solve", path, "-o", plan).exit_code == 0
    result = run("workouts", plan, "-o", out)
    assert result.exit_code == 0, result.output
    schedule = list(csv.DictReader((out / "schedule.csv").open()))
    assert schedule and all((out / r["file"]).exists() for r in schedule)
    for r in schedule[:20]:
        for frame in fitdecode.FitReader(out / r["file"]):
            if (
                frame.frame_type == fitdecode.FIT_FRAME_DATA
                and frame.name == "workout_step"
                and frame.has_field("notes")
            ):
                assert len(str(frame.get_value("notes")).encode()) <= 255
    assert plan_slug("Весенний марафон") != plan_slug("春のマラソン") != "plan"
    assert plan_slug("Spring 10k build") == "spring-10k-build"  # Latin names as before
    assert len(plan_slug("x " * 200)) <= 60


def test_a_replans_workouts_replace_the_old_ones_in_the_folder(tmp_path):
    """Workouts of a re-plan written into the folder of the plan's: the files of
    sessions the re-plan dropped or renumbered go (no two 'Easy run 14 Jul'), another
    plan's files and the days before stay."""
    plan, new, out = tmp_path / "plan.xlsx", tmp_path / "new.xlsx", tmp_path / "watch"
    scenario = ROOT / "scenarios" / "marathon_block.yaml"
    log = ROOT / "scenarios" / "logs" / "marathon_week3.csv"
    assert run("solve", scenario, "-o", plan).exit_code == 0
    assert run("workouts", plan, "-o", out).exit_code == 0
    other = out / "another-plan-w001-easy_run-1.fit"
    other.write_bytes(b"not ours")
    before = {r["file"]: r["date"] for r in csv.DictReader((out / "schedule.csv").open())}
    replanned = run("replan", scenario, plan, "--today", "2027-06-24", "--log", log, "-o", new)
    assert replanned.exit_code == 0, replanned.output
    assert run("workouts", new, "-o", out).exit_code == 0
    after = {r["file"] for r in csv.DictReader((out / "schedule.csv").open())}
    on_disk = {p.name for p in out.glob("*.fit")}
    ahead = {f for f, d in before.items() if d >= "2027-06-24"}
    assert on_disk - {other.name} == after | (set(before) - ahead)
    assert other.exists()


def test_utc_times_are_dated_in_the_machines_zone(tmp_path, monkeypatch):
    """Strava's archive writes its dates in UTC, and a FIT file may lack its watch's
    local time: a Sydney runner's 06:00 Tuesday run (19:00 UTC on Monday) is Tuesday's."""
    monkeypatch.setenv("TZ", "Australia/Sydney")
    monday_evening_utc = datetime(2027, 1, 18, 19, 0)
    export = strava_csv(tmp_path / "activities.csv", [(monday_evening_utc, "Run", 2400)])
    fit = fit_activity(tmp_path / "run.fit", monday_evening_utc, 45, "RUNNING")
    got = {Path(a.source).name.split(":")[0]: a.date for a in read_activities([export, fit])}
    assert got == {"activities.csv": date(2027, 1, 19), "run.fit": date(2027, 1, 19)}
    monkeypatch.setenv("TZ", "UTC")
    assert {a.date for a in read_activities([export, fit])} == {date(2027, 1, 18)}


def test_garmins_export_original_zip_is_read(tmp_path):
    """Garmin Connect's Export Original is a zip holding the activity's .fit: read,
    named or in a folder; a zip without one is bad input where named, skipped in a
    folder (a bulk export's other archives); a damaged member is named inside the zip."""
    import zipfile

    data = fit_activity_bytes(datetime(2027, 1, 19, 7), 45, "RUNNING")
    folder = tmp_path / "downloads"
    folder.mkdir()
    with zipfile.ZipFile(folder / "18000001027.zip", "w") as z:
        z.writestr("18000001027_ACTIVITY.fit", data)
    with zipfile.ZipFile(folder / "other.zip", "w") as z:
        z.writestr("notes.json", "{}")
    got = [(a.date, a.kind, a.minutes) for a in read_activities([folder])]
    assert got == [(date(2027, 1, 19), "run", 45)]
    with pytest.raises(ActivityError, match="other.zip: no FIT activity"):
        read_activities([folder / "other.zip"])
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as z:
        z.writestr("x.fit", b"not a fit file at all")
    with pytest.raises(ActivityError, match="bad.zip:x.fit: not a readable FIT file"):
        read_activities([tmp_path / "bad.zip"])
    (tmp_path / "fake.zip").write_bytes(b"PK not really")
    with pytest.raises(ActivityError, match="fake.zip: not a readable zip"):
        read_activities([tmp_path / "fake.zip"])
