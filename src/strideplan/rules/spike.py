"""No run spike after history (SPEC v3): once real runs are known, no planned run in the
30 days from the first re-planned day is longer than 110 % of the longest run of the 30
days before it, rounded down to 5 minutes. Single-run spikes raised running injuries
1.5-2.3 times in a cohort of 5 205 runners (Frandsen et al., 2025)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from ..catalog import CATALOG
from ..plan import replanned_from
from .base import Rule, Violation


def spike_cap(longest: int, ratio: float) -> int:
    """The longest run allowed after a longest run of ``longest`` minutes: ``ratio`` ×
    it, rounded down to 5 minutes (60 -> 66 -> 65), at least 5."""
    return max(5, int(math.floor(longest * ratio / 5 + 1e-9)) * 5)


def history_window(start: date, today: date, days: int) -> tuple[date, date]:
    """The days whose runs set the cap: ``days`` before ``today``, from the plan's start
    on (a re-plan early in the plan caps after the runs it knows: SPEC sets no minimum
    history)."""
    return max(start, today - timedelta(days=days)), today


class RunSpike(Rule):
    """The run-spike cap, judged on a plan whose Sessions sheet marks the past ``done``
    (what ``replan`` writes): the day after the last done session is the first
    re-planned day. The model keeps it through the calendar's run minutes."""

    key = "run_spike"
    label = "No run spike after history (110 % of the longest run of 30 days)"
    source = "Frandsen et al. 2025 (5 205 runners: single-run spikes, injury risk 1.5-2.3x)"

    def describe(self, sc):
        s = self.setting(sc)
        if not s.enabled:
            return "off"
        return f"{round(s.ratio * 100)} % of the longest run of {s.days} days before"

    def encode(self, b):
        return None  # the calendar caps the runs' minutes (Calendar.with_run_cap)

    def check(self, p):
        s = self.setting(p.sc)
        table = p.table
        today = replanned_from(table)
        if today is None:
            return []
        done = table[table["date"] < today]
        window = history_window(p.sc.start, today, s.days)
        runs = [
            int(r.minutes)
            for r in done.itertuples(index=False)
            if window[0] <= r.date < window[1] and CATALOG[str(r.session)].category == "run"
        ]
        if not runs:
            return []
        cap = spike_cap(max(runs), s.ratio)
        ahead = today + timedelta(days=s.days)
        return [
            Violation(self.key, r.date, f"{r.session} {int(r.minutes)} min (cap {cap})")
            for r in table.itertuples(index=False)
            if today <= r.date < ahead
            and str(r.session) in CATALOG
            and CATALOG[str(r.session)].category == "run"
            and r.session != "race"
            and int(r.minutes) > cap
        ]
