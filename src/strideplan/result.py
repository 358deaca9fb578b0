"""A solver-independent result: status, objective, bound, time, penalties, the plan.

:func:`plan_scenario`: scenario in, :class:`Result` out. An infeasible scenario gives a
well-formed Result, not an error. The library's front door is one floor up,
:func:`strideplan.app.plan_and_report`: it solves through here, checks the plan and fills
the analysis (why no plan, what the plan could not do, which hard rules bind).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from .calendar import Calendar, Place
from .model import SolveStatus, solve
from .plan import plan_table
from .prescription import prescribe
from .rules import RULES, Rule
from .scenario import Scenario

if TYPE_CHECKING:  # the explanation is made above this layer (strideplan.explain)
    from .explain import Explanation


@dataclass
class Instance:
    """One soft term that fired: its rule, its points and where."""

    rule: str
    points: int
    where: Place
    #: a weekly minimum missed in a week that is not clean
    shortfall: bool = False


def arithmetic(fired: list[Instance]) -> str:
    """How a rule's points add up: '38 × +1' or, when instances weigh differently
    (a term counting two moved sessions), '36 × +1 + 2 × +2' — never a sum that does
    not add up."""
    counts: dict[int, int] = {}
    for inst in fired:
        counts[inst.points] = counts.get(inst.points, 0) + 1
    return " + ".join(f"{n} × {points:+d}" for points, n in sorted(counts.items()))


@dataclass
class Result:
    """What solving a scenario gave."""

    scenario: Scenario
    calendar: Calendar
    status: str
    objective: int | None
    bound: float | None
    wall_time: float
    seed: int
    workers: int
    plan: pd.DataFrame
    exercises: pd.DataFrame
    dynamic: list[bool] = field(default_factory=list)
    instances: list[Instance] = field(default_factory=list)
    #: why no plan (the analysis of :func:`strideplan.app.plan_and_report` fills these)
    explanation: Explanation | None = None
    #: hard rules that bind (filled by :func:`strideplan.explain.binding_rules` on demand)
    bindings: list | None = None
    #: targets the plan dropped (:func:`strideplan.shortfalls.plan_findings`)
    warnings: list | None = None
    #: expected light weeks (SPEC v3), shown in their Calendar rows, not as warnings
    notes: list | None = None
    #: rules a room above solved the plan under besides :data:`RULES` (a re-plan's)
    extra_rules: tuple[Rule, ...] = ()

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule the plan was solved under, in the Rules sheet's order."""
        return (*RULES, *self.extra_rules)

    @property
    def solved(self) -> bool:
        """Whether a plan was found."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def penalties(self) -> dict[str, int]:
        """Points per rule (negative: rewards); every soft rule listed, 0 when silent."""
        out = {
            r.key: 0
            for r in self.rules
            if r.weight(self.scenario) is not None and r.enabled(self.scenario)
        }
        for inst in self.instances:
            out[inst.rule] = out.get(inst.rule, 0) + inst.points
        return out

    def instances_by_rule(self) -> dict[str, list[Instance]]:
        """The fired soft terms grouped by rule, in firing order."""
        out: dict[str, list[Instance]] = {}
        for inst in self.instances:
            out.setdefault(inst.rule, []).append(inst)
        return out

    def sessions_by_day(self) -> dict:
        """date -> 'power, intervals' (the day's training sessions, mobility left out)."""
        if not self.solved:
            return {}
        plan = self.plan[self.plan["session"] != "mobility"]
        return plan.groupby("date")["session"].apply(", ".join).to_dict()

    def phases(self) -> list[str]:
        """Phase of each week: dynamic, static, taper, race, recovery."""
        return [
            self.calendar.week_phase(w, self.dynamic[w] if self.dynamic else False)
            for w in range(self.calendar.n_weeks)
        ]

    def __str__(self) -> str:
        if not self.solved:
            return f"{self.scenario.name}: {self.status} ({self.wall_time:.2f} s)"
        return (
            f"{self.scenario.name}: {self.status}, objective {self.objective}, "
            f"bound {self.bound:g}, {self.wall_time:.2f} s"
        )


def plan_scenario(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[float, float | None, float], None] | None = None,
    calendar: Calendar | None = None,
    extra: Sequence[Rule] = (),
) -> Result:
    """Solve a scenario into a :class:`Result` (not analysed here: an infeasible one is
    explained, a plan checked and its findings made by
    :func:`strideplan.app.plan_and_report`).

    ``calendar`` and ``extra`` re-plan: a calendar that holds the past, and the living
    plan's own rules (stability against the published plan), which the Result keeps.
    """
    cal = calendar or Calendar(scenario)
    raw = solve(
        scenario,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        calendar=cal,
        progress=progress,
        extra=extra,
    )
    seed = scenario.solver.seed if seed is None else seed
    if raw.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return Result(
            scenario,
            cal,
            raw.status,
            None,
            None,
            raw.wall_time,
            seed,
            raw.workers,
            plan_table(cal, {}, [False] * cal.n_weeks).iloc[0:0],
            pd.DataFrame(),
            extra_rules=tuple(extra),
        )
    result = solved_result(scenario, cal, raw, seed)
    result.extra_rules = tuple(extra)
    return result


def solved_result(scenario: Scenario, cal: Calendar, raw, seed: int) -> Result:
    """A solved :class:`RawSolution` as a Result: prescriptions, the plan table and the
    soft terms that fired (also used for each athlete of a squad)."""
    exercises, details = prescribe(cal, raw.values, raw.dynamic)
    plan = plan_table(cal, raw.values, raw.dynamic, details)
    instances = [
        Instance(term.rule, term.weight * value, term.where, term.shortfall)
        for term, value in raw.terms
        if value
    ]
    return Result(
        scenario,
        cal,
        raw.status,
        raw.objective,
        raw.bound,
        raw.wall_time,
        seed,
        raw.workers,
        plan,
        exercises,
        raw.dynamic,
        instances,
    )
