"""Spacing between sessions: strength gaps, the longest stretch without strength,
power on fresh legs, no heavy legs the day before key runs."""

from __future__ import annotations

from .base import Rule, Violation


def _fact(day) -> tuple[tuple[str, str], ...]:
    """The scenario input behind a day's fixed session: the fixed run, or the race."""
    if day.race is not None:
        return (("races", f"{day.label} ({day.race.name})"),)
    return ((f"runs.{day.weekday}", day.label),) if day.fixed_runs else ()


class StrengthGapDays(Rule):
    """At least ``days`` days between two strength sessions."""

    key = "strength_gap_days"
    label = "Days between two strength sessions"
    source = "recovery"

    def encode(self, b):
        gap = self.setting(b.sc).days
        n = len(b.cal.days)
        for d in range(n):
            window = [b.strength_on(e) for e in range(d, min(n, d + gap + 1))]
            if any(not isinstance(x, int) for x in window):
                b.require(self.key, sum(window) <= 1, b.cal.days[d].label, self.setting(b.sc))

    def check(self, p):
        gap = self.setting(p.sc).days
        out = []
        n = len(p.cal.days)
        for d in range(n):
            if p.strength(d) == 0:
                continue
            later = [e for e in range(d, min(n, d + gap + 1)) if p.strength(e) > (e == d)]
            if later:
                e = later[0]
                out.append(
                    Violation(
                        self.key,
                        p.cal.days[e].date,
                        f"strength on {p.cal.days[d].label} and {p.cal.days[e].label}: "
                        f"fewer than {gap} day(s) between",
                    )
                )
        return out


class MaxDaysWithoutStrength(Rule):
    """Never more than ``days`` days in a row without strength (away days don't count)."""

    key = "max_days_without_strength"
    label = "Longest stretch without strength"
    source = "seed 001 (a weight session every 10 days or so)"

    def encode(self, b):
        limit = self.setting(b.sc).days
        counted = [day.index for day in b.cal.days if not day.away]
        for i in range(len(counted) - limit):
            window = counted[i : i + limit + 1]
            b.require(
                self.key,
                sum(b.strength_on(d) for d in window) >= 1,
                f"{b.cal.days[window[0]].label} .. {b.cal.days[window[-1]].label}",
                self.setting(b.sc),
            )

    def check(self, p):
        limit = self.setting(p.sc).days
        out = []
        run = 0
        for day in p.cal.days:
            if day.away:
                continue
            run = 0 if p.strength(day.index) else run + 1
            if run == limit + 1:
                out.append(
                    Violation(
                        self.key, day.date, f"{run} days in a row without strength (max {limit})"
                    )
                )
        return out


class PowerOnFreshDays(Rule):
    """No power session on the day after a hard day."""

    key = "power_on_fresh_days"
    label = "Power only on fresh legs (not the day after a hard day)"
    source = "design card; seed 003 (when energy is abundant)"

    def encode(self, b):
        for d, power in b.placed["power"].items():
            before = b.hard_on(d - 1)
            if isinstance(before, int) and before == 0:
                continue
            prev = b.cal.days[d - 1]
            if isinstance(before, int):  # a fixed hard run (or race) the day before
                run = prev.fixed_runs[0]
                b.require(
                    self.key,
                    power == 0,
                    f"{b.cal.days[d].label} (after {run})",
                    self.setting(b.sc),
                    facts=_fact(prev),
                )
            else:
                b.require(self.key, power + before <= 1, b.cal.days[d].label, self.setting(b.sc))

    def check(self, p):
        return [
            Violation(
                self.key,
                day.date,
                f"power the day after a hard day ({', '.join(p.keys(day.index - 1))})",
            )
            for day in p.cal.days[1:]
            if p.count(day.index, "power") and p.hard(day.index - 1)
        ]


class NoHeavyLegsBefore(Rule):
    """No strength_lower on the day before the listed sessions (intervals, tempo, race)."""

    key = "no_heavy_legs_before"
    label = "No heavy legs the day before key sessions"
    source = "design card"

    def encode(self, b):
        setting = self.setting(b.sc)
        for d, lower in b.placed["strength_lower"].items():
            if d + 1 >= len(b.cal.days):
                continue  # the day after the plan is unknown
            nxt_day = b.cal.days[d + 1]
            for key in setting.sessions:
                where = f"{b.cal.days[d].label} (before {key})"
                if key in nxt_day.fixed_runs:
                    b.require(self.key, lower == 0, where, setting, facts=_fact(nxt_day))
                    continue
                nxt = b.x(key, d + 1)  # a session the solver may place there
                if not isinstance(nxt, int):
                    b.require(self.key, lower + nxt <= 1, where, setting)

    def check(self, p):
        keys = set(self.setting(p.sc).sessions)
        out = []
        for day in p.cal.days[:-1]:
            nxt = keys.intersection(p.keys(day.index + 1))
            if p.count(day.index, "strength_lower") and nxt:
                out.append(
                    Violation(
                        self.key,
                        day.date,
                        f"strength_lower the day before {', '.join(sorted(nxt))}",
                    )
                )
        return out
