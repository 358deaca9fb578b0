"""Dynamic (power) work in blocks of 6–8 weeks with static weeks between (seed 001)."""

from __future__ import annotations

from functools import lru_cache

from .base import Rule, Violation


class DynamicBlocks(Rule):
    """Power comes in blocks of ``min``..``max`` weeks separated by ``static_between``
    static weeks (no power). A block cut by the plan's end, a race season or a race
    window (a week holding a race, its cut-off, eve or recovery, or a return ramp) may be
    shorter. A static week outside a race season costs ``weight`` (like a clean-week
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
        cuts = _cuts(cal)
        for w in range(n):  # this rule's own guarantee: no power in a static week
            for day in cal.week_days(w):
                power = b.placed["power"].get(day.index)
                if power is not None and not isinstance(dyn[w], int):
                    b.require(self.key, power <= dyn[w], f"week {w + 1}", s)
                elif power is not None and dyn[w] == 0:
                    b.require(self.key, power == 0, f"week {w + 1} (race season)", s)
        for w in range(n - s.max):  # never more than max dynamic weeks in a row
            b.require(
                self.key, sum(dyn[w : w + s.max + 1]) <= s.max, f"weeks {w + 1}-{w + s.max + 1}", s
            )
        for w in range(n):
            prev = dyn[w - 1] if w > 0 else 0
            start = dyn[w] - prev  # 1 when a block starts in week w
            for k in range(1, s.min):  # a block that starts runs at least min weeks...
                if w + k >= n or cuts[w + k]:
                    break  # ...unless the plan's end or a race window cuts it
                b.require(self.key, dyn[w + k] >= start, f"week {w + k + 1}", s)
            if w > 0:
                for k in range(1, s.static_between):  # static gaps last static_between weeks
                    if w + k < n:
                        b.require(
                            self.key, dyn[w + k] + dyn[w - 1] - dyn[w] <= 1, f"week {w + k + 1}", s
                        )
            if w not in cal.season_weeks:
                b.penalize(self.key, s.weight, 1 - dyn[w], f"week {w + 1} static")

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
        if _blocks_possible(tuple(options), s.min, s.max, s.static_between, tuple(_cuts(cal))):
            return []
        return [
            Violation(
                self.key,
                cal.days[0].date,
                f"weeks with power ({_weeks(power)}) do not form blocks of "
                f"{s.min}-{s.max} weeks with {s.static_between} static week(s) between",
            )
        ]


def _cuts(cal) -> list[bool]:
    """Weeks that may cut a dynamic block short: race windows, return ramps, race season."""
    return [w in cal.window_weeks or w in cal.season_weeks for w in range(cal.n_weeks)]


def _weeks(power: list[int]) -> str:
    return ", ".join(str(w + 1) for w, n in enumerate(power) if n) or "none"


@lru_cache(maxsize=256)
def _blocks_possible(
    options: tuple[tuple[bool, ...], ...], lo: int, hi: int, gap: int, cuts: tuple[bool, ...]
) -> bool:
    """Whether dynamic/static flags within ``options`` form valid blocks (a small DP).

    A block shorter than ``lo`` is allowed when a week after its first one, up to the
    week after its last one, is a cut (a race window or race season), or the plan ends.
    """
    n = len(options)
    # state: (dynamic?, length of the current run, whether the block has met a cut)
    states = {(None, 0, False)}
    for w in range(n):
        nxt = set()
        for kind, length, cut in states:
            for dyn in options[w]:
                if kind is None:
                    nxt.add((dyn, 1, False))
                elif dyn == kind:
                    if not (dyn and length + 1 > hi):
                        nxt.add((dyn, length + 1, cut or (dyn and cuts[w])))
                elif kind:  # a block ends: it must have reached min, or been cut
                    if length >= lo or cut or cuts[w]:
                        nxt.add((False, 1, False))
                else:  # a static run ends: at least `gap` long unless it opened the plan
                    if length >= gap or w == length:
                        nxt.add((True, 1, False))
        states = nxt
    return bool(states)
