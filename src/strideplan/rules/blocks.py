"""Dynamic (power) work in blocks of 6–8 weeks with static weeks between (seed 001)."""

from __future__ import annotations

from functools import lru_cache

from .base import Rule, Violation


class DynamicBlocks(Rule):
    """Power comes in blocks of ``min``..``max`` weeks separated by ``static_between``
    static weeks (no power). A block cut by the plan's end may be shorter. Each static
    week costs ``weight`` so the solver keeps as many dynamic weeks as the blocks allow."""

    key = "dynamic_blocks"
    label = "Dynamic work in blocks, static weeks between"
    source = "seed 001 (blocks of about 6-8 weeks, then static work to rest the tendons)"
    has_soft_part = True  # a penalty per static week

    def describe(self, sc):
        s = self.setting(sc)
        if not s.enabled:
            return "off"
        return f"{s.min}-{s.max} weeks, {s.static_between} static week(s) between"

    def encode(self, b):
        s = self.setting(b.sc)
        dyn = b.dynamic
        n = len(dyn)
        for w in range(n - s.max):  # never more than max dynamic weeks in a row
            b.require(
                self.key, sum(dyn[w : w + s.max + 1]) <= s.max, f"weeks {w + 1}-{w + s.max + 1}"
            )
        for w in range(n):
            prev = dyn[w - 1] if w > 0 else 0
            for k in range(1, s.min):  # a block that starts runs at least min weeks
                if w + k < n:
                    b.require(self.key, dyn[w + k] >= dyn[w] - prev, f"week {w + k + 1}")
            if w > 0:
                for k in range(1, s.static_between):  # static gaps last static_between weeks
                    if w + k < n:
                        b.require(
                            self.key, dyn[w + k] + dyn[w - 1] - dyn[w] <= 1, f"week {w + k + 1}"
                        )
            b.penalize(self.key, s.weight, 1 - dyn[w], f"week {w + 1} static")
        # A static week holds no power. This is the blocks' own guarantee, not only
        # power_per_week's maximum: with power_per_week off or soft it must still hold.
        for d, power in b.placed["power"].items():
            b.require(self.key, power <= dyn[b.cal.days[d].week], f"week {b.cal.days[d].week + 1}")

    def check(self, p):
        s = self.setting(p.sc)
        n = p.cal.n_weeks
        power = [sum(p.count(d, "power") for d in p.week(w)) for w in range(n)]
        # a week with power is dynamic; a clean week without is static; others either way
        options = [
            ((True,) if power[w] else (False,) if p.cal.clean_weeks[w] else (False, True))
            for w in range(n)
        ]
        if _blocks_possible(tuple(options), s.min, s.max, s.static_between):
            return []
        return [
            Violation(
                self.key,
                p.cal.days[0].date,
                f"weeks with power ({_weeks(power)}) do not form blocks of "
                f"{s.min}-{s.max} weeks with {s.static_between} static week(s) between",
            )
        ]


def _weeks(power: list[int]) -> str:
    return ", ".join(str(w + 1) for w, n in enumerate(power) if n) or "none"


@lru_cache(maxsize=256)
def _blocks_possible(options: tuple[tuple[bool, ...], ...], lo: int, hi: int, gap: int) -> bool:
    """Whether dynamic/static flags within ``options`` form valid blocks (a small DP)."""
    n = len(options)
    # state: (dynamic?, length of the current run, whether a block has ended before)
    states = {(None, 0)}
    for w in range(n):
        nxt = set()
        for kind, length in states:
            for dyn in options[w]:
                if kind is None:
                    nxt.add((dyn, 1))
                elif dyn == kind:
                    if not (dyn and length + 1 > hi):
                        nxt.add((dyn, length + 1))
                elif kind:  # a block ends: it must have reached min
                    if length >= lo:
                        nxt.add((False, 1))
                else:  # a static run ends: at least `gap` long unless it opened the plan
                    if length >= gap or _opened(w, length):
                        nxt.add((True, 1))
        states = nxt
    return bool(states)


def _opened(w: int, length: int) -> bool:
    return w == length  # the static run started at week 0
