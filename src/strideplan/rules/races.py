"""Around races: taper before (no power, no heavy legs) and recovery after (no hard
sessions, no power; fixed hard runs turn easy — see :mod:`strideplan.calendar`)."""

from __future__ import annotations

from ..catalog import CATALOG
from .base import Rule, Violation


class RaceWindow(Rule):
    """Days before/after a race where power and strength_lower are not placed."""

    window: str  # the Day attribute naming the race whose window a day is in
    what: str

    def describe(self, sc):
        s = self.setting(sc)
        return f"A {s.A}, B {s.B}, C {s.C} days" if s.enabled else "off"

    def encode(self, b):
        for day in b.cal.days:
            if getattr(day, self.window) is not None:
                for s in ("power", "strength_lower"):
                    var = b.placed[s].get(day.index)
                    if var is not None:
                        b.require(self.key, var == 0, day.label, self.setting(b.sc))

    def forbidden(self, key: str) -> bool:
        """Whether a session may not stand in the window."""
        return key in ("power", "strength_lower")

    def check(self, p):
        return [
            Violation(
                self.key,
                day.date,
                f"{key} in the {self.what} of '{getattr(day, self.window).name}'",
            )
            for day in p.cal.days
            if getattr(day, self.window) is not None
            for key in p.keys(day.index)
            if self.forbidden(key)
        ]


class RaceTaper(RaceWindow):
    """No power and no strength_lower in the taper days before a race."""

    key = "race_taper"
    label = "Taper before races: no power, no heavy legs"
    source = "seed 001 (ease off dynamic work in race season); seed 002 (cut back)"
    window = "taper_of"
    what = "taper"


class RaceRecovery(RaceWindow):
    """No hard session and no power in the recovery days after a race."""

    key = "race_recovery"
    label = "Recovery after races: no hard sessions, no power"
    source = "recovery"
    window = "recovery_of"
    what = "recovery"

    def forbidden(self, key):
        return key == "power" or CATALOG[key].hard
