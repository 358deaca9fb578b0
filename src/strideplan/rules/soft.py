"""Soft rules: penalties and rewards that pick the best of the feasible plans."""

from __future__ import annotations

from .base import Rule


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
                b.penalize(
                    self.key,
                    -w,
                    b.both(strength, easy, f"easy_strength_{d}"),
                    b.cal.days[d].place(),
                )


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
            b.penalize(
                self.key,
                -w,
                b.both(power, b.strength_on(d), f"power_with_{d}"),
                b.cal.days[d].place(),
            )


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
                b.penalize(self.key, w, moved, where)


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
