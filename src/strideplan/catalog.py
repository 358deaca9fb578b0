"""The session catalog from the seeds: what each kind of session is and costs.

Every session type a plan can hold, with its category, whether it makes a *hard day*,
whether it loads the legs heavily, whether it needs a gym, its default minutes and the
seed it comes from. The scenario's ``sessions:`` section may override minutes/details.
"""

from __future__ import annotations

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
                    "Steady, comfortably hard tempo run", "design card"),
        SessionType("long_run",       "run",      True,  False, False, 90,
                    "Long run at an easy, conversational pace", "design card"),
        SessionType("easy_run",       "run",      False, False, False, 40,
                    "Easy or recovery run", "seed 004"),
        SessionType("race",           "run",      True,  False, False, 60,
                    "Race", "design card"),
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
