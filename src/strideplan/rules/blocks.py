"""Dynamic (power) work in blocks of 6–8 weeks with static weeks between (seed 001)."""

from __future__ import annotations

from functools import lru_cache

from .base import Rule, Violation


class DynamicBlocks(Rule):
    """Power comes in blocks of ``min``..``max`` weeks separated by ``static_between``
    static weeks (no power). A block may be shorter only where it touches a cut (v3): it
    starts at the plan's start or right after a race window (a week holding a race, its
    cut-off, eve or recovery, or a return ramp) or race season, or it ends at the plan's
    end, in a window week or the week before a season. A static week outside a race season costs ``weight`` (like a clean-week
    shortfall), so power is dropped only where it cannot fit."""

    key = "dynamic_blocks"
    label = "Dynamic work in blocks, static weeks between"
    source = "seed 001 (blocks of about 6-8 weeks, then static work to rest the tendons)"
    has_soft_part = True  # a penalty per static week outside race season
    reshapes = True  # off, every week is dynamic: constants instead of variables

    def describe(self, sc):
        s = self.setting(sc)
        if not s.enabled:
            return "off"
        return f"{s.min}-{s.max} weeks, {s.static_between} static week(s) between"

    def ruled_out(self, b):
        # race season is static (``Build.dynamic`` holds 0 there)
        return [("power", day.index) for w in b.cal.season_weeks for day in b.cal.week_days(w)]

    def encode(self, b):
        s = self.setting(b.sc)
        cal = b.cal
        dyn = b.dynamic
        n = len(dyn)
        may_start, may_end = _short_ends(cal)
        for w in range(n):  # this rule's own guarantee: no power in a static week
            for day in cal.week_days(w):
                power = b.placed["power"].get(day.index)
                if power is not None and not isinstance(dyn[w], int):
                    b.require(self.key, power <= dyn[w], cal.week_place(w), s)
                elif power is not None and dyn[w] == 0:
                    b.require(self.key, power == 0, cal.week_place(w, "race season"), s)
        for w in range(n - s.max):  # never more than max dynamic weeks in a row
            b.require(
                self.key, sum(dyn[w : w + s.max + 1]) <= s.max, cal.week_place(w, last=w + s.max), s
            )
        for w in range(n):
            prev = dyn[w - 1] if w > 0 else 0
            start = dyn[w] - prev  # 1 when a block starts in week w
            # a block that starts runs at least min weeks, unless it touches a cut: starts
            # at the plan's start or right after a window, or ends at one (v3)
            ended = 0  # weeks of this block already static: 0 while it still runs
            for k in range(1, s.min):
                if may_start[w] or w + k >= n:
                    break
                if not may_end[w + k - 1]:
                    b.require(self.key, dyn[w + k] >= start - ended, cal.week_place(w + k), s)
                ended = ended + (1 - dyn[w + k])
            if w > 0:
                for k in range(1, s.static_between):  # static gaps last static_between weeks
                    if w + k < n:
                        b.require(
                            self.key,
                            dyn[w + k] + dyn[w - 1] - dyn[w] <= 1,
                            cal.week_place(w + k),
                            s,
                        )
            if w not in cal.season_weeks:
                b.penalize(
                    self.key, s.weight, 1 - dyn[w], cal.week_place(w, label=f"week {w + 1} static")
                )

    def check(self, p):
        s = self.setting(p.sc)
        cal = p.cal
        n = cal.n_weeks
        power = [sum(p.count(d, "power") for d in p.week(w)) for w in range(n)]
        rule = p.sc.rules.power_per_week
        needs_power = rule.enabled and rule.hard and rule.min > 0
        # a week with power is dynamic; a race-season week is static; a clean week without
        # power is static when dynamic weeks need power; any other week may be either
        options = [
            (True,)
            if power[w]
            else (False,)
            if w in cal.season_weeks or (cal.clean_weeks[w] and needs_power)
            else (False, True)
            for w in range(n)
        ]
        may_start, may_end = _short_ends(cal)
        if _blocks_possible(tuple(options), s.min, s.max, s.static_between, may_start, may_end):
            return []
        return [
            Violation(
                self.key,
                cal.days[0].date,
                f"weeks with power ({_weeks(power)}) do not form blocks of "
                f"{s.min}-{s.max} weeks with {s.static_between} static week(s) between",
            )
        ]


def _short_ends(cal) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Where a block may be shorter than its minimum (SPEC v3: only where it touches a
    cut): ``may_start[w]``, a block starting in week w (the plan's first week, or right
    after a race window, return ramp or race season); ``may_end[w]``, a block ending in
    week w (the plan's last week, a week holding a window, or the week before a season).
    A race inside a block does not shorten it."""
    n = cal.n_weeks
    cut = [w in cal.window_weeks or w in cal.season_weeks for w in range(n)]
    may_start = tuple(w == 0 or cut[w - 1] for w in range(n))
    may_end = tuple(
        w == n - 1 or w in cal.window_weeks or (w + 1) in cal.season_weeks for w in range(n)
    )
    return may_start, may_end


def _weeks(power: list[int]) -> str:
    return ", ".join(str(w + 1) for w, n in enumerate(power) if n) or "none"


@lru_cache(maxsize=256)
def _blocks_possible(
    options: tuple[tuple[bool, ...], ...],
    lo: int,
    hi: int,
    gap: int,
    may_start: tuple[bool, ...],
    may_end: tuple[bool, ...],
) -> bool:
    """Whether dynamic/static flags within ``options`` form valid blocks (a small DP).

    A block shorter than ``lo`` is allowed when it starts where ``may_start`` says or
    ends where ``may_end`` does (see :func:`_short_ends`); the plan's end ends any block.
    """
    n = len(options)
    # state: (dynamic?, length of the current run, whether this block may be short)
    states = {(None, 0, False)}
    for w in range(n):
        nxt = set()
        for kind, length, short in states:
            for dyn in options[w]:
                if kind is None:
                    nxt.add((dyn, 1, dyn and may_start[w]))
                elif dyn == kind:
                    if not (dyn and length + 1 > hi):
                        nxt.add((dyn, length + 1, short))
                elif kind:  # a block ends in week w - 1: long enough, or touching a cut
                    if length >= lo or short or may_end[w - 1]:
                        nxt.add((False, 1, False))
                else:  # a static run ends: at least `gap` long unless it opened the plan
                    if length >= gap or w == length:
                        nxt.add((True, 1, may_start[w]))
        states = nxt
    return bool(states)
