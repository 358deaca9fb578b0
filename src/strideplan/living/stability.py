"""The re-plan's own rule: the future changes as little as needed against the plan the
athlete already knows (SPEC v2, rule ``replan_stability``). A fresh plan has no
published plan and so no such rule; :func:`strideplan.living.replan.replan` brings it
into the model (:func:`strideplan.model.build`'s ``extra``)."""

from __future__ import annotations

from ..rules import Rule


class ReplanStability(Rule):
    """Penalty per session added, dropped or moved against the published plan; a
    session moved within its week is one change (the living plan's own rule: a re-plan
    brings it into the model, a fresh plan has none)."""

    key = "replan_stability"
    label = "Re-plan changes as little as needed"
    source = "common practice: a plan the athlete already knows"
    kind = "soft"

    def __init__(self, published: dict[str, dict[int, int]]):
        #: the published plan's placed sessions from today on, per session and day index
        self.published = published

    def encode(self, b):
        w = self.setting(b.sc).weight
        m = b.model
        for s, vars_ in b.placed.items():
            published = self.published.get(s, {})
            for week in range(b.cal.n_weeks):
                days = [d for d in range(7 * week, 7 * week + 7) if not b.cal.days[d].past]
                added = [vars_[d] for d in days if d in vars_ and not published.get(d)]
                dropped = [1 - vars_.get(d, 0) for d in days if published.get(d)]
                if not added and not dropped:
                    continue
                changes = m.new_int_var(0, 7, f"changes[{s},{week}]")
                m.add(changes >= sum(added))
                m.add(changes >= sum(dropped))
                where = b.cal.week_place(week, label=f"{s} week {week + 1}")
                b.penalize(self.key, w, changes, where)
