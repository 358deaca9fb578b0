"""The one pipeline every command runs: solve, self-check, find what the plan could not
do, and (on request) the hard rules that bind; explain when there is no plan.

``solve``, ``explain``, ``compare``, ``batch`` and ``replan`` all call
:func:`plan_and_report`, so a plan is analysed the same way wherever it is made (a batch
row explains an infeasible file exactly as ``solve`` does). It is the only writer of a
:class:`~strideplan.result.Result`'s analysis (``explanation``, ``warnings``, ``notes``,
``bindings``); callers read them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from .calendar import Calendar
from .check import PlanOutsideError, check_plan
from .compare import Variant, metrics
from .explain import (
    Budget,
    Explanation,
    binding_rules,
    conflict_places,
    explain_infeasible,
    minimal_conflict,
)
from .result import Result, plan_scenario
from .rules import Rule
from .scenario import Scenario
from .shortfalls import plan_findings

#: how long each solve that explains a missing plan may take
EXPLAIN_TIME_LIMIT = 5.0


def explain_budget(time_limit: float) -> float:
    """Seconds for the whole explanation of a missing plan (its conflict, where it bites,
    the fixes tried): three times the solve's own limit, at least 10. Whatever is found
    by then is the answer (SPEC Robustness: bounded time): a conflict that could not be
    shrunk further, fewer fixes."""
    return max(10.0, 3.0 * time_limit)


class PlanBreaksRulesError(RuntimeError):
    """The solver's plan fails the solver-free checker: the model and the checker
    disagree, a bug (the CLI exits 3 and writes nothing), never a silent bad plan."""


def plan_and_report(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[float, float | None, float], None] | None = None,
    why: bool = False,
    findings: bool = True,
    write: Callable[[Result, Callable[[], None]], None] | None = None,
    calendar: Calendar | None = None,
    extra: Sequence[Rule] = (),
) -> Result:
    """Solve ``scenario`` and analyse the plan; returns the :class:`Result`.

    - No plan: an infeasible result carries its explanation (a minimal conflict, where
      it bites and, for a fresh plan, verified fixes); nothing else is analysed.
    - A plan: checked by the solver-free checker (:class:`PlanBreaksRulesError` if it
      breaks a hard rule), then (unless ``findings`` is False) its warnings and notes
      (SPEC v3), and with ``why`` the hard rules that bind an optimal plan.
    - ``write(result, analysed)``: runs while the analysis does (its solves leave the GIL),
      ``analysed()`` waits for it: a workbook writes the sheets that do not show the
      analysis first.
    - ``calendar`` and ``extra`` re-plan: a calendar holding the past (only the days
      from its today on are checked and reported; what happened is a fact) and the
      living plan's own rules (stability against the published plan).
    """
    result = plan_scenario(
        scenario,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        progress=progress,
        calendar=calendar,
        extra=extra,
    )
    if not result.solved:
        if result.status == "infeasible":
            budget = Budget.of(
                EXPLAIN_TIME_LIMIT, explain_budget(time_limit or scenario.solver.time_limit)
            )
            result.explanation = _why_no_plan(scenario, result.calendar, budget)
        return result
    self_check(result)

    def analyse() -> None:
        if findings:
            warnings, notes = plan_findings(result)
            ahead = _first_week_ahead(result.calendar)
            result.warnings = [w for w in warnings if w.weeks[-1] >= ahead]
            result.notes = [n for n in notes if n.weeks[-1] >= ahead]
        if why and result.status == "optimal":
            result.bindings = binding_rules(result, time_limit or scenario.solver.time_limit)

    if write is None:
        analyse()
        return result
    with ThreadPoolExecutor(1) as pool:
        analysis = pool.submit(analyse)
        write(result, analysis.result)
        analysis.result()
    return result


def self_check(result: Result) -> None:
    """The checker's verdict on a solved plan from its first planned day on: raises
    :class:`PlanBreaksRulesError` on any hard violation."""
    first = result.calendar.today
    try:
        violations = check_plan(result.scenario, result.plan, result.calendar)
    except PlanOutsideError as exc:
        raise PlanBreaksRulesError(f"the solver's plan has {exc}") from None
    ahead = [v for v in violations if first is None or v.date is None or v.date >= first]
    if ahead:
        raise PlanBreaksRulesError(
            f"the solver's plan breaks {len(ahead)} hard rule(s), first {ahead[0]}"
        )


def _why_no_plan(scenario: Scenario, calendar: Calendar, time_limit: Budget) -> Explanation:
    """A fresh plan's explanation comes with verified fixes; a re-plan's cannot (the
    fixes would change the past), so it names the conflict and where it bites."""
    if calendar.today is None:
        return explain_infeasible(scenario, time_limit)
    core = minimal_conflict(scenario, time_limit, calendar=calendar)
    places = conflict_places(scenario, core, time_limit, calendar=calendar) if core else {}
    return Explanation(core, places, fixes_tried=False)


def _first_week_ahead(calendar: Calendar) -> int:
    """The first (1-based) week a re-plan still shapes: findings before it are the past."""
    return 1 if calendar.today_week is None else calendar.today_week + 1


def report_all(
    scenarios: list[Scenario],
    time_limit: float | None = None,
    on_done: Callable[[int, Result], None] | None = None,
) -> list[Result]:
    """:func:`plan_and_report` on every scenario, concurrently (CP-SAT leaves the GIL);
    results in the scenarios' order, ``on_done(i, result)`` as each comes in order."""
    threads = max(1, min(len(scenarios), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(plan_and_report, s, time_limit=time_limit) for s in scenarios]
        results = []
        for i, future in enumerate(futures):
            results.append(future.result())
            if on_done:
                on_done(i, results[-1])
    return results


def compare(variants: list[Variant], time_limit: float | None = None) -> pd.DataFrame:
    """Python API: solve the variants (:func:`strideplan.compare.build_variants`) and
    return the metrics table (metrics × variants)."""
    results = report_all([v.scenario for v in variants], time_limit)
    return metrics(results, [v.name for v in variants])
