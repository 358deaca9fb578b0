"""Lagrangian bound cuts for the squad's gym capacity.

Why: the cuts ``part_i >= o_i`` of :mod:`strideplan.squad_start` know nothing of the
gym, and on bench/bench_squad.py (50 athletes × 16 weeks) the capacity costs about
3 000 points above Σ o_i that CP-SAT's bound learnt only slowly.

Prices the capacity instead: for prices ``μ_d >= 0`` (integers, in ``1/PRICE_SCALE``
points) on each capacity date ``d``, athlete ``i`` alone solves

    w_i(μ) = min over i's own plans of  PRICE_SCALE × part_i + Σ_d μ_d × lower_i[d]

and every plan of the squad satisfies the cut ``PRICE_SCALE × part_i + Σ_d μ_d ×
lower_i[d] >= w_i(μ)`` (it is a plan of athlete ``i``). Summed over the athletes, with
``Σ_i lower_i[d] <= cap_d``, they give ``Σ_i part_i >= L(μ) = (Σ_i w_i(μ) - Σ_d μ_d
cap_d) / PRICE_SCALE``, a lower bound of the squad's objective (the tie-break is >= 0,
so it holds under the scaled objective too). The cuts are on the athletes' unscaled
parts; the prices come from a fixed number of subgradient rounds (Polyak steps towards
the start plan's objective, on the alone plans' overuse ``Σ_i lower_i[d] - cap_d``).

Deterministic: a fixed number of rounds, one CP-SAT worker per solve with the athlete's
seed, athletes that differ only by name (twins) solved once; nothing depends on the
clock but each solve's safety time limit.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .calendar import Calendar
from .interrupt import run_solver
from .model import Build, build, objective, solver_parameters
from .squad_start import ALONE_TIME_LIMIT, AthleteStart, _unnamed, _value

#: prices are integers in 1/PRICE_SCALE points (the cuts stay integral)
PRICE_SCALE = 4
#: subgradient rounds after the alone solves (λ = 0); fixed, never clock-dependent
LAGRANGE_ROUNDS = 10
#: the first Polyak step factor (halved whenever a round does not improve the bound)
THETA = 1.0


@dataclass
class Lagrange:
    """What the rounds found: the cuts per athlete group and the best bound."""

    #: per round: {day index: μ_d} and each group's w (None: not proven)
    rounds: list[tuple[dict[int, int], dict[int, int | None]]] = field(default_factory=list)
    #: best L(μ) over the rounds, in points (rounded up), None if never proven
    bound: int | None = None
    #: L(μ) per round (points, exact fraction as float), for the record
    history: list[float] = field(default_factory=list)
    #: prices and w are integers in 1/scale points
    scale: int = PRICE_SCALE


def capacity_days(squad, cal: Calendar) -> dict[int, int]:
    """Day index -> capacity, for every date of a weekday with a capacity."""
    return {d.index: squad.capacity[d.weekday] for d in cal.days if d.weekday in squad.capacity}


def _priced(b: Build, seed: int, mu: dict[int, int]) -> tuple[int | None, list[int]]:
    """``w_i(μ)`` (proven, else None) and the heavy-legs days of the plan found."""
    lower = b.placed["strength_lower"]
    priced = [
        (m, lower[d]) for d, m in sorted(mu.items()) if m and not isinstance(lower.get(d, 0), int)
    ]
    b.model.Minimize(PRICE_SCALE * objective(b) + sum(m * v for m, v in priced))
    solver = solver_parameters(cp_model.CpSolver(), 1, seed, ALONE_TIME_LIMIT)
    status = run_solver(solver, b.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, []
    legs = [d for d, v in lower.items() if _value(solver, v)]
    if status != cp_model.OPTIMAL:
        return None, legs
    return int(round(solver.ObjectiveValue())), legs


def lagrange(
    squad, cal: Calendar, starts: list[AthleteStart], upper: int | None, seed: int, workers: int
) -> Lagrange:
    """Subgradient rounds on the capacity prices; ``starts``: every athlete alone
    (round 0, μ = 0); ``upper``: a squad plan's objective (the Polyak target)."""
    out = Lagrange()
    capacity = capacity_days(squad, cal)
    n = len(squad.athletes)
    if not capacity or any(s.bound is None for s in starts):
        return out
    first: dict[str, int] = {}
    group = [first.setdefault(_unnamed(sc), i) for i, sc in enumerate(squad.athletes)]
    heads = sorted(set(group))
    # round 0: the alone solves (μ = 0)
    w = {g: PRICE_SCALE * starts[g].bound for g in heads}
    legs = {g: starts[g].legs for g in heads}
    mu = {d: 0 for d in capacity}
    builds: dict[int, Build] = {}
    theta = THETA
    best = -math.inf
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        for r in range(LAGRANGE_ROUNDS + 1):
            if r:
                for g in heads:
                    if g not in builds:
                        sc = squad.athletes[g]
                        builds[g] = build(sc, Calendar(sc), prefix=f"a{g}.")
                solved = list(pool.map(lambda g, mu=mu: _priced(builds[g], seed + g, mu), heads))
                w = {g: v for g, (v, _) in zip(heads, solved)}
                legs = {g: lg for g, (_, lg) in zip(heads, solved)}
                out.rounds.append((dict(mu), dict(w)))
            if any(w[g] is None for g in heads):
                break
            total = sum(w[g] for g in group) - sum(mu[d] * capacity[d] for d in capacity)
            value = total / PRICE_SCALE
            out.history.append(value)
            if value > best + 1e-9:
                best = value
            else:
                theta /= 2
            used = {d: 0 for d in capacity}
            for i in range(n):
                for d in legs[group[i]]:
                    if d in used:
                        used[d] += 1
            grad = {d: used[d] - capacity[d] for d in capacity}
            # projected: a free date (μ = 0, under capacity) does not move
            grad = {d: (0 if mu[d] == 0 and g < 0 else g) for d, g in grad.items()}
            norm = sum(g * g for g in grad.values())
            if r == LAGRANGE_ROUNDS or norm == 0 or upper is None:
                break
            gap = max(PRICE_SCALE * upper - total, PRICE_SCALE)
            step = theta * gap / norm
            mu = {d: max(0, mu[d] + round(step * grad[d])) for d in capacity}
    finally:
        pool.shutdown()
    out.bound = math.ceil(best - 1e-9) if best > -math.inf else None
    return out


def add_lagrange_cuts(model: cp_model.CpModel, builds: list[Build], squad, lag: Lagrange) -> None:
    """Every round's cut on every athlete, and the best bound on the squad's sum."""
    first: dict[str, int] = {}
    group = [first.setdefault(_unnamed(sc), i) for i, sc in enumerate(squad.athletes)]
    for mu, w in lag.rounds:
        if not any(mu.values()):
            continue  # μ = 0: the cut part_i >= o_i is there already
        for i, b in enumerate(builds):
            value = w.get(group[i])
            if value is None:
                continue
            lower = b.placed["strength_lower"]
            priced = [
                (m, lower[d])
                for d, m in sorted(mu.items())
                if m and not isinstance(lower.get(d, 0), int)
            ]
            model.Add(lag.scale * objective(b) + sum(m * v for m, v in priced) >= value)
    if lag.bound is not None:
        model.Add(sum(objective(b) for b in builds) >= lag.bound)
