"""Why no plan: a minimal set of conflicting rules (and where they clash), with fixes
verified to work.

1. Every rule's hard constraints sit behind one guard literal. CP-SAT's sufficient
   assumptions for infeasibility give a first conflict set, shrunk by deletion until
   removing any member makes the rest feasible: a minimal set of *rules*.
2. Only those rules are then rebuilt with one guard per *instance* (a rule at a date or
   in a week) and the same shrinking names the dates and weeks where they clash.
3. Fixes are ``--set`` overrides relaxing one member, each re-solved to confirm that the
   whole scenario (every rule on) becomes solvable.
"""

from __future__ import annotations

import math
import os
import shlex
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .calendar import Calendar, Place
from .interrupt import run_solver
from .model import SolveStatus, build, objective, solution_of, solver_parameters
from .plan import PlanView, day_sessions, placed_sessions
from .result import arithmetic
from .rules import RULES_BY_KEY
from .scenario import Scenario, ScenarioError, with_overrides

MAX_FIXES = 6

#: CP-SAT's deterministic time (its own machine-independent seconds) a relaxed solve of
#: the binding rules gets before it settles for the better plan it has found: a rule
#: that binds is then said to save "at least" that much. Most relaxed solves prove their
#: optimum well inside it (the seven bench shapes: at most 0.8); two on a year with the
#: gym open every day (without strength_per_week or max_sessions_per_day the LP bound is
#: weak) took 2.1 and 2.3, and stop at 1.0 within 0.5 % of their optimum (279 for 279,
#: 400 for 398). A solve that has found nothing better by then goes on to the end, so
#: whether a rule binds stays exact; one CP-SAT worker keeps the answer deterministic.
RELAXED_BOX = 1.0


@dataclass
class Explanation:
    """A minimal set of rules that cannot all hold, where they clash, and verified fixes."""

    conflict: list[str]
    where: dict[str, list[Place]] = field(default_factory=dict)
    fixes: list[dict[str, Any]] = field(default_factory=list)
    #: fixes that resolve this conflict while others remain in the scenario
    partial_fixes: list[dict[str, Any]] = field(default_factory=list)
    #: False where fixes cannot apply (a re-plan: they would change the past)
    fixes_tried: bool = True

    def lines(self, scenario: Scenario) -> list[str]:
        """The explanation in the runner's language: the gist and a fix in two lines,
        then each member of the conflict with where it bites, then every fix."""
        preface = []
        if not any(scenario.athlete.availability.values()):
            preface = [
                "No day is available: athlete.availability gives no free minutes on any "
                "weekday (leave it out for every day without a limit)."
            ]
        if not self.conflict:
            return [*preface, "The conflict could not be narrowed down within the time limit."]
        places = sorted(w for ws in self.where.values() for w in ws)
        members = (
            ", ".join(self.conflict[:-1])
            + (" and " if len(self.conflict) > 1 else "")
            + self.conflict[-1]
        )
        first = f", first at {places[0]}" if places else ""
        out = [*preface, f"No plan: {members} cannot all hold{first}."]
        # the gist: a verified change to the week, else a first step, else a rule off
        concrete = [f for f in self.fixes if not _switches_off(f)]
        first_steps = [f for f in self.partial_fixes if not _switches_off(f)]
        others = len(self.fixes) + len(self.partial_fixes) - 1
        more = f"; {others} other fix(es) below" if others > 0 else ""
        if concrete:
            out.append(f"Fix: {set_args(concrete[0])}   (verified{more})")
        elif first_steps:
            out.append(
                f"Start with: {set_args(first_steps[0])}   (resolves this conflict; "
                f"the scenario has more: run again after{more})"
            )
        elif self.fixes:
            out.append(f"Fix: {set_args(self.fixes[0])}   (verified{more})")
        out.append("Conflicting rules and inputs:")
        for key in self.conflict:
            rule = RULES_BY_KEY.get(key)
            label, value = (
                (rule.label, rule.describe(scenario)) if rule else _fact_words(scenario, key)
            )
            places = self.where.get(key, [])
            at = ""
            if places:
                shown = ", ".join(p.label for p in places[:4]) + (
                    f" (+{len(places) - 4} more)" if len(places) > 4 else ""
                )
                at = f" — at {shown}"
            out.append(f"  - {key}: {label} ({value}){at}")
        if self.fixes:
            out.append("Any one of these makes it solvable (verified):")
            out += [f"  {set_args(fix)}" for fix in self.fixes]
        if self.partial_fixes:
            out.append(
                "Any one of these resolves this conflict, but the scenario has more; "
                "apply one and run again:"
            )
            out += [f"  {set_args(fix)}" for fix in self.partial_fixes]
        if self.fixes_tried and not self.fixes and not self.partial_fixes:
            out.append(
                "No single relaxation was found to help: free more time, or drop a "
                "fixed run or a rule."
            )
        return out


def set_args(fix: dict[str, Any]) -> str:
    """``--set`` arguments to paste into a shell (quoted where a shell would glob)."""
    return " ".join(f"--set {shlex.quote(f'{k}={show_value(v)}')}" for k, v in fix.items())


def _fact_words(scenario: Scenario, key: str) -> tuple[str, str]:
    """Label and value of an input fact such as ``runs.tue``."""
    if key.startswith("runs."):
        day = key.split(".", 1)[1]
        return f"the fixed {scenario.runs.fixed().get(day, 'run')} every {day}", "scenario"
    return key, "scenario"


def show_value(value: Any) -> str:
    """A value as the user would type it after ``--set KEY=``."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ",".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in value.items()) + "}"
    return str(value)


@dataclass
class Guarded:
    """What the conflict helpers need of a build: a model and its guard literals by key.
    A :class:`strideplan.model.Build` has both and is passed as it is; a squad's build,
    or a subset of its guards, is wrapped in one."""

    model: cp_model.CpModel
    guards: dict[Any, Any]


def feasibility_solver(
    time_limit: float, presolve: bool = True, full_lp: bool = True
) -> cp_model.CpSolver:
    """One worker for a feasibility question. ``presolve`` False for the small models of
    a plan's warnings (a few weeks around one target, the rest of the plan held): there
    presolve costs more than it saves (all 10 bundled and test scenarios: 25-45 % less
    CPU, the same reasons). ``full_lp`` False leaves CP-SAT's default LP (a squad's
    first conflict)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if full_lp:
        solver.parameters.linearization_level = 2
    solver.parameters.cp_model_presolve = presolve
    return solver


def sufficient_guards(b: Guarded, solver: cp_model.CpSolver) -> list | None:
    """The guards CP-SAT names as enough for infeasibility, every guard when it names
    none; None when the model with every guard on is not proven infeasible."""
    keys = list(b.guards)
    b.model.ClearAssumptions()
    b.model.AddAssumptions([b.guards[k] for k in keys])
    if run_solver(solver, b.model) != cp_model.INFEASIBLE:
        return None
    by_index = {b.guards[k].Index(): k for k in keys}
    found = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    return found or keys


@dataclass
class Budget:
    """Seconds for each solve of an explanation, and a deadline for all of them: an
    explanation answers in bounded time (SPEC Robustness), however many rules it tries."""

    per_solve: float
    end: float = math.inf

    @classmethod
    def of(cls, time_limit: float | Budget, total: float | None = None) -> Budget:
        """``time_limit`` as a Budget (a plain number: per solve, no deadline)."""
        if isinstance(time_limit, Budget):
            return time_limit
        return cls(time_limit, time.monotonic() + total if total is not None else math.inf)

    def limit(self) -> float:
        """This solve's seconds: the per-solve limit, or what is left of the deadline."""
        return max(0.001, min(self.per_solve, self.end - time.monotonic()))

    @property
    def spent(self) -> bool:
        return time.monotonic() >= self.end


def _status(b: Guarded, active: list, time_limit: float | Budget, presolve: bool = True) -> str:
    """'feasible', 'infeasible' or 'unknown' (the solve ran out of time)."""
    b.model.ClearAssumptions()
    b.model.AddAssumptions([b.guards[k] for k in active])
    status = run_solver(feasibility_solver(Budget.of(time_limit).limit(), presolve), b.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible"
    return "infeasible" if status == cp_model.INFEASIBLE else "unknown"


def is_feasible(
    b: Guarded, active: list, time_limit: float | Budget, presolve: bool = True
) -> bool:
    return _status(b, active, time_limit, presolve) == "feasible"


def shrink_conflict(b: Guarded, time_limit: float | Budget, presolve: bool = True) -> list:
    """A minimal infeasible subset of the build's guards (empty if feasible). A member
    whose removal cannot be decided in time stays, and at the deadline the rest do: the
    conflict is then a conflict, perhaps not a minimal one. (The first solve, which
    finds a conflict at all, always has its per-solve seconds.)"""
    budget = Budget.of(time_limit)
    core = sufficient_guards(b, feasibility_solver(budget.per_solve, presolve))
    if core is None:
        return []
    i = 0
    while i < len(core) and not budget.spent:  # deletion filter: drop unneeded members
        trial = core[:i] + core[i + 1 :]
        if trial and _status(b, trial, budget, presolve) == "infeasible":
            core = trial
        else:
            i += 1
    return core


def minimal_conflict(
    scenario: Scenario, time_limit: float | Budget = 5.0, calendar: Calendar | None = None
) -> list[str]:
    """Rule keys whose hard constraints conflict; removing any one makes the rest feasible.
    (``calendar``: a re-plan's calendar, holding the past.)"""
    b = build(scenario, calendar or Calendar(scenario), guarded=True)
    return sorted(shrink_conflict(b, time_limit), key=rule_order)


def rule_order(key: str) -> int:
    keys = list(RULES_BY_KEY)
    return keys.index(key) if key in keys else len(keys)


def conflict_places(
    scenario: Scenario,
    members: list[str],
    time_limit: float | Budget = 5.0,
    calendar: Calendar | None = None,
) -> dict[str, list[Place]]:
    """Where the conflicting rules and inputs clash: a minimal set of their instances."""
    cal = calendar or Calendar(scenario)
    b = build(scenario, cal, by_instance=True, only=set(members))
    for (key, _where), guard in list(b.guards.items()):
        if key not in members:  # an input outside the conflict stays relaxed, as in step 1
            b.model.Add(guard == 0)
            del b.guards[(key, _where)]
    core = shrink_conflict(b, time_limit)
    places: dict[str, list[Place]] = {}
    for rule, where in core:
        places.setdefault(rule, []).append(where)
    for rule in places:
        places[rule].sort()
    return places


def explain_infeasible(scenario: Scenario, time_limit: float | Budget = 5.0) -> Explanation:
    """A minimal conflict, where it bites, and the relaxations that make it solvable
    (within ``time_limit``'s deadline, when it is a :class:`Budget`: what is found by then)."""
    core = minimal_conflict(scenario, time_limit)
    places = conflict_places(scenario, core, time_limit) if core else {}
    raw = scenario.model_dump(by_alias=True, exclude_none=True, mode="json")
    # each member's candidates are tried in order; members are tried concurrently
    # (CP-SAT releases the GIL while it searches)
    with ThreadPoolExecutor(max_workers=min(4, max(1, len(core)))) as pool:
        per_member = list(
            pool.map(
                lambda key: _fixes_for(scenario, raw, key, places.get(key, []), core, time_limit),
                core,
            )
        )
    # switching a rule off is the last resort: concrete changes to the week come first
    fixes = sorted((f for solved, _ in per_member for f in solved), key=_switches_off)
    fixes = fixes[:MAX_FIXES]
    partial: list[dict[str, Any]] = []
    for _, resolved in per_member:
        for fix in resolved:
            if len(partial) < MAX_FIXES and not any(set(p) == set(fix) for p in partial):
                partial.append(fix)
    partial.sort(key=_switches_off)
    return Explanation(core, places, fixes, partial)


def _fixes_for(
    scenario: Scenario,
    raw: dict,
    key: str,
    places: list[Place],
    core: list[str],
    time_limit: float | Budget,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Up to two verified fixes of different kinds relaxing one member, and the first
    fix that resolves this conflict only (when none solves the whole scenario)."""
    solved: list[dict[str, Any]] = []
    resolved: list[dict[str, Any]] = []
    for fix in candidate_fixes(scenario, key, places):
        if len(solved) == 2 or Budget.of(time_limit).spent:
            break
        if any(set(f) == set(fix) for f in solved):
            continue
        verdict = _try_fix(raw, fix, core, time_limit)
        if verdict == "solved":
            solved.append(fix)
        elif verdict == "resolved" and not resolved:
            resolved.append(fix)
    return solved, ([] if solved else resolved)  # a first step only where no fix is whole


def _switches_off(fix: dict[str, Any]) -> bool:
    return any(v == "off" for v in fix.values())


def _try_fix(raw: dict, fix: dict[str, Any], core: list[str], time_limit: float | Budget) -> str:
    """'solved' (the whole scenario), 'resolved' (this conflict only) or 'no'."""
    try:
        relaxed = with_overrides(raw, fix, "fix")
    except ScenarioError:
        return "no"
    b = build(relaxed, Calendar(relaxed), guarded=True)
    if is_feasible(b, list(b.guards), time_limit):
        return "solved"
    if is_feasible(b, [k for k in core if k in b.guards], time_limit):
        return "resolved"
    return "no"


def candidate_fixes(scenario: Scenario, key: str, places: list[Place]) -> list[dict[str, Any]]:
    """Relaxations of one rule or input (``runs.tue`` belongs to the fixed runs),
    mildest first, as the rule's class gives them."""
    rule = RULES_BY_KEY.get(key) or RULES_BY_KEY.get(key.split(".")[0])
    return rule.relaxations(scenario, key, places) if rule is not None else []


@dataclass
class Binding:
    """A hard rule that costs points: without it the plan would score better."""

    rule: str
    objective_without: int
    #: what would change without the rule: days ("Tue 2027-01-05: a → b"), then weeks
    days: list[str]
    #: False when the relaxed solve stopped at its time limit: a better plan without the
    #: rule was found (so it binds), perhaps not the best one
    proven: bool = True

    def points(self, objective: int) -> str:
        """How much better the plan would score without the rule: "239", or "at least
        239" when not proven."""
        gain = objective - self.objective_without
        return str(gain) if self.proven else f"at least {gain}"


def binding_rules(result, time_limit: float = 10.0) -> list[Binding]:
    """Hard rules that bind in a solved plan: switching one off lowers the objective.

    For each, the days where the plan would change show where the rule binds. A rule
    that only adds its own constraints and terms is switched off in a copy of one model
    built with every rule behind a guard literal (the copy fixes the rule's guard off,
    every other guard on, and leaves the rule's terms out of the objective): one build
    in Python instead of one per rule. A rule that reshapes the calendar or the
    variables (``Rule.reshapes``: without ``race_eve`` a fixed hard run stays hard) gets
    a model of its own. The copies start from the plan as a complete hint (every
    variable's value, found once with the plan fixed); a model of its own gets none (a
    hint of the sessions alone made CP-SAT slower than no hint). The solves run with one
    CP-SAT worker each, side by side (CP-SAT releases the GIL), and settle for a better
    plan found within :data:`RELAXED_BOX` (the binding is then not ``proven``: "at
    least"). Only the objective is needed: no prescriptions, no deterministic choice
    among the optima.
    """
    sc = result.scenario
    raw = sc.model_dump(by_alias=True, exclude_none=True, mode="json")
    before = result.sessions_by_day()
    placed = placed_sessions(PlanView(result.calendar, result.plan))
    # runs.easy_runs is a count the athlete asked for, not a principle: not questioned
    keys = [
        r.key
        for r in RULES_BY_KEY.values()
        if r.kind == "hard"
        and r.enabled(sc)
        and r.setting(sc) is not None
        and r.key != "runs.easy_runs"
    ]
    # the rules with models of their own first: their builds overlap the other solves
    order = sorted(keys, key=lambda k: not RULES_BY_KEY[k].reshapes)
    shared = hint = None
    if not all(RULES_BY_KEY[k].reshapes for k in keys):
        shared = build(sc, result.calendar, guarded=True)
        hint = _plan_values(shared, placed, result.dynamic, time_limit)

    def relaxed_model(key: str):
        """(the Build whose variables the model uses, the model, its objective)."""
        if RULES_BY_KEY[key].reshapes:
            relaxed = with_overrides(raw, {f"rules.{key}": "off"}, "explain")
            b = build(relaxed, Calendar(relaxed))
            return b, b.model, objective(b)
        model = shared.model.clone()
        for guard_key, guard in shared.guards.items():
            model.Add(guard == int(guard_key != key))
        if hint is not None:
            values = list(hint)
            if key in shared.guards:  # (a rule that added no constraint has no guard)
                values[shared.guards[key].Index()] = 0
            model.Proto().solution_hint.vars.extend(range(len(values)))
            model.Proto().solution_hint.values.extend(values)
        terms = [t.weight * t.var for t in shared.terms if t.rule != key]
        return shared, model, sum(terms) if terms else 0

    def without(key: str) -> tuple[int | None, dict, list[bool], bool]:
        idle = not RULES_BY_KEY[key].reshapes and key not in shared.guards
        if idle and not any(t.rule == key for t in shared.terms):
            return None, {}, [], True  # no constraint, no term here: nothing to relax
        b, model, expr = relaxed_model(key)
        model.Minimize(expr)
        solver = solver_parameters(cp_model.CpSolver(), 1, result.seed, time_limit)
        solver.parameters.max_deterministic_time = RELAXED_BOX
        status = run_solver(solver, model)
        if status != cp_model.OPTIMAL and not (
            status == cp_model.FEASIBLE and solver.ObjectiveValue() < result.objective
        ):  # nothing better found yet: does the rule bind? solve on to the end
            solver = solver_parameters(cp_model.CpSolver(), 1, result.seed, time_limit)
            status = run_solver(solver, model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, {}, [], True
        proven = status == cp_model.OPTIMAL
        status_word = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        raw = solution_of(solver, b, status_word, 0.0, 1)
        days = {
            day.date: ", ".join(k for k in day_sessions(day, raw.values) if k != "mobility")
            for day in b.cal.days
        }
        after = {d: v for d, v in days.items() if v}
        return int(round(solver.ObjectiveValue())), after, raw.dynamic, proven

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found = dict(zip(order, pool.map(without, order)))
    out = []
    for key in keys:
        value, after, dynamic, proven = found[key]
        if value is not None and value < result.objective:
            days = _changes(before, after, result.dynamic, dynamic)
            out.append(Binding(key, value, days, proven))
    return out


def _changes(before: dict, after: dict, dynamic: list[bool], relaxed: list[bool]) -> list[str]:
    """What changes from the plan to the relaxed one: days ("Tue 2027-01-05: a → b"),
    then weeks that turn dynamic or static."""
    days = sorted(d for d in set(before) | set(after) if before.get(d) != after.get(d))
    out = [f"{d:%a %Y-%m-%d}: {before.get(d, 'rest')} → {after.get(d, 'rest')}" for d in days]
    kind = {True: "dynamic", False: "static"}
    out += [
        f"week {w + 1}: {kind[a]} → {kind[b]}"
        for w, (a, b) in enumerate(zip(dynamic, relaxed))
        if a != b
    ]
    return out


def _plan_values(b, placed: dict, dynamic: list[bool], time_limit: float) -> list[int] | None:
    """Every variable of ``b``'s guarded model at the plan, every guard on (a copy with
    the sessions and weeks fixed, solved: a few hundredths of a second), or None."""
    model = b.model.clone()
    for guard in b.guards.values():
        model.Add(guard == 1)
    for s, vars_ in b.placed.items():
        for d, var in vars_.items():
            if not isinstance(var, int):
                model.Add(var == placed.get(s, {}).get(d, 0))
    for w, var in enumerate(b.dynamic):
        if not isinstance(var, int) and w < len(dynamic):
            model.Add(var == int(dynamic[w]))
    model.Minimize(objective(b))
    solver = feasibility_solver(time_limit)
    if run_solver(solver, model) != cp_model.OPTIMAL:
        return None
    return list(solver.ResponseProto().solution)


def score_lines(result, bindings: list[Binding] | None = None) -> list[str]:
    """Why this plan: each soft rule's points and instances, then the binding hard rules."""

    out = [
        f"{result.scenario.name}: {result.status}, objective {result.objective} "
        f"= sum of the points below"
    ]
    by_rule = result.instances_by_rule()
    for key, points in result.penalties.items():
        fired = by_rule.get(key, [])
        if not fired:
            continue
        out.append(f"  {key}: {points:+d} ({arithmetic(fired)})")
        for inst in fired[:6]:
            out.append(f"      {inst.where}")
        if len(fired) > 6:
            out.append(f"      … {len(fired) - 6} more")
    if bindings is not None:
        if not bindings:
            out.append("No hard rule binds: switching any one off would not improve the score.")
        for bind in bindings:
            at_most = "" if bind.proven else "at most "
            out.append(
                f"  binds: {bind.rule} (without it the objective would be {at_most}"
                f"{bind.objective_without}, {bind.points(result.objective)} better), with "
                f"{len(bind.days)} change(s):"
            )
            for day in bind.days[:4]:
                out.append(f"      {day}")
            if len(bind.days) > 4:
                out.append(f"      … {len(bind.days) - 4} more")
    return out
