"""`compare`: scenarios or variants side by side."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..safe_text import CONTROL, clean
from .common import (
    EXIT_INFEASIBLE,
    BadInput,
    Bug,
    cli,
    console,
    echo_json,
    escape,
    format_option,
    is_squad_path,
    output_option,
    output_target,
    progress_bar,
    set_option,
    time_limit_option,
    write_file,
)


@cli.command(short_help="Solve scenarios or variants and compare them.")
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--variant",
    "variants",
    multiple=True,
    metavar="'NAME: KEY=VALUE, …'",
    help="A named what-if of the (first) scenario (repeatable).",
)
@click.option(
    "--sweep",
    "sweeps",
    multiple=True,
    metavar="KEY=V1,V2,…",
    help="One variant per value; several sweeps make a grid (repeatable).",
)
@set_option("Override applied to every variant (repeatable).")
@output_option("Comparison workbook (default output/<first stem>-compare.xlsx).")
@time_limit_option("Solver time limit per variant in seconds, at most 3600.")
@format_option()
def compare(scenarios: tuple[str, ...], variants, sweeps, sets, out, time_limit, fmt) -> None:
    """Solve several scenarios or variants and compare them side by side.

    \b
    Without --variant/--sweep, one scenario is compared with its own `variants:`.
    Exit codes: 0 all solved, 1 any infeasible (the others still reported), 2 bad input.
    Example:
      strideplan compare scenarios/10k_build.yaml --variant 'more power: rules.power_per_week=2'
      strideplan compare scenarios/10k_build.yaml --sweep rules.back_to_back_hard=0,10,30
    """
    from .. import compare as cmp
    from ..excel import write_comparison
    from ..scenario import ScenarioError, parse_assignments

    if is_squad_path(scenarios[0]):
        from .squad import compare_command

        return compare_command(scenarios, variants, sweeps, sets, out, time_limit, fmt)

    try:
        overrides = parse_assignments(sets)
        chosen = cmp.build_variants(list(scenarios), overrides, list(variants), list(sweeps))
    except ScenarioError as exc:
        raise BadInput("\n".join(exc.problems)) from None
    for variant in chosen:  # names become sheet names and column headers
        if CONTROL.search(variant.name):
            raise BadInput(
                f"variant {clean(variant.name)!r}: control characters are not allowed in a name"
            )
    if len(chosen) < 2 and fmt != "json":
        console.print(
            "only one plan to compare: add --variant, --sweep, a `variants:` "
            "section or more scenario files"
        )
    target = output_target(
        out, Path("output") / f"{Path(scenarios[0]).stem}-compare.xlsx", scenarios
    )
    names = [v.name for v in chosen]
    results = _solve_variants(chosen, time_limit, fmt)
    table = cmp.metrics(results, names)
    diffs = cmp.differences(results, names)
    note = cmp.alignment_note(results)
    write_file(target, write_comparison, results, names, table, diffs, target, note)
    if fmt == "json":
        from ..terminal import comparison_json

        data = comparison_json(table, diffs, names, results, [str(target)])
        echo_json({**data, "alignment": note} if note else data)
    else:
        _print_metrics(table, fmt)
        if note:
            console.print(note, markup=False)
        _print_differences(diffs, names, fmt)
        for name, result in zip(names, results):
            if not result.solved:
                console.print(f"\n[bold]{escape(name)}[/]: [red]{result.status}[/]")
                if result.explanation is not None:
                    for line in result.explanation.lines(result.scenario):
                        console.print("  " + line, markup=False)
        console.print(f"wrote [bold]{escape(str(target))}[/]")
    if any(not r.solved for r in results):
        sys.exit(EXIT_INFEASIBLE)


def _solve_variants(chosen, time_limit, fmt: str):
    """Solve the variants side by side, with a progress bar on a terminal; a plan the
    checker refuses is a bug (exit 3)."""
    from ..app import PlanBreaksRulesError, report_all

    scenarios = [v.scenario for v in chosen]
    try:
        if fmt != "rich":
            return report_all(scenarios, time_limit)
        from rich.progress import TextColumn

        with progress_bar(TextColumn("{task.completed}/{task.total}")) as bar:
            task = bar.add_task("solve", total=len(chosen))
            return report_all(scenarios, time_limit, on_done=lambda i, r: bar.advance(task))
    except PlanBreaksRulesError as exc:
        raise Bug(f"compare: {exc}") from None


def _print_view(legend: list[str], view, lines: list[str]) -> None:
    for line in legend + lines:
        console.print(line, markup=False)
    if view is not None:
        console.print(view)


def _print_metrics(table, fmt: str = "rich") -> None:
    from ..terminal import metrics_view

    _print_view(*metrics_view(table, console.width if fmt == "rich" else None))


def _print_differences(diffs, names, fmt: str = "rich") -> None:
    from ..terminal import differences_view

    if diffs.empty:
        console.print("All solved variants give the same sessions on every day.")
        return
    console.print(f"{len(diffs)} day(s) differ between variants; first ones:")
    _print_view(*differences_view(diffs, names, console.width if fmt == "rich" else None))
