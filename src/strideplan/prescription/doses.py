"""Doses and weeks: the lighter and capped steps, and each week's block, fullness and
deload flag."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..calendar import Calendar
from .library import MAX_WEEKLY_RISE, Slot, Step


def lighter_of(step: Step, factor: float, floor: int = 1, grain: int = 1) -> Step:
    """About ``factor`` of a dose's volume at the same load: sets drop first (3 × 5 ->
    2 × 5, not 3 × 3: a heavy set stays heavy), reps only where fewer sets alone land
    more than a fifth off the target, and then at most halve; a dose of two sets or
    more keeps two where fewer reps reach the target (2 × 14 -> 2 × 8, not 1 × 14: one
    set of a lift is barely a session); ``floor``: fewest reps allowed (calf raises stay
    at 15); ``grain``: reps in steps of it (a hold in whole 5 s: 35 s, not 37 s)."""
    target = step.volume * factor
    low = min(step.reps, math.ceil(max(floor, math.ceil(step.reps / 2)) / grain) * grain)

    def with_reps(sets: int) -> Step:
        reps = min(step.reps, max(low, round(target / sets / grain) * grain))
        return Step(sets, reps, step.load, "light")

    def off(cand: Step) -> float:
        return abs(cand.volume - target)

    fewer = min(
        (Step(sets, step.reps, step.load, "light") for sets in range(1, step.sets + 1)),
        key=off,
    )
    best = fewer if off(fewer) <= 0.2 * target else None
    if best is None:
        best = min((with_reps(sets) for sets in range(1, step.sets + 1)), key=off)
    if best.sets == 1 and step.sets >= 2:
        two = with_reps(2)
        if off(two) <= 0.2 * target:
            return two
    return best


def grain_of(slot: Slot) -> int:
    """The step a dose's reps move in: 5 s for a timed exercise, else 1."""
    return 5 if slot.exercise.unit == "seconds" else 1


def capped_of(step: Step, last: Step | None, slot: Slot) -> Step:
    """The step, or the largest dose within +MAX_WEEKLY_RISE of the last full week's.

    At least two sets where the step has them (one set of a lift is barely a session):
    within the slot's reps where such a dose fits; else (the week after another phase's
    smaller volume: a new block's 12-15 burn after the heavy half's 3 × 5) fewer reps, as
    many a set as the cap allows (2 × 9 rather than 3 × 6, and never 1 × 15, or 3 × 5 at
    "a weight that burns"): a re-entry week that climbs back into the range within the
    cap."""
    if last is None or step.volume <= last.volume * (1 + MAX_WEEKLY_RISE) + 1e-9:
        return step
    allowed = last.volume * (1 + MAX_WEEKLY_RISE)
    grain = grain_of(slot)
    best = None
    for sets in range(min(2, step.sets), step.sets + 1):
        reps = min(max(step.reps, slot.reps[1]), int(allowed // sets) // grain * grain)
        if reps >= max(slot.reps[0], slot.exercise.min_reps) and (
            best is None or sets * reps > best.volume
        ):
            best = Step(sets, reps, step.load, "capped")
    if best is not None:
        return best
    for sets in range(min(2, step.sets), step.sets + 1):
        reps = min(step.reps, int(allowed // sets) // grain * grain)
        if reps >= max(1, slot.exercise.min_reps) and (best is None or sets * reps > best.volume):
            best = Step(sets, reps, step.load, "capped")
    return best or Step(min(step.sets, last.sets), min(step.reps, last.reps), step.load, "capped")


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


def second_half(week: Week) -> bool:
    """Whether a block week lies in the second half of its block's dynamic weeks (never
    before the 4th of them)."""
    return week.dynamic_position >= max(3, math.ceil(week.dynamic_length / 2))
