"""What each athlete's plan in a squad could not do, and why, the gym included.

Each athlete's dropped targets are found as for a single plan
(:func:`strideplan.shortfalls.plan_findings`), with one more member that a reason can
name: ``gym_capacity``, the racks the other athletes' plans leave on each date. Where
the athlete alone could meet a week's minimum but not with what the gym has left, the
warning says ``kept out by gym_capacity`` and names the full days.
"""

from __future__ import annotations

from datetime import date

from ..app import PlanBreaksRulesError, self_check
from ..shortfalls import PlanWarning, plan_findings
from .build import CAPACITY, capacity_violations, gym_use, solve_squad
from .explain import explain_squad


def racks_left(squad, results, i: int) -> dict[date, int]:
    """Heavy-legs sessions athlete ``i`` could still do per capacity date, the other
    athletes' plans as solved."""
    use = gym_use(squad, results)
    limited = use[use["capacity"].notna()]
    mine = set(_legs_dates(results[i]))
    return {
        d: int(cap) - int(used) + (d in mine)
        for d, cap, used in zip(limited["date"], limited["capacity"], limited["used"])
    }


def _legs_dates(result) -> list[date]:
    plan = result.plan
    return list(plan.loc[plan["session"] == "strength_lower", "date"])


def gym_guard(left: dict[date, int]):
    """``extra`` for :func:`plan_findings`: no heavy legs on a date the gym has no rack
    left, behind one guard named ``gym_capacity``."""

    def add(b) -> None:
        for day in b.cal.days:
            var = b.placed["strength_lower"].get(day.index)
            if var is not None and left.get(day.date, 1) <= 0:
                b.model.Add(var == 0).OnlyEnforceIf(b.guard(CAPACITY))

    return add


def squad_findings(
    result, time_limit: float = 5.0
) -> list[tuple[list[PlanWarning], list[PlanWarning]]]:
    """Every athlete's dropped targets, (warnings, notes), in the squad's athlete order
    (a gym full that day is a reason of its own: the settings, a warning)."""
    out = []
    for i, r in enumerate(result.results):
        left = racks_left(result.squad, result.results, i)
        warnings, notes = plan_findings(r, time_limit, extra=gym_guard(left))
        for w in warnings:
            if CAPACITY in w.reasons:
                full = _full_days(r, left, w.weeks)
                w.context = "; ".join(p for p in (w.context, f"gym full on {full}") if p)
        out.append((warnings, notes))
    return out


def _full_days(result, left: dict[date, int], weeks: list[int]) -> str:
    """The capacity dates of the (1-based) weeks where no rack is left, in words."""
    days = [
        d.label for d in result.calendar.days if d.week + 1 in weeks and left.get(d.date, 1) <= 0
    ]
    return ", ".join(days[:4]) + (f" (+{len(days) - 4} more)" if len(days) > 4 else "")


def report_squad(squad, *, time_limit=None, seed=None, workers=None):
    """The squad's pipeline (as :func:`strideplan.app.plan_and_report` for one athlete):
    one model for the squad (an infeasible squad comes explained down to the athlete and
    day), every athlete's plan and the gym's capacity through the solver-free checker
    (:class:`~strideplan.app.PlanBreaksRulesError` if one breaks), then each athlete's
    warnings and notes."""
    result = solve_squad(squad, time_limit=time_limit, seed=seed, workers=workers)
    if result.status == "infeasible":
        result.explanation = explain_squad(squad)
    if not result.solved:
        return result
    for name, r in zip(squad.names, result.results):
        try:
            self_check(r)
        except PlanBreaksRulesError as exc:
            raise PlanBreaksRulesError(f"{name}: {exc}") from None
    over = capacity_violations(squad, result.results)
    if over:
        raise PlanBreaksRulesError(f"the squad's plan overfills the gym, first {over[0]}")
    for r, (warnings, notes) in zip(result.results, squad_findings(result)):
        r.warnings, r.notes = warnings, notes
    return result
