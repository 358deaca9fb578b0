"""Why no plan: a minimal set of conflicting rules, and fixes verified to work.

Each rule's hard constraints sit behind one guard literal. CP-SAT's sufficient
assumptions for infeasibility give a first conflict set, which is shrunk by deletion
until removing any member makes the rest feasible (a minimal conflict). Fixes are
``--set`` overrides, each re-solved to confirm the scenario becomes solvable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .calendar import Calendar
from .model import build
from .rules import RULES_BY_KEY
from .scenario import Scenario

#: How a conflicting rule or input can be relaxed, as ``--set`` overrides to try.
FIXES: dict[str, list[dict[str, object]]] = {
    "strength_per_week": [{"rules.strength_per_week": [1, 2]}, {"rules.strength_per_week": 1}],
    "lower_strength_per_week": [{"rules.lower_strength_per_week": [0, 2]}],
    "strength_gap_days": [{"rules.strength_gap_days": 0}],
    "max_days_without_strength": [{"rules.max_days_without_strength": 14}],
    "power_per_week": [{"rules.power_per_week": [0, 2]}],
    "power_on_fresh_days": [{"rules.power_on_fresh_days": "off"}],
    "no_heavy_legs_before": [{"rules.no_heavy_legs_before": ["race"]},
                             {"rules.no_heavy_legs_before": "off"}],
    "rest_days_per_week": [{"rules.rest_days_per_week": 0}],
    "max_sessions_per_day": [{"rules.max_sessions_per_day": 3, "athlete.max_sessions_per_day": 3}],
    "max_runs_per_day": [{"rules.max_runs_per_day": 2}],
    "daily_minutes": [{"rules.daily_minutes": "off"}],
    "dynamic_blocks": [{"rules.dynamic_blocks": "off"}],
    "race_taper": [{"rules.race_taper": "off"}],
    "race_recovery": [{"rules.race_recovery": "off"}],
    "runs.easy_runs": [],  # computed: one fewer easy run
    "athlete.gym": [{"athlete.gym": list(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}],
    "athlete.availability": [],  # computed from the conflicting days
}


@dataclass
class Explanation:
    """A minimal set of rules that cannot all hold, and fixes that were verified."""

    conflict: list[str]
    fixes: list[dict[str, object]] = field(default_factory=list)

    def lines(self, scenario: Scenario) -> list[str]:
        """The explanation in the runner's language."""
        out = ["No plan satisfies all of these together:"]
        for key in self.conflict:
            rule = RULES_BY_KEY.get(key)
            label = rule.label if rule else key
            value = rule.describe(scenario) if rule else ""
            out.append(f"  - {key}: {label} ({value})")
        if self.fixes:
            out.append("Any one of these makes it solvable (verified):")
            for fix in self.fixes:
                out.append("  " + " ".join(f"--set {k}={_show(v)}" for k, v in fix.items()))
        else:
            out.append("No single relaxation of these rules was found to help; "
                       "free more time or fewer fixed runs.")
        return out


def _show(value: object) -> str:
    if isinstance(value, list):
        return "[" + ",".join(str(v) for v in value) + "]"
    return str(value)


def _feasible(b, active: list[str], time_limit: float) -> bool:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    b.model.ClearAssumptions()
    b.model.AddAssumptions([b.guards[k] for k in active])
    return solver.Solve(b.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def minimal_conflict(scenario: Scenario, time_limit: float = 5.0) -> list[str]:
    """Rule keys whose hard constraints conflict; removing any one makes the rest feasible."""
    b = build(scenario, Calendar(scenario), guarded=True)
    b.model.ClearObjective() if hasattr(b.model, "ClearObjective") else None
    keys = sorted(b.guards)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    b.model.AddAssumptions([b.guards[k] for k in keys])
    if solver.Solve(b.model) != cp_model.INFEASIBLE:
        return []
    by_index = {b.guards[k].Index(): k for k in keys}
    core = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    core = core or keys
    i = 0
    while i < len(core):  # deletion filter: drop members not needed for the conflict
        trial = core[:i] + core[i + 1:]
        if trial and not _feasible(b, trial, time_limit):
            core = trial
        else:
            i += 1
    return core


def explain_infeasible(scenario: Scenario, time_limit: float = 5.0) -> Explanation:
    """A minimal conflict and the relaxations of it that make the scenario solvable."""
    from .scenario import ScenarioError, with_overrides

    core = minimal_conflict(scenario, time_limit)
    fixes = []
    raw = scenario.model_dump(by_alias=True, exclude_none=True)
    for key in core:
        for fix in _candidate_fixes(scenario, key):
            try:
                relaxed = with_overrides(raw, fix, "fix")
            except ScenarioError:
                continue
            b = build(relaxed, Calendar(relaxed), guarded=True)
            if _feasible(b, sorted(b.guards), time_limit):
                fixes.append(fix)
                break
    return Explanation(core, fixes)


def _candidate_fixes(scenario: Scenario, key: str) -> list[dict[str, object]]:
    if key == "runs.easy_runs" and scenario.runs.easy_runs > 0:
        return [{"runs.easy_runs": scenario.runs.easy_runs - 1}]
    if key == "athlete.availability":
        return [{f"athlete.availability.{day}": 60}
                for day in scenario.runs.fixed() if scenario.athlete.availability.get(day, 0) == 0]
    return FIXES.get(key, [])
