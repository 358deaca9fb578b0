"""Facts from the scenario that every plan must respect: availability, away dates,
gym days, races and the fixed run days, and the order of sessions within a day."""

from __future__ import annotations

from ..catalog import CATALOG, WEEKDAYS, session_order
from .base import Rule, Violation


class Availability(Rule):
    """A day left out of ``athlete.availability`` (or 0 minutes) holds no training."""

    key = "athlete.availability"
    label = "Train only on available days"
    source = "scenario"
    kind = "input"

    def relaxations(self, sc, key, places):
        # fixed runs on days with no time: give those days the time, or drop the runs
        fixed = sc.runs.fixed()
        days = [d for d, run in fixed.items() if sc.athlete.availability.get(d, 0) == 0]
        need = {d: 5 * -(-(sc.minutes(fixed[d]) + sc.minutes("mobility")) // 5) for d in days}
        return [
            {f"athlete.availability.{d}": need[d] for d in days},
            {f"runs.{d}": None for d in days},
        ]

    def describe(self, sc):
        free = sc.athlete.availability
        return ", ".join(f"{d} {free[d]}'" for d in WEEKDAYS if free.get(d)) or "no free day"

    def encode(self, b):
        for day in b.cal.days:
            if day.fixed_runs and day.race is None and not day.away and day.available == 0:
                # a fixed run on a day with no time
                b.require(
                    self.key,
                    False,
                    day.place(day.fixed_runs[0]),
                    facts=((f"runs.{day.weekday}", day.place()),),
                )

    def check(self, p):
        out = []
        for day in p.cal.days:
            if day.race is None and not day.away and day.available == 0 and p.training(day.index):
                out.append(
                    Violation(
                        self.key,
                        day.date,
                        f"{', '.join(p.keys(day.index))} on a day with no "
                        f"availability ({day.weekday})",
                    )
                )
        return out


class Away(Rule):
    """No training at all on away dates (fixed runs are dropped there)."""

    key = "athlete.away"
    label = "No training on away dates"
    source = "scenario"
    kind = "input"

    def describe(self, sc):
        return f"{len(sc.athlete.away_dates())} away date(s)"

    def check(self, p):
        return [
            Violation(self.key, day.date, f"{', '.join(p.keys(day.index))} on an away day")
            for day in p.cal.days
            if day.away and p.sessions(day.index)
        ]


class Gym(Rule):
    """Heavy-legs strength needs weights: only on ``athlete.gym`` days."""

    key = "athlete.gym"
    label = "Lower-body strength only on gym days"
    source = "scenario"
    kind = "input"

    def relaxations(self, sc, key, places):
        gym = sc.athlete.gym_days()
        return [
            {"athlete.gym": [d for d in WEEKDAYS if d in gym or d == day]}
            for day in WEEKDAYS
            if day not in gym and sc.athlete.availability.get(day, 0) > 0
        ]

    def describe(self, sc):
        return ", ".join(d for d in WEEKDAYS if d in sc.athlete.gym_days()) or "no gym day"

    def ruled_out(self, b):
        return [("strength_lower", day.index) for day in b.cal.days if not day.gym]

    def encode(self, b):
        for d, lower in b.placed["strength_lower"].items():
            if not b.cal.days[d].gym:
                b.require(self.key, lower == 0, b.cal.days[d].place())

    def check(self, p):
        return [
            Violation(self.key, day.date, f"{key} needs a gym; {day.weekday} is not a gym day")
            for day in p.cal.days
            if not day.gym
            for key in p.keys(day.index)
            if CATALOG[key].needs_gym
        ]


class Races(Rule):
    """A race day holds the race alone (after mobility); races happen only on race days."""

    key = "races"
    label = "Race day holds the race alone"
    source = "scenario (races); common practice: race fresh"
    kind = "input"

    def describe(self, sc):
        return "; ".join(f"{r.name} {r.date} ({r.priority})" for r in sc.races) or "none"

    def check(self, p):
        out = []
        for day in p.cal.days:
            keys = p.keys(day.index)
            if day.race is not None:
                if keys != ["race"]:
                    out.append(
                        Violation(
                            self.key,
                            day.date,
                            f"race day of '{day.race.name}' should hold the race "
                            f"alone, has {', '.join(keys) or 'nothing'}",
                        )
                    )
            elif "race" in keys:
                out.append(
                    Violation(self.key, day.date, "a race on a day with no race in the scenario")
                )
        return out


class FixedRuns(Rule):
    """The fixed run days are kept every week: dropped on away days, replaced by a race,
    turned easy in a recovery window. Other hard runs are not invented."""

    key = "runs"
    label = "Fixed run days kept every week"
    source = "scenario"
    kind = "input"

    def relaxations(self, sc, key, places):
        return [{key: None}] if key.startswith("runs.") else []  # drop that fixed run

    def describe(self, sc):
        return ", ".join(f"{d} {run}" for d, run in sc.runs.fixed().items()) or "none"

    def check(self, p):
        out = []
        for day in p.cal.days:
            keys = p.keys(day.index)
            for run in day.fixed_runs:
                if run != "race" and run not in keys:
                    out.append(Violation(self.key, day.date, f"the fixed {run} is missing"))
            for key in keys:
                hard_run = key != "race" and CATALOG[key].category == "run" and CATALOG[key].hard
                if hard_run and key not in day.fixed_runs:
                    out.append(
                        Violation(
                            self.key,
                            day.date,
                            f"{key} is not a fixed run of {day.weekday}"
                            + (" (recovery window: it turns easy)" if day.recovery_of else ""),
                        )
                    )
        return out


class SessionOrder(Rule):
    """Within a training day: mobility first, then power, run, strength (seeds 000, 004)."""

    key = "session_order"
    label = "Mobility before each training day; power, run, strength in that order"
    source = "seeds 000, 001, 004"
    kind = "input"

    def describe(self, sc):
        return "always"

    def check(self, p):
        out = []
        for day in p.cal.days:
            sessions = p.sessions(day.index)
            if not p.training(day.index):
                continue
            if sessions[0].key != "mobility":
                out.append(Violation(self.key, day.date, "the day does not start with mobility"))
            ranks = [session_order(s.key) for s in sessions if s.key != "mobility"]
            if ranks != sorted(ranks):
                order = ", ".join(s.key for s in sessions)
                out.append(
                    Violation(
                        self.key,
                        day.date,
                        f"order {order}: expected mobility, power, run, strength",
                    )
                )
        return out
