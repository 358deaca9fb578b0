"""Weekly counts: easy runs, strength, heavy-legs strength, power, rest days.

The minimum holds exactly in a clean week; in a week with away days, a race or taper /
recovery days a missing session is a soft shortfall. Maximums are hard everywhere.
"""

from __future__ import annotations

from ..scenario import CountRule, Scenario
from .base import Rule, Violation


class WeeklyCount(Rule):
    """Shared shape of a weekly count rule."""

    has_soft_part = True  # a shortfall in a week that is not clean

    def milder(self, sc, key, places):
        lo, hi = self.setting(sc).min, self.setting(sc).max
        return [
            {f"rules.{self.key}": [m, hi] if hi is not None else m} for m in range(lo - 1, -1, -1)
        ]

    def bounds(self, sc: Scenario, cal, week: int) -> tuple[int, int | None]:
        """(min, max) for a week."""
        setting = self.setting(sc)
        return setting.min, setting.max

    def count_expr(self, b, days: range):
        """Model expression counting the sessions of a week."""
        raise NotImplementedError

    def count_plan(self, p, days: range) -> int:
        """The same count over a plan."""
        raise NotImplementedError

    def active(self, b, week: int):
        """1 when the count applies in this week (power: a dynamic week)."""
        return 1

    #: the placed sessions the count counts (a week whose maximum is 0 holds none)
    counted: tuple[str, ...] = ()

    def ruled_out(self, b):
        cal = b.cal
        return [
            (s, day.index)
            for w in range(cal.n_weeks)
            if self.bounds(b.sc, cal, w)[1] == 0
            for day in cal.week_days(w)
            for s in self.counted
        ]

    def encode(self, b):
        setting = self.setting(b.sc)
        for w in range(b.cal.n_weeks):
            lo, hi = self.bounds(b.sc, b.cal, w)
            past = [d for d in range(7 * w, 7 * w + 7) if b.cal.days[d].past]
            if past and hi is not None:  # (replan) a past beyond the maximum is a fact:
                done = self.count_expr(b, past)  # the rest of the week adds nothing more
                hi = max(hi, done) if isinstance(done, int) else hi
            b.weekly_count(
                self.key,
                setting,
                w,
                self.count_expr(b, range(7 * w, 7 * w + 7)),
                lo,
                hi,
                self.active(b, w),
            )

    def check(self, p):
        out = []
        setting = self.setting(p.sc)
        for w in range(p.cal.n_weeks):
            lo, hi = self.bounds(p.sc, p.cal, w)
            n = self.count_plan(p, p.week(w))
            monday = p.cal.week_days(w)[0].date
            if hi is not None and n > hi:
                out.append(Violation(self.key, monday, f"week {w + 1}: {n} > max {hi}"))
            if setting.hard and p.cal.clean_weeks[w] and n < lo and self.min_applies(p, w, n):
                out.append(Violation(self.key, monday, f"week {w + 1}: {n} < min {lo}"))
        return out

    def min_applies(self, p, week: int, n: int) -> bool:
        """Whether the minimum binds in this week of a plan."""
        return True


class EasyRuns(WeeklyCount):
    """``runs.easy_runs`` easy runs per week, placed by the solver."""

    key = "runs.easy_runs"
    label = "Easy runs per week"
    source = "scenario; seed 003 (three runs a week)"

    def setting(self, sc):
        n = sc.runs.easy_runs
        return CountRule(min=n, max=n)

    def describe(self, sc):
        return f"{sc.runs.easy_runs} per week"

    def relaxations(self, sc, key, places):
        return [{"runs.easy_runs": m} for m in range(sc.runs.easy_runs - 1, -1, -1)]

    counted = ("easy_run",)

    def count_expr(self, b, days):
        return sum(b.placed["easy_run"].get(d, 0) for d in days)

    def count_plan(self, p, days):
        return sum(p.placed_easy_runs(d) for d in days)


class StrengthPerWeek(WeeklyCount):
    """Strength sessions (lower + core) per week; counts 1 in an A-race week."""

    key = "strength_per_week"
    label = "Strength sessions per week (1 in an A-race week)"
    source = "seed 003 (twice a week); seed 002 (cut back in race season)"

    def bounds(self, sc, cal, week):
        lo, hi = super().bounds(sc, cal, week)
        if week in cal.season_weeks:  # race season: maintenance (seeds 001, 002)
            lo, hi = 1, 2
        if week in cal.a_race_weeks:
            return min(lo, 1), (1 if hi is None else min(hi, 1))
        return lo, hi

    counted = ("strength_lower", "strength_core")

    def count_expr(self, b, days):
        return sum(b.strength_on(d) for d in days)

    def count_plan(self, p, days):
        return sum(p.strength(d) for d in days)


class LowerStrengthPerWeek(WeeklyCount):
    """Of the strength sessions, how many are heavy-legs (strength_lower)."""

    key = "lower_strength_per_week"
    label = "Heavy-legs strength sessions per week"
    source = "seed 000 (glutes, hamstrings, quads first); seed 001 (static strength in season)"

    def bounds(self, sc, cal, week):
        if week in cal.season_weeks:
            return 1, 1
        return super().bounds(sc, cal, week)

    counted = ("strength_lower",)

    def count_expr(self, b, days):
        return sum(b.placed["strength_lower"].get(d, 0) for d in days)

    def count_plan(self, p, days):
        return sum(p.count(d, "strength_lower") for d in days)


class PowerPerWeek(WeeklyCount):
    """Power sessions per dynamic week; none in a static week."""

    key = "power_per_week"
    label = "Power (plyometric) sessions per dynamic week"
    source = "seed 003 (jump training twice a week); seed 001 (once or twice a week)"

    def bounds(self, sc, cal, week):
        if week in cal.season_weeks:  # race season is static (rule race_season)
            return 0, 0
        return super().bounds(sc, cal, week)

    def active(self, b, week):
        return b.dynamic[week]

    counted = ("power",)

    def count_expr(self, b, days):
        return sum(b.placed["power"].get(d, 0) for d in days)

    def count_plan(self, p, days):
        return sum(p.count(d, "power") for d in days)

    def min_applies(self, p, week, n):
        # A clean week without power may be a static week (dynamic_blocks checks that).
        return n > 0 or not p.sc.rules.dynamic_blocks.enabled


class RestDaysPerWeek(WeeklyCount):
    """At least this many rest days (no run, strength or power) per week."""

    key = "rest_days_per_week"
    label = "Rest days per week"
    source = "seed 003 (at least one rest day per week)"

    def milder(self, sc, key, places):
        return [{f"rules.{self.key}": m} for m in range(self.setting(sc).min - 1, -1, -1)]

    def count_expr(self, b, days):
        return sum(1 - b.training[d] for d in days)

    def count_plan(self, p, days):
        return sum(0 if p.training(d) else 1 for d in days)
