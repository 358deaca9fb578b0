"""Where a squad's solve starts: every athlete solved alone (no gym capacity), which
gives each athlete's part of the objective a proven lower bound, and a plan for the
whole squad that respects the capacity, to hint the squad's model with.

Why (bench/bench_squad.py, 50 athletes × 16 weeks, 2 workers): CP-SAT's root LP of the
squad is far weaker than the sum of the athletes' own (each athlete alone is proven
optimal at its root in about 0.15 s, but the squad's bound stayed near -900 against a
best plan of 16 803 after 30 s), and its first plans were poor (28 000). An athlete's
plan in the squad is a plan for the athlete alone, so ``part_i >= o_i`` (the athlete's
optimum alone) is a valid cut; with the tie-break, ``scale × part_i + tie_i >=
scale × o_i + t_i`` is too (the alone solve minimised the same tie-break, and t_i <
scale). The start plan takes athletes one by one, most costly alone first, each with
what the gym has left: its alone plan when that fits, else a solve of its own.

Everything here is deterministic: one CP-SAT worker per solve with the squad's seed,
whatever the squad's worker count.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from ..calendar import Calendar
from ..interrupt import run_solver
from ..model import (
    Build,
    build,
    objective,
    solver_parameters,
    tie_break_terms,
    tie_broken,
    value_of,
)
from ..scenario import Scenario

#: time limit of one athlete's solve alone (seconds); one athlete takes about 0.15 s
ALONE_TIME_LIMIT = 10.0


@dataclass
class AthleteStart:
    """One athlete solved on its own (``alone``) or within what the gym had left."""

    #: proven lower bound of the athlete's part of the objective (None: not proven)
    bound: int | None
    #: the athlete's tie-break at its lexicographic optimum alone (None: not proven)
    tie: int | None
    #: every variable's value, in the order the athlete's build creates them
    values: list[int] | None
    #: the variables' names, without the athlete's prefix (to line them up)
    names: list[str]
    #: days (index) of the plan's heavy-legs sessions
    legs: list[int]
    #: the plan's part of the objective (None: no plan)
    points: int | None = None


def _solve(sc: Scenario, seed: int, prefix: str, limit: dict[int, int] | None) -> AthleteStart:
    """Athlete ``sc`` alone, tie-broken as a single solve; ``limit``: heavy-legs sessions
    allowed per day index (absent: no limit)."""
    b = build(sc, Calendar(sc), prefix=prefix)
    for d, cap in (limit or {}).items():
        var = b.placed["strength_lower"].get(d)
        if var is not None and cap <= 0:
            b.model.Add(var == 0)
    tie = tie_break_terms(b, seed)[0]
    combined, scale = tie_broken(b.model, objective(b), tie)
    b.model.Minimize(combined)
    solver = solver_parameters(cp_model.CpSolver(), 1, seed, ALONE_TIME_LIMIT, lp_up_front=False)
    status = run_solver(solver, b.model)
    proto = b.model.Proto()
    names = [v.name.removeprefix(prefix) for v in proto.variables]
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return AthleteStart(None, None, None, names, [])
    values = list(solver.ResponseProto().solution)
    main = sum(t.weight * value_of(solver, t.var) for t in b.terms)
    proven = status == cp_model.OPTIMAL and limit is None
    tie_value = sum(w * value_of(solver, v) for w, v in tie) if scale > 1 else 0
    legs = [d for d, v in b.placed["strength_lower"].items() if value_of(solver, v)]
    return AthleteStart(
        main if proven else None,
        tie_value if proven and scale > 1 else None,
        values,
        names,
        legs,
        main,
    )


def alone(squad, seed: int, workers: int) -> list[AthleteStart]:
    """Every athlete solved alone, ``workers`` solves side by side. Athletes whose
    scenarios differ only by name are solved once, with the seed of the first (``seed +
    i`` for athlete ``i``, as the squad's tie-break): their twins share its optimum
    and plan, not its tie-break (bench: 15 distinct athletes of 50, 6 s down to 2 s)."""
    first: dict[str, int] = {}
    for i, sc in enumerate(squad.athletes):
        first.setdefault(model_key(sc), i)
    jobs = sorted(set(first.values()))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        solved = dict(
            zip(jobs, pool.map(lambda i: _solve(squad.athletes[i], seed + i, f"a{i}.", None), jobs))
        )
    out = []
    for i, sc in enumerate(squad.athletes):
        own = solved[first[model_key(sc)]]
        out.append(own if first[model_key(sc)] == i else replace(own, tie=None))
    return out


def model_key(sc: Scenario) -> str:
    """The scenario as its model sees it: names left out."""
    athlete = sc.athlete.model_copy(update={"name": ""})
    return sc.model_copy(update={"name": "", "athlete": athlete}).model_dump_json()


def capacity_days(squad, cal: Calendar) -> dict[int, int]:
    """Day index -> capacity, for every date of a weekday with a capacity."""
    return {d.index: squad.capacity[d.weekday] for d in cal.days if d.weekday in squad.capacity}


def capacity_start(squad, cal: Calendar, starts: list[AthleteStart], seed: int):
    """A plan for every athlete within the gym's capacity, athletes taken most costly
    alone first: its alone plan when it fits what is left, else solved with what is
    left (when even that fails, the alone plan, which CP-SAT repairs)."""
    capacity = capacity_days(squad, cal)
    used: Counter = Counter()
    out = list(starts)
    order = sorted(range(len(starts)), key=lambda i: (-(starts[i].bound or 0), i))
    for i in order:
        plan = starts[i]
        if any(d in capacity and used[d] >= capacity[d] for d in plan.legs):
            left = {d: capacity[d] - used[d] for d in capacity}
            fitted = _solve(squad.athletes[i], seed + i, f"a{i}.", left)
            plan = fitted if fitted.values is not None else plan
        used.update(plan.legs)
        out[i] = plan
    return out


def add_bounds_and_hint(
    model: cp_model.CpModel,
    builds: list[Build],
    ranges: list[range],
    starts: list[AthleteStart],
    plans: list[AthleteStart],
    scale: int,
    seed: int,
) -> None:
    """Each athlete's part of the objective at least its optimum alone (and with the
    tie-break, the pair (part, tie) at least its alone optimum); the start plans as a
    complete hint where the athlete's variables line up with its build alone."""
    for i, (b, start) in enumerate(zip(builds, starts)):
        if start.bound is None:
            continue
        part = objective(b)
        if scale > 1 and start.tie is not None:
            tie = sum(w * v for w, v in tie_break_terms(b, seed + i)[0])
            model.Add(scale * part + tie >= scale * start.bound + start.tie)
        else:
            model.Add(part >= start.bound)
    proto = model.Proto()
    for i, (span, plan) in enumerate(zip(ranges, plans)):
        if plan.values is None:
            continue
        names = [proto.variables[k].name.removeprefix(f"a{i}.") for k in span]
        if names == plan.names and len(plan.values) == len(span):
            for k, value in zip(span, plan.values):
                proto.solution_hint.vars.append(k)
                proto.solution_hint.values.append(value)
