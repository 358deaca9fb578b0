"""The session catalog from the seeds: what each kind of session is and costs.

Every session type a plan can hold, with its category, whether it makes a *hard day*,
whether it loads the legs heavily, whether it needs a gym, its default minutes and the
seed it comes from. The scenario's ``sessions:`` section may override minutes/details.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATEGORIES: tuple[str, ...] = ("run", "strength", "power", "mobility")

#: Order of categories within a training day (seeds 000, 004): mobility first, then
#: power on fresh legs, then the run, strength last (after an easy run).
CATEGORY_ORDER: dict[str, int] = {"mobility": 1, "power": 2, "run": 3, "strength": 4}


@dataclass(frozen=True)
class SessionType:
    """One entry of SPEC's session catalog."""

    key: str
    category: str
    hard: bool
    heavy_legs: bool
    needs_gym: bool
    minutes: int
    details: str
    source: str


# fmt: off
CATALOG: dict[str, SessionType] = {
    s.key: s
    for s in (
        #           key               category    hard   heavy  gym    min  details, source
        SessionType("intervals",      "run",      True,  False, False, 60,
                    "6 × 400 m fast / 200 m slow jog", "seed 003"),
        SessionType("tempo",          "run",      True,  False, False, 50,
                    "Steady, comfortably hard tempo run", "common practice"),
        SessionType("long_run",       "run",      True,  False, False, 90,
                    "Long run at an easy, conversational pace", "common practice"),
        SessionType("easy_run",       "run",      False, False, False, 40,
                    "Easy or recovery run", "seed 004"),
        SessionType("race",           "run",      True,  False, False, 60,
                    "Race", "scenario (races)"),
        SessionType("strength_lower", "strength", True,  True,  True,  45,
                    "Squats, lunges, 1-leg deadlifts, calf raises", "seeds 000, 002, 003"),
        SessionType("strength_core",  "strength", False, False, False, 30,
                    "Core, upper back, shoulders, arms", "seeds 000, 004"),
        SessionType("power",          "power",    False, False, False, 20,
                    "Jumps, box jumps, single-leg hops, skips, marches, frog jumps; "
                    "2–3 sets, full rest", "seeds 000, 002, 003"),
        SessionType("mobility",       "mobility", False, False, False, 10,
                    "Hip flexors, glutes, hamstrings, groin, ankles", "seeds 000, 001"),
    )
}
# fmt: on

#: Sessions the solver places (runs other than easy runs are fixed by the scenario).
PLACED_SESSIONS: tuple[str, ...] = ("easy_run", "strength_lower", "strength_core", "power")
STRENGTH_SESSIONS: tuple[str, ...] = ("strength_lower", "strength_core")


def session_order(key: str) -> int:
    """Position of a session within its day (mobility 1, power 2, run 3, strength 4)."""
    return CATEGORY_ORDER[CATALOG[key].category]


# ---------------------------------------------------------------------- races by distance
@dataclass(frozen=True)
class DistanceClass:
    """SPEC's race windows for one distance class, in days, by race priority.

    ``cutoff``: the strength cut-off before the race (``race_taper``: no power, no heavy
    legs; the last heavy session comes 5-10 days out: seeds 001, 002 and taper studies);
    ``run_taper``: days whose runs are shortened (taper studies: volume -40-60 %,
    stepwise); ``recovery``: days after the race without hard sessions (common practice:
    longer races, longer recovery).
    """

    name: str
    max_km: float
    minutes: int
    cutoff: dict[str, int]
    run_taper: dict[str, int]
    recovery: dict[str, int]


# fmt: off
DISTANCE_CLASSES: dict[str, DistanceClass] = {
    c.name: c
    for c in (
        #             name        max km  min  cut-off A/B/C           run taper A/B      recovery A/B/C
        DistanceClass("5k",       7,      30,  {"A": 5, "B": 3, "C": 2},  {"A": 7, "B": 4},  {"A": 3, "B": 2, "C": 1}),
        DistanceClass("10k",      15,     60,  {"A": 7, "B": 4, "C": 2},  {"A": 10, "B": 5}, {"A": 5, "B": 3, "C": 1}),
        DistanceClass("half",     30,     130, {"A": 7, "B": 4, "C": 2},  {"A": 10, "B": 5}, {"A": 7, "B": 4, "C": 2}),
        DistanceClass("marathon", 43,     255, {"A": 10, "B": 5, "C": 3}, {"A": 14, "B": 7}, {"A": 14, "B": 10, "C": 7}),
        DistanceClass("ultra",    1e9,    300, {"A": 10, "B": 5, "C": 3}, {"A": 14, "B": 7}, {"A": 21, "B": 14, "C": 7}),
    )
}
# fmt: on

#: Pace behind a race's default minutes: 6 min per km, rounded up to 5 minutes.
RACE_MINUTES_PER_KM = 6


def distance_class(distance: str | float) -> DistanceClass:
    """The class of a race distance: a class name, or km (<= 7 is a 5k-class race, ...)."""
    if isinstance(distance, str):
        return DISTANCE_CLASSES[distance]
    return next(c for c in DISTANCE_CLASSES.values() if distance <= c.max_km)


def race_default_minutes(distance: str | float) -> int:
    """Minutes of a race from its distance: the class's table value, or 6 min/km for km."""
    if isinstance(distance, str):
        return DISTANCE_CLASSES[distance].minutes
    return max(5, math.ceil(distance * RACE_MINUTES_PER_KM / 5) * 5)
