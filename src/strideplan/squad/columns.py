"""The gym's capacity priced by stabilised column generation, and a squad plan chosen
among the priced plans.

Why (bench/bench_squad.py, 50 athletes × 16 weeks, 2 cores): the subgradient rounds of
:mod:`strideplan.squad.lagrange` stopped at a bound of 8 570 and CP-SAT's search on the
squad's model kept its start plan (8 960); after 330 s it had 8 919 against a bound of
8 621. The squad's model is a block structure: one block per athlete, tied only by the
capacity rows, which is what column generation is for.

A *column* is a plan of one athlete alone, kept as its heavy-legs days on capacity dates
and its part of the objective (the least part of a plan with those days: it was priced
optimal). Athletes whose scenarios differ only by name (twins) form one group sharing
its columns. For prices ``μ_d >= 0`` (points per heavy-legs session on capacity date
``d``), ``L(μ) = Σ_i w_i(μ) - Σ_d μ_d cap_d`` with ``w_i(μ) = min part_i + Σ_d μ_d
lower_i[d]`` over athlete ``i``'s own plans is a lower bound of the squad's objective
(see :mod:`strideplan.squad.lagrange`). The prices come from a box-step method on the
dual of the restricted master: each round maximises the cutting-plane model of ``L``
(every column a cut) within a box of half-width ``δ`` around the best prices so far, on
GLOP; every group is priced at the result; a new best moves the box and doubles ``δ``,
else ``δ`` halves. Plain column generation (no box) swung its prices from 0 to
thousands of points and reached 8 430 in 40 rounds; the box reaches 8 702 in 30 (box
4 or 8 wide at first: 8 689, 8 615), and 8 705 in 31, which proves the plan optimal.

The plan: an integer master over the columns (how many athletes of each group take
each column, within the capacity), on CP-SAT with one worker and a deterministic time
budget, after every round (the rounds stop when its plan meets the bound), then
:mod:`strideplan.squad.lns` improves and realises it.

Deterministic: a fixed number of rounds (fewer when the plan meets the bound), GLOP,
one CP-SAT worker per solve with the group's seed, a deterministic time budget on the
master; nothing depends on the clock but the safety time limits (each solve's, and the
squad's: no round starts after most of it is spent).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from ..calendar import Calendar
from ..interrupt import run_solver
from ..model import Build, build, objective, solver_parameters, value_of
from .lagrange import Lagrange
from .start import ALONE_TIME_LIMIT, AthleteStart, capacity_days, model_key

#: prices are integers in 1/COLUMN_PRICE_SCALE points (the cuts stay integral)
COLUMN_PRICE_SCALE = 100
#: pricing rounds after the alone solves, at most; fixed, never clock-dependent (they
#: stop when the plan is proven: the bench squad in 31, the club squad in 24)
COLUMN_ROUNDS = 40
#: the box's first half-width, its least and its largest (points); how it grows after a
#: serious step and shrinks after a null one
BOX_START, BOX_MIN, BOX_MAX = 1.0, 0.25, 64.0
BOX_GROW, BOX_SHRINK = 2.0, 0.5
#: a round's prices become the box's centre when L gains this share of what the model
#: predicted (the bundle methods' serious step)
SERIOUS = 0.1
#: the integer master's budget, in CP-SAT's deterministic time units (about seconds):
#: after every round (to know when to stop), and once more at the end
CHECK_DETERMINISTIC_TIME = 0.5
MASTER_DETERMINISTIC_TIME = 5.0
#: the rounds stop when the master's plan is within this share of the bound (0: when
#: proven optimal; at 0.1 % the club squad stopped at 4 167 / 4 164, where the rounds
#: go on to prove 4 165)
STOP_GAP = 0.0
MASTER_TIME_LIMIT = 60.0

Pattern = tuple[int, ...]


@dataclass
class Columns:
    """What the pricing rounds found."""

    #: athlete -> its group's head (the first athlete of its twins)
    group: list[int]
    #: group head -> {heavy-legs days on capacity dates: least part with them}
    columns: dict[int, dict[Pattern, int]]
    #: the rounds as Lagrangian cuts (prices in 1/COLUMN_PRICE_SCALE points) and the bound
    lag: Lagrange = field(default_factory=lambda: Lagrange(scale=COLUMN_PRICE_SCALE))
    #: the best plan of the integer master so far (each athlete's pattern), its points
    plan: list[Pattern] | None = None
    points: int | None = None


def groups(squad) -> list[int]:
    """Each athlete's group head: the first athlete whose scenario differs only by name."""
    first: dict[str, int] = {}
    return [first.setdefault(model_key(sc), i) for i, sc in enumerate(squad.athletes)]


def _pattern(legs: list[int], capacity: dict[int, int]) -> Pattern:
    return tuple(d for d in sorted(legs) if d in capacity)


def _priced(b: Build, seed: int, mu: dict[int, int]) -> tuple[int | None, int, list[int]]:
    """``w(μ)`` (scaled; None: not proven), the plan's part and its heavy-legs days."""
    lower = b.placed["strength_lower"]
    priced = [
        (m, lower[d]) for d, m in sorted(mu.items()) if m and not isinstance(lower.get(d, 0), int)
    ]
    b.model.Minimize(COLUMN_PRICE_SCALE * objective(b) + sum(m * v for m, v in priced))
    solver = solver_parameters(cp_model.CpSolver(), 1, seed, ALONE_TIME_LIMIT, lp_up_front=False)
    status = run_solver(solver, b.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, 0, []
    legs = [d for d, v in lower.items() if value_of(solver, v)]
    part = sum(t.weight * value_of(solver, t.var) for t in b.terms)
    return (int(round(solver.ObjectiveValue())) if status == cp_model.OPTIMAL else None), part, legs


def _box_step(
    columns: dict[int, dict[Pattern, int]],
    size: dict[int, int],
    capacity: dict[int, int],
    centre: dict[int, float],
    delta: float,
) -> tuple[float, dict[int, int], bool]:
    """The cutting-plane model's maximum within the box, its prices (integers in
    1/COLUMN_PRICE_SCALE points) and whether the box holds them back (a price on the
    box's edge, 0 aside)."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    theta = {g: lp.NumVar(-lp.infinity(), lp.infinity(), f"w{g}") for g in sorted(columns)}
    mu = {d: lp.NumVar(max(0.0, centre[d] - delta), centre[d] + delta, f"mu{d}") for d in capacity}
    for g in sorted(columns):
        for legs, part in sorted(columns[g].items()):
            row = lp.Constraint(-lp.infinity(), float(part))
            row.SetCoefficient(theta[g], 1.0)
            for d in legs:
                row.SetCoefficient(mu[d], -1.0)
    goal = lp.Objective()
    for g, var in theta.items():
        goal.SetCoefficient(var, float(size[g]))
    for d, var in mu.items():
        goal.SetCoefficient(var, -float(capacity[d]))
    goal.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return math.inf, {d: round(COLUMN_PRICE_SCALE * centre[d]) for d in capacity}, True
    prices = {d: max(0, round(COLUMN_PRICE_SCALE * mu[d].solution_value())) for d in capacity}
    edge = any(
        abs(var.solution_value() - var.ub()) < 1e-7
        or (var.lb() > 0 and abs(var.solution_value() - var.lb()) < 1e-7)
        for var in mu.values()
    )
    return goal.Value(), prices, edge


def price_columns(
    squad,
    cal: Calendar,
    starts: list[AthleteStart],
    seed: int,
    workers: int,
    rounds: int = COLUMN_ROUNDS,
    deadline: float | None = None,
) -> Columns:
    """Box-step pricing rounds from μ = 0 (the alone solves, ``starts``). ``deadline``
    (a ``time.perf_counter()`` value) is a safety limit only: no round starts that would
    end after it, going by the last round (the bound and the plan so far stay valid)."""
    group = groups(squad)
    heads = sorted(set(group))
    size = {g: group.count(g) for g in heads}
    capacity = capacity_days(squad, cal)
    out = Columns(group, {g: {} for g in heads})
    if not capacity or any(starts[g].bound is None for g in heads):
        return out
    for g in heads:
        out.columns[g][_pattern(starts[g].legs, capacity)] = starts[g].bound
    scale = COLUMN_PRICE_SCALE
    best = sum(size[g] * starts[g].bound for g in heads)  # L(0), exact
    out.lag.history.append(float(best))
    centre = {d: 0.0 for d in capacity}
    delta = BOX_START
    builds: dict[int, Build] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        last = 0.0  # the last round's seconds
        for _ in range(rounds):
            started = time.perf_counter()
            if deadline is not None and started + last > deadline:
                break  # the safety time limit (a round would end past it): clock-dependent
            predicted, mu, edge = _box_step(out.columns, size, capacity, centre, delta)
            for g in heads:
                if g not in builds:
                    sc = squad.athletes[g]
                    builds[g] = build(sc, Calendar(sc), prefix=f"a{g}.")
            solved = list(pool.map(lambda g, mu=mu: _priced(builds[g], seed + g, mu), heads))
            if any(w is None for w, _, _ in solved):
                break
            w = {g: s[0] for g, s in zip(heads, solved)}
            out.lag.rounds.append((dict(mu), dict(w)))
            new = 0
            for g, (_, part, legs) in zip(heads, solved):
                key = _pattern(legs, capacity)
                if key not in out.columns[g] or out.columns[g][key] > part:
                    new += key not in out.columns[g]
                    out.columns[g][key] = part
            value = (
                sum(size[g] * w[g] for g in heads) - sum(mu[d] * capacity[d] for d in capacity)
            ) / scale
            out.lag.history.append(value)
            if value - best >= SERIOUS * (predicted - best):
                centre = {d: mu[d] / scale for d in capacity}
                delta = min(BOX_MAX, BOX_GROW * delta)
            else:
                delta = max(BOX_MIN, BOX_SHRINK * delta)
            best = max(best, value)
            if new or out.plan is None:
                _master(squad, cal, out, seed, CHECK_DETERMINISTIC_TIME)
            last = time.perf_counter() - started
            if (
                out.points is not None
                and out.points - math.ceil(best - 1e-9) <= STOP_GAP * out.points
            ):
                break  # the plan is within STOP_GAP of the bound (0: proven optimal)
            if not new and not edge and predicted - best < 1 / scale:
                break  # the model's maximum, inside the box, is reached: L is optimal
    finally:
        pool.shutdown()
    out.lag.bound = math.ceil(best - 1e-9)
    return out


def add_plans(cols: Columns, cal: Calendar, squad, plans: list[AthleteStart]) -> None:
    """Each athlete's plan (say, the start plan within the capacity) as a column of its
    group: with it the master always has a plan, even after few rounds."""
    capacity = capacity_days(squad, cal)
    for i, plan in enumerate(plans):
        if plan.points is None:
            continue
        column = cols.columns.setdefault(cols.group[i], {})
        key = _pattern(plan.legs, capacity)
        column[key] = min(column.get(key, plan.points), plan.points)


def choose_columns(squad, cal: Calendar, cols: Columns, seed: int) -> list[Pattern] | None:
    """Each athlete's heavy-legs days on capacity dates (None: the columns hold no plan
    within the capacity): the integer master's best plan, solved once more with the
    whole budget."""
    _master(squad, cal, cols, seed, MASTER_DETERMINISTIC_TIME)
    return cols.plan


def _master(squad, cal: Calendar, cols: Columns, seed: int, budget: float) -> None:
    """The integer master over the columns (least summed part within the capacity), on
    one CP-SAT worker with a deterministic ``budget``, hinted with ``cols.plan``; twins
    take their group's chosen columns in athlete order. A better plan replaces
    ``cols.plan``."""
    capacity = capacity_days(squad, cal)
    heads = sorted(cols.columns)
    model = cp_model.CpModel()
    take: dict[tuple[int, Pattern], cp_model.IntVar] = {}
    use: dict[int, list] = {d: [] for d in capacity}
    cost = []
    for g in heads:
        n = cols.group.count(g)
        row = []
        for k, (legs, part) in enumerate(sorted(cols.columns[g].items())):
            var = model.NewIntVar(0, n, f"take{g}_{k}")
            take[g, legs] = var
            row.append(var)
            cost.append(part * var)
            for d in legs:
                use[d].append(var)
        model.Add(sum(row) == n)
    for d, limit in capacity.items():
        if use[d]:
            model.Add(sum(use[d]) <= limit)
    model.Minimize(sum(cost))
    if cols.plan is not None:
        counts: dict[tuple[int, Pattern], int] = {}
        for i, legs in enumerate(cols.plan):
            counts[cols.group[i], legs] = counts.get((cols.group[i], legs), 0) + 1
        for key, var in take.items():
            model.AddHint(var, counts.get(key, 0))
    solver = solver_parameters(cp_model.CpSolver(), 1, seed, MASTER_TIME_LIMIT)
    solver.parameters.max_deterministic_time = budget
    status = run_solver(solver, model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    points = int(round(solver.ObjectiveValue()))
    if cols.points is not None and points >= cols.points:
        return
    queue: dict[int, list[Pattern]] = {}
    for (g, legs), var in sorted(take.items()):
        queue.setdefault(g, []).extend([legs] * int(solver.Value(var)))
    cols.plan = [queue[g].pop(0) for g in cols.group]
    cols.points = points
