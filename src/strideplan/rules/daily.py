"""Per-day limits: sessions, runs, minutes."""

from __future__ import annotations

from ..calendar import weekdays_in
from ..catalog import WEEKDAYS
from .base import Rule, Violation


class MaxSessionsPerDay(Rule):
    """At most this many run/strength/power sessions per day (mobility doesn't count).

    ``athlete.max_sessions_per_day`` is a fact about the athlete, not a tuning of the
    rule: it stays a hard limit when the rule is switched off or made soft.
    """

    key = "max_sessions_per_day"
    label = "Sessions per day"
    source = "scenario (athlete.max_sessions_per_day); common practice"

    def milder(self, sc, key, places):
        limit = sc.max_sessions_per_day()
        fix = {f"rules.{self.key}": limit + 1}
        if sc.athlete.max_sessions_per_day:
            fix["athlete.max_sessions_per_day"] = limit + 1
        return [fix]

    def enabled(self, sc) -> bool:
        return super().enabled(sc) or sc.athlete.max_sessions_per_day is not None

    def effective_kind(self, sc) -> str:
        return "hard" if self._athlete_limit(sc) is not None else super().effective_kind(sc)

    @staticmethod
    def _athlete_limit(sc) -> int | None:
        return sc.athlete.max_sessions_per_day

    def _rule_limit(self, sc) -> int | None:
        setting = self.setting(sc)
        return setting.max if setting.enabled else None

    def hard_limit(self, sc) -> int | None:
        """The limit a plan must keep: the tighter of the athlete's own and the rule's
        (when the rule is on and hard); None when neither applies."""
        setting = self.setting(sc)
        limits = [self._athlete_limit(sc)]
        if setting.enabled and setting.hard:
            limits.append(setting.max)
        return min((x for x in limits if x is not None), default=None)

    def limit(self, sc) -> int:
        """The limit shown for the rule (the rule's own when only it applies, soft)."""
        limit = self.hard_limit(sc)
        return self.setting(sc).max if limit is None else limit

    def describe(self, sc):
        return f"max {self.limit(sc)}" if self.enabled(sc) else "off"

    def encode(self, b):
        setting = self.setting(b.sc)
        rule, athlete = self._rule_limit(b.sc), self._athlete_limit(b.sc)
        for day in b.cal.days:
            sessions = b.sessions_on(day)
            if day.race is None:  # fixed runs alone may break the limit: then no plan holds
                if rule is not None:
                    b.require(self.key, sum(sessions) <= rule, day.place(), setting)
                if athlete is not None and (rule is None or not setting.hard or athlete < rule):
                    b.require(self.key, sum(sessions) <= athlete, day.place())

    def check(self, p):
        limit = self.hard_limit(p.sc)
        if limit is None:
            return []
        return [  # a race day holds the race alone whatever the limit (rule `races`)
            Violation(self.key, day.date, f"{len(p.keys(day.index))} sessions (max {limit})")
            for day in p.cal.days
            if day.race is None and len(p.keys(day.index)) > limit
        ]


class MaxRunsPerDay(Rule):
    """At most this many runs per day (doubles are for elites)."""

    key = "max_runs_per_day"
    label = "Runs per day"
    source = "common practice"

    def milder(self, sc, key, places):
        return [{f"rules.{self.key}": self.setting(sc).max + 1}]

    def ruled_out(self, b):
        limit = self.setting(b.sc).max
        return [("easy_run", day.index) for day in b.cal.days if len(day.fixed_runs) >= limit]

    def encode(self, b):
        limit = self.setting(b.sc).max
        for day in b.cal.days:  # fixed runs and races count: beyond the limit, no plan holds
            b.require(self.key, b.runs_on(day.index) <= limit, day.place(), self.setting(b.sc))

    def check(self, p):
        limit = self.setting(p.sc).max
        return [
            Violation(self.key, day.date, f"{p.runs(day.index)} runs (max {limit})")
            for day in p.cal.days
            if p.runs(day.index) > limit
        ]


class DailyMinutes(Rule):
    """A day's sessions, mobility included, fit its available minutes (race days exempt)."""

    key = "daily_minutes"
    label = "Sessions fit the day's free minutes"
    source = "scenario (athlete.availability)"

    def milder(self, sc, key, places):
        # days whose fixed run alone (with its warm-up) overflows: give all of them the time
        free = sc.athlete.availability
        out = []
        short = {
            d: sc.minutes(run) + sc.minutes("mobility")
            for d, run in sc.runs.fixed().items()
            if 0 < free.get(d, 0) < sc.minutes(run) + sc.minutes("mobility")
        }
        if short:
            out.append(
                {f"athlete.availability.{d}": 5 * -(-need // 5) for d, need in short.items()}
            )
        days = weekdays_in(places) or [d for d in WEEKDAYS if free.get(d, 0) > 0]
        for extra in (10, 20, 30, 45, 60):
            out += [{f"athlete.availability.{day}": free.get(day, 0) + extra} for day in days]
        for extra in (15, 30):
            out.append({f"athlete.availability.{day}": free.get(day, 0) + extra for day in days})
        # or shorter strength and power sessions: what a coach tries before asking the
        # athlete for time (a 20-minute core circuit fits a 45-minute evening with a run)
        shorter = {}
        for session, least in (("strength_core", 15), ("power", 15), ("strength_lower", 30)):
            minutes = sc.minutes(session) - 10
            if minutes >= least:
                out.append({f"sessions.{session}.minutes": minutes})
                shorter[f"sessions.{session}.minutes"] = minutes
        if len(shorter) > 1:
            out.append(shorter)
        return out

    def ruled_out(self, b):
        cal = b.cal
        mobility = b.sc.minutes("mobility")
        out = []
        for day in cal.days:
            if day.can_train:
                fixed = sum(cal.minutes(day, s) for s in day.fixed_runs) + mobility
                out += [
                    (s, day.index) for s in b.placed if fixed + cal.minutes(day, s) > day.available
                ]
        return out

    def encode(self, b):
        for day in b.cal.days:
            if not day.can_train:
                continue
            fixed = sum(b.cal.minutes(day, s) for s in day.fixed_runs)
            too_long = day.fixed_runs and fixed + b.sc.minutes("mobility") > day.available
            b.require(
                self.key,
                b.minutes_on(day.index) <= day.available,
                day.place(
                    f"{day.fixed_runs[0]} alone needs "
                    f"{fixed + b.sc.minutes('mobility')} of {day.available} min"
                    if too_long
                    else ""
                ),
                self.setting(b.sc),
                # the fixed run alone does not fit: name it, so it can be the fix
                facts=((f"runs.{day.weekday}", day.place()),) if too_long else (),
            )

    def check(self, p):
        return [
            Violation(
                self.key, day.date, f"{p.minutes(day.index)} min planned, {day.available} available"
            )
            for day in p.cal.days
            if day.race is None and day.available > 0 and p.minutes(day.index) > day.available
        ]
