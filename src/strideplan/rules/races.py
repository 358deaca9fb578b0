"""Around races and breaks: the strength cut-off before a race, its eve, the recovery
after it, the run taper, the return ramp after a break, and race season.

The windows themselves are calendar facts (:mod:`strideplan.calendar`): their lengths
come from each race's distance class (SPEC v2), and a fixed hard run on an eve, a
recovery day or a return-ramp day is already an easy run there. These rules keep the
placed sessions out of the windows.
"""

from __future__ import annotations

from ..catalog import CATALOG, distance_class
from ..scenario import RaceDaysRule
from .base import Rule, Violation


class RaceWindow(Rule):
    """Days around a race (or a break) where some placed sessions may not stand."""

    reshapes = True  # the window is a calendar fact (and makes its weeks not clean)
    #: sessions the window keeps out
    forbidden: tuple[str, ...] = ("power", "strength_lower")
    what: str

    def window(self, day) -> str | None:
        """What the window of a day is about (a race's name), None outside it."""
        race = getattr(day, self.attribute)
        return race.name if race is not None else None

    attribute: str
    #: the distance classes' column of the window's default days (None: no default)
    distance_days: str | None = None

    def milder(self, sc, key, places):
        """Each priority's window halved: the days the rule gives, or where it leaves
        them to the distance (``None``), the longest its races get; priorities without
        a window are left out (they keep their defaults)."""
        setting = self.setting(sc)
        if not isinstance(setting, RaceDaysRule):
            return []
        shorter = {}
        for priority in "ABC":
            days = getattr(setting, priority)
            if days is None and self.distance_days:
                days = max(
                    (
                        getattr(distance_class(r.distance), self.distance_days).get(priority, 0)
                        for r in sc.races
                        if r.priority == priority
                    ),
                    default=None,
                )
            if days:
                shorter[priority] = days // 2
        return [{f"rules.{self.key}": shorter}] if shorter else []

    def describe(self, sc):
        s = self.setting(sc)
        if not s.enabled:
            return "off"
        given = {p: getattr(s, p) for p in "ABC"}
        if all(v is None for v in given.values()):
            return "by distance (SPEC's table); a race's own days win"
        return ", ".join(f"{p} {v if v is not None else 'by distance'}" for p, v in given.items())

    def ruled_out(self, b):
        return [
            (s, day.index)
            for day in b.cal.days
            if self.window(day) is not None
            for s in self.forbidden
        ]

    def encode(self, b):
        setting = self.setting(b.sc)
        for day in b.cal.days:
            about = self.window(day)
            if about is None:
                continue
            for s in self.forbidden:
                var = b.placed[s].get(day.index)
                if var is not None:
                    b.require(self.key, var == 0, day.place(about), setting)

    def check(self, p):
        return [
            Violation(self.key, day.date, f"{key} in the {self.what} of '{self.window(day)}'")
            for day in p.cal.days
            if self.window(day) is not None
            for key in p.keys(day.index)
            if self.breaks(key)
        ]

    def breaks(self, key: str) -> bool:
        """Whether a session in the window breaks the rule."""
        return key in self.forbidden


class RaceTaper(RaceWindow):
    """The strength cut-off: no power and no strength_lower in these days before a race."""

    key = "race_taper"
    label = "Strength cut-off before races: no power, no heavy legs"
    source = "seeds 001, 002 (ease off, cut back before racing); taper studies"
    attribute = "taper_of"
    what = "strength cut-off"
    distance_days = "cutoff"


class RaceEve(RaceWindow):
    """No hard session, no strength (core included) and no power on a race's eve."""

    key = "race_eve"
    label = "Fresh race eve: no hard session, no strength, no power"
    source = "common practice: fresh legs on race day"
    attribute = "eve_of"
    what = "race eve"
    forbidden = ("power", "strength_lower", "strength_core")

    def describe(self, sc):
        s = self.setting(sc)
        return f"A {s.A}, B {s.B}, C {s.C} days" if s.enabled else "off"

    def breaks(self, key):
        return key in self.forbidden or (key != "race" and CATALOG[key].hard)


class RaceRecovery(RaceWindow):
    """No hard session and no power in the recovery days after a race."""

    key = "race_recovery"
    label = "Recovery after races: no hard sessions, no power"
    source = "common practice: recovery grows with the race distance"
    attribute = "recovery_of"
    what = "recovery"
    distance_days = "recovery"

    def breaks(self, key):
        return key == "power" or (key != "race" and CATALOG[key].hard)


class ReturnAfterBreak(RaceWindow):
    """No power in the ramp after a break; fixed hard runs there are easy runs."""

    key = "return_after_break"
    label = "Return ramp after a break: no power, hard runs easy"
    source = "seed 003 (gradual progress); common practice after time off"
    what = "return ramp"
    forbidden = ("power",)

    def window(self, day):
        return "after a break" if day.returning else None

    def describe(self, sc):
        s = self.setting(sc)
        return f"after {s.break_}+ away days in a row" if s.enabled else "off"

    def breaks(self, key):
        hard_run = key != "race" and CATALOG[key].category == "run" and CATALOG[key].hard
        return key in self.forbidden or hard_run


class RaceSeason(Rule):
    """Race-season weeks are static: no power (strength maintains: see the weekly rules)."""

    key = "race_season"
    label = "Race season: no power, strength maintains"
    reshapes = True  # season weeks are static constants and change the weekly counts
    source = "seed 001 (ease off dynamic work, keep static strength); seed 002 (cut back)"

    def describe(self, sc):
        if not self.enabled(sc):
            return "off"
        spans = [f"{s.from_} .. {s.to}" for s in sc.race_season]
        return "; ".join(spans) or "no race season given"

    def ruled_out(self, b):
        return [("power", day.index) for w in b.cal.season_weeks for day in b.cal.week_days(w)]

    def encode(self, b):
        setting = self.setting(b.sc)
        for w in sorted(b.cal.season_weeks):
            for day in b.cal.week_days(w):
                var = b.placed["power"].get(day.index)
                if var is not None:
                    b.require(self.key, var == 0, b.cal.week_place(w, "race season"), setting)

    def check(self, p):
        return [
            Violation(self.key, day.date, f"power in week {day.week + 1}, a race-season week")
            for w in sorted(p.cal.season_weeks)
            for day in p.cal.week_days(w)
            if p.count(day.index, "power")
        ]


class RunTaper(Rule):
    """Runs shorten stepwise before A and B races (minutes set by the calendar)."""

    key = "run_taper"
    label = "Run taper: runs shorten before A and B races"
    source = "taper studies: volume -40-60 %, stepwise, intensity kept"
    kind = "prescription"

    def describe(self, sc):
        s = self.setting(sc)
        if not s.enabled:
            return "off"
        parts = []
        for p in "ABC":
            f = s.factors(p)
            if f is not None:
                last = f", last week × {f.last_week:g}" if f.last_week is not None else ""
                parts.append(f"{p}: runs × {f.window:g}{last}")
        return "; ".join(parts) or "none"

    def weight(self, sc):
        return None
