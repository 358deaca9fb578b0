"""The plan on the watch (SPEC v3, "Workouts for the watch"): one structured workout per
run, strength or power session of a plan workbook (hand edits included), as FIT workout
files (written with fit-tool) or as intervals.icu's plain workout text, and a schedule
naming each workout's date.

* A run: the day's mobility warm-up (when it is the day's first session), the session's
  work (its minutes less the cool-down, the prescription in the notes) and the 5-minute
  cool-down stretch (seeds 003, 004).
* Strength and power: each exercise a step of its reps (or seconds) repeated for its
  sets, with a rest step between sets (90 s for strength; 2 min for power, seed 000's
  "plenty of rest"); the exercise's FIT category where one fits.
* Ids are the .ics UIDs' (plan, week, session, occurrence in the week): a re-plan writes
  the same file names, so a watch's import updates rather than duplicates.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ..catalog import CATALOG
from ..excel import atomic_path
from .ics import LABELS, PlanSheets, plan_slug, session_exercises, session_ids

#: the cool-down stretch closes every run, inside its minutes (SPEC v2)
COOL_DOWN_MINUTES = 5
#: rest between sets: strength (common practice), power (seed 000: plenty of rest)
REST_SECONDS = {"strength": 90, "power": 120}
#: a set's working time where the text format needs a duration (reps have none)
SET_SECONDS = 40
#: the text format's run targets, in percent of the athlete's threshold pace (what
#: intervals.icu sets each athlete's pace zones from): easy and the long run, the jog
#: between repeats, tempo (comfortably hard, about threshold), the fast repeats (about
#: 3-5k pace) - common practice
PACE = {
    "easy": "78-88% Pace",
    "jog": "65-75% Pace",
    "tempo": "94-100% Pace",
    "fast": "105-115% Pace",
}
#: minutes per km of a repeat session's fast and slow parts together, to time the easy
#: running after them (a club runner's 400 m in 1:40 and 200 m jog in 1:20: 5 min/km)
REPEAT_MINUTES_PER_KM = 5.0

#: FIT exercise categories by words of the exercise's name (first match wins)
CATEGORIES = [
    (r"calf", "CALF_RAISE"),
    (r"squat jump|box jump|jump|hop|bound|pogo|skip|march|frog", "PLYO"),
    (r"lunge|split squat|step-up|step up", "LUNGE"),
    (r"squat|wall sit", "SQUAT"),
    (r"deadlift|rdl|hinge", "DEADLIFT"),
    (r"plank", "PLANK"),
    (r"bridge|hip thrust", "HIP_RAISE"),
    (r"push-up|push up|press-up", "PUSH_UP"),
    (r"row", "ROW"),
    (r"dead bug|bird dog|pallof|crunch|core", "CORE"),
    (r"stretch", "WARM_UP"),
]


@dataclass
class Step:
    """One step: a stretch of time (``seconds``) or a number of ``reps``, ``sets`` times
    (rest between sets), with its name and notes."""

    name: str
    intensity: str  # warmup / active / cooldown
    seconds: int | None = None
    reps: int | None = None
    sets: int = 1
    rest: int = 0
    notes: str = ""  # short: each leg / side, the effort
    category: str | None = None
    cue: str = ""  # the exercise's first cue (FIT notes; a watch shows a line or two)
    meters: int | None = None  # a distance step (intervals)
    rest_meters: int | None = None  # the recovery between repeats of a distance step
    target: str = ""  # the text format's target (PACE)
    open: bool = False  # ends at a lap press (a race: however long it takes)


@dataclass
class Workout:
    """One session as a workout: its stable id, date, name and steps."""

    id: str
    date: date
    session: str
    name: str
    minutes: int
    steps: list[Step] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return CATALOG[self.session].category


def _amount(reps: str) -> tuple[int | None, int | None, str]:
    """(seconds, reps, rest of the words) of an Exercises ``reps`` cell: '30 s each
    side' is 30 seconds (a coach's '1 min' 60), '12-15' is 12 reps (the bottom of the
    range), '5 each leg' 5."""
    text = str(reps).strip()
    found = re.match(r"(\d+)(?:\s*-\s*\d+)?\s*(s\b|sec\b|min\b)?\s*(.*)", text)
    if not found:
        return None, None, text
    n, unit, rest = int(found.group(1)), found.group(2), found.group(3).strip()
    if unit == "min":  # a coach's '1 min' plank
        return 60 * n, None, rest
    return (n, None, rest) if unit else (None, n, rest)


def _first_sentence(text: str, most: int = 120) -> str:
    """The first sentence of a cue, cut at a word within ``most`` characters."""
    text = re.sub(r"\s*\(seeds? [^)]*\)", "", text)  # sources belong in the workbook
    first = re.split(r"(?<=[.;])\s", text.strip(), maxsplit=1)[0].rstrip(".;")
    if len(first) <= most:
        return first
    return first[:most].rsplit(" ", 1)[0] + " …"


def _category(exercise: str) -> str | None:
    for pattern, category in CATEGORIES:
        if re.search(pattern, exercise, re.I):
            return category
    return None


def _exercise_steps(rows, kind: str) -> list[Step]:
    steps = []
    for row in rows.itertuples(index=False):
        seconds, reps, each = _amount(row.reps)
        sets = row.sets if isinstance(row.sets, int) and row.sets > 0 else 1
        short = "; ".join(str(x) for x in (each, row.effort) if isinstance(x, str) and x.strip())
        cue = _first_sentence(row.notes) if isinstance(row.notes, str) else ""
        steps.append(
            Step(
                str(row.exercise),
                "active",
                seconds,
                reps,
                max(1, sets),
                REST_SECONDS.get(kind, 60) if sets > 1 else 0,
                short,
                _category(str(row.exercise)),
                cue,
            )
        )
    return steps


#: the easy jog before a quality run, inside its minutes (common practice: 10-15 min)
WARM_UP_JOG_MINUTES = 10
#: '6 × 400 m fast / 200 m slow' in a run's details: repeats a watch can count
REPEATS = re.compile(r"(\d+)\s*[×x]\s*(\d+)\s*m\s+fast\s*/\s*(\d+)\s*m", re.I)


def _run_steps(session: str, title: str, minutes: int, details: str) -> list[Step]:
    """A run's steps before its cool-down stretch: a warm-up jog before intervals and
    tempo, the work (intervals as repeats of their distances where the details give
    them, then easy running for the minutes left), all inside the run's minutes; a race
    ends at a lap press (the finish, however long it takes)."""
    what = details.split("; then", 1)[0].strip()  # the cool-down is a step of its own
    if session == "race":
        return [Step(title, "active", 60 * minutes, notes=what, open=True)]
    work = minutes - COOL_DOWN_MINUTES
    steps = []
    if session in ("intervals", "tempo") and work > 2 * WARM_UP_JOG_MINUTES:
        minutes_jog = 60 * WARM_UP_JOG_MINUTES
        steps.append(Step("Warm-up jog", "warmup", minutes_jog, notes="easy", target=PACE["easy"]))
        work -= WARM_UP_JOG_MINUTES
    found = REPEATS.search(what) if session == "intervals" else None
    if found:
        n, fast, slow = (int(g) for g in found.groups())
        steps.append(
            Step(f"{fast} m fast", "interval", meters=fast, sets=n, rest_meters=slow,
                 target=PACE["fast"])
        )  # fmt: skip
        left = work - round(n * (fast + slow) / 1000 * REPEAT_MINUTES_PER_KM)
        if left >= 1:
            steps.append(Step("Easy running", "active", 60 * left, target=PACE["easy"]))
    else:
        target = PACE["tempo"] if session == "tempo" else PACE["easy"]
        steps.append(Step(title, "active", 60 * max(1, work), notes=what, target=target))
    return steps


def workouts(plan: PlanSheets, first: date | None = None) -> list[Workout]:
    """Every run, strength and power session of the plan (from ``first`` on) as a
    workout."""
    out = []
    ids = session_ids(plan)
    exercises = plan.exercises
    sessions = plan.sessions.sort_values(["date", "order"], kind="stable")
    if first is not None:
        sessions = sessions[sessions["date"] >= first]
    for day, rows in sessions.groupby("date", sort=True):
        warm_up = rows[rows["session"] == "mobility"]
        first = True
        for row in rows[rows["session"] != "mobility"].itertuples():
            session = str(row.session)
            minutes = int(row.minutes or CATALOG[session].minutes)
            here = session_exercises(plan, day, session)
            kind = CATALOG[session].category
            title = LABELS.get(session, session)
            details = row.details if isinstance(row.details, str) else ""
            w = Workout(ids[row.Index], day, session, title, minutes)
            if first and len(warm_up):
                drills = exercises[
                    (exercises["date"] == day) & (exercises["session"] == "mobility")
                ]
                names = ", ".join(str(x) for x in drills["exercise"])
                w.steps.append(
                    Step(
                        "Mobility warm-up",
                        "warmup",
                        60 * int(warm_up["minutes"].fillna(0).sum()),
                        notes=names,
                    )
                )
            if kind == "run":
                w.steps += _run_steps(session, title, minutes, details)
                # every run ends with the stretch (the race too: after it, SPEC v2)
                stretch = ", ".join(str(x) for x in here["exercise"])
                w.steps.append(
                    Step("Cool-down stretch", "cooldown", 60 * COOL_DOWN_MINUTES, notes=stretch)
                )
            else:
                w.steps += _exercise_steps(here, kind)
            out.append(w)
            first = False
    return out


# --------------------------------------------------------------------------- FIT
def fit_bytes(workout: Workout, written: datetime) -> bytes:
    """A FIT workout file: file id, the workout, its steps (repeats for sets)."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import (
        ExerciseCategory,
        FileType,
        Intensity,
        Manufacturer,
        Sport,
        SubSport,
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    # type, manufacturer, product and serial tell a device's workout files apart (FIT
    # SDK): the serial from the workout's id
    file_id.serial_number = zlib.crc32(workout.id.encode()) or 1
    file_id.time_created = int(written.replace(tzinfo=UTC).timestamp() * 1000)
    steps: list[WorkoutStepMessage] = []

    def add(
        name: str,
        intensity,
        seconds=None,
        reps=None,
        notes="",
        category=None,
        meters=None,
        open_=False,
    ) -> int:
        step = WorkoutStepMessage()
        step.message_index = len(steps)
        step.workout_step_name = _clip(name, 50)
        if meters is not None:
            step.duration_type = WorkoutStepDuration.DISTANCE
            step.duration_distance = float(meters)
        elif reps is not None:
            step.duration_type = WorkoutStepDuration.REPS
            step.duration_reps = reps
        elif seconds and not open_:
            step.duration_type = WorkoutStepDuration.TIME
            step.duration_time = float(seconds)
        else:
            step.duration_type = WorkoutStepDuration.OPEN
        step.target_type = WorkoutStepTarget.OPEN
        step.intensity = intensity
        if notes:
            step.notes = _clip(notes, 200)
        if category:
            step.exercise_category = ExerciseCategory[category]
        steps.append(step)
        return step.message_index

    intensity = {
        "warmup": Intensity.WARMUP,
        "active": Intensity.ACTIVE,
        "interval": Intensity.INTERVAL,
        "cooldown": Intensity.COOLDOWN,
    }
    for s in workout.steps:
        notes = ". ".join(x for x in (s.notes, s.cue) if x)
        first = add(
            s.name, intensity[s.intensity], s.seconds, s.reps, notes, s.category, s.meters, s.open
        )
        if s.rest_meters:
            add(f"{s.rest_meters} m slow", Intensity.RECOVERY, meters=s.rest_meters)
        elif s.sets > 1:
            add("Rest", Intensity.REST, s.rest or None)
        if s.sets > 1:
            repeat = WorkoutStepMessage()
            repeat.message_index = len(steps)
            repeat.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            repeat.duration_step = first
            repeat.target_repeat_steps = s.sets
            steps.append(repeat)
    message = WorkoutMessage()
    message.workout_name = _clip(f"{workout.name} {workout.date:%d %b}", 50)
    if workout.kind == "run":
        message.sport, message.sub_sport = Sport.RUNNING, SubSport.GENERIC
    else:
        message.sport, message.sub_sport = Sport.TRAINING, SubSport.STRENGTH_TRAINING
    message.num_valid_steps = len(steps)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    builder.add(file_id)
    builder.add(message)
    for step in steps:
        builder.add(step)
    return builder.build().to_bytes()


def _clip(text: str, most: int) -> str:
    """``text`` in at most ``most`` bytes of UTF-8 (FIT's strings are sized in bytes, at
    most 255: 200 Cyrillic letters are 400), cut at a word where it is cut, with " …"."""
    if len(text.encode()) <= most:
        return text
    cut = text.encode()[: most - len(" …".encode())].decode(errors="ignore")
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"


# --------------------------------------------------------------------------- text
def text_of(workout: Workout) -> str:
    """intervals.icu's plain workout text: a section line per step with its notes,
    '- Name 10m 78-88% Pace' steps (the words before the first duration are the step's
    cue; 'mtr' is metres, 'm' minutes), 'Name 3x' repeats, 'press lap' to end a race."""
    lines = [f"{workout.name} ({workout.date.isoformat()}, {workout.minutes} min)", ""]
    if workout.steps and workout.steps[0].name == "Mobility warm-up":
        lines[0] = lines[0][:-1] + f" after the {workout.steps[0].seconds // 60}-min warm-up)"
    for s in workout.steps:
        header = {"warmup": "Warmup", "cooldown": "Cooldown"}.get(s.intensity)
        target = f" {s.target}" if s.target else ""
        if s.meters is not None:
            lines.append(f"Main set {s.sets}x")  # the step says how far
            lines.append(f"- Fast {s.meters}mtr{target}")
            if s.rest_meters:
                lines.append(f"- Slow jog {s.rest_meters}mtr {PACE['jog']}")
        elif s.reps is not None or s.sets > 1:
            amount = f"{s.reps} reps" if s.reps is not None else f"{s.seconds} s"
            what = "; ".join(x for x in (amount, s.notes) if x)
            lines.append(f"{_section(f'{s.name} ({what})')} {s.sets}x")
            lines.append(f"- {_cue(s.name)} {_duration(s.seconds or SET_SECONDS)}")
            if s.rest:
                lines.append(f"- Rest {_duration(s.rest)}")
        else:
            if header or s.notes:
                lines.append(_section(": ".join(x for x in (header, s.notes) if x)))
            lap = " press lap" if s.open else ""
            lines.append(f"- {_cue(s.name)} {_duration(s.seconds or 0)}{target}{lap}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _duration(seconds: int) -> str:
    """intervals.icu's duration: 10m, 45s, 1m30s (never 0m)."""
    minutes, rest = divmod(max(1, int(seconds)), 60)
    return "".join(x for x in (f"{minutes}m" if minutes else "", f"{rest}s" if rest else ""))


def _cue(name: str) -> str:
    """A step's name as its cue: without digits (intervals.icu would read '400 m' as a
    duration), at most 40 characters."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "", name)).strip()[:40] or "Step"


def _section(text: str) -> str:
    """A section line (notes, not a step): one line, never ending as a repeat ('3x')."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(\d+)\s*x$", r"\1 x", text)


def write_workouts(
    plan: PlanSheets, folder: Path, fmt: str = "fit", first: date | None = None
) -> list[Path]:
    """Every workout into ``folder`` (``<id>.fit`` or ``<id>.txt``) and ``schedule.csv``
    (date, id, session, name, minutes, file); returns the paths written."""

    files: dict[str, bytes] = {}  # every file made before the first is written
    rows = []
    for w in workouts(plan, first):
        name = f"{w.id}.{'fit' if fmt == 'fit' else 'txt'}"
        files[name] = fit_bytes(w, plan.written) if fmt == "fit" else text_of(w).encode()
        rows.append([w.date.isoformat(), w.id, w.session, w.name, w.minutes, name])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "id", "session", "name", "minutes", "file"])
    writer.writerows(rows)
    folder.mkdir(parents=True, exist_ok=True)
    # an earlier run's files of this plan from the first day written on (another plan's
    # files in the folder, and the days before, stay)
    mine = f"{plan_slug(plan.name)}-"
    since = first or min((date.fromisoformat(r[0]) for r in rows), default=None)
    stale = {
        n
        for n, day in _listed(folder / "schedule.csv").items()
        if n not in files and n.startswith(mine) and since is not None and day >= since
    }
    written = []
    for name, data in files.items():
        with atomic_path(folder / name) as tmp:
            tmp.write_bytes(data)
        written.append(folder / name)
    with atomic_path(folder / "schedule.csv") as tmp:
        tmp.write_text(buffer.getvalue())
    for name in sorted(stale):  # a re-plan's dropped or renumbered sessions: not twice
        (folder / name).unlink(missing_ok=True)
    return [*written, folder / "schedule.csv"]


def _listed(schedule: Path) -> dict[str, date]:
    """The workout files an earlier ``workouts`` into this folder listed, with their
    dates (its own files, none other: a re-plan's run replaces them)."""
    try:
        rows = list(csv.DictReader(io.StringIO(schedule.read_text(), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    out = {}
    for r in rows:
        name = str(r.get("file") or "")
        try:
            day = date.fromisoformat(str(r.get("date") or ""))
        except ValueError:
            continue
        if re.fullmatch(r"[\w.-]+\.(fit|txt)", name):
            out[name] = day
    return out


__all__ = ["Step", "Workout", "fit_bytes", "text_of", "workouts", "write_workouts"]
