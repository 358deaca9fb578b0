"""The CP-SAT model: decision variables, then each rule adds itself, then the solve.

Variables, per day the athlete can train (not away, not a race day, some minutes free):

* ``easy_run``, ``strength_lower``, ``strength_core``, ``power``: placed sessions (bool);
* ``training``: the day holds a run, strength or power session (and so a mobility warm-up);

per week: ``dynamic`` (power block week) when ``dynamic_blocks`` is on.

Fixed runs (and races) are constants from the :class:`Calendar`. Rules never touch
CP-SAT directly for bookkeeping: they call :meth:`Build.require` for a hard constraint
(which becomes a penalised violation when the rule is set ``hard: false``, and a guarded
constraint when explaining infeasibility) and :meth:`Build.penalize` for a soft term.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from .calendar import Calendar, Day, Place
from .catalog import CATALOG, PLACED_SESSIONS, STRENGTH_SESSIONS
from .interrupt import run_solver
from .scenario import CountRule, RuleSetting, Scenario

if TYPE_CHECKING:
    from .rules import Rule

Expr = Any  # an int, a CP-SAT variable or a linear expression


@dataclass
class Term:
    """One soft objective term: ``weight × value`` attributed to a rule and a place."""

    rule: str
    weight: int
    var: Expr
    where: Place
    #: a weekly minimum missed in a week that is not clean (rather than a soft rule's term)
    shortfall: bool = False


class Build:
    """Everything a rule needs to encode itself."""

    def __init__(
        self,
        scenario: Scenario,
        calendar: Calendar | None = None,
        guarded: bool = False,
        by_instance: bool = False,
        model: cp_model.CpModel | None = None,
        prefix: str = "",
        fold: Iterable[Any] = (),
    ):
        """``model`` and ``prefix``: several athletes' Builds share one CpModel (a squad),
        each naming its variables with its own prefix. ``fold``: the hard rules whose
        :meth:`~strideplan.rules.base.Rule.ruled_out` placements get no variable at all
        (constant folding; never in a guarded build, where each rule can be switched
        off)."""
        self.sc = scenario
        self.cal = calendar or Calendar(scenario)
        self.model = model if model is not None else cp_model.CpModel()
        self.prefix = prefix
        self.terms: list[Term] = []
        self.guarded = guarded or by_instance
        self.by_instance = by_instance
        #: guard literals by rule key, or by (rule key, where) when ``by_instance``
        self.guards: dict[Any, cp_model.IntVar] = {}
        self.placed: dict[str, dict[int, cp_model.IntVar]] = {s: {} for s in PLACED_SESSIONS}
        self.training: dict[int, Expr] = {}
        self.dynamic: list[Expr] = []
        #: (session, day index) placements left out: a folded hard rule forbids them
        self.folded: set[tuple[str, int]] = set()
        #: the keys of the rules :func:`build` encodes (redundant constraints that rest
        #: on a rule are added only when it is there)
        self.encoded: set[str] = set()
        #: (redundant constraints) per day, the reward literals that need a strength
        #: session (strength after an easy run, power with strength)
        self.strength_rewards: dict[int, list[Any]] = {}
        self._make_variables(() if self.guarded else fold)

    # ------------------------------------------------------------------ variables
    def _make_variables(self, fold: Iterable[Any]) -> None:
        m = self.model
        for day in self.cal.days:
            if day.past:  # what happened is a constant (replan)
                for s in PLACED_SESSIONS:
                    if day.done.count(s):
                        self.placed[s][day.index] = day.done.count(s)
        days = self.cal.days
        for rule in fold:  # the past is known: a rule may look at it
            self.folded.update((s, d) for s, d in rule.ruled_out(self) if days[d].can_train)
        for day in self.cal.days:
            if day.can_train:
                for s in PLACED_SESSIONS:
                    if (s, day.index) not in self.folded:
                        self.placed[s][day.index] = m.new_bool_var(f"{self.prefix}{s}_{day.index}")
        for day in self.cal.days:
            sessions = self.sessions_on(day)
            if any(isinstance(x, int) and x > 0 for x in sessions):
                self.training[day.index] = 1
            elif day.can_train and not day.past:
                t = m.new_bool_var(f"{self.prefix}training_{day.index}")
                for x in sessions:
                    m.add(t >= x)
                m.add(t <= sum(sessions))
                self.training[day.index] = t
            else:
                self.training[day.index] = 0
        blocks = self.sc.rules.dynamic_blocks
        for w in range(self.cal.n_weeks):
            if not blocks.enabled:
                self.dynamic.append(1)
            elif w in self.cal.season_weeks:
                self.dynamic.append(0)  # race season is static (seed 001)
            else:
                self.dynamic.append(m.new_bool_var(f"{self.prefix}dynamic_{w}"))

    # ------------------------------------------------------------------ views
    def x(self, session: str, d: int) -> Expr:
        """How many ``session`` sessions day ``d`` holds (constant or variable)."""
        if not 0 <= d < len(self.cal.days):
            return 0
        fixed = self.cal.days[d].fixed_runs.count(session)
        placed = self.placed.get(session, {}).get(d)
        return fixed if placed is None else (placed + fixed if fixed else placed)

    def sessions_on(self, day: Day) -> list[Expr]:
        """Every run/strength/power session count of a day (mobility excluded)."""
        out: list[Expr] = list(day.fixed_runs and [len(day.fixed_runs)])
        out += [self.placed[s][day.index] for s in PLACED_SESSIONS if day.index in self.placed[s]]
        return out

    def runs_on(self, d: int) -> Expr:
        """Number of runs on day ``d``."""
        day = self.cal.days[d]
        return len(day.fixed_runs) + (self.placed["easy_run"].get(d, 0))

    def strength_on(self, d: int) -> Expr:
        """Number of strength sessions on day ``d``."""
        return sum(self.x(s, d) for s in STRENGTH_SESSIONS)

    def hard_on(self, d: int) -> Expr:
        """1 when day ``d`` is a hard day (a hard session), else 0; constant when known."""
        if not 0 <= d < len(self.cal.days):
            return 0
        if any(CATALOG[s].hard for s in self.cal.days[d].fixed_runs):
            return 1
        return self.placed["strength_lower"].get(d, 0)

    def minutes_on(self, d: int) -> Expr:
        """Minutes of day ``d``'s sessions, mobility warm-up included."""
        cal = self.cal
        day = cal.days[d]
        total: Expr = sum(cal.minutes(day, s) for s in day.fixed_runs)
        for s, vars_ in self.placed.items():
            if d in vars_:
                total = total + cal.minutes(day, s) * vars_[d]
        return total + cal.minutes(day, "mobility") * self.training[d]

    # ------------------------------------------------------------------ rule API
    def guard(self, key: Any) -> cp_model.IntVar:
        """The assumption literal that switches a rule's (or a rule instance's) hard
        constraints on, in explain mode."""
        if key not in self.guards:
            self.guards[key] = self.model.new_bool_var(f"{self.prefix}guard[{key}]")
        return self.guards[key]

    def require(
        self,
        rule: str,
        constraint: Any,
        where: Place,
        setting: RuleSetting | None = None,
        facts: tuple[tuple[str, Place], ...] = (),
    ) -> None:
        """Add a hard constraint of ``rule`` (soft with the rule's weight if ``hard: false``).

        ``facts`` are the scenario inputs the constraint exists because of, each a
        (key, where) such as ("runs.tue", the day's place): when explaining, each is a
        guard of its own, so a conflict can name the input as well as the rule.
        """
        if isinstance(constraint, bool) or isinstance(constraint, (int,)):
            if constraint or self.cal.only_past(where):
                return  # holds; or (replan) what already happened: a fact, not a conflict
            constraint = self.model.new_constant(0) == 1  # violated by the fixed facts alone
        soft = setting is not None and not setting.hard
        if soft:
            violated = self.model.new_bool_var(f"violated[{rule}]")
            self.model.add(constraint).only_enforce_if(violated.Not())
            self.penalize(rule, setting.weight, violated, where)
            return
        ct = self.model.add(constraint)
        if self.guarded:
            keys = [(rule, where), *facts]
            ct.only_enforce_if([self.guard(k if self.by_instance else k[0]) for k in keys])

    def redundant(self, constraint: Any, rules: tuple[str, ...]) -> None:
        """Add a constraint that every plan keeping ``rules`` keeps anyway (a cut that
        tightens the LP). In a guarded build it holds only while their guards are on,
        so switching one of them off (explain) drops it too. Not in a build with a
        guard per instance: it would rest on many of them."""
        if self.by_instance:
            return
        ct = self.model.add(constraint)
        if self.guarded:
            ct.only_enforce_if([self.guard(key) for key in rules])

    def penalize(
        self, rule: str, weight: int, var: Expr, where: Place, shortfall: bool = False
    ) -> None:
        """Add ``weight × var`` to the objective (negative weight: a reward)."""
        if weight and not (isinstance(var, int) and var == 0):
            self.terms.append(Term(rule, weight, var, where, shortfall))

    def both(self, x: Expr, y: Expr, name: str) -> cp_model.IntVar:
        """A literal that can be 1 only when ``x`` and ``y`` both hold (for rewards)."""
        both = self.model.new_bool_var(name)
        self.model.add(both <= x)
        self.model.add(both <= y)
        return both

    def weekly_count(
        self,
        rule: str,
        setting: CountRule,
        week: int,
        count: Expr,
        lo: int,
        hi: int | None,
        active: Expr = 1,
    ) -> None:
        """A weekly count between ``lo`` and ``hi`` (both scaled by ``active``, a 0/1).

        The maximum is hard everywhere; the minimum is hard in a clean week and a soft
        shortfall (the rule's weight per missing session) in a week that is not clean.
        """
        where = self.cal.week_place(week)
        if hi is not None:
            self.require(rule, count <= hi * active, where, setting)
        if lo <= 0:
            return
        if self.cal.clean_weeks[week] and setting.hard:
            self.require(rule, count >= lo * active, where)
            return
        short = self.model.new_int_var(0, lo, f"short[{rule},{week}]")
        self.model.add(count + short >= lo * active)
        self.penalize(rule, setting.weight, short, self.cal.week_place(week, "shortfall"), True)


# ---------------------------------------------------------------------- solving
class SolveStatus(StrEnum):
    """A solve's outcome, solver-independent: compares and prints as its name."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class ModelInvalidError(RuntimeError):
    """CP-SAT refused the model or its parameters: a bug in strideplan, since every
    validated scenario must give a valid model (never "no plan within the time limit")."""


def status_of(solver: cp_model.CpSolver, status: int, model: cp_model.CpModel) -> str:
    """The project's name for a CP-SAT status; MODEL_INVALID raises (a bug).

    UNKNOWN means the time ran out (or the search was stopped) before any plan was
    found: a time-out, not infeasibility.
    """
    if status == cp_model.MODEL_INVALID:
        reason = model.Validate() or solver.SolutionInfo() or "no reason given"
        raise ModelInvalidError(f"CP-SAT reports an invalid model: {reason.splitlines()[0]}")
    return {
        cp_model.OPTIMAL: SolveStatus.OPTIMAL,
        cp_model.FEASIBLE: SolveStatus.FEASIBLE,
        cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    }.get(status, SolveStatus.UNKNOWN)


@dataclass
class RawSolution:
    """What the solve produced, before it becomes a :class:`Result`."""

    status: str
    objective: int | None
    bound: float | None
    wall_time: float
    values: dict[str, dict[int, int]] = field(default_factory=dict)
    dynamic: list[bool] = field(default_factory=list)
    terms: list[tuple[Term, int]] = field(default_factory=list)
    workers: int = 1


def default_workers() -> int:
    """CP-SAT workers: one per core, at most 8.

    Every full subsolver runs the complete LP relaxation (:func:`solver_parameters`), so
    a 2-worker portfolio proves the 52-week plan as fast as 8 (bench/bench_model.py);
    before, 2 workers took 8-60 s because CP-SAT's ``default_lp`` worker left the
    clauses out of its LP.
    """
    return max(1, min(8, os.cpu_count() or 1))


def solver_parameters(
    solver: cp_model.CpSolver,
    workers: int,
    seed: int,
    time_limit: float,
    lp_up_front: bool = True,
    lb_search: bool = False,
) -> cp_model.CpSolver:
    """The parameters every strideplan solve uses; returns ``solver``.

    ``lp_up_front``: every linear constraint in the LP from the start (52 weeks: the
    first bound 1590 against 1481, optimum 1592). A squad's many small per-athlete
    solves (pricing the gym, the improvement pass) pass False: there CP-SAT's lazy LP
    was twice as fast (bench/bench_squad.py in one session: proven in 11-13 s against
    not proven, 0.14 % gap, at the 30 s limit).

    One presolve pass (``max_presolve_iterations`` 1) instead of up to three: on these
    models the later passes cost more time than their reductions save (104 weeks, 2
    workers: 1.48 s against 2.13 s, median of 4 in one run).

    ``linearization_level`` 2 puts the clauses (what presolve makes of most rules) into
    the LP relaxation: without them the objective's bound stays far below the optimum
    (52 weeks: 1329 against 1592 after 60 s). CP-SAT's portfolio sets its own level per
    subsolver, so ``default_lp`` (the LP worker of a small portfolio) is raised too.

    ``lb_search``: a worker that raises the objective's lower bound by search
    (``use_objective_lb_search``), for a plan's own solve: it proves the tie-broken
    optimum sooner on the 52- and 104-week bench shapes (five races 0.28 s against 0.17
    s, 104 weeks 0.44 against 0.36, 2 workers, median of 7 in one run) and costs nothing
    on short plans. Explain's relaxed one-worker solves leave it out: there it was
    slower (five races 5.3 s against 4.1 s).
    """
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    params.max_time_in_seconds = float(time_limit)
    params.linearization_level = 2
    params.add_lp_constraints_lazily = not lp_up_front
    params.max_presolve_iterations = 1
    params.use_objective_lb_search = lb_search
    params.merge_text_format(
        'subsolver_params { name: "default_lp" linearization_level: 2'
        f" add_lp_constraints_lazily: {str(not lp_up_front).lower()} }}"
    )
    return solver


def build(
    scenario: Scenario,
    calendar: Calendar | None = None,
    guarded: bool = False,
    by_instance: bool = False,
    only: set[str] | None = None,
    extra: Sequence[Rule] = (),
    model: cp_model.CpModel | None = None,
    prefix: str = "",
    fold: bool = True,
) -> Build:
    """Create the variables and let every enabled rule (or just ``only``) encode itself.

    ``extra``: rules a room above brings in (the living plan: stability against the
    published plan), encoded after the scenario's.
    ``model``, ``prefix``: add to a shared CpModel (a squad), variables named by prefix.
    ``fold``: placements a hard rule forbids outright get no variable (unless guarded).
    """
    from .rules import RULES

    rules = [r for r in (*RULES, *extra) if r.enabled(scenario) and (only is None or r.key in only)]
    folded = [r for r in rules if r.effective_kind(scenario) in ("hard", "input")] if fold else []
    b = Build(scenario, calendar, guarded, by_instance, model, prefix, folded)
    b.encoded = {r.key for r in rules}
    for rule in rules:
        rule.encode(b)
    return b


def objective(b: Build) -> Expr:
    """The sum of every soft term's points (what the plan minimises)."""
    return sum(t.weight * t.var for t in b.terms) if b.terms else 0


#: Largest objective magnitude kept exact: CP-SAT reports objective values and bounds as
#: doubles, and its LP relaxation works in doubles.
EXACT_OBJECTIVE = 2**53


def _objective_span(model: cp_model.CpModel, expr: Any) -> int:
    """An upper bound on |expr| over the variables' domains (expr is set as objective)."""
    model.Minimize(expr)
    proto = model.Proto()
    span = abs(int(proto.objective.offset))
    for ref, coef in zip(proto.objective.vars, proto.objective.coeffs):
        domain = proto.variables[ref if ref >= 0 else -ref - 1].domain
        span += abs(coef) * max(abs(v) for v in domain)
    return span


def tie_break_terms(b: Build, seed: int) -> tuple[list[tuple[int, Any]], int]:
    """Seeded small weights on placed sessions so that one optimum is *the* optimum.

    Parallel CP-SAT may return any of several equal-cost plans; adding a tie-break term
    below the resolution of the real objective makes the optimum unique (in practice),
    so the same scenario and seed give the same plan on any machine and core count.
    The weights are positive: among equal plans, none holds a session that earns nothing.

    Measured against a lexicographic second solve (objective <= optimum, one
    deterministic worker): that doubled the time (52 weeks 0.9 s against 0.5 s, 104
    weeks 3 s against 1-2 s, bench/bench_model.py), so the scaled term stays.
    """
    rng = random.Random(seed)
    items = []
    for s in PLACED_SESSIONS:
        placed = b.placed[s]
        # a folded placement draws its weight too: the others keep theirs (and the plan)
        for day in sorted(set(placed) | {d for t, d in b.folded if t == s}):
            weight = rng.randint(1, 10007)
            if day in placed:
                items.append((weight, placed[day]))
    for var in b.dynamic:  # which weeks are static, when that alone could differ
        if not isinstance(var, int):
            items.append((rng.randint(1, 10007), var))
    return items, sum(w for w, _ in items) + 1


def tie_broken(model: cp_model.CpModel, main: Any, tie: list[tuple[int, Any]]):
    """``(scale × main + tie-break, scale)``: the tie-break below the main objective's
    resolution (0 <= tie-break < scale), or ``(main, 1)`` when there is none or when
    extreme weights (up to 10^6 on 104 weeks) would push the scaled objective out of
    the range CP-SAT handles exactly. Such a plan is still optimal; only the choice
    among equal optima may then depend on the worker count."""
    scale = sum(w for w, _ in tie) + 1
    if not tie or (_objective_span(model, main) + 1) * scale >= EXACT_OBJECTIVE:
        return main, 1
    return scale * main + sum(w * v for w, v in tie), scale


def solve(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    calendar: Calendar | None = None,
    progress: Callable[[float, float | None, float], None] | None = None,
    extra: Sequence[Rule] = (),
) -> RawSolution:
    """Build and solve a scenario with CP-SAT; never raises on infeasibility."""
    t0 = time.perf_counter()
    b = build(scenario, calendar, extra=extra)
    seed = scenario.solver.seed if seed is None else seed
    combined, scale = tie_broken(b.model, objective(b), tie_break_terms(b, seed)[0])
    b.model.Minimize(combined)
    n_workers = workers or scenario.solver.workers or default_workers()
    limit = float(time_limit or scenario.solver.time_limit)
    solver = solver_parameters(cp_model.CpSolver(), n_workers, seed, limit, lb_search=True)
    callback = ProgressCallback(progress, scale) if progress else None
    status = run_solver(solver, b.model, callback)
    wall = time.perf_counter() - t0
    name = status_of(solver, status, b.model)
    if name not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return RawSolution(name, None, None, wall, workers=n_workers)
    raw = solution_of(solver, b, name, wall, n_workers)
    # the combined objective is scale × main + tie-break with 0 <= tie-break < scale
    raw.bound = (
        float(raw.objective)
        if name == SolveStatus.OPTIMAL
        else float(math.floor(solver.BestObjectiveBound() / scale))
    )
    return raw


def value_of(solver: cp_model.CpSolver, v: Expr) -> int:
    """A variable's value in the solver's solution (a folded constant as it is)."""
    return v if isinstance(v, int) else int(solver.Value(v))


def solution_of(
    solver: cp_model.CpSolver, b: Build, status: str, wall: float, workers: int
) -> RawSolution:
    """The plan a solve holds for one build (the only place values are read out of one):
    each session's placements, the dynamic weeks, every soft term's value and the
    points they add up to; no bound (the caller knows what the solve proved)."""
    values = {s: {d: value_of(solver, v) for d, v in vs.items()} for s, vs in b.placed.items()}
    dynamic = [bool(value_of(solver, v)) for v in b.dynamic]
    terms = [(t, value_of(solver, t.var)) for t in b.terms]
    points = sum(t.weight * v for t, v in terms)
    return RawSolution(status, points, None, wall, values, dynamic, terms, workers=workers)


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports (elapsed, objective, bound) on each improving solution."""

    def __init__(self, report: Callable[[float, float | None, float], None], scale: int):
        super().__init__()
        self._report = report
        self._scale = scale

    def on_solution_callback(self) -> None:
        self._report(
            self.WallTime(),
            self.ObjectiveValue() / self._scale,
            self.BestObjectiveBound() / self._scale,
        )


def score_plan(
    scenario: Scenario,
    placed: dict[str, dict[int, int]],
    calendar: Calendar | None = None,
    time_limit: float = 10.0,
) -> RawSolution:
    """The points of a given plan (say, one a coach edited): the model with every placed
    session fixed to the plan; only the choice of static weeks is left to the solver,
    which makes it with the scenario's seeded tie-break as ``solve`` does: where a week
    without power costs the same as a short dynamic week or as a static one, the points
    land on the same rule as in the solved plan."""
    b = build(scenario, calendar, fold=False)  # a plan may hold a forbidden session
    for s, vars_ in b.placed.items():
        for d, var in vars_.items():
            b.model.add(var == placed.get(s, {}).get(d, 0))
    tie = tie_break_terms(b, scenario.solver.seed)[0]
    b.model.Minimize(tie_broken(b.model, objective(b), tie)[0])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    t0 = time.perf_counter()
    status = run_solver(solver, b.model)
    wall = time.perf_counter() - t0
    name = status_of(solver, status, b.model)
    if name not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return RawSolution(name, None, None, wall)
    terms = [(t, value_of(solver, t.var)) for t in b.terms]
    points = sum(t.weight * v for t, v in terms)
    return RawSolution(
        SolveStatus.OPTIMAL if status == cp_model.OPTIMAL else SolveStatus.FEASIBLE,
        points,
        float(points),
        wall,
        placed,
        terms=terms,
    )
