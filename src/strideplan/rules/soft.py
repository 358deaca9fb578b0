"""Soft rules: penalties and rewards that pick the best of the feasible plans."""

from __future__ import annotations

from .base import Rule
from .daily import MaxSessionsPerDay


class BackToBackHard(Rule):
    """Penalty per pair of consecutive hard days (hard/easy principle)."""

    key = "back_to_back_hard"
    label = "Hard days back to back"
    source = "hard/easy principle"
    kind = "soft"

    def encode(self, b):
        w = self.setting(b.sc).weight
        for d in range(len(b.cal.days) - 1):
            h1, h2 = b.hard_on(d), b.hard_on(d + 1)
            where = b.cal.days_place(d, d + 1, f"{b.cal.days[d].label} / {b.cal.days[d + 1].label}")
            if isinstance(h1, int) and isinstance(h2, int):
                b.penalize(self.key, w, h1 * h2, where)
            elif isinstance(h1, int):
                b.penalize(self.key, w, h1 * h2, where)
            elif isinstance(h2, int):
                b.penalize(self.key, w, h2 * h1, where)
            else:
                both = b.model.new_bool_var(f"b2b_{d}")
                b.model.add(both >= h1 + h2 - 1)
                b.penalize(self.key, w, both, where)


class HeavyLegsNearLongRun(Rule):
    """Penalty per strength_lower on the day before or the day of a long run."""

    key = "heavy_legs_near_long_run"
    label = "Heavy legs the day before or of a long run"
    source = "common practice: key sessions on fresh legs"
    kind = "soft"

    def encode(self, b):
        w = self.setting(b.sc).weight
        days = b.cal.days
        for d, lower in b.placed["strength_lower"].items():
            near = [e for e in (d, d + 1) if e < len(days) and "long_run" in days[e].fixed_runs]
            if near:
                b.penalize(self.key, w, lower, days[d].place(f"long run {days[near[0]].label}"))


class StrengthAfterEasyRun(Rule):
    """Reward strength on the same day as an easy run, placed after it (seed 004)."""

    key = "strength_after_easy_run"
    label = "Strength after an easy run (reward)"
    source = "seed 004 (slot a strength session after an easy or recovery run)"
    kind = "soft"

    def encode(self, b):
        w = self.setting(b.sc).weight
        for d in b.placed["strength_core"]:
            strength = b.strength_on(d)
            easy = b.x("easy_run", d)
            if "easy_run" in b.cal.days[d].fixed_runs:
                b.penalize(self.key, -w, strength, b.cal.days[d].place())
            else:
                both = b.both(strength, easy, f"easy_strength_{d}")
                _no_room_beside(b, d, both, ("easy_run", "strength_lower", "strength_core"))
                b.penalize(self.key, -w, both, b.cal.days[d].place())


class PowerWithSpeedOrStrength(Rule):
    """Reward power drills at the start of a strength or intervals day (seed 000)."""

    key = "power_with_speed_or_strength"
    label = "Power at the start of a strength or speed day (reward)"
    source = "seed 000 (add the drills to the beginning of a strength or speed day)"
    kind = "soft"

    def encode(self, b):
        w = self.setting(b.sc).weight
        for d, power in b.placed["power"].items():
            if "intervals" in b.cal.days[d].fixed_runs:
                b.penalize(self.key, -w, power, b.cal.days[d].place())
                continue
            both = b.both(power, b.strength_on(d), f"power_with_{d}")
            _no_room_beside(b, d, both, ("power", "strength_lower", "strength_core"))
            b.penalize(self.key, -w, both, b.cal.days[d].place())


def _no_room_beside(b, d, both, pair: tuple[str, ...]) -> None:
    """Redundant: where the day has room for two placed sessions only (the hard
    sessions-per-day limit less its fixed runs), a reward literal that needs two
    sessions of ``pair`` on day ``d`` leaves no room for any other: ``both + x <= 1``.
    What CP-SAT would only learn by search; without it the LP spreads three sessions
    at 2/3 each and collects both rewards of the day."""
    if b.by_instance or "max_sessions_per_day" not in b.encoded:
        return
    limit = MaxSessionsPerDay().hard_limit(b.sc)
    day = b.cal.days[d]
    if limit is None or day.race is not None or day.past:
        return
    room = limit - len(day.fixed_runs)
    rests_on = ("max_sessions_per_day",)
    if room < 2:  # the two sessions the reward needs do not fit
        b.redundant(both == 0, rests_on)
        return
    if room > 2:
        return
    for s, vars_ in b.placed.items():
        x = vars_.get(d)
        if s not in pair and x is not None and not isinstance(x, int):
            b.redundant(both + x <= 1, rests_on)
    # the two rewards share the strength session: both at once would be three sessions
    for other in b.strength_rewards.get(d, []):
        b.redundant(both + other <= b.strength_on(d), rests_on)
    b.strength_rewards.setdefault(d, []).append(both)


class SameWeeklyPattern(Rule):
    """Penalty per session that moves weekday from one week to the next (habit)."""

    key = "same_weekly_pattern"
    label = "Same weekly pattern"
    source = "habit"
    kind = "soft"

    def encode(self, b):
        # moved = max(sessions dropped from a weekday, sessions added on one). A session
        # kept on its weekday is one literal per day (``kept`` <= both days), not one per
        # direction: half the variables, and what presolve leaves stays in the LP.
        w = self.setting(b.sc).weight
        m = b.model
        moves: dict[tuple[str, int], object] = {}
        for s, vars_ in b.placed.items():
            for week in range(b.cal.n_weeks - 1):
                removed, added = [], []
                for k in range(7):
                    v1, v2 = vars_.get(7 * week + k, 0), vars_.get(7 * week + 7 + k, 0)
                    if isinstance(v1, int) and isinstance(v2, int):
                        continue
                    if isinstance(v2, int):  # removed: v1 without v2
                        removed += [] if v2 else [v1]
                    elif isinstance(v1, int):  # added: v2 without v1
                        added += [] if v1 else [v2]
                    else:
                        kept = m.new_bool_var(f"kept[{s},{7 * week + k}]")
                        m.add_implication(kept, v1)
                        m.add_implication(kept, v2)
                        removed.append(v1 - kept)
                        added.append(v2 - kept)
                if not removed and not added:
                    continue
                moved = m.new_int_var(0, 7, f"moved[{s},{week}]")
                m.add(moved >= sum(removed))
                m.add(moved >= sum(added))
                where = b.cal.week_place(
                    week, last=week + 1, label=f"{s} week {week + 1} → {week + 2}"
                )
                moves[s, week] = moved
                b.penalize(self.key, w, moved, where)
        if w > 0:
            _power_block_moves(b, moves)


def _power_block_moves(b, moves) -> None:
    """Redundant: every max+1 weeks in a row hold a static week (no power), so between
    two weeks with power that far apart power leaves and comes back: two moves. With
    ``has[t]`` (week t holds power), ``sum moved[power, w..w+max-1] >= has[w] +
    has[w+max]`` holds in every plan (each move is >= |has[t] - has[t+1]|); the LP
    cannot spread the static weeks thin and see no move."""
    rules = b.sc.rules
    blocks, per_week = rules.dynamic_blocks, rules.power_per_week
    if (
        b.by_instance
        or not {"dynamic_blocks", "power_per_week"} <= b.encoded
        or not (blocks.enabled and blocks.hard)
        or any(day.past for day in b.cal.days)
    ):
        return
    m = b.model
    cal = b.cal
    n = cal.n_weeks
    power = b.placed["power"]
    has: list = []
    for t in range(n):
        days = [d.index for d in cal.week_days(t) if d.index in power]
        dyn = b.dynamic[t]
        if not days or (isinstance(dyn, int) and dyn == 0):
            has.append(0)
        elif (
            not isinstance(dyn, int)
            and cal.clean_weeks[t]
            and per_week.enabled
            and per_week.hard
            and per_week.min >= 1
        ):
            has.append(dyn)  # a clean dynamic week holds power, a static one none
        else:
            h = m.new_bool_var(f"{b.prefix}has_power_{t}")
            count = sum(power[d] for d in days)
            m.add(count >= h)
            m.add(count <= len(days) * h)
            has.append(h)
    for w in range(n - blocks.max):
        ends = has[w] + has[w + blocks.max]
        if isinstance(ends, int) and ends == 0:
            continue
        window = [moves.get(("power", t), 0) for t in range(w, w + blocks.max)]
        b.redundant(sum(window) >= ends, ("dynamic_blocks", "power_per_week"))


class PreferredDays(Rule):
    """Penalty per session off its preferred days (``preferences``)."""

    key = "preferred_days"
    label = "Sessions on preferred days"
    source = "preferences"
    kind = "soft"

    def encode(self, b):
        w = self.setting(b.sc).weight
        prefs = b.sc.preferences
        wanted = {
            "strength_lower": prefs.strength_days,
            "strength_core": prefs.strength_days,
            "power": prefs.power_days,
            "easy_run": prefs.easy_run_days,
        }
        for s, days in wanted.items():
            if days is None:
                continue
            for d, var in b.placed[s].items():
                if b.cal.days[d].weekday not in days:
                    b.penalize(
                        self.key, w, var, b.cal.days_place(d, d, f"{s} on {b.cal.days[d].label}")
                    )


class DeloadEvery(Rule):
    """Every Nth week strength volume drops (fewer sets in the prescription)."""

    key = "deload_every"
    label = "Deload week (lower strength volume)"
    source = "seeds 001, 003 (gradual progress, rest phases)"
    kind = "prescription"

    def describe(self, sc):
        s = self.setting(sc)
        return f"every {s.every} weeks" if s.enabled else "off"

    def weight(self, sc):
        return None
