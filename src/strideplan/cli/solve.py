"""`solve`, `explain`, `schema` and `squad-athlete`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..interrupt import meanwhile
from .common import (
    EXIT_INFEASIBLE,
    MAX_SEED,
    BadInput,
    cli,
    console,
    echo_json,
    escape,
    finish,
    format_option,
    is_squad_path,
    load_scenario,
    output_option,
    output_target,
    print_infeasible,
    print_summary,
    print_warnings,
    report,
    result_json,
    set_option,
    time_limit_option,
    write_file,
    write_ics,
)


@cli.command(short_help="Solve a scenario (or a squad) into a plan workbook.")
@click.argument("scenario", type=click.Path(dir_okay=False))
@output_option("Workbook to write (default output/<scenario stem>.xlsx).")
@set_option("Override a scenario key, e.g. rules.strength_per_week=3 (repeatable).")
@time_limit_option("Solver time limit in seconds, at most 3600 (default: solver.time_limit).")
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=MAX_SEED),
    default=None,
    help="Solver seed (default: solver.seed); same seed, same plan.",
)
@click.option(
    "--why/--no-why",
    default=False,
    show_default=True,
    help="Also find the hard rules that bind (re-solves once per rule; or `explain`).",
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Also print the light weeks and the points per rule."
)
@click.option(
    "--ics", "with_ics", is_flag=True, help="Also write the plan as an .ics calendar beside it."
)
@click.option(
    "--split",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="(squad files) Also write one plan workbook per athlete into DIR.",
)
@format_option()
def solve(
    scenario: str,
    out: str | None,
    sets: tuple[str, ...],
    time_limit,
    seed,
    why: bool,
    verbose: bool,
    with_ics: bool,
    split: str | None,
    fmt: str,
) -> None:
    """Solve SCENARIO into a plan workbook and print a short answer: status, what the
    plan holds, the warnings and where the workbook went (--verbose: the light weeks and
    the points per rule; --why: the hard rules that bind).

    \b
    A squad file (with athletes:) is solved as one model, the gym's capacity shared,
    into a squad workbook (Squad, Gym, each athlete's Calendar and Sessions); --split DIR
    also writes each athlete's plan, which `check` accepts with the scenario that
    `squad-athlete` prints. --set reaches into a squad too: gym.capacity.sat=7,
    coach.power_days=[tue,sat], defaults.rules.strength_per_week=3,
    athletes.0.level=beginner (or athletes.NAME.level=beginner).
    Exit codes: 0 plan written, 1 infeasible (explained, nothing written), 2 bad input.
    Example:
      strideplan solve scenarios/10k_build.yaml --set rules.back_to_back_hard=20
      strideplan solve scenarios/squads/club_squad.yaml --split output/club
    """
    if is_squad_path(scenario):
        from .squad import solve_command

        return solve_command(scenario, out, sets, time_limit, seed, split, fmt, verbose)
    if split is not None:
        raise BadInput(f"--split {split}: only a squad file (with athletes:) splits into plans")
    sc, _, _ = load_scenario(scenario, sets)
    target = output_target(
        out,
        Path("output") / f"{Path(scenario).stem}.xlsx",
        (scenario,),
        (".ics",) if with_ics else (),
    )
    # the writer and the summary's modules load while CP-SAT searches (outside the GIL)
    meanwhile(_load_writer)
    # what the plan could not do and the rules that bind are CP-SAT solves (outside the
    # GIL): found while the sheets that do not show them are written, and the workbook
    # is written before anything is printed (a closed pipe must not cost it)
    result = report(
        sc,
        fmt,
        time_limit=time_limit,
        seed=seed,
        why=why,
        write=lambda res, analysed: write_file(
            target, _load_writer(), res, target, [], None, analysed
        ),
        writing="finding the targets dropped"
        + (" and the rules that bind" if why else "")
        + "; writing the workbook",
    )
    if not result.solved:
        if fmt == "json":
            echo_json(result_json(result, []))
        elif result.status == "unknown":
            console.print(
                f"[bold]{escape(sc.name)}[/]: no plan found within the time limit "
                f"({result.wall_time:.1f} s); try --time-limit. No workbook written."
            )
        else:
            print_infeasible(result)
        sys.exit(EXIT_INFEASIBLE)
    calendar_file = write_ics(target) if with_ics else None
    written = [str(p) for p in (target, calendar_file) if p is not None]
    finish(
        fmt,
        lambda: result_json(result, written),
        lambda: print_summary(result, fmt, verbose),
        written,
    )


@cli.command(short_help="Why this plan, or why no plan (writes nothing).")
@click.argument("scenario", type=click.Path(dir_okay=False))
@set_option("Override a scenario key (repeatable).")
@time_limit_option("Solver time limit in seconds, at most 3600.")
@format_option()
def explain(scenario: str, sets: tuple[str, ...], time_limit, fmt) -> None:
    """Explain SCENARIO without writing a workbook: why this plan, or why no plan.

    \b
    For a plan: every soft rule's points and where they fired, and each hard rule that
    binds (switching it off would score better) with the days it changes.
    For no plan: a minimal set of conflicting rules, where they clash, verified fixes.
    Exit codes: 0 a plan exists, 1 infeasible, 2 bad input.
    Example:
      strideplan explain scenarios/tight_week.yaml
    """
    from ..explain import score_lines

    if is_squad_path(scenario):
        from .squad import explain_command

        return explain_command(scenario, sets, time_limit)
    sc, _, _ = load_scenario(scenario, sets)
    result = report(
        sc,
        fmt,
        time_limit=time_limit,
        why=True,
        write=lambda _res, analysed: analysed(),
        writing="finding the binding hard rules",
    )
    if not result.solved:
        if fmt == "json":
            echo_json(result_json(result, None))
        else:
            print_infeasible(result)
        sys.exit(EXIT_INFEASIBLE)
    if fmt == "json":
        echo_json(result_json(result, None))
        return
    print_warnings(result)
    for line in score_lines(result, result.bindings):
        console.print(line, markup=False)


@cli.command(short_help="Print the JSON Schema of scenario files.")
@click.option("--squad", is_flag=True, help="The schema of squad files instead.")
def schema(squad: bool) -> None:
    """Print the JSON Schema of scenario files, or with --squad of squad files (for
    editor completion and validation).

    \b
    Example:
      strideplan schema > strideplan.schema.json
      strideplan schema --squad > strideplan-squad.schema.json
    """
    if squad:
        from ..squad.scenario import squad_schema as of_files
    else:
        from ..scenario import scenario_schema as of_files

    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **of_files()}
    click.echo(json.dumps(document, indent=2, default=str))


@cli.command("squad-athlete", short_help="Print one athlete of a squad as a plain scenario.")
@click.argument("squad", type=click.Path(dir_okay=False))
@click.argument("name")
@set_option("Override a squad key first, e.g. gym.capacity.sat=7 (repeatable).")
def squad_athlete(squad: str, name: str, sets: tuple[str, ...]) -> None:
    """Print athlete NAME of SQUAD as a plain scenario (defaults merged, power_days in).

    \b
    Check an athlete's split plan with it:
    Example:
      strideplan squad-athlete scenarios/squads/club_squad.yaml Sam > sam.yaml
      strideplan check sam.yaml output/club/Sam.xlsx
    """
    from .squad import squad_athlete_command

    squad_athlete_command(squad, name, sets)


def _load_writer():
    """The plan workbook's writer, its modules loaded (and the summary's)."""
    from .. import terminal  # noqa: F401 - the summary's, loaded with the writer
    from ..excel import write_workbook

    return write_workbook
