"""Why a squad has no plan: the athletes, days and rules of a minimal conflict, with
fixes verified on the whole squad (explain.py's machinery, over the squad's model).

1. An athlete with no plan even alone is explained as a single scenario
   (:func:`strideplan.explain.explain_infeasible`), its fixes as ``athletes.N.…`` keys.
2. Otherwise the conflict lies between athletes, through the gym: every athlete's rules
   and the capacity sit behind guards, a minimal set of (athlete, rule) members is
   extracted, then the dates and weeks where they clash, and fixes are tried on the
   whole squad: raise a weekday's capacity, move an athlete's gym day, relax a member.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from ..calendar import weekdays_in
from ..catalog import WEEKDAYS
from ..explain import (
    Explanation,
    Guarded,
    candidate_fixes,
    explain_infeasible,
    feasibility_solver,
    is_feasible,
    set_args,
    shrink_conflict,
    sufficient_guards,
)
from ..interrupt import run_solver
from ..model import build
from ..rules import RULES_BY_KEY
from ..scenario import ScenarioError
from .build import CAPACITY, CAPACITY_LABEL, SquadBuild
from .scenario import Squad, squad_with_overrides

#: fixes tried per member (each a whole-squad feasibility solve)
TRIES_PER_MEMBER = 4
MAX_FIXES = 6


@dataclass
class SquadExplanation:
    """A squad's minimal conflict: members are (athlete index or None for the gym, rule)."""

    squad: Squad
    conflict: list[tuple[int | None, str]] = field(default_factory=list)
    where: dict[tuple[int | None, str], list[str]] = field(default_factory=dict)
    fixes: list[dict[str, Any]] = field(default_factory=list)
    #: athletes with no plan even alone: index -> their own explanation (squad keys)
    alone: dict[int, Explanation] = field(default_factory=dict)

    def member(self, member: tuple[int | None, str]) -> str:
        """A member in words: 'gym_capacity' or 'Sam: lower_strength_per_week'."""
        i, key = member
        return key if i is None else f"{self.squad.names[i]}: {key}"

    def lines(self) -> list[str]:
        """The explanation in a coach's words: who, where, which rules, verified fixes."""
        out: list[str] = []
        for i, explanation in self.alone.items():
            out.append(f"{self.squad.names[i]} (athletes.{i}) has no plan even alone:")
            out += ["  " + line for line in explanation.lines(self.squad.athletes[i])]
        if self.alone:
            return out
        if not self.conflict:
            return ["The conflict could not be narrowed down within the time limit."]
        places = sorted(w for ws in self.where.values() for w in ws)
        first = f", first at {places[0]}" if places else ""
        members = ", ".join(self.member(m) for m in self.conflict)
        out.append(f"No plan for the squad: {members} cannot all hold{first}.")
        if self.fixes:
            more = f"; {len(self.fixes) - 1} other fix(es) below" if len(self.fixes) > 1 else ""
            out.append(f"Fix: {set_args(self.fixes[0])}   (verified{more})")
        out.append("Conflicting athletes, rules and inputs:")
        for m in self.conflict:
            i, key = m
            if i is None:
                label, value = CAPACITY_LABEL, _capacity_words(self.squad)
            else:
                rule = RULES_BY_KEY.get(key)
                sc = self.squad.athletes[i]
                label, value = (rule.label, rule.describe(sc)) if rule else (key, "scenario")
            shown = self.where.get(m, [])
            at = ""
            if shown:
                at = " — at " + ", ".join(p.label for p in shown[:4])
                at += f" (+{len(shown) - 4} more)" if len(shown) > 4 else ""
            out.append(f"  - {self.member(m)}: {label} ({value}){at}")
        if self.fixes:
            out.append("Any one of these makes the squad solvable (verified):")
            out += [f"  {set_args(fix)}" for fix in self.fixes]
        else:
            out.append(
                "No single change was found to help: raise the gym's capacity or free more days."
            )
        return out


def _capacity_words(squad: Squad) -> str:
    return ", ".join(f"{d} {n}" for d, n in squad.capacity.items()) or "no limit"


def squad_feasible(squad: Squad, time_limit: float = 10.0) -> bool:
    """Whether the squad has any plan (every rule and the capacity on)."""
    solver = feasibility_solver(time_limit, full_lp=False)
    return run_solver(solver, SquadBuild(squad).model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _alone(squad: Squad, i: int, time_limit: float) -> bool:
    """Whether athlete ``i`` has a plan alone (no gym capacity, no squad)."""
    return is_feasible(build(squad.athletes[i]), [], time_limit)


def _squad_key(i: int, key: str) -> str:
    """A single scenario's ``--set`` key as the squad's key for athlete ``i``."""
    if key.startswith("athlete."):
        return f"athletes.{i}.{key.removeprefix('athlete.')}"
    return f"athletes.{i}.{key}"


def _on_squad(i: int, explanation: Explanation) -> Explanation:
    """An athlete's own explanation with its fixes as squad keys."""

    def moved(fixes):
        return [{_squad_key(i, k): v for k, v in fix.items()} for fix in fixes]

    return Explanation(
        explanation.conflict,
        explanation.where,
        moved(explanation.fixes),
        moved(explanation.partial_fixes),
    )


def explain_squad(squad: Squad, time_limit: float = 5.0) -> SquadExplanation:
    """A minimal conflict of the squad, where it bites, and fixes verified on the squad."""
    alone = {
        i: _on_squad(i, explain_infeasible(sc, time_limit))
        for i, sc in enumerate(squad.athletes)
        if not _alone(squad, i, time_limit)
    }
    if alone:
        return SquadExplanation(squad, alone=alone)
    conflict = sorted(_conflict(squad, time_limit), key=_member_order)
    where = _places(squad, conflict, time_limit) if conflict else {}
    fixes = _fixes(squad, conflict, where, time_limit)
    return SquadExplanation(squad, conflict, where, fixes)


def _conflict(squad: Squad, time_limit: float) -> list[tuple[int | None, str]]:
    """A minimal conflict of (athlete, rule) members and the gym.

    One solve of the whole squad names a first (not minimal) conflict; athletes outside
    it are left out of the rest, as shortfalls.py leaves out the weeks far from a target:
    with all their rules relaxed they can always give up the gym, so the conflict holds
    without them, and each of the deletion filter's solves is on the athletes involved
    only (12-athlete club squad, Saturday capacity 1: see bench/bench_squad_explain.py).
    """
    sb = SquadBuild(squad, guarded=True)
    guarded = Guarded(sb.model, sb.guards)
    first = sufficient_guards(guarded, feasibility_solver(time_limit, full_lp=False))
    first = list(guarded.guards) if first is None else first
    involved = sorted({i for i, _ in first if i is not None}) or list(range(len(squad.names)))
    sub = _only(squad, involved)
    sub_build = SquadBuild(sub, guarded=True)
    core = shrink_conflict(Guarded(sub_build.model, sub_build.guards), time_limit)
    return [(None if i is None else involved[i], key) for i, key in core]


def _only(squad: Squad, athletes: list[int]) -> Squad:
    """The squad with only these athletes (in this order), the gym as it is."""
    return replace(
        squad,
        names=[squad.names[i] for i in athletes],
        athletes=[squad.athletes[i] for i in athletes],
    )


def _member_order(member: tuple[int | None, str]) -> tuple:
    i, key = member
    keys = list(RULES_BY_KEY)
    return (-1 if i is None else i, keys.index(key) if key in keys else len(keys), key)


def _places(squad: Squad, conflict: list, time_limit: float) -> dict:
    """Where the members clash: a minimal set of their instances (dates, weeks)."""
    involved = sorted({i for i, _ in conflict if i is not None})
    position = {i: k for k, i in enumerate(involved)}
    conflict = [(None if i is None else position[i], key) for i, key in conflict]
    only = [{k for j, k in conflict if j == i} for i in range(len(involved))]
    sb = SquadBuild(
        _only(squad, involved),
        by_instance=True,
        only=only,
        capacity=any(i is None for i, _ in conflict),
    )
    guards = {}
    members = set(conflict)
    for (i, inner), guard in sb.guards.items():
        key = inner[0] if isinstance(inner, tuple) else inner
        if (i, key) in members:
            guards[(i, inner)] = guard
        else:  # an input outside the conflict stays relaxed, as in the first step
            sb.model.Add(guard == 0)
    core = shrink_conflict(Guarded(sb.model, guards), time_limit)
    places: dict = {}
    for i, (key, where) in core:
        places.setdefault((None if i is None else involved[i], key), []).append(where)
    for member in places:
        places[member].sort()
    return places


def _candidates(squad: Squad, conflict: list, where: dict) -> list[dict[str, Any]]:
    """Relaxations of the members, mildest first: capacity, gym days, then rules."""
    out: list[dict[str, Any]] = []
    athletes = sorted({i for i, _ in conflict if i is not None})
    days = weekdays_in(where.get((None, CAPACITY), []))
    for day in days:
        now = squad.capacity.get(day, 0)
        out += [{f"gym.capacity.{day}": now + k} for k in range(1, len(squad.athletes) + 1)]
    for i in athletes:
        sc = squad.athletes[i]
        gym = sc.athlete.gym_days()
        free = [d for d in WEEKDAYS if d not in gym and sc.athlete.availability.get(d, 0) > 0]
        for day in days:
            if day in gym:
                for other in free[:TRIES_PER_MEMBER]:
                    moved = [other if d == day else d for d in WEEKDAYS if d in gym or d == other]
                    out.append({f"athletes.{i}.gym": list(dict.fromkeys(moved))})
    for i, key in conflict:
        if i is None:
            continue
        tried = candidate_fixes(squad.athletes[i], key, where.get((i, key), []))
        out += [{_squad_key(i, k): v for k, v in fix.items()} for fix in tried[:TRIES_PER_MEMBER]]
    return out


def _fixes(squad: Squad, conflict: list, where: dict, time_limit: float) -> list[dict[str, Any]]:
    """Candidates that make the whole squad solvable; one per capacity day and athlete
    gym, the mildest first."""
    fixes: list[dict[str, Any]] = []
    done: set[str] = set()
    for fix in _candidates(squad, conflict, where):
        if len(fixes) >= MAX_FIXES:
            break
        topic = ".".join(next(iter(fix)).split(".")[:3])  # one fix per capacity day / key
        if topic in done:
            continue
        try:
            relaxed = squad_with_overrides(squad.raw, fix, "fix")
        except ScenarioError:
            continue
        if squad_feasible(relaxed, time_limit):
            fixes.append(fix)
            done.add(topic)
    return fixes
