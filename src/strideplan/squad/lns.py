"""A squad plan improved athlete by athlete, each re-solved within what the others leave
of the gym, and every athlete's final plan (a large-neighbourhood search of our own).

Why: on bench/bench_squad.py CP-SAT's own neighbourhoods on the squad's model hardly
moved the start plan (8 960 to 8 919 in 330 s); the integer master of
:mod:`strideplan.squad.columns` only mixes whole-season plans it has seen. Re-solving one
athlete with the others fixed is exact for that athlete (its model alone, about 0.15 s)
and may take any free rack on any date.

A neighbourhood is one athlete: its model alone, heavy legs forbidden on the capacity
dates the others fill, minimising its tie-broken objective: its part never rises (its
current plan is still allowed). Twins (athletes that differ only by name) in the same
case (the same days banned) are solved once, with the seed of the first of them
(``seed + i``, as the squad's objective): they get the same plan (bench: 50 athletes,
6 kinds). Athletes are
taken in batches of ``LNS_BATCH``, each batch solved side by side against the gym as it
was before the batch; the batch's plans are then accepted in athlete order while they
fit (a plan that no longer fits waits for the next pass). The last solve of each
athlete is its plan; an athlete whose last solve was refused is solved once more within
its current heavy-legs days.

Deterministic: a fixed number of passes and batch size (not the thread count), one
CP-SAT worker per solve with the athlete's seed; nothing depends on the clock but each
solve's safety time limit.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..calendar import Calendar
from ..interrupt import run_solver
from ..model import (
    Build,
    RawSolution,
    SolveStatus,
    build,
    objective,
    solution_of,
    solver_parameters,
    tie_break_terms,
    tie_broken,
)
from .columns import groups
from .start import ALONE_TIME_LIMIT, capacity_days

#: improvement passes over the squad; fixed, never clock-dependent (bench: a second
#: pass found nothing the first had not, and took as long)
LNS_PASSES = 1
#: athletes solved side by side against the same gym (a constant: the plan must not
#: depend on the number of threads)
LNS_BATCH = 2

Pattern = tuple[int, ...]


@dataclass
class AthletePlan:
    """One athlete's plan from its own model."""

    build: Build
    raw: RawSolution
    #: heavy-legs days on capacity dates
    pattern: Pattern
    #: the plan's part of the objective
    points: int
    #: every variable's value, in the order the athlete's build creates them
    values: list[int]


def athlete_raw(
    solver: cp_model.CpSolver, b: Build, status: str, wall: float, workers: int
) -> RawSolution:
    """One athlete's values from a solve holding its Build."""
    return solution_of(solver, b, status, 0.0 if wall is None else wall, workers)


def fit(
    sc, seed: int, prefix: str, banned: set[int], capacity: dict[int, int]
) -> AthletePlan | None:
    """The athlete's best plan (tie-broken) without heavy legs on ``banned`` days."""
    b = build(sc, Calendar(sc), prefix=prefix)
    lower = b.placed["strength_lower"]
    for d in sorted(banned):
        if d in lower:
            b.model.Add(lower[d] == 0)
    combined, _ = tie_broken(b.model, objective(b), tie_break_terms(b, seed)[0])
    b.model.Minimize(combined)
    solver = solver_parameters(cp_model.CpSolver(), 1, seed, ALONE_TIME_LIMIT, lp_up_front=False)
    status = run_solver(solver, b.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    raw = athlete_raw(solver, b, SolveStatus.FEASIBLE, 0.0, 1)
    legs = [d for d, v in raw.values.get("strength_lower", {}).items() if v]
    pattern = tuple(d for d in sorted(legs) if d in capacity)
    return AthletePlan(b, raw, pattern, raw.objective, list(solver.ResponseProto().solution))


def improve(
    squad, cal: Calendar, patterns: list[Pattern], seed: int, workers: int, passes: int = LNS_PASSES
) -> list[AthletePlan]:
    """Every athlete's plan, starting from ``patterns`` (heavy-legs days on capacity
    dates, within the capacity) and improved for ``passes`` passes."""
    capacity = capacity_days(squad, cal)
    n = len(squad.athletes)
    group = groups(squad)
    state = list(patterns)
    plans: list[AthletePlan | None] = [None] * n
    used: Counter = Counter(d for p in state for d in p)
    memo: dict[tuple[int, frozenset[int]], AthletePlan | None] = {}

    def solve_all(pool, jobs: list[tuple[int, frozenset[int]]]) -> list[AthletePlan | None]:
        """Each (athlete, banned days), twins in the same case solved once."""
        keys = [(group[i], banned) for i, banned in jobs]
        todo = sorted({k for k in keys if k not in memo}, key=lambda k: (k[0], sorted(k[1])))
        for key, plan in zip(todo, pool.map(lambda k: _fit_group(squad, k, seed, capacity), todo)):
            memo[key] = plan
        return [memo[k] for k in keys]

    def full_without(i: int) -> frozenset[int]:
        return frozenset(d for d, cap in capacity.items() if used[d] - (d in state[i]) >= cap)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for _ in range(passes):
            for start in range(0, n, LNS_BATCH):
                batch = list(range(start, min(n, start + LNS_BATCH)))
                solved = solve_all(pool, [(i, full_without(i)) for i in batch])
                for i, plan in zip(batch, solved):
                    if plan is None:
                        continue
                    old = set(state[i])
                    if any(used[d] >= capacity[d] for d in plan.pattern if d not in old):
                        continue  # taken within the batch: this athlete waits
                    used.subtract(state[i])
                    used.update(plan.pattern)
                    state[i] = plan.pattern
                    plans[i] = plan
        missing = [i for i in range(n) if plans[i] is None]
        jobs = [(i, frozenset(capacity) - frozenset(state[i])) for i in missing]
        for i, plan in zip(missing, solve_all(pool, jobs)):
            plans[i] = plan
    return plans


def _fit_group(squad, key: tuple[int, frozenset[int]], seed: int, capacity: dict[int, int]):
    """The plan of group ``g``'s athletes with heavy legs banned on ``banned`` days,
    tie-broken with the group head's seed (twins in the same case get the same plan)."""
    g, banned = key
    return fit(squad.athletes[g], seed + g, f"a{g}.", set(banned), capacity)
