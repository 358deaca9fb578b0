"""`check`: a plan workbook against the scenario's hard rules, without the solver."""

from __future__ import annotations

import sys

import click

from .common import (
    EXIT_INFEASIBLE,
    EXIT_OK,
    BadInput,
    clean,
    cli,
    console,
    echo_json,
    escape,
    format_option,
    is_squad_path,
    load_scenario,
    set_option,
)


@cli.command(short_help="Check a plan workbook against the hard rules.")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@set_option("Override a scenario key before checking (repeatable).")
@format_option()
def check(scenario: str, plan: str, sets: tuple[str, ...], fmt: str) -> None:
    """Check PLAN.xlsx (maybe edited by hand) against SCENARIO's hard rules, without the solver.

    \b
    A squad file checks its squad workbook: every athlete, and the gym's capacity.
    Exit codes: 0 no hard violation, 1 violations (each listed with date and rule), 2 bad input.
    Example:
      strideplan check scenarios/10k_build.yaml output/10k_build.xlsx
      strideplan check scenarios/squads/club_squad.yaml output/club.xlsx
    """
    from ..calendar import Calendar
    from ..check import PlanOutsideError, calendar_disagreements, check_plan, filled
    from ..excel import PlanFileError, read_sessions_and_calendar
    from ..plan import replanned_from

    if is_squad_path(scenario):
        _check_squad(scenario, plan, sets, fmt)
        return
    sc, _, _ = load_scenario(scenario, sets)
    try:
        table, shown = read_sessions_and_calendar(plan)
        violations = check_plan(sc, table)
    except PlanFileError as exc:
        raise BadInput(str(exc)) from None
    except PlanOutsideError as exc:
        raise BadInput(f"{plan}: sheet Sessions: {exc}") from None
    disagreements = calendar_disagreements(Calendar(sc), table, shown) if shown is not None else []
    # a plan whose Sessions sheet marks the past done (what replan writes): what the past
    # broke is a fact of the past, reported, not judged (as replan reports it)
    first = replanned_from(table)
    past = [v for v in violations if first and v.date is not None and v.date < first]
    violations = [v for v in violations if v not in past]
    if fmt == "json":
        echo_json(
            {
                "plan": plan,
                "scenario": scenario,
                "judged": "Sessions",
                "sessions": len(table),
                "violations": [
                    {"date": v.date, "rule": v.rule, "message": v.message} for v in violations
                ],
                "calendar_warnings": disagreements,
                "past_facts": [
                    {"date": v.date, "rule": v.rule, "message": v.message} for v in past
                ],
                **({} if violations or past else _plan_score(sc, filled(Calendar(sc), table))),
            }
        )
        sys.exit(EXIT_INFEASIBLE if violations else EXIT_OK)
    console.print(f"{escape(plan)}: judging sheet Sessions (the Calendar is compared, not judged)")
    for line in disagreements:
        console.print(f"[bold yellow]warning:[/] {escape(clean(line))}")
    for fact in past:
        console.print(f"  a fact of the past (before {first}): {fact}", markup=False)
    if not violations:
        console.print(
            f"{escape(plan)}: no hard-rule violations ({len(table)} sessions checked "
            f"against {scenario}" + (f"; from {first} on" if first else "") + ")."
        )
        if not past:
            _print_plan_score(sc, filled(Calendar(sc), table))  # empty order/minutes: defaults
        return
    by_rule: dict[str, int] = {}
    for v in violations:
        by_rule[v.rule] = by_rule.get(v.rule, 0) + 1
    summary = ", ".join(f"{rule} {n}" for rule, n in by_rule.items())
    console.print(f"{escape(plan)}: {len(violations)} violation(s) ({escape(summary)}):")
    for v in violations:
        console.print(f"  {v}", markup=False)
    sys.exit(EXIT_INFEASIBLE)


def _plan_score(sc, table) -> dict:
    """The soft-rule points of a checked plan and the optimum for the same scenario:
    ``score``, ``optimum`` (None if none was found) and ``points`` per rule; empty when
    the plan cannot be scored."""
    from ..calendar import Calendar
    from ..model import score_plan, solve
    from ..plan import PlanView, placed_sessions

    cal = Calendar(sc)
    scored = score_plan(sc, placed_sessions(PlanView(cal, table)), cal)
    if scored.objective is None:
        return {}
    best = solve(sc, calendar=cal)
    points: dict[str, int] = {}
    for term, value in scored.terms:
        if value:
            points[term.rule] = points.get(term.rule, 0) + term.weight * value
    return {"score": scored.objective, "optimum": best.objective, "points": points}


def _print_plan_score(sc, table) -> None:
    """The soft-rule points of a checked plan, beside the optimum for the same scenario."""
    score = _plan_score(sc, table)
    if not score:
        return
    parts = ", ".join(f"{k} {v:+d}" for k, v in score["points"].items())
    if score["optimum"] is not None:
        gap = score["score"] - score["optimum"]
        verdict = "the optimum" if gap == 0 else f"{gap:+d} against the optimum {score['optimum']}"
    else:
        verdict = "no optimum found"
    console.print(f"Score: {score['score']} points ({verdict}); {parts}", markup=False)


def _check_squad(scenario: str, plan: str, sets: tuple[str, ...], fmt: str) -> None:
    """A squad workbook against its squad file: each athlete's Sessions sheet against
    that athlete's rules, and the gym's capacity across them (solver-free)."""
    from ..check import PlanOutsideError, check_plan
    from ..excel import PlanFileError, read_squad_sessions
    from ..squad.build import capacity_violations
    from .squad import load as load_squad

    squad = load_squad(scenario, sets)
    try:
        tables = read_squad_sessions(plan)
    except PlanFileError as exc:
        raise BadInput(str(exc)) from None
    if len(tables) != len(squad.names):
        raise BadInput(
            f"{plan}: {len(tables)} athletes' Sessions sheets; {scenario} has "
            f"{len(squad.names)} athletes: is this the squad's workbook?"
        )
    found: list[tuple[str, object]] = []
    for name, athlete, table in zip(squad.names, squad.athletes, tables):
        try:
            found += [(name, v) for v in check_plan(athlete, table)]
        except PlanOutsideError as exc:
            raise BadInput(f"{plan}: {name}'s Sessions sheet: {exc}") from None
    gym = capacity_violations(squad, [], tables)
    count = len(found) + len(gym)
    if fmt == "json":
        echo_json(
            {
                "plan": plan,
                "scenario": scenario,
                "athletes": len(tables),
                "sessions": sum(len(t) for t in tables),
                "violations": [
                    {"athlete": n, "date": v.date, "rule": v.rule, "message": v.message}
                    for n, v in found
                ]
                + [{"athlete": None, "rule": "gym_capacity", "message": g} for g in gym],
            }
        )
        sys.exit(EXIT_INFEASIBLE if count else EXIT_OK)
    sessions = sum(len(t) for t in tables)
    if not count:
        console.print(
            f"{escape(plan)}: no hard-rule violations ({len(tables)} athletes, {sessions} "
            f"sessions and the gym's capacity checked against {escape(scenario)})."
        )
        return
    console.print(f"{escape(plan)}: {count} violation(s):")
    for name, v in found:
        console.print(f"  {name}: {v}", markup=False)
    for line in gym:
        console.print(f"  {line}", markup=False)
    sys.exit(EXIT_INFEASIBLE)
