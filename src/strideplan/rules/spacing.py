"""Spacing between sessions: strength gaps, the longest stretch without strength,
power on fresh legs, no heavy legs the day before key runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Rule, Violation

if TYPE_CHECKING:
    from ..calendar import Place


def _fact(day) -> tuple[tuple[str, Place], ...]:
    """The scenario input behind a day's fixed session: the fixed run, or the race."""
    if day.race is not None:
        return (("races", day.place(day.race.name)),)
    return ((f"runs.{day.weekday}", day.place()),) if day.fixed_runs else ()


def require_spacing(rule: Rule, b, session: str, gap: int, setting) -> None:
    """At most one ``session`` in any ``gap`` + 1 days in a row."""
    placed = b.placed[session]
    n = len(b.cal.days)
    for d in sorted(placed):
        window = [placed[e] for e in range(d, min(n, d + gap + 1)) if e in placed]
        if len(window) > 1:
            b.require(rule.key, sum(window) <= 1, b.cal.days[d].place(), setting)


def spacing_violations(rule: Rule, p, session: str, gap: int) -> list[Violation]:
    """Each ``session`` that follows another one fewer than ``gap`` days after it."""
    out = []
    n = len(p.cal.days)
    for d in range(n):
        if not p.count(d, session):
            continue
        later = [e for e in range(d + 1, min(n, d + gap + 1)) if p.count(e, session)]
        if later:
            first, then = p.cal.days[d], p.cal.days[later[0]]
            out.append(
                Violation(
                    rule.key,
                    then.date,
                    f"{session} on {first.label} and {then.label}: fewer than {gap} day(s) between",
                )
            )
    return out


class StrengthGapDays(Rule):
    """At least ``days`` days between two strength_lower sessions, and never two strength
    sessions on one day; a core session may sit the day before or after legs (v2)."""

    key = "strength_gap_days"
    label = "Days between two heavy-legs sessions; one strength session a day"
    source = "common practice: 48 h between heavy sessions for the same muscles"

    def milder(self, sc, key, places):
        return [{f"rules.{self.key}": d} for d in range(self.setting(sc).days - 1, -1, -1)]

    def encode(self, b):
        setting = self.setting(b.sc)
        require_spacing(self, b, "strength_lower", setting.days, setting)
        for d in b.placed["strength_core"]:
            if d in b.placed["strength_lower"]:
                b.require(self.key, b.strength_on(d) <= 1, b.cal.days[d].place(), setting)

    def check(self, p):
        out = [
            Violation(self.key, day.date, "two strength sessions on one day")
            for day in p.cal.days
            if p.strength(day.index) > 1
        ]
        out += spacing_violations(self, p, "strength_lower", self.setting(p.sc).days)
        return out


class MaxDaysWithoutStrength(Rule):
    """Never more than ``days`` days in a row without strength (away days don't count)."""

    key = "max_days_without_strength"
    label = "Longest stretch without strength"
    source = "seed 001 (a weight session every 10 days or so)"

    def milder(self, sc, key, places):
        return [{f"rules.{self.key}": self.setting(sc).days + extra} for extra in (2, 4, 7)]

    def encode(self, b):
        setting = self.setting(b.sc)
        limit = setting.days
        counted = [day.index for day in b.cal.days if not day.away]
        strength = {d: b.strength_on(d) for d in counted}  # each day's expression, once
        for i in range(len(counted) - limit):
            window = counted[i : i + limit + 1]
            b.require(
                self.key,
                sum(strength[d] for d in window) >= 1,
                b.cal.days_place(window[0], window[-1]),
                setting,
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
    source = "seed 003 (jumps when energy is abundant)"

    def ruled_out(self, b):
        return [
            ("power", d)
            for d in range(1, len(b.cal.days))
            if isinstance(b.hard_on(d - 1), int) and b.hard_on(d - 1)
        ]

    def encode(self, b):
        for d, power in b.placed["power"].items():
            before = b.hard_on(d - 1)
            if isinstance(before, int) and before == 0:
                continue
            prev = b.cal.days[d - 1]
            if isinstance(before, int):  # a fixed hard run (or race, or past legs) before
                run = prev.fixed_runs[0] if prev.fixed_runs else "strength_lower"
                b.require(
                    self.key,
                    power == 0,
                    b.cal.days[d].place(f"after {run}"),
                    self.setting(b.sc),
                    facts=_fact(prev),
                )
            else:
                b.require(self.key, power + before <= 1, b.cal.days[d].place(), self.setting(b.sc))

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
    source = "common practice: key sessions on fresh legs"

    def milder(self, sc, key, places):
        sessions = self.setting(sc).sessions
        return [{f"rules.{self.key}": [s for s in sessions if s != left]} for left in sessions]

    def ruled_out(self, b):
        keys = self.setting(b.sc).sessions
        days = b.cal.days
        return [
            ("strength_lower", d)
            for d in range(len(days) - 1)
            if any(key in days[d + 1].fixed_runs for key in keys)
        ]

    def encode(self, b):
        setting = self.setting(b.sc)
        for d, lower in b.placed["strength_lower"].items():
            if d + 1 >= len(b.cal.days):
                continue  # the day after the plan is unknown
            nxt_day = b.cal.days[d + 1]
            for key in setting.sessions:
                where = b.cal.days[d].place(f"before {key}")
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


class PowerGapDays(Rule):
    """At least ``days`` days between two power sessions (48 h), and no power on a
    long-run day."""

    key = "power_gap_days"
    label = "Days between two power sessions; no power on a long-run day"
    source = "plyometric practice: 48-72 h between sessions"

    def ruled_out(self, b):
        return [("power", day.index) for day in b.cal.days if "long_run" in day.fixed_runs]

    def encode(self, b):
        setting = self.setting(b.sc)
        for d, power in b.placed["power"].items():
            day = b.cal.days[d]
            if "long_run" in day.fixed_runs:
                where = day.place("long run")
                b.require(self.key, power == 0, where, setting, facts=_fact(day))
        require_spacing(self, b, "power", setting.days, setting)

    def check(self, p):
        out = [
            Violation(self.key, day.date, "power on a long-run day")
            for day in p.cal.days
            if p.count(day.index, "power") and "long_run" in p.keys(day.index)
        ]
        return out + spacing_violations(self, p, "power", self.setting(p.sc).days)


class PowerDays(Rule):
    """Power only on the listed weekdays (where a coach or a track is)."""

    key = "power_days"
    label = "Power only on these weekdays"
    source = "coaching practice: group plyometrics on set days"

    def describe(self, sc):
        s = self.setting(sc)
        return ", ".join(s.days) if s.enabled else "off"

    def ruled_out(self, b):
        days = self.setting(b.sc).days
        return [("power", day.index) for day in b.cal.days if day.weekday not in days]

    def encode(self, b):
        setting = self.setting(b.sc)
        for d, power in b.placed["power"].items():
            day = b.cal.days[d]
            if day.weekday not in setting.days:
                b.require(self.key, power == 0, day.place(), setting)

    def check(self, p):
        days = self.setting(p.sc).days
        return [
            Violation(self.key, day.date, f"power on {day.weekday}, not a power day")
            for day in p.cal.days
            if p.count(day.index, "power") and day.weekday not in days
        ]


class MaxTrainingDaysInARow(Rule):
    """Never more than ``days`` training days in a row, across week boundaries."""

    key = "max_training_days_in_a_row"
    label = "Training days in a row (rolling rest)"
    source = "seed 003 (rest days for muscle repair); recovery"

    def encode(self, b):
        setting = self.setting(b.sc)
        limit = setting.days
        n = len(b.cal.days)
        for d in range(n - limit):
            window = [b.training[e] for e in range(d, d + limit + 1)]
            if any(isinstance(x, int) and x == 0 for x in window):
                continue  # a rest day is certain in this stretch
            b.require(
                self.key,
                sum(window) <= limit,
                b.cal.days_place(d, d + limit),
                setting,
            )

    def check(self, p):
        limit = self.setting(p.sc).days
        out = []
        run = 0
        for day in p.cal.days:
            run = run + 1 if p.training(day.index) else 0
            if run == limit + 1:
                out.append(
                    Violation(self.key, day.date, f"{run} training days in a row (max {limit})")
                )
        return out
