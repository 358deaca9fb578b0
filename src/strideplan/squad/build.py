"""One CP-SAT model for a squad: every athlete's rules exactly as for a single athlete
(each athlete's :class:`~strideplan.model.Build` on one shared CpModel), plus the gym's
capacity shared across the squad.

Rule ``gym_capacity`` (common practice: a club gym has a fixed number of racks, so
heavy-legs sessions, which need a rack each, are capped per weekday): on every date of a
weekday listed in ``gym.capacity``, at most that many athletes do ``strength_lower``.
A weekday not listed has no limit. ``coach.power_days`` needs nothing here: it is each
athlete's own ``power_days`` rule (see :mod:`strideplan.squad.scenario`).

The objective is the sum of the athletes' objectives, with the same seeded tie-break as
a single solve (athlete ``i`` drawn from ``seed + i``), so one athlete with no capacity
gives exactly the single-athlete plan, and the same squad and seed give the same plans.
With a capacity the squad is solved by pricing the gym first (see :func:`solve_squad`);
the model here is then only searched when the priced plan is not within 0.1 % of the
bound. Why a squad has no plan is found a floor up
(:func:`strideplan.squad.report.report_squad`, with :mod:`strideplan.squad.explain`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from ortools.sat.python import cp_model

from ..calendar import Calendar
from ..interrupt import run_solver
from ..model import (
    Build,
    ProgressCallback,
    SolveStatus,
    build,
    default_workers,
    objective,
    solver_parameters,
    status_of,
    tie_break_terms,
    tie_broken,
)
from ..result import Result, solved_result
from .columns import add_plans, choose_columns, price_columns
from .lagrange import Lagrange, add_lagrange_cuts
from .lns import athlete_raw, improve
from .scenario import Squad
from .start import AthleteStart, add_bounds_and_hint, alone, capacity_days, capacity_start

#: the final search's budget when it starts from the priced plan, in CP-SAT's
#: deterministic time units (about seconds; one worker)
FINAL_DETERMINISTIC_TIME = 10.0
#: no pricing round starts after this share of the time limit (a safety limit: the
#: rounds' count, not the clock, ends them normally; the plan still needs improving)
SAFETY_SHARE = 0.85
#: the priced plan is the answer when within this share of the bound: the squad's model
#: only searches on above it (bench: building and loading the 50-athlete model alone
#: took 8 s of the 30, to close 3 points of 8 705 it never closed)
FINAL_GAP = 0.001

#: the rule key of the shared capacity (explanations, violations)
CAPACITY = "gym_capacity"
CAPACITY_LABEL = "at most the gym's capacity of heavy-legs sessions on a weekday, squad-wide"
CAPACITY_SOURCE = "common practice: a club gym has a fixed number of racks"


class SquadBuild:
    """Every athlete's Build on one CpModel, and the shared capacity constraints.

    ``guarded``/``by_instance``/``only`` are as for :func:`strideplan.model.build`; the
    capacity then sits behind guards of its own, keyed ``(None, "gym_capacity")`` (or by
    ``(None, ("gym_capacity", "Sat 2027-03-06"))`` per date), while each athlete's guards
    are keyed ``(i, key)``: see :attr:`guards`.
    """

    def __init__(
        self,
        squad: Squad,
        guarded: bool = False,
        by_instance: bool = False,
        only: list[set[str] | None] | None = None,
        capacity: bool = True,
    ):
        self.squad = squad
        self.model = cp_model.CpModel()
        self.builds: list[Build] = []
        #: each athlete's variables: indices in the shared model, in creation order
        self.ranges: list[range] = []
        for i, sc in enumerate(squad.athletes):
            first = len(self.model.Proto().variables)
            self.builds.append(
                build(
                    sc,
                    Calendar(sc),
                    guarded,
                    by_instance,
                    only=None if only is None else only[i],
                    model=self.model,
                    prefix=f"a{i}.",
                )
            )
            self.ranges.append(range(first, len(self.model.Proto().variables)))
        self.guarded = guarded or by_instance
        self.by_instance = by_instance
        self.capacity_guards: dict[Any, cp_model.IntVar] = {}
        if capacity:
            self._capacity()

    def _capacity(self) -> None:
        cal = self.builds[0].cal
        for day in cal.days:
            limit = self.squad.capacity.get(day.weekday)
            if limit is None:
                continue
            lower = [b.x("strength_lower", day.index) for b in self.builds]
            if all(isinstance(x, int) for x in lower):
                continue  # no athlete can train legs that day
            ct = self.model.Add(sum(lower) <= limit)
            if self.guarded:
                key = (CAPACITY, day.place()) if self.by_instance else CAPACITY
                if key not in self.capacity_guards:
                    self.capacity_guards[key] = self.model.NewBoolVar(f"guard[{key}]")
                ct.OnlyEnforceIf(self.capacity_guards[key])

    @property
    def guards(self) -> dict[Any, cp_model.IntVar]:
        """Every guard of the squad: ``(i, athlete key)`` and ``(None, capacity key)``."""
        out = {(i, k): g for i, b in enumerate(self.builds) for k, g in b.guards.items()}
        out.update({(None, k): g for k, g in self.capacity_guards.items()})
        return out


@dataclass
class SquadResult:
    """What solving a squad gave: the squad's status and each athlete's Result."""

    squad: Squad
    status: str
    objective: int | None
    bound: float | None
    wall_time: float
    seed: int
    workers: int
    results: list[Result] = field(default_factory=list)
    #: (infeasible) the minimal conflict, by athlete, day and rule
    #: why no plan (filled by :func:`strideplan.squad.report.report_squad`)
    explanation: Any = None

    @property
    def solved(self) -> bool:
        """Whether a plan was found for the squad."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def gap(self) -> float:
        """Relative gap between the objective and the bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return math.inf
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    @property
    def penalties(self) -> dict[str, int]:
        """Points per rule summed over the athletes (negative: rewards)."""
        out: dict[str, int] = {}
        for r in self.results:
            for key, points in r.penalties.items():
                out[key] = out.get(key, 0) + points
        return out

    def gym_use(self) -> pd.DataFrame:
        """Per date with a capacity (or any heavy-legs session): who uses the gym."""
        return gym_use(self.squad, self.results)


def gym_use(squad: Squad, results: list[Result]) -> pd.DataFrame:
    """date, week, day, capacity, used, free, athletes: heavy-legs sessions per date."""
    cal = results[0].calendar if results else Calendar(squad.athletes[0])
    return gym_use_of(squad, [r.plan for r in results], cal)


def gym_use_of(squad: Squad, plans: list[pd.DataFrame], cal: Calendar) -> pd.DataFrame:
    """:func:`gym_use` of the athletes' Sessions tables (a squad workbook read back)."""
    who: dict = {}
    for name, plan in zip(squad.names, plans):
        lower = plan[plan["session"] == "strength_lower"]
        for d in lower["date"]:
            who.setdefault(d, []).append(name)
    rows = []
    for day in cal.days:
        limit = squad.capacity.get(day.weekday)
        names = who.get(day.date, [])
        if limit is None and not names:
            continue
        rows.append(
            {
                "date": day.date,
                "week": day.week + 1,
                "day": day.weekday,
                "capacity": limit,
                "used": len(names),
                "free": None if limit is None else limit - len(names),
                "athletes": ", ".join(names),
            }
        )
    table = pd.DataFrame(
        rows, columns=["date", "week", "day", "capacity", "used", "free", "athletes"]
    )
    return table.astype({"capacity": "Int64", "free": "Int64"})


def capacity_violations(
    squad: Squad, results: list[Result], plans: list[pd.DataFrame] | None = None
) -> list[str]:
    """Dates where more athletes do heavy legs than the gym holds (solver-free); of the
    ``plans`` (Sessions tables) where given, else of the results."""
    if plans is not None:
        table = gym_use_of(squad, plans, Calendar(squad.athletes[0]))
    else:
        table = gym_use(squad, results)
    over = table[table["capacity"].notna() & (table["used"] > table["capacity"])]
    return [
        f"{d:%a %Y-%m-%d}  {CAPACITY}: {used} heavy-legs sessions, capacity {int(cap)} ({names})"
        for d, used, cap, names in zip(
            over["date"], over["used"], over["capacity"], over["athletes"]
        )
    ]


def _objective(sb: SquadBuild, seed: int) -> tuple[Any, int]:
    """The squad's objective (athletes' objectives summed) with a seeded tie-break below
    its resolution, as :func:`strideplan.model.solve` does for one athlete."""
    main = sum(objective(b) for b in sb.builds)
    tie = [item for i, b in enumerate(sb.builds) for item in tie_break_terms(b, seed + i)[0]]
    return tie_broken(sb.model, main, tie)


def solve_squad(
    squad: Squad,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[float, float | None, float], None] | None = None,
) -> SquadResult:
    """Solve the squad; never raises on infeasibility.

    With a gym capacity: the capacity priced by column generation
    (:mod:`strideplan.squad.columns`), a plan chosen among the priced plans and improved
    athlete by athlete (:mod:`strideplan.squad.lns`); when that plan meets the bound it
    is the answer, else the squad's one CP-SAT model, hinted with it and cut by the
    rounds, searches on with one worker and a deterministic budget (a better plan
    replaces it). Without a capacity (or when no plan was found that way): the squad's
    one CP-SAT model, hinted with the athletes' plans alone, as a single solve.
    """
    t0 = time.perf_counter()
    seed = squad.solver.seed if seed is None else seed
    n_workers = workers or squad.solver.workers or default_workers()
    limit = float(time_limit or squad.solver.time_limit)
    starts = alone(squad, seed, n_workers)  # one CP-SAT worker per athlete
    # a safety limit, as CP-SAT's own
    planned, lag = _priced(squad, starts, seed, n_workers, t0 + SAFETY_SHARE * limit)
    if planned is not None:
        total = sum(p.points for p in planned)
        close = lag.bound is not None and total - lag.bound <= FINAL_GAP * max(1, abs(total))
        # the safety limit spent: no time to build the squad's model, the plan stays
        late = time.perf_counter() > t0 + SAFETY_SHARE * limit
        if close or late:
            wall = time.perf_counter() - t0
            proven = lag.bound is not None and total <= lag.bound
            return _planned(
                squad,
                planned,
                SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
                float(total) if proven else None if lag.bound is None else float(lag.bound),
                wall,
                seed,
                n_workers,
            )
    return _search(squad, starts, planned, lag, seed, n_workers, limit, t0, progress)


def _priced(squad: Squad, starts: list, seed: int, n_workers: int, deadline: float):
    """(the plan chosen among the priced plans and improved athlete by athlete, or None;
    the Lagrangian bound of the rounds): with a gym capacity, when every athlete alone
    has a plan."""
    cal = Calendar(squad.athletes[0])
    if not capacity_days(squad, cal) or any(s.bound is None for s in starts):
        return None, Lagrange()
    cols = price_columns(squad, cal, starts, seed, n_workers, deadline=deadline)
    patterns = choose_columns(squad, cal, cols, seed)
    if patterns is None:  # too few rounds (the safety limit): the start plan helps
        add_plans(cols, cal, squad, capacity_start(squad, cal, starts, seed))
        patterns = choose_columns(squad, cal, cols, seed)
    if patterns is None:
        return None, cols.lag
    found = improve(squad, cal, patterns, seed, n_workers)
    return (found if all(p is not None for p in found) else None), cols.lag


def _search(squad, starts, planned, lag, seed, n_workers, limit, t0, progress) -> SquadResult:
    """The squad's one CP-SAT model, hinted with the priced plan (one worker, a
    deterministic budget: a better plan replaces it) or with the athletes' plans alone
    (a single solve as :func:`strideplan.model.solve`), cut by the rounds."""
    sb = SquadBuild(squad)
    combined, scale = _objective(sb, seed)
    sb.model.Minimize(combined)
    if planned is not None:
        plans = [
            AthleteStart(None, None, p.values, _names(p.build), [], p.points)
            for i, p in enumerate(planned)
        ]
    else:
        plans = capacity_start(squad, sb.builds[0].cal, starts, seed)
    add_bounds_and_hint(sb.model, sb.builds, sb.ranges, starts, plans, scale, seed)
    add_lagrange_cuts(sb.model, sb.builds, squad, lag)
    left = max(0.1, limit - (time.perf_counter() - t0))  # the start counts in the limit
    if planned is not None:  # deterministic: one worker, a budget in deterministic time
        solver = solver_parameters(cp_model.CpSolver(), 1, seed, left)
        solver.parameters.max_deterministic_time = FINAL_DETERMINISTIC_TIME
    else:
        solver = solver_parameters(cp_model.CpSolver(), n_workers, seed, left)  # as model.solve
    # the cuts above in the LP from the start: added lazily, the root LP of a large
    # squad did not reach them before the search dived (bound 2 790 against 5 518)
    solver.parameters.add_lp_constraints_lazily = False
    callback = ProgressCallback(progress, scale) if progress else None
    status = run_solver(solver, sb.model, callback)
    wall = time.perf_counter() - t0
    name = status_of(solver, status, sb.model)
    bound = float(lag.bound) if lag.bound is not None else None
    if name in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        cp_bound = float(math.floor(solver.BestObjectiveBound() / scale))
        bound = cp_bound if bound is None else max(bound, cp_bound)
    if planned is not None:
        total = sum(p.points for p in planned)
        if (
            name not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
            or solver.ObjectiveValue() >= scale * total
        ):
            # the search found no better plan: the deterministic one stays
            proven = name == SolveStatus.OPTIMAL or (bound is not None and total <= bound)
            status_name = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
            return _planned(
                squad,
                planned,
                status_name,
                float(total) if proven else bound,
                wall,
                seed,
                n_workers,
            )
    if name not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return SquadResult(squad, name, None, None, wall, seed, n_workers, [])
    results = [
        solved_result(b.sc, b.cal, _raw(solver, b, name, wall, n_workers), seed) for b in sb.builds
    ]
    total = sum(r.objective for r in results)
    if name == SolveStatus.OPTIMAL:
        bound = float(total)
    for r in results:
        r.bound = float(r.objective) if name == SolveStatus.OPTIMAL else None
    return SquadResult(squad, name, total, bound, wall, seed, n_workers, results)


def _names(b: Build) -> list[str]:
    """An athlete's variable names in its own model, without its prefix."""
    return [v.name.removeprefix(b.prefix) for v in b.model.Proto().variables]


def _planned(
    squad: Squad,
    planned: list,
    status: str,
    bound: float | None,
    wall: float,
    seed: int,
    workers: int,
) -> SquadResult:
    """The squad's result from each athlete's plan of :func:`strideplan.squad.lns.improve`."""
    results = []
    for sc, p in zip(squad.athletes, planned):  # twins may share a plan, not a name
        raw = replace(p.raw, status=status, wall_time=wall, workers=workers)
        result = solved_result(sc, p.build.cal, raw, seed)
        result.bound = float(result.objective) if status == SolveStatus.OPTIMAL else None
        results.append(result)
    total = sum(r.objective for r in results)
    return SquadResult(squad, status, total, bound, wall, seed, workers, results)


def _raw(solver: cp_model.CpSolver, b: Build, status: str, wall: float, workers: int):
    """One athlete's values from the squad's solution."""
    return athlete_raw(solver, b, status, wall, workers)
