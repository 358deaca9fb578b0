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
  not full (away days, race windows) does not count, so the week after it repeats its
  dose ("as before"). Whatever the step, an exercise's
  volume never rises more than :data:`MAX_WEEKLY_RISE` over its last full week.
* **Power** counts foot contacts: 40-80 per session, at most 120 a week (every session of
  the plan is capped alike, so a week with one session more never makes the dose jump),
  at most 24 single-leg contacts per leg, and high-intensity work only in a block's second
  half after at least three weeks of low-intensity power there (never in a beginner's
  first block).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ..calendar import Calendar, Day
from ..catalog import CATALOG
from ..plan import day_sessions
from .doses import (  # noqa: F401
    Week,
    capped_of,
    grain_of,
    lighter_of,
    plan_weeks,
    second_half,
)
from .library import (  # noqa: F401
    COLUMNS,
    LEVELS,
    LIBRARY,
    MAX_WEEKLY_RISE,
    PHASES,
    SESSIONS,
    Exercise,
    Library,
    LibraryError,
    Slot,
    Step,
    Table,
    contacts_of,
    ladder,
    library,
)
from .summary import (  # noqa: F401
    details_of,
    records,
    short_summaries,
    short_summary,
)

#: the effort of a deload or return week's hold or core circuit, a notch below the
#: block's RPE 6-7 (a loaded lift says "RIR 4" instead: same load, far from failure)
LIGHT_RPE = "RPE 5-6"


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
        #: exercise name -> (week, its block dose that week, its dose the week before):
        #: a dose that repeats the week before's says "as before", whatever the ladder
        self.shown: dict[str, tuple[int, Step, Step | None]] = {}
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
            and second_half(week)
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
        second = second and second_half(week)
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
        half = second_half(week) if second else None
        stage = self._stage(w, lambda v: not second or second_half(self.weeks[v]) == half)
        for slot in self._slots(table, level, budget):
            name = slot.exercise.name
            last = self.last_full.get(name) or self.last_block.get(name)
            steps = ladder(slot, self.lib)
            step = capped_of(steps[min(stage, len(steps) - 1)], last, slot)
            if kind == "block":
                self.last_block[name] = step
                if self.weeks[w].full:
                    self.this_week[name] = step
                step = self._as_before(name, w, step, stage >= len(steps) - 1)
                rows.append(self._row(slot, step, table, phase, False))
                continue
            # deload, return, and core in a static week: about 60 % of the last full week,
            # unless that week's dose belongs to another phase (its reps outside this
            # table's range: the heavy half after the burn half): then of this week's own
            source = self.lib.light["return_source" if kind == "return" else "deload_source"]
            same_phase = last is not None and slot.reps[0] <= last.reps <= slot.reps[1]
            reference = last if same_phase else step
            factor = self.lib.light["factor"]
            light = lighter_of(reference, factor, slot.exercise.min_reps, grain_of(slot))
            row = self._row(slot, light, table, phase, True, source=source)
            rows.append(replace(row, load=_light_load(light, reference, same_phase)))
        return rows

    def _as_before(self, name: str, w: int, step: Step, top: bool) -> Step:
        """``step``, labelled "hold" (or "top") where it repeats the dose the exercise had
        in an earlier week: the weeks between did not count (away days, a race window, a
        deload) or the phase's steps are done. A week that does step up says how, away
        days or not: it follows the last full week."""
        seen = self.shown.get(name)
        before = seen[2] if seen and seen[0] == w else seen[1] if seen else None
        self.shown[name] = (w, step, before)
        same = before is not None and (before.sets, before.reps, before.load) == (
            step.sets,
            step.reps,
            step.load,
        )
        if same and step.change not in ("start", "capped"):
            return replace(step, change="top" if top else "hold")
        return step

    def _power(self, day: Day, week: Week, kind: str, level: str, budget: float) -> list[Row]:
        high = self._high_power(day.week) and kind != "taper"
        if high and kind == "deload":
            # a deload unloads: it never brings the block's first high-intensity week
            # (that waits for the next full week); after one it keeps the block's level
            start = day.week - week.position
            high = any(
                self._high_power(v) and not self.weeks[v].deload for v in range(start, day.week)
            )
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
                if contacts_of(slots, [s[j] for s, j in zip(steps, trial)]) <= cap:
                    index = trial
        chosen = [st[j] for st, j in zip(steps, index)]
        if contacts_of(slots, chosen) > cap:  # even the first step is too much: scale it down
            chosen = self._scaled(slots, chosen, cap)
        floor = min(self.lib.power["session"][0], cap)
        while contacts_of(slots, chosen) < floor:  # a short session: reps up to 40 contacts
            room = [j for j, st in enumerate(chosen) if st.reps < slots[j].reps[1]]
            if not room:
                break
            j = min(room, key=lambda k: chosen[k].reps)
            chosen[j] = replace(chosen[j], reps=chosen[j].reps + 1)
        chosen = [
            capped_of(
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
            total = max(contacts_of(slots, base), contacts_of(slots, block))  # week's is small
            floor = min(self.lib.power["session"][0], total)
            for factor in (0.6, 0.7, 0.8, 0.9, 1.0):
                chosen = [lighter_of(st, factor) for st in base]
                if contacts_of(slots, chosen) >= floor:
                    break
            else:
                for factor in (0.6, 0.7, 0.8, 0.9, 1.0):
                    chosen = [lighter_of(st, factor) for st in block]
                    if contacts_of(slots, chosen) >= floor:
                        break
        phase = kind if kind != "block" else "dynamic"
        return [self._row(s, st, table, phase, light) for s, st in zip(slots, chosen)]

    @staticmethod
    def _scaled(slots, steps: list[Step], cap: int) -> list[Step]:
        """Steps shrunk rep by rep (the exercise with most contacts first) until the
        session fits its cap, then topped up where one more rep still fits."""
        steps = list(steps)

        def total():
            return contacts_of(slots, steps)

        while total() > cap:
            i = max(
                (j for j, st in enumerate(steps) if st.reps > 1),
                key=lambda j: steps[j].volume * slots[j].exercise.contacts_per_rep,
            )
            steps[i] = replace(steps[i], reps=steps[i].reps - 1, change="light")
        for i in range(len(steps)):
            bigger = replace(steps[i], reps=steps[i].reps + 1)
            if contacts_of(slots, steps[:i] + [bigger] + steps[i + 1 :]) <= cap:
                steps[i] = bigger
        return steps

    def _row(
        self, slot: Slot, step: Step, table: Table, phase: str, light: bool, source: str = ""
    ) -> Row:
        prog = self.lib.progression
        ex = slot.exercise
        load = slot.load or table.load
        if not ex.weighted and ("a weight" in load or "working load" in load):
            # "a weight that burns" for a bodyweight exercise: there is no weight
            load = prog["bodyweight_load"]
        if step.change == "+rep":
            load += f"; same load, {'+5 s' if ex.unit == 'seconds' else 'one rep more'}"
        elif step.change == "+set":
            load += f"; same load, one set more (reps back to {step.reps})"
        elif step.change == "+load":
            rule = prog["load_rule"] if ex.weighted else prog["harder_rule"]
            load += f"; {rule}: reps back to {step.reps}"
        elif step.change == "hold":
            load += (
                "; as before (progress waits for a full week: away days, a race window or"
                " a deload do not count)"
            )
        elif step.change == "top":
            load += "; as before (the top of this phase's steps)"
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


def _light_load(light: Step, reference: Step, last_week: bool) -> str:
    """The load words of a deload or return dose: whose load it keeps (the last full
    week's, or this phase's own where that week was another phase) and what it cut."""
    whose = "same load as the last full week" if last_week else "this phase's load"
    cut = (
        "fewer sets"
        if light.reps == reference.reps
        else "fewer reps"
        if light.sets == reference.sets
        else "fewer sets and reps"
    )
    of = "its volume" if last_week else "a full week's volume"
    return f"{whose}, {cut} (about 60 % of {of})"


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
                    # a light week keeps the load: far from failure (a hold or a core
                    # circuit has no reps in reserve to count: an easier effort)
                    effort = "RIR 4" if effort.startswith("RIR") else LIGHT_RPE
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
            details[(day.index, session)] = details_of(rows[start:])
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
