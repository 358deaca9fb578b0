"""What to do in every strength, power and mobility session and every run's cool-down
(SPEC v2 "Prescriptions"), by phase, level and week.

The exercise library and the dose tables are data: ``data/exercises.yaml``, loaded and
validated once (:func:`library`). This module only applies them:

* **Weeks.** Each week is read from the calendar and the solved dynamic/static flags
  (:func:`plan_weeks`): its block (a run of training weeks between static rest weeks and
  race seasons), whether it is a *full* training week (clean: no away day, race window or
  return ramp; not static, not race season), and whether it is a deload week.
* **Doses.** A session's dose comes from the first of these that applies: the return ramp
  (about 60 % of the last full week); the last ``strength_lower`` before a race's cut-off
  and any strength inside a cut-off (maintenance, phase ``taper``); race season
  (maintenance); a static rest week (isometric, lighter); a deload week (about 60 %);
  otherwise the block's table at the week's progression stage.
* **Progression** (within a half of a block): one step per full, non-deload week; reps
  first, then a set with reps reset to the bottom of the range, then load; a week that is
  not full (away days, race windows) holds the dose. Whatever the step, an exercise's
  volume never rises more than :data:`MAX_WEEKLY_RISE` over its last full week.
* **Power** counts foot contacts: 40-80 per session, at most 120 a week (every session of
  the plan is capped alike, so a week with one session more never makes the dose jump),
  at most 24 single-leg contacts per leg, and high-intensity work only in a block's second
  half after at least three weeks of low-intensity power there (never in a beginner's
  first block).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from .calendar import Calendar, Day
from .catalog import CATALOG

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
    def contacts_per_rep(self) -> int:
        """Foot contacts per rep of a power exercise (a rep each leg counts twice)."""
        return 2 if self.sides else 1


@dataclass(frozen=True)
class Slot:
    """An exercise in a dose table with its sets and reps (or seconds) ranges."""

    exercise: Exercise
    sets: tuple[int, int]
    reps: tuple[int, int]


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
                    ex = exercises.get(item["exercise"])
                    if ex is None or ex.session != entry["session"]:
                        raise LibraryError(
                            f"{where}: {item['exercise']!r} is no {entry['session']}"
                        )
                    slot_reps = _range(item["reps"], where) if "reps" in item else reps
                    slots.append(Slot(ex, sets, slot_reps))
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
                if not lo <= _contacts(slots, first) <= hi or _contacts(slots, top) > hi + 12:
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
    change: str = "start"  # start | +rep | +set | +load | hold | capped | light

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


def _contacts(slots, steps) -> int:
    return sum(st.volume * s.exercise.contacts_per_rep for s, st in zip(slots, steps))


def _per_leg(slots, steps) -> int:
    return sum(st.volume for s, st in zip(slots, steps) if s.exercise.single_leg)


def _lighter(step: Step, factor: float, floor: int = 1) -> Step:
    """About ``factor`` of a dose's volume at the same load: sets drop first, reps at
    most halve; ``floor``: fewest reps allowed (calf raises stay at 15)."""
    target = step.volume * factor
    best = None
    for sets in range(1, step.sets + 1):
        low = min(step.reps, max(floor, math.ceil(step.reps / 2)))
        reps = min(step.reps, max(low, round(target / sets)))
        cand = Step(sets, reps, step.load, "light")
        if best is None or abs(cand.volume - target) < abs(best.volume - target):
            best = cand
    return best


def _capped(step: Step, last: Step | None, slot: Slot) -> Step:
    """The step, or the largest dose within +MAX_WEEKLY_RISE of the last full week's."""
    if last is None or step.volume <= last.volume * (1 + MAX_WEEKLY_RISE) + 1e-9:
        return step
    allowed = last.volume * (1 + MAX_WEEKLY_RISE)
    best = Step(min(step.sets, last.sets), min(step.reps, last.reps), step.load, "capped")
    for sets in range(1, step.sets + 1):
        reps = min(max(step.reps, slot.reps[1]), int(allowed // sets))
        if reps >= max(slot.reps[0], slot.exercise.min_reps) and sets * reps > best.volume:
            best = Step(sets, reps, step.load, "capped")
    return best


#: Every exercise of the library.
LIBRARY: tuple[Exercise, ...] = tuple(library().exercises.values())
#: Largest week-to-week rise of an exercise's volume (sets × reps) between full weeks.
MAX_WEEKLY_RISE: float = library().progression["max_weekly_rise"]


# --------------------------------------------------------------------------------- weeks
@dataclass
class Week:
    """What a week means for the prescriptions."""

    phase: str  # calendar.week_phase
    dynamic: bool
    block: int | None  # index of its training block; None for rest and race-season weeks
    position: int = 0  # week within its block
    length: int = 0  # weeks in its block
    #: dynamic (power) weeks of its block before it, and in all: the halves of SPEC's
    #: "dynamic block" (static weeks opening a block are no part of them)
    dynamic_position: int = 0
    dynamic_length: int = 0
    full: bool = False  # a full training week: counts for deloads and progression
    deload: bool = False
    rest: bool = False  # a static rest week (seed 001)
    season: bool = False
    light: bool = False  # any week lighter than the block: deload a neighbour is skipped


def plan_weeks(cal: Calendar, dynamic: list[bool]) -> list[Week]:
    """Blocks, full weeks and deload weeks of a plan (no solver needed beyond the flags)."""
    sc = cal.scenario
    blocks_rule = sc.rules.dynamic_blocks
    static_between = blocks_rule.static_between if blocks_rule.enabled else 1
    weeks: list[Week] = []
    static_run, seen_dynamic = 0, False
    for w in range(cal.n_weeks):
        season = w in cal.season_weeks
        static_run = 0 if dynamic[w] or season else static_run + 1
        # seed 001's rest phase is the static week(s) after a dynamic block; where power
        # never fits for longer (the plan warns), the weeks after it are a strength block
        # without power: a coach would not prescribe months of isometric holds
        rest = not dynamic[w] and not season and seen_dynamic and static_run <= static_between
        seen_dynamic = seen_dynamic or dynamic[w]
        phase = cal.week_phase(w, dynamic[w])
        weeks.append(Week(phase, dynamic[w], None, rest=rest, season=season))
    block, start = -1, None
    for w, week in enumerate(weeks + [None]):
        in_block = week is not None and not week.rest and not week.season
        if in_block and start is None:
            block, start = block + 1, w
        if not in_block and start is not None:
            dynamic_weeks = [v for v in range(start, w) if weeks[v].dynamic]
            for v in range(start, w):
                weeks[v].block, weeks[v].position, weeks[v].length = block, v - start, w - start
                # a block without power (power never fits) keeps its own weeks as halves
                weeks[v].dynamic_position = (
                    sum(u < v for u in dynamic_weeks) if dynamic_weeks else v - start
                )
                weeks[v].dynamic_length = len(dynamic_weeks) if dynamic_weeks else w - start
            start = None
    for w, week in enumerate(weeks):
        week.full = week.block is not None and cal.full_weeks[w]
        # SPEC names static weeks; taper, race, recovery and return weeks are just as light
        week.light = week.rest or week.season or week.phase not in ("dynamic", "static")
    deload = sc.rules.deload_every
    count = 0
    for w, week in enumerate(weeks):
        # SPEC v2: static (any week without power, rest phase or not), taper, race, away
        # and return weeks don't count, and a deload next to a static week is skipped
        if not week.full or not week.dynamic:
            continue
        count += 1
        near_light = any(
            weeks[v].light or not weeks[v].dynamic for v in (w - 1, w + 1) if 0 <= v < len(weeks)
        )
        if deload.enabled and count % deload.every == 0 and not near_light:
            week.deload = week.light = True
    return weeks


def _second_half(week: Week) -> bool:
    """Whether a block week lies in the second half of its block's dynamic weeks (never
    before the 4th of them)."""
    return week.dynamic_position >= max(3, math.ceil(week.dynamic_length / 2))


# ------------------------------------------------------------------------- prescribing
@dataclass
class Row:
    """One exercise row before it becomes a table row."""

    slot: Slot
    step: Step
    table: Table | None
    phase: str
    light: bool
    minutes: float
    load: str
    extra_note: str = ""
    effort: str = ""
    source: str = ""


class Prescriber:
    """Walks the plan day by day, remembering each exercise's last full-week dose."""

    def __init__(self, cal: Calendar, placed: dict[str, dict[int, int]], dynamic: list[bool]):
        self.cal, self.dynamic = cal, dynamic
        # the solver's values list every candidate day, placed or not
        self.placed = {s: {d: n for d, n in days.items() if n} for s, days in placed.items()}
        self.lib = library()
        self.level = cal.scenario.athlete.level
        self.weeks = plan_weeks(cal, dynamic)
        blocks = cal.scenario.rules.dynamic_blocks
        self.first_block_weeks = blocks.min if blocks.enabled else 6
        self.full_before = [sum(v.full for v in self.weeks[:w]) for w in range(len(self.weeks))]
        self.last_full: dict[str, Step] = {}  # exercise name -> dose of its last full week
        #: exercise name -> its last block dose, full week or not: the reference before
        #: any full week (no jump after a first week that was not full)
        self.last_block: dict[str, Step] = {}
        self.this_week: dict[str, Step] = {}
        self.rotation: dict[str, int] = {}
        self.power_cap = self._power_cap()
        self.maintenance_days = self._last_before_cutoff()
        self.low_power_weeks = self._low_power_weeks()

    # ---------------------------------------------------------------- plan-wide facts
    def _power_cap(self) -> int:
        """Contacts per session: 40-80, and every session capped alike so that the plan's
        busiest power week stays within 120 (no dose jump when a week has one less)."""
        lo, hi = self.lib.power["session"]
        per_week = [0] * self.cal.n_weeks
        for d, n in self.placed.get("power", {}).items():
            per_week[self.cal.days[d].week] += n
        busiest = max(per_week, default=1) or 1
        return min(hi, self.lib.power["week"] // busiest)

    def _last_before_cutoff(self) -> set[int]:
        """Day indexes of the last strength_lower before each race's cut-off (within the
        week before it: a session weeks earlier is not the race's last one)."""
        lower = sorted(self.placed.get("strength_lower", {}))
        out = set()
        for race in self.cal.scenario.races:
            race_day = self.cal.day_of(race.date)
            if race_day is None:
                continue
            cut = [d.index for d in self.cal.days if d.taper_of is race or d.eve_of is race]
            first = min(cut, default=race_day.index)
            before = [d for d in lower if first - 7 <= d < first]
            if before:
                out.add(before[-1])
        return out

    def _low_power_weeks(self) -> list[int]:
        """Per week: weeks of its block before it that held (low-intensity) power."""
        out, count, block = [], 0, None
        power_weeks = {self.cal.days[d].week for d in self.placed.get("power", {})}
        for w, week in enumerate(self.weeks):
            if week.block != block:
                count, block = 0, week.block
            out.append(count)
            if w in power_weeks and not self._high_power(w, count):
                count += 1
        return out

    def _table_level(self, week: Week) -> str:
        """Beginners keep their tables through their first block — a whole one, at least
        ``dynamic_blocks.min`` full weeks, however races and breaks cut it — then move on
        (intermediate)."""
        if self.level != "beginner" or week.block in (None, 0):
            return self.level
        w = self.weeks.index(week)
        return "intermediate" if self.full_before[w] >= self.first_block_weeks else "beginner"

    def _high_power(self, w: int, low_weeks: int | None = None) -> bool:
        week = self.weeks[w]
        low_weeks = self.low_power_weeks[w] if low_weeks is None else low_weeks
        return (
            week.block is not None
            and self._table_level(week) != "beginner"
            and _second_half(week)
            and low_weeks >= self.lib.power["low_weeks_before_high"]
        )

    def _stage(self, w: int, same: callable) -> int:
        """Full, non-deload weeks of this week's block before it for which ``same``."""
        week = self.weeks[w]
        return sum(
            1
            for v in range(w - week.position, w)
            if self.weeks[v].full and not self.weeks[v].deload and same(v)
        )

    # -------------------------------------------------------------------- sessions
    def _slots(self, table: Table, level: str, budget: float) -> tuple[Slot, ...]:
        """The table's exercises for this session (rotating), fitted to its minutes: a
        ceiling on sets, the same every week, so fitting never makes volume jump."""
        rotation = table.levels[level]
        n = self.rotation.get(table.key, 0)
        self.rotation[table.key] = n + 1
        slots = rotation[n % len(rotation)]
        per = table.minutes_per_set
        ceiling = int(budget // (per * len(slots)))
        # a short session keeps its sets (seed 000: 2-3 sets each) with fewer exercises
        while len(slots) > 1 and ceiling < min(s.sets[0] for s in slots):
            slots = slots[:-1]
            ceiling = int(budget // (per * len(slots)))
        if ceiling < 1:
            slots, ceiling = slots[: max(1, int(budget // per))], 1
        return tuple(
            replace(s, sets=(min(s.sets[0], ceiling), min(s.sets[1], ceiling))) for s in slots
        )

    def _block_step(self, slot: Slot, stage: int) -> Step:
        steps = ladder(slot, self.lib)
        return steps[min(stage, len(steps) - 1)]

    def session(self, day: Day, session: str) -> list[Row]:
        """The rows of one strength or power session."""
        w = day.week
        week = self.weeks[w]
        level = self._table_level(week)
        budget = self.cal.minutes(day, session)
        kind = "block"
        if day.returning:
            kind = "return"
        elif session == "strength_lower" and day.index in self.maintenance_days:
            kind = "taper"
        elif day.taper_of or day.eve_of:
            kind = "taper"
        elif session == "power" and day.run_taper < 1:
            # the runs already taper before an A or B race: jumps do too (fewer contacts,
            # low intensity) - no block's peak of hops and bounding on tapering legs
            kind = "taper"
        elif week.season:
            kind = "race season"
        elif week.rest:
            kind = "static"
        elif week.deload:
            kind = "deload"
        if session == "power":
            return self._power(day, week, kind, level, budget)
        block_table = "lower_first_half" if session == "strength_lower" else "core_block"
        second = session == "strength_lower" and level != "beginner" and week.block is not None
        second = second and _second_half(week)
        if second:
            block_table = "lower_second_half"
        table = self.lib.tables[block_table]
        phase = kind if kind != "block" else ("dynamic" if week.dynamic else "static")
        rows = []
        if kind in ("taper", "race season"):
            name = "lower_maintenance" if session == "strength_lower" else "core_maintenance"
            maint = self.lib.tables[name]
            for slot in self._slots(maint, level, budget):
                rows.append(self._row(slot, ladder(slot, self.lib)[0], maint, phase, True))
            return rows
        if kind == "static" and session == "strength_lower":
            static = self.lib.tables["lower_static"]
            for slot in self._slots(static, level, budget):
                rows.append(self._row(slot, ladder(slot, self.lib)[0], static, phase, True))
            return rows
        half = _second_half(week) if second else None
        stage = self._stage(w, lambda v: not second or _second_half(self.weeks[v]) == half)
        for slot in self._slots(table, level, budget):
            name = slot.exercise.name
            last = self.last_full.get(name) or self.last_block.get(name)
            step = _capped(self._block_step(slot, stage), last, slot)
            if kind == "block":
                self.last_block[name] = step
                if self.weeks[w].full:
                    self.this_week[name] = step
                if not week.full and step.change not in ("start", "capped"):
                    step = replace(step, change="hold")
                rows.append(self._row(slot, step, table, phase, False))
                continue
            # deload, return, and core in a static week: about 60 % of the last full week
            source = self.lib.light["return_source" if kind == "return" else "deload_source"]
            light = _lighter(last or step, self.lib.light["factor"], slot.exercise.min_reps)
            rows.append(self._row(slot, light, table, phase, True, source=source))
        return rows

    def _power(self, day: Day, week: Week, kind: str, level: str, budget: float) -> list[Row]:
        high = self._high_power(day.week) and kind != "taper"
        table = self.lib.tables["power_high" if high else "power_low"]
        slots = self._slots(table, level, budget)
        stage = self._stage(
            day.week,
            lambda v: (
                self._high_power(v) == high
                and any(d.index in self.placed.get("power", {}) for d in self.cal.week_days(v))
            ),
        )
        cap = self.power_cap
        steps = [ladder(s, self.lib) for s in slots]
        # each full week, every exercise in turn steps up if the session still fits its
        # contact cap: intensity stays, volume creeps up to the cap and then holds
        index = [0] * len(slots)
        for _ in range(stage):
            for i, st in enumerate(steps):
                trial = index[:i] + [min(index[i] + 1, len(st) - 1)] + index[i + 1 :]
                if _contacts(slots, [s[j] for s, j in zip(steps, trial)]) <= cap:
                    index = trial
        chosen = [st[j] for st, j in zip(steps, index)]
        if _contacts(slots, chosen) > cap:  # even the first step is too much: scale it down
            chosen = self._scaled(slots, chosen, cap)
        floor = min(self.lib.power["session"][0], cap)
        while _contacts(slots, chosen) < floor:  # a short session: reps up to 40 contacts
            room = [j for j, st in enumerate(chosen) if st.reps < slots[j].reps[1]]
            if not room:
                break
            j = min(room, key=lambda k: chosen[k].reps)
            chosen[j] = replace(chosen[j], reps=chosen[j].reps + 1)
        chosen = [
            _capped(
                st, self.last_full.get(s.exercise.name) or self.last_block.get(s.exercise.name), s
            )
            for s, st in zip(slots, chosen)
        ]
        light = kind != "block"
        if not light:
            self.last_block.update({s.exercise.name: st for s, st in zip(slots, chosen)})
        if week.full and not light:
            for s, st in zip(slots, chosen):
                self.this_week[s.exercise.name] = st
        if light:  # deload (and any power a light day still holds): fewer contacts, >= 40
            block = chosen  # this week's block dose: the fallback when the last full
            base = [self.last_full.get(s.exercise.name, st) for s, st in zip(slots, chosen)]
            total = max(_contacts(slots, base), _contacts(slots, block))  # week's is small
            floor = min(self.lib.power["session"][0], total)
            for factor in (0.6, 0.7, 0.8, 0.9, 1.0):
                chosen = [_lighter(st, factor) for st in base]
                if _contacts(slots, chosen) >= floor:
                    break
            else:
                for factor in (0.6, 0.7, 0.8, 0.9, 1.0):
                    chosen = [_lighter(st, factor) for st in block]
                    if _contacts(slots, chosen) >= floor:
                        break
        phase = kind if kind != "block" else "dynamic"
        return [self._row(s, st, table, phase, light) for s, st in zip(slots, chosen)]

    @staticmethod
    def _scaled(slots, steps: list[Step], cap: int) -> list[Step]:
        """Steps shrunk rep by rep (the exercise with most contacts first) until the
        session fits its cap, then topped up where one more rep still fits."""
        steps = list(steps)

        def total():
            return _contacts(slots, steps)

        while total() > cap:
            i = max(
                (j for j, st in enumerate(steps) if st.reps > 1),
                key=lambda j: steps[j].volume * slots[j].exercise.contacts_per_rep,
            )
            steps[i] = replace(steps[i], reps=steps[i].reps - 1, change="light")
        for i in range(len(steps)):
            bigger = replace(steps[i], reps=steps[i].reps + 1)
            if _contacts(slots, steps[:i] + [bigger] + steps[i + 1 :]) <= cap:
                steps[i] = bigger
        return steps

    def _row(
        self, slot: Slot, step: Step, table: Table, phase: str, light: bool, source: str = ""
    ) -> Row:
        prog = self.lib.progression
        load = table.load
        if step.change == "+rep":
            load += f"; same load, {'+5 s' if slot.exercise.unit == 'seconds' else 'one rep more'}"
        elif step.change == "+set":
            load += f"; same load, one set more (reps back to {step.reps})"
        elif step.change == "+load":
            load += f"; {prog['load_rule']}: reps back to {step.reps}"
        elif step.change == "hold":
            load += "; as last week (a week with away days or a race window does not advance)"
        elif step.change == "capped":
            load += f"; capped at +{MAX_WEEKLY_RISE:.0%} volume over the last full week"
        elif step.change == "light":
            load = "same load as the last full week, fewer sets (about 60 % of its volume)"
        minutes = step.sets * table.minutes_per_set
        return Row(slot, step, table, phase, light, minutes, load, source=source)

    # ------------------------------------------------------------------------ weeks
    def end_week(self, w: int) -> None:
        """A full, non-deload week's doses become the reference for the next."""
        if self.weeks[w].full and not self.weeks[w].deload:
            self.last_full.update(self.this_week)
        self.this_week = {}


def _reps_text(ex: Exercise, reps: int) -> str:
    text = f"{reps} s" if ex.unit == "seconds" else str(reps)
    return f"{text} {ex.sides}" if ex.sides else text


def _day_phase(cal: Calendar, week: Week, day: Day) -> str:
    """The phase label of a mobility or cool-down row: the day's own situation."""
    if day.returning:
        return "return"
    if day.taper_of or day.eve_of or day.race or day.run_taper < 1:
        return "taper"
    if week.season:
        return "race season"
    if week.deload:
        return "deload"
    return "dynamic" if week.dynamic and not week.rest else "static"


def prescribe(
    cal: Calendar, placed: dict[str, dict[int, int]], dynamic: list[bool]
) -> tuple[pd.DataFrame, dict[tuple[int, str], str]]:
    """The Exercises table, and a one-line summary per (day index, session)."""
    from .plan import day_sessions

    lib = library()
    rx = Prescriber(cal, placed, dynamic)
    rows: list[dict] = []
    details: dict[tuple[int, str], str] = {}
    land_softly = lib.power["land_softly"]
    for day in cal.days:
        week = rx.weeks[day.week]
        for session in day_sessions(day, placed):
            start = len(rows)
            category = CATALOG[session].category
            if session == "mobility":
                rows += _routine(day, session, lib.warmup, cal.minutes(day, session), week, cal)
                details[(day.index, session)] = (
                    f"Warm-up: hip flexors, glutes, hamstrings, groin, ankles "
                    f"({len(rows) - start} drills)"
                )
                continue
            if category == "run":
                minutes = min(lib.cooldown["minutes"], cal.minutes(day, session))
                rows += _routine(day, session, lib.cooldown, minutes, week, cal)
                details[(day.index, session)] = (
                    f"{cal.scenario.details(session)}; then a {minutes}' cool-down stretch: "
                    "quads, hamstrings, ITB, calves"
                )
                continue
            for r in rx.session(day, session):
                ex = r.slot.exercise
                notes = ex.cue
                if r.table.note:
                    notes += f". {r.table.note}"
                contacts = None
                if session == "power":
                    notes += f"; {land_softly}"
                    contacts = r.step.volume * ex.contacts_per_rep
                effort = r.table.effort
                if r.step.change == "light" and session != "power":
                    effort = "RIR 4"  # a light week keeps the load: far from failure
                rows.append(
                    {
                        "date": day.date,
                        "week": day.week + 1,
                        "session": session,
                        "exercise": ex.name,
                        "sets": r.step.sets,
                        "reps": _reps_text(ex, r.step.reps),
                        "notes": notes,
                        "effort": effort,
                        "contacts": contacts,
                        "phase": r.phase,
                        "load": r.load,
                        "equipment": ex.equipment,
                        "minutes": round(r.minutes, 2),
                        "source": f"{ex.source} | dose: {r.source or r.table.source}",
                        "deload": r.light,
                    }
                )
            details[(day.index, session)] = _details(rows[start:])
        if day.index % 7 == 6:
            rx.end_week(day.week)
    table = pd.DataFrame(rows, columns=COLUMNS)
    # whole numbers for power rows, empty elsewhere (not floats with NaN)
    table["contacts"] = pd.Series([r["contacts"] for r in rows], dtype=object)
    return table, details


def _routine(
    day: Day, session: str, spec: dict, minutes: float, week: Week, cal: Calendar
) -> list[dict]:
    """One pass of a warm-up or cool-down routine, fitted to its minutes."""
    lib = library()
    exercises = [lib.exercises[k] for k in spec["exercises"]]
    per = minutes / len(exercises)
    out = []
    for ex in exercises:
        reps = spec["dose"]["seconds"] if ex.unit == "seconds" else spec["dose"]["reps"]
        out.append(
            {
                "date": day.date,
                "week": day.week + 1,
                "session": session,
                "exercise": ex.name,
                "sets": 1,
                "reps": _reps_text(ex, reps),
                "notes": f"{ex.cue}; {spec['note']}",
                "effort": spec["effort"],
                "contacts": None,
                "phase": _day_phase(cal, week, day),
                "load": "bodyweight",
                "equipment": ex.equipment,
                "minutes": round(per, 2),
                "source": f"{ex.source} | dose: {spec['source']}",
                "deload": False,
            }
        )
    return out


def _short_reps(reps: str) -> str:
    return reps.replace(" each leg", "/leg").replace(" each side", "/side")


def _details(rows: list[dict]) -> str:
    """``Back squat 3×12, …; RIR 2-3`` for the Sessions sheet (a session's rows as
    dicts: a DataFrame per session cost half a second on 52 weeks)."""
    text = ", ".join(f"{r['exercise']} {r['sets']}×{r['reps']}" for r in rows)
    if rows:
        text += f"; {rows[0]['effort']}"
        contacts = [r["contacts"] for r in rows if r["contacts"] is not None]
        if contacts:
            text += f"; {int(sum(contacts))} contacts, land softly"
    return text


def short_summary(exercises: pd.DataFrame) -> str:
    """``Squat 3×12 · Lunge 3×12/leg … (RIR 2-3)`` for a session's rows (calendar cells);
    a run's cool-down reads ``+ 5' stretch``."""
    return _summary(exercises.to_dict("records"))


def records(table: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts of plain Python values, like ``to_dict("records")`` but
    column by column (pandas boxes every cell on its own: on the 52-week Exercises table,
    3 000 rows, that took several times as long)."""
    columns = list(table.columns)
    return [dict(zip(columns, row)) for row in zip(*(table[c].tolist() for c in columns))]


def short_summaries(exercises: pd.DataFrame | list[dict]) -> dict[tuple, str]:
    """:func:`short_summary` of every (date, session) in one pass over the table, or over
    its :func:`records` (a 52-week plan has about 700 sessions; grouping the DataFrame
    per session is slow)."""
    rows_of = records(exercises) if isinstance(exercises, pd.DataFrame) else exercises
    groups: dict[tuple, list[dict]] = {}
    for row in rows_of:
        groups.setdefault((row["date"], row["session"]), []).append(row)
    return {key: _summary(rows) for key, rows in groups.items()}


@cache
def _short_names() -> dict[str, str]:
    return {ex.name: ex.short for ex in library().exercises.values()}


def _summary(rows: list[dict]) -> str:
    if not rows:
        return ""
    session = str(rows[0]["session"])
    if session in CATALOG and CATALOG[session].category == "run":
        return f"+ {round(sum(r['minutes'] for r in rows))}' stretch"
    short = _short_names()
    text = " · ".join(
        f"{short.get(r['exercise'], r['exercise'])} {r['sets']}×{_short_reps(str(r['reps']))}"
        for r in rows
    )
    contacts = [r["contacts"] for r in rows if "contacts" in r and pd.notna(r["contacts"])]
    if contacts:
        text += f" · {int(sum(contacts))} contacts"
    if "effort" in rows[0] and session != "mobility":
        text += f" ({rows[0]['effort']})"
    return text
