"""The squad side of the command line: ``solve``, ``explain``, ``compare`` of a squad
file and ``squad-athlete``. Called from :mod:`strideplan.cli` (which stays thin and
imports this module only when a squad file is given)."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
from rich.markup import escape
from rich.table import Table

from ..scenario import ScenarioError, load_raw, parse_assignments
from ..squad.scenario import Squad, squad_with_overrides
from .common import (
    EXIT_INFEASIBLE,
    BadInput,
    Bug,
    busy,
    console,
    echo_json,
    finish,
    is_squad_path,
    output_target,
    print_wrapped,
    refuse_over_inputs,
    write_file,
)


def load(path: str, sets: tuple[str, ...], extra: dict | None = None) -> Squad:
    """A squad with ``--set`` overrides; bad input exits 2."""
    try:
        data, tree = load_raw(path)
        overrides = parse_assignments(sets)
        overrides.update(extra or {})
        return squad_with_overrides(data, overrides, path, tree)
    except ScenarioError as exc:
        raise BadInput("\n".join(exc.problems)) from None


def _split_folder(split: str | None) -> Path | None:
    if split is None:
        return None
    folder = Path(split)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"--split {split}: not a folder; expected a folder for the athletes' plans")
    return folder


def _solve(squad: Squad, time_limit, seed, fmt: str = "rich"):
    """The squad's pipeline behind a spinner; a plan the checker refuses is a bug."""
    from ..app import PlanBreaksRulesError
    from ..squad.report import report_squad

    with busy(fmt, f"[bold]solving the squad ({len(squad.names)} athletes)…"):
        try:
            return report_squad(squad, time_limit=time_limit, seed=seed)
        except PlanBreaksRulesError as exc:
            raise Bug(str(exc)) from None


def print_infeasible(result) -> None:
    console.print(
        f"[bold]{escape(result.squad.name)}[/]: [red]infeasible[/] — no plan for the squad "
        f"satisfies every hard rule ({result.wall_time:.2f} s). No workbook written."
    )
    if result.explanation is not None:
        for line in result.explanation.lines():
            console.print(line, markup=False)


def solve_command(
    scenario, out, sets, time_limit, seed, split, fmt: str = "rich", verbose: bool = False
) -> None:
    """``strideplan solve SQUAD.yaml [--split DIR] [--format rich|plain|json]``."""
    from ..squad.workbook import split_paths, write_split, write_squad_workbook
    from ..terminal import squad_json

    squad = load(scenario, sets)
    target = output_target(out, Path("output") / f"{Path(scenario).stem}.xlsx", (scenario,))
    folder = _split_folder(split)
    if folder is not None:  # an athlete's plan never replaces an input or the squad's book
        for path in split_paths(squad.names, folder):
            refuse_over_inputs(path, (scenario, target))
    result = _solve(squad, time_limit, seed, fmt)
    if not result.solved:
        if fmt == "json":
            echo_json(squad_json(result))
        elif result.status == "unknown":
            console.print(
                f"[bold]{escape(squad.name)}[/]: no plan found within the time limit "
                f"({result.wall_time:.1f} s); try --time-limit. No workbook written."
            )
        else:
            print_infeasible(result)
        sys.exit(EXIT_INFEASIBLE)
    write_file(target, write_squad_workbook, result, target)
    written = []
    if folder is not None:
        try:
            written = write_split(result, folder)
        except OSError as exc:
            raise BadInput(f"--split {split}: cannot write ({exc.strerror or exc})") from None
    paths = [str(p) for p in (target, *written)]
    summary = lambda: print_summary(result, fmt, verbose)  # noqa: E731
    finish(fmt, lambda: squad_json(result, paths), summary, paths)


def print_summary(result, fmt: str = "rich", verbose: bool = False) -> None:
    """Warnings by athlete, the status, what the plan holds and the gym's fullest days
    (SPEC v3: short by default); with ``verbose`` a table of the athletes. Plain lines
    (``fmt`` plain, one per athlete) for pipes and grep."""
    from ..terminal import answer_line, gym_line, squad_detail_line, squad_holds_line, squad_lines

    if fmt != "rich":
        for line in squad_lines(result):
            console.print(line, markup=False, soft_wrap=True)
        return
    for name, r in zip(result.squad.names, result.results):
        for warning in r.warnings or []:
            console.print(f"[bold yellow]warning:[/] {escape(name)}: {escape(str(warning))}")
    print_wrapped([answer_line(result, result.squad.name), squad_holds_line(result)])
    if verbose:
        console.print(squad_detail_line(result), markup=False)
        _athletes_table(result)
    gym = gym_line(result)
    if gym is not None:
        console.print(gym, markup=False)


def _athletes_table(result) -> None:
    from ..terminal import athlete_counts

    table = Table(title="Athletes")
    for column in ("athlete", "level", "points", "legs", "core", "power", "warnings"):
        table.add_column(column, justify="left" if column in ("athlete", "level") else "right")
    for name, r in zip(result.squad.names, result.results):
        counts = athlete_counts(r)
        table.add_row(
            escape(name),
            r.scenario.athlete.level,
            f"{r.objective:+d}",
            str(counts["strength_lower"]),
            str(counts["strength_core"]),
            str(counts["power"]),
            str(len(r.warnings or [])),
        )
    console.print(table)


def explain_command(scenario, sets, time_limit) -> None:
    """``strideplan explain SQUAD.yaml``: why no plan, or each athlete's points."""
    from ..explain import score_lines

    squad = load(scenario, sets)
    result = _solve(squad, time_limit, None, "plain")
    if not result.solved:
        print_infeasible(result)
        sys.exit(EXIT_INFEASIBLE)
    for name, r in zip(squad.names, result.results):
        console.print(f"[bold]{escape(name)}[/]")
        for line in score_lines(r):
            console.print("  " + line, markup=False)


def squad_athlete_command(squad_path: str, name: str, sets) -> None:
    """``strideplan squad-athlete SQUAD.yaml NAME``: the athlete's plain scenario."""
    from ..squad.scenario import athlete_yaml

    if not is_squad_path(squad_path):
        try:
            load_raw(squad_path)
        except ScenarioError as exc:  # not even a readable file: say why
            raise BadInput("\n".join(exc.problems)) from None
        raise BadInput(
            f"{squad_path}: not a squad file (it has no athletes: list); a plain scenario "
            "is already what squad-athlete prints"
        )
    squad = load(squad_path, sets)
    sys.stdout.write(athlete_yaml(squad, athlete_named(squad, name, squad_path)))


def athlete_named(squad: Squad, name: str, source: str) -> str:
    """The athlete ``name`` means: the name as written, else the one whose name matches
    it without regard to case and accents (as ``--split`` names the files: Chloé's plan
    is ``Chloe.xlsx``)."""
    if name in squad.names:
        return name

    def folded(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "_", ascii_text.casefold()).strip("_")

    matches = [n for n in squad.names if folded(n) == folded(name)]
    if len(matches) == 1:
        return matches[0]
    raise BadInput(
        f"{source}: no athlete is called {name!r}; expected one of: " + ", ".join(squad.names)
    )


def compare_command(scenarios, variants, sweeps, sets, out, time_limit, fmt="rich") -> None:
    """``strideplan compare SQUAD.yaml … [--format rich|plain|json]``: status, objective
    and points per variant."""
    from ..app import PlanBreaksRulesError
    from ..compare import parse_sweep, parse_variant
    from ..explain import show_value
    from ..squad.report import report_squad
    from ..squad.workbook import write_squad_comparison

    chosen: list[tuple[str, Squad]] = []
    try:
        if len(scenarios) > 1:
            for path in scenarios:
                chosen.append((Path(path).stem, load(path, sets)))
        base_overrides = parse_assignments(sets)
        base = load(scenarios[0], sets)
        if len(scenarios) == 1:
            chosen.append(("baseline", base))
        named = [parse_variant(v) for v in variants]
        if not named and not sweeps and len(scenarios) == 1:
            named = list(base.variants.items())
        for name, overrides in named:
            chosen.append((name, load(scenarios[0], (), {**base_overrides, **overrides})))
        for text in sweeps:
            key, values = parse_sweep(text)
            for value in values:
                squad = load(scenarios[0], (), {**base_overrides, key: value})
                chosen.append((f"{key.split('.')[-1]}={show_value(value)}", squad))
    except ScenarioError as exc:
        raise BadInput("\n".join(exc.problems)) from None
    target = output_target(
        out, Path("output") / f"{Path(scenarios[0]).stem}-compare.xlsx", scenarios
    )
    columns = {}
    results = []
    with busy(fmt, "[bold]solving the squad variants…"):
        for name, squad in chosen:
            try:
                result = report_squad(squad, time_limit=time_limit)
            except PlanBreaksRulesError as exc:
                raise Bug(f"{name}: {exc}") from None
            results.append(result)
            columns[_unique(name, columns)] = squad_metrics(result)
    table = pd.DataFrame(columns)
    write_file(target, write_squad_comparison, table, target, chosen[0][1].name)
    explained = {
        name: result.explanation.lines()
        for name, result in zip(columns, results)
        if not result.solved and result.explanation is not None
    }
    if fmt == "json":
        echo_json(
            {
                "variants": {
                    name: {k: v for k, v in col.items() if v is not None and v == v}
                    for name, col in columns.items()
                },
                "explanations": explained,
                "written": [str(target)],
            }
        )
    elif fmt == "plain":
        for name, col in columns.items():
            for metric, value in col.items():
                if value is not None and value == value:
                    console.print(f"{name}: {metric} = {value}", markup=False, soft_wrap=True)
    else:
        view = Table(title="Squad comparison")
        view.add_column("metric")
        for name in table.columns:
            view.add_column(escape(name), justify="right")
        for metric, row in table.iterrows():
            view.add_row(escape(metric), *["" if v is None or v != v else str(v) for v in row])
        console.print(view)
    if fmt != "json":
        for name, lines in explained.items():
            console.print(f"\n{name}: infeasible", markup=False)
            for line in lines:
                console.print("  " + line, markup=False)
        console.print(f"wrote {target}", markup=False, soft_wrap=True)
    if any(not r.solved for r in results):
        sys.exit(EXIT_INFEASIBLE)


def _unique(name: str, taken: dict) -> str:
    candidate, i = name, 2
    while candidate in taken:
        candidate = f"{name} ({i})"
        i += 1
    return candidate


def squad_metrics(result) -> dict:
    """One comparison column: status, objective, bound, points per rule, per athlete,
    gym days full, solve time."""
    col: dict = {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
    }
    if result.solved:
        for key, points in result.penalties.items():
            col[f"points: {key}"] = points
        for name, r in zip(result.squad.names, result.results):
            col[f"athlete: {name}"] = r.objective
        use = result.gym_use()
        limited = use[use["capacity"].notna()]
        col["gym days full"] = int((limited["free"] == 0).sum())
    else:
        conflict = getattr(result.explanation, "conflict", None) or []
        col["conflict"] = "; ".join(result.explanation.member(m) for m in conflict)
    col["solve time (s)"] = round(result.wall_time, 2)
    return col
