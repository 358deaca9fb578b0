"""The exercise library and dose tables (``data/exercises.yaml``), loaded and validated
once; a slot's ladder of progression steps."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

LEVELS = ("beginner", "intermediate", "advanced")


PHASES = ("dynamic", "static", "taper", "race season", "deload", "return")


SESSIONS = ("strength_lower", "strength_core", "power", "mobility", "cooldown")


COLUMNS = [
    "date",
    "week",
    "session",
    "exercise",
    "sets",
    "reps",
    "notes",
    "effort",
    "contacts",
    "phase",
    "load",
    "equipment",
    "minutes",
    "source",
    "deload",
]


class LibraryError(ValueError):
    """The exercise library or a dose table is inconsistent (a bug in package data)."""


# ------------------------------------------------------------------------------ library
@dataclass(frozen=True)
class Exercise:
    """One exercise of the library."""

    key: str
    name: str
    short: str
    session: str  # strength_lower | strength_core | power | mobility | cooldown
    equipment: str
    cue: str
    source: str
    unit: str = "reps"  # reps | seconds
    sides: str | None = None  # "each leg" / "each side": the reps count on each side
    min_reps: int = 0  # calf raises: at least 15 (seed 003)
    isometric: bool = False  # holds and slow tempo work (static weeks)
    intensity: str | None = None  # power: low | moderate | high
    single_leg: bool = False  # power: a single-leg plyometric (hops, bounding)

    @property
    def weighted(self) -> bool:
        """Whether the exercise takes a weight (its equipment names one): a push-up,
        a dead bug or a bodyweight single-leg deadlift progresses by a harder variant,
        never by kilograms."""
        kit = self.equipment.lower().replace("bodyweight", "")
        return any(w in kit for w in ("dumbbell", "kettlebell", "barbell", "weight", "machine"))

    @property
    def contacts_per_rep(self) -> int:
        """Foot contacts per rep of a power exercise (a rep each leg counts twice)."""
        return 2 if self.sides else 1


@dataclass(frozen=True)
class Slot:
    """An exercise in a dose table with its sets and reps (or seconds) ranges."""

    exercise: Exercise
    sets: tuple[int, int]
    reps: tuple[int, int]
    #: the load in words where the table's does not fit this exercise (a calf raise
    #: stays at 15+ reps in the heavy half: not "a weight you can lift 5-8 times")
    load: str | None = None


@dataclass(frozen=True)
class Table:
    """A dose table: what a session holds in one phase, per level."""

    key: str
    session: str
    effort: str
    load: str
    note: str
    source: str
    minutes_per_set: float
    levels: dict[str, tuple[tuple[Slot, ...], ...]]  # level -> rotation of slot lists


@dataclass(frozen=True)
class Library:
    """The whole of ``data/exercises.yaml``, validated."""

    exercises: dict[str, Exercise]
    tables: dict[str, Table]
    warmup: dict[str, Any]
    cooldown: dict[str, Any]
    progression: dict[str, Any]
    light: dict[str, Any]
    power: dict[str, Any]


def _range(value: Any, where: str) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise LibraryError(f"{where}: expected [min, max] of whole numbers, got {value!r}")
    lo, hi = value
    if not 1 <= lo <= hi:
        raise LibraryError(f"{where}: need 1 <= min <= max, got {value!r}")
    return lo, hi


def _parse(data: dict) -> Library:
    fields = {f for f in Exercise.__dataclass_fields__ if f != "key"}
    exercises = {}
    for key, entry in data["exercises"].items():
        unknown = set(entry) - fields
        if unknown:
            raise LibraryError(f"exercises.{key}: unknown keys {sorted(unknown)}")
        ex = Exercise(key=key, **entry)
        if ex.session not in SESSIONS:
            raise LibraryError(f"exercises.{key}.session: {ex.session!r} is not one of {SESSIONS}")
        if not (ex.cue and ex.source and "seed" in ex.source):
            raise LibraryError(f"exercises.{key}: every exercise needs a cue and a seed source")
        if ex.session == "power" and ex.intensity not in ("low", "moderate", "high"):
            raise LibraryError(f"exercises.{key}.intensity: low, moderate or high")
        exercises[key] = ex
    tables = {}
    for key, entry in data["tables"].items():
        levels = {}
        for level, spec in entry["levels"].items():
            where = f"tables.{key}.levels.{level}"
            if level not in LEVELS:
                raise LibraryError(f"{where}: unknown level")
            sets, reps = (
                _range(spec["sets"], f"{where}.sets"),
                _range(spec["reps"], f"{where}.reps"),
            )
            lists = spec["rotation"] if "rotation" in spec else [spec["exercises"]]
            rotation = []
            for items in lists:
                slots = []
                for item in items:
                    item = item if isinstance(item, dict) else {"exercise": item}
                    unknown = set(item) - {"exercise", "reps", "load"}
                    if unknown:
                        raise LibraryError(f"{where}: unknown keys {sorted(unknown)}")
                    ex = exercises.get(item["exercise"])
                    if ex is None or ex.session != entry["session"]:
                        raise LibraryError(
                            f"{where}: {item['exercise']!r} is no {entry['session']}"
                        )
                    slot_reps = _range(item["reps"], where) if "reps" in item else reps
                    slots.append(Slot(ex, sets, slot_reps, item.get("load")))
                rotation.append(tuple(slots))
            levels[level] = tuple(rotation)
        tables[key] = Table(
            key,
            entry["session"],
            entry["effort"],
            entry["load"],
            " ".join(entry["note"].split()),
            entry["source"],
            float(entry["minutes_per_set"]),
            levels,
        )
    lib = Library(
        exercises,
        tables,
        data["warmup"],
        data["cooldown"],
        data["progression"],
        data["light"],
        data["power_limits"],
    )
    _validate(lib)
    return lib


def _validate(lib: Library) -> None:
    """The promises the tables make, checked once on load."""
    rise = lib.progression["max_weekly_rise"]
    lo, hi = lib.power["session"]
    per_leg = lib.power["single_leg_per_leg"]
    for table in lib.tables.values():
        for level, rotation in table.levels.items():
            for slots in rotation:
                where = f"tables.{table.key}.levels.{level}"
                for slot in slots:
                    ex = slot.exercise
                    if slot.reps[0] < ex.min_reps:
                        raise LibraryError(f"{where}: {ex.name} needs {ex.min_reps}+ reps")
                    steps = ladder(slot, lib)
                    for a, b in zip(steps, steps[1:]):
                        if b.volume > a.volume * (1 + rise) + 1e-9:
                            raise LibraryError(f"{where}: {ex.name} {a} -> {b} rises > {rise:.0%}")
                if table.session != "power":
                    continue
                if level == "beginner" and any(s.exercise.intensity == "high" for s in slots):
                    raise LibraryError(f"{where}: beginners' power stays low-intensity")
                first = [ladder(s, lib)[0] for s in slots]
                top = [ladder(s, lib)[-1] for s in slots]
                if not lo <= contacts_of(slots, first) <= hi or contacts_of(slots, top) > hi + 12:
                    raise LibraryError(f"{where}: contacts outside {lo}-{hi}")
                if _per_leg(slots, top) > per_leg:
                    raise LibraryError(f"{where}: more than {per_leg} single-leg contacts per leg")
    for key in lib.warmup["exercises"] + lib.cooldown["exercises"]:
        if key not in lib.exercises:
            raise LibraryError(f"warm-up / cool-down: unknown exercise {key!r}")


@cache
def library() -> Library:
    """The exercise library and dose tables from package data, loaded and validated once."""
    text = resources.files("strideplan").joinpath("data/exercises.yaml").read_text("utf-8")
    # the C loader when PyYAML has it (about 7x faster: this file is read on every solve)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _parse(yaml.load(text, Loader=loader))  # noqa: S506 (a safe loader)


# --------------------------------------------------------------------------- progression
@dataclass(frozen=True)
class Step:
    """One week's dose of an exercise: sets × reps (or seconds) at a load step."""

    sets: int
    reps: int
    load: int = 0  # load increases so far (2.5-5 kg each)
    change: str = "start"  # start | +rep | +set | +load | hold | top | capped | light

    @property
    def volume(self) -> int:
        """Sets × reps (or seconds)."""
        return self.sets * self.reps

    def __str__(self) -> str:
        return f"{self.sets}×{self.reps}"


def ladder(slot: Slot, lib: Library | None = None) -> list[Step]:
    """The weekly steps of an exercise: reps up to the top of the range; then a set more
    with reps back at the bottom; then load (2.5-5 kg) with reps back at the bottom."""
    lib = lib or library()
    prog = lib.progression
    step = prog["seconds_step"] if slot.exercise.unit == "seconds" else prog["rep_step"]
    # timed work and power get no load steps: they hold at the top of their range
    loads = (
        prog["load_steps"]
        if slot.exercise.unit == "reps"
        and slot.exercise.session
        in (
            "strength_lower",
            "strength_core",
        )
        else 0
    )
    (s_lo, s_hi), (r_lo, r_hi) = slot.sets, slot.reps
    sets, reps, load = s_lo, r_lo, 0
    out = [Step(sets, reps)]
    while True:
        if reps + step <= r_hi:
            reps, change = reps + step, "+rep"
        elif sets < s_hi:
            sets, reps, change = sets + 1, r_lo, "+set"
        elif load < loads and r_hi > r_lo:
            load, reps, change = load + 1, r_lo, "+load"
        else:
            return out
        out.append(Step(sets, reps, load, change))


def contacts_of(slots, steps) -> int:
    return sum(st.volume * s.exercise.contacts_per_rep for s, st in zip(slots, steps))


def _per_leg(slots, steps) -> int:
    return sum(st.volume for s, st in zip(slots, steps) if s.exercise.single_leg)


#: Every exercise of the library.
LIBRARY: tuple[Exercise, ...] = tuple(library().exercises.values())


#: Largest week-to-week rise of an exercise's volume (sets × reps) between full weeks.
MAX_WEEKLY_RISE: float = library().progression["max_weekly_rise"]
