"""What to do in every strength, power and mobility session, and how it progresses.

The exercise library comes from the seeds (each exercise cites its seed and cue). A
session's prescription depends on the athlete's level, the week's phase and the
athlete's *progress stage* (how many full training weeks came before):

* strength (seed 002: 3 sets of 12-15; seed 003: progress sets and weight gradually):
  reps climb by one a week to the top of the range, then a set is added with reps
  reset so the volume never rises by more than :data:`MAX_WEEKLY_RISE` week to week;
* power (seed 000: 2-3 sets, full rest; seed 003: land softly): a few contacts more
  per week, within 2-3 sets, restarting low at each new dynamic block;
* mobility (seed 000): one pass of hip flexors, glutes, hamstrings, groin, ankles.

Every ``deload_every``-th week one set is dropped from strength (and power) work, and
taper/race weeks cut back the same way (seed 002); after a deload the progression
resumes where it was, never from the start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .calendar import Calendar

#: Largest week-to-week rise of an exercise's volume (sets × reps) between full weeks.
MAX_WEEKLY_RISE = 0.20


@dataclass(frozen=True)
class Exercise:
    """One exercise of the library."""

    name: str
    session: str  # strength_lower | strength_core | power | mobility
    equipment: str  # "gym", "box or step", "none"
    unilateral: bool
    cue: str
    source: str
    unit: str = "reps"  # reps | seconds


LIBRARY: tuple[Exercise, ...] = (
    # heavy legs: compound lifts and their single-leg variants (seeds 000, 002, 003)
    Exercise(
        "Back squat",
        "strength_lower",
        "gym",
        False,
        "Feet shoulder-width, knees not past the toes, back straight; drive up fast",
        "seed 003; seed 002",
    ),
    Exercise(
        "Walking lunge",
        "strength_lower",
        "gym",
        True,
        "Front knee at 90°, back knee close to the ground without touching",
        "seed 003",
    ),
    Exercise(
        "Single-leg Romanian deadlift",
        "strength_lower",
        "gym",
        True,
        "Hinge at the hip, level pelvis: hip and knee stability",
        "seed 000; seed 002",
    ),
    Exercise(
        "Weighted calf raise",
        "strength_lower",
        "gym",
        False,
        "Fast up, slow down; at least 15 reps",
        "seed 003",
    ),
    # core, upper back, shoulders, arms; a steady circuit after an easy run (seeds 000, 004)
    Exercise(
        "Plank",
        "strength_core",
        "none",
        False,
        "Straight line ears to ankles; breathe",
        "seed 000; seed 004",
        "seconds",
    ),
    Exercise(
        "Glute bridge",
        "strength_core",
        "none",
        False,
        "Squeeze the glutes at the top; slow and steady",
        "seed 004",
    ),
    Exercise(
        "Dead bug",
        "strength_core",
        "none",
        True,
        "Low back pressed down; move slowly, time under tension",
        "seed 004",
    ),
    Exercise(
        "Bird dog",
        "strength_core",
        "none",
        True,
        "Reach long, hips square: upper back and posture",
        "seed 000",
    ),
    Exercise(
        "Push-up",
        "strength_core",
        "none",
        False,
        "Shoulders and arms for a powerful arm swing",
        "seed 000",
    ),
    # power: low volume, full rest, land softly (seeds 000, 002, 003)
    Exercise(
        "Squat jump", "power", "none", False, "Explode up, land softly and quietly", "seed 002"
    ),
    Exercise(
        "Box jump", "power", "box or step", False, "Land softly on the box, step down", "seed 003"
    ),
    Exercise(
        "Single-leg hop",
        "power",
        "none",
        True,
        "Short ground contact, cushion the landing",
        "seed 003",
    ),
    Exercise(
        "A-skip",
        "power",
        "none",
        False,
        "Knee up, toes up, drive the foot down under the hip",
        "seed 000",
    ),
    Exercise(
        "A-march",
        "power",
        "none",
        False,
        "Tall posture, sharp knee drive, opposite arm",
        "seed 000",
    ),
    Exercise(
        "Frog jump",
        "power",
        "none",
        False,
        "Jump forward from a deep squat, land softly",
        "seed 002",
    ),
    Exercise(
        "High knees on the spot",
        "power",
        "none",
        False,
        "Quick light contacts, knees to hip height",
        "seed 002",
        "seconds",
    ),
    # mobility before each training day (seed 000; hips: seed 001)
    Exercise(
        "Kneeling hip-flexor stretch",
        "mobility",
        "none",
        True,
        "Tuck the pelvis, push the hip forward",
        "seed 000; seed 001",
        "seconds",
    ),
    Exercise(
        "Glute figure-4 stretch",
        "mobility",
        "none",
        True,
        "Ankle over knee, sit back",
        "seed 000",
        "seconds",
    ),
    Exercise(
        "Leg swings (hamstrings)",
        "mobility",
        "none",
        True,
        "Relaxed swing front to back, grow the range",
        "seed 000",
    ),
    Exercise(
        "Adductor rock-back (groin)",
        "mobility",
        "none",
        True,
        "From all fours, one leg out, rock hips back",
        "seed 000",
    ),
    Exercise(
        "Ankle knee-to-wall",
        "mobility",
        "none",
        True,
        "Heel down, knee over the toes to the wall",
        "seed 000",
    ),
)

#: Heavy-legs lifts in static weeks and race season: the same muscles, slow and
#: controlled, no ballistic intent, to rest the tendons (seed 001: "drop back to more
#: static work"; in race season "continue with more static strength work").
STATIC_VARIANTS: dict[str, Exercise] = {
    "Back squat": Exercise(
        "Tempo back squat",
        "strength_lower",
        "gym",
        False,
        "3 s down, 1 s pause, controlled up; knees not past the toes",
        "seed 001; seed 003",
    ),
    "Walking lunge": Exercise(
        "Split squat",
        "strength_lower",
        "gym",
        True,
        "Stay in place, front knee at 90°, slow and controlled",
        "seed 001; seed 003",
    ),
}

#: Beginners learn the patterns with their own weight first (seed 003: "weight-bearing or
#: self weight squats"), and jump onto a low box.
BEGINNER_VARIANTS: dict[str, Exercise] = {
    "Back squat": Exercise(
        "Bodyweight squat",
        "strength_lower",
        "none",
        False,
        "Feet shoulder-width, knees not past the toes, back straight; "
        "add weight once 3 × 15 is easy",
        "seed 003",
    ),
    "Walking lunge": Exercise(
        "Reverse lunge",
        "strength_lower",
        "none",
        True,
        "Step back, front knee at 90°, back knee close to the ground",
        "seed 003",
    ),
    "Box jump": Exercise(
        "Low box jump",
        "power",
        "box or step",
        False,
        "Knee-high box or step; land softly, step down",
        "seed 003",
    ),
}

#: Short names for the printed calendar.
SHORT_NAMES: dict[str, str] = {
    "Back squat": "Squat",
    "Tempo back squat": "Tempo squat",
    "Walking lunge": "Lunge",
    "Split squat": "Split squat",
    "Single-leg Romanian deadlift": "1-leg RDL",
    "Weighted calf raise": "Calf raise",
    "Glute bridge": "Bridge",
    "Bodyweight squat": "BW squat",
    "Reverse lunge": "Rev. lunge",
    "High knees on the spot": "High knees",
    "Single-leg hop": "1-leg hop",
}


def short_summary(exercises: pd.DataFrame) -> str:
    """``Squat 3×12 · Lunge 3×12/leg …`` for a session's exercise rows (calendar cells)."""
    parts = []
    for row in exercises.itertuples(index=False):
        reps = str(row.reps).replace(" each leg", "/leg").replace(" each side", "/side")
        parts.append(f"{SHORT_NAMES.get(row.exercise, row.exercise)} {row.sets}×{reps}")
    return " · ".join(parts)


# Starting (sets, reps) and ceiling by level for each kind of work.
_START = {
    "strength_lower": {"beginner": (2, 10), "intermediate": (3, 12), "advanced": (3, 12)},
    "strength_core": {"beginner": (2, 10), "intermediate": (2, 12), "advanced": (3, 12)},
    "power": {"beginner": (2, 5), "intermediate": (2, 5), "advanced": (2, 6)},
}
_TOP_SETS = {
    "strength_lower": {"beginner": 3, "intermediate": 4, "advanced": 4},
    "strength_core": {"beginner": 3, "intermediate": 3, "advanced": 4},
    "power": {"beginner": 3, "intermediate": 3, "advanced": 3},  # 2-3 sets (seed 000)
}
_REP_RANGE = {"strength_lower": (10, 15), "strength_core": (10, 15), "power": (5, 8)}
_CALF_MIN_REPS = 15  # seed 003: at least 15 repetitions
_MINUTES_PER_SET = {"strength_lower": 2.5, "strength_core": 1.25, "power": 1.5}
_EXERCISES_PER_SESSION = {"strength_lower": 4, "strength_core": 4, "power": 4, "mobility": 5}


def ladder(session: str, level: str) -> list[tuple[int, int]]:
    """The (sets, reps) steps of a progression, volume rising at most MAX_WEEKLY_RISE."""
    sets, reps = _START[session][level]
    lo, hi = _REP_RANGE[session]
    top_sets = _TOP_SETS[session][level]
    steps = [(sets, reps)]
    while True:
        if reps < hi:
            reps += 1
        elif sets < top_sets:
            volume = sets * reps
            sets += 1
            # adding a set: aim for about half the cap, leaving room for rounding
            reps = max(lo, min(hi, math.ceil(volume * (1 + MAX_WEEKLY_RISE / 2) / sets)))
        else:
            return steps
        steps.append((sets, reps))


def _stages(cal: Calendar, dynamic: list[bool]) -> tuple[list[int], list[int], list[bool]]:
    """Per week: strength stage, power stage (within its dynamic block), deload flag."""
    deload = cal.scenario.rules.deload_every
    strength_stage, power_stage, is_deload = [], [], []
    done, block = 0, 0
    for w in range(cal.n_weeks):
        cut = deload.enabled and (w + 1) % deload.every == 0
        cut = cut or cal.week_phase(w, dynamic[w]) in ("taper", "race")
        is_deload.append(cut)
        if dynamic[w] and w > 0 and not dynamic[w - 1]:
            block = 0  # a new dynamic block starts low again
        strength_stage.append(done)
        power_stage.append(block)
        if not cut:
            done += 1
            block += 1 if dynamic[w] else 0
    return strength_stage, power_stage, is_deload


def _dose(
    session: str, level: str, stage: int, cut: bool, exercise: Exercise
) -> tuple[int, str, int]:
    """(sets, reps text, reps number) of one exercise at a stage."""
    steps = ladder(session, level)
    sets, reps = steps[min(stage, len(steps) - 1)]
    if cut:
        sets = max(1, sets - 1)
    if exercise.name == "Weighted calf raise":  # high reps, in proportion to the rest
        reps = max(-(-reps * 3 // 2), _CALF_MIN_REPS)
    if exercise.unit == "seconds":
        # seconds scale with the rep count so timed work obeys the same progression cap
        seconds = reps * (3 if session == "power" else 4)
        return sets, f"{seconds} s" + (" each side" if exercise.unilateral else ""), reps
    return sets, f"{reps} each leg" if exercise.unilateral else str(reps), reps


def _fit(session: str, exercises: list[Exercise], budget: int) -> tuple[list[Exercise], int, float]:
    """Exercises, a ceiling on sets and minutes per set so the session fits its minutes.

    The ceiling is the same every week for a session of the same length, so trimming
    never makes volume jump from one week to the next.
    """
    if session == "mobility":
        return exercises, 1, budget / len(exercises)
    per_set = _MINUTES_PER_SET[session]
    max_sets = int(budget // (per_set * len(exercises)))
    if max_sets >= 1:
        return exercises, max_sets, per_set
    n = max(1, int(budget // per_set))  # fewer exercises, one set each
    return exercises[:n], 1, min(per_set, budget / n)


def _pick(session: str, n_seen: int) -> list[Exercise]:
    """The session's exercises, rotating through the library for variety."""
    pool = [e for e in LIBRARY if e.session == session]
    k = min(_EXERCISES_PER_SESSION[session], len(pool))
    if session in ("strength_lower", "mobility"):
        return pool[:k]  # the compound lifts every time; the full mobility routine
    start = n_seen % len(pool)
    return [pool[(start + i) % len(pool)] for i in range(k)]


def _phase_note(session: str, phase: str, cut: bool) -> str:
    if session == "strength_lower" and phase != "dynamic":
        return f"{phase} week: static strength, slow and controlled"
    if session == "strength_lower":
        return "lift fast with good form (ballistic intent)"
    if session == "power":
        return "full rest between sets; quality over fatigue"
    if session == "strength_core":
        return "steady circuit, little rest; after an easy run if there is one"
    return ""


def prescribe(
    cal: Calendar, placed: dict[str, dict[int, int]], dynamic: list[bool]
) -> tuple[pd.DataFrame, dict[tuple[int, str], str]]:
    """The Exercises table, and a one-line summary per (day index, session)."""
    from .plan import day_sessions

    sc = cal.scenario
    level = sc.athlete.level
    strength_stage, power_stage, is_deload = _stages(cal, dynamic)
    rows, details = [], {}
    seen = {"strength_core": 0, "power": 0}
    for day in cal.days:
        phase = cal.week_phase(day.week, dynamic[day.week])
        for session in day_sessions(day, placed):
            if session not in ("strength_lower", "strength_core", "power", "mobility"):
                continue
            exercises = _pick(session, seen.get(session, 0))
            if level == "beginner":
                exercises = [BEGINNER_VARIANTS.get(ex.name, ex) for ex in exercises]
            if session == "strength_lower" and phase != "dynamic":
                exercises = [STATIC_VARIANTS.get(ex.name, ex) for ex in exercises]
            if session in seen:
                seen[session] += 1
            budget = sc.minutes(session)
            parts = []
            cut = is_deload[day.week]
            stage = power_stage[day.week] if session == "power" else strength_stage[day.week]
            exercises, max_sets, per_set = _fit(session, exercises, budget)
            for ex in exercises:
                if session == "mobility":
                    sets, reps_text = (
                        1,
                        ("30 s each side" if ex.unit == "seconds" else "10 each leg"),
                    )
                    minutes = budget / len(exercises)
                else:
                    sets, reps_text, _ = _dose(session, level, stage, cut, ex)
                    sets = min(sets, max_sets)
                    minutes = sets * per_set
                note = ex.cue
                extra = _phase_note(session, phase, cut)
                if extra:
                    note = f"{note}; {extra}"
                if cut and session != "mobility":
                    note += "; reduced volume (deload / race week)"
                rows.append(
                    {
                        "date": day.date,
                        "week": day.week + 1,
                        "session": session,
                        "exercise": ex.name,
                        "sets": sets,
                        "reps": reps_text,
                        "notes": note,
                        "equipment": ex.equipment,
                        "source": ex.source,
                        "phase": phase,
                        "deload": cut,
                        "minutes": round(minutes, 1),
                    }
                )
                parts.append(f"{ex.name} {sets}×{reps_text}")
            details[(day.index, session)] = (
                ", ".join(parts)
                if session != "mobility"
                else f"Hip flexors, glutes, hamstrings, groin, ankles ({len(parts)} drills)"
            )
    columns = [
        "date",
        "week",
        "session",
        "exercise",
        "sets",
        "reps",
        "notes",
        "equipment",
        "source",
        "phase",
        "deload",
        "minutes",
    ]
    return pd.DataFrame(rows, columns=columns), details
