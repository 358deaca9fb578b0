"""The ``strideplan`` command line: a thin click layer over the library."""

from __future__ import annotations

import errno
import json
import math
import os
import sys
import textwrap
import time
from pathlib import Path

import click

# Only click loads at import: `strideplan --help` must stay instant (issue 10). rich,
# pydantic, yaml and the scenario models load when a command needs them.
from .safe_text import CONTROL as _CONTROL
from .safe_text import clean


def escape(text: str) -> str:
    """rich's markup escape (rich loads on first use)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class _LazyConsole:
    """A rich Console made on first use that cleans every string it prints (rich passes
    ESC through); it writes to whatever sys.stdout / sys.stderr is at that moment."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console = None
        self._made_for: tuple = ()

    def real(self):
        """The Console for the current stream and width (made anew when either changes:
        tests swap sys.stdout and COLUMNS between commands)."""
        stream = sys.stderr if self._stderr else sys.stdout
        made_for = (id(stream), os.environ.get("COLUMNS"))
        if self._console is None or made_for != self._made_for:
            from rich.console import Console

            class _Console(Console):
                def print(self, *objects, **kwargs) -> None:
                    cleaned = (clean(o) if isinstance(o, str) else o for o in objects)
                    super().print(*cleaned, **kwargs)

            made = _Console(stderr=self._stderr, highlight=False)
            self._console, self._made_for = made, made_for
        # on a terminal, rich output wraps long lines at words to its width; a pipe, and
        # plain or JSON output, get each line whole (tables still fit COLUMNS or 80)
        self._console.soft_wrap = not (self.wrap and self._console.is_terminal)
        return self._console

    #: whether text wraps at the console's width (``--format rich``)
    wrap = True

    def __getattr__(self, name: str):
        return getattr(self.real(), name)


console = _LazyConsole()
err_console = _LazyConsole(stderr=True)

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
MAX_SEED = 2**31 - 1
MAX_TIME_LIMIT = 3600.0


class BadInput(click.ClickException):
    """Bad input: message on stderr, exit code 2, no traceback."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:
        err_console.print(f"[bold red]error:[/] {escape(self.message)}", soft_wrap=True)


class Bug(click.ClickException):
    """A bug in strideplan (an invalid model, a plan that breaks a hard rule): one line on
    stderr, exit code 3, nothing written."""

    exit_code = EXIT_INTERNAL

    def show(self, file=None) -> None:
        err_console.print(
            f"internal error: {' '.join(self.message.split())} (a bug in strideplan, not in "
            "your scenario; nothing was written; please report it)",
            markup=False,
            soft_wrap=True,
        )


class _Group(click.Group):
    """The command group: a solver-side bug becomes :class:`Bug` in every command."""

    def invoke(self, ctx: click.Context):
        _use_format("rich")  # until a command's --format says otherwise
        try:
            return super().invoke(ctx)
        except RuntimeError as exc:
            model = sys.modules.get(f"{__package__}.model")  # loaded only if a solve ran
            if model is not None and isinstance(exc, model.ModelInvalidError):
                raise Bug(str(exc)) from None
            raise
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
            # a path the system cannot hold: the user's to shorten (issue 20)
            raise BadInput(
                f"{exc.filename or 'a path'}: the name is too long for this system (at most "
                f"{_name_max()} bytes a name); expected a shorter path"
            ) from None


def _name_max() -> int:
    try:
        return os.pathconf(".", "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


class TimeLimit(click.FloatRange):
    """Seconds in (0, 3600]; nan and inf are refused (click's FloatRange lets nan by)."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0, max=MAX_TIME_LIMIT, min_open=True)

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return number


def _time_limit_option(help_text: str):
    return click.option("--time-limit", type=TimeLimit(), default=None, help=help_text)


def _output_target(out: str | None, default: Path, inputs=()) -> Path:
    """The workbook path of ``-o`` (or the default), refused before solving when it
    names a directory, a device or a FIFO, sits in a folder that does not exist, or is
    one of the command's own inputs (through a symlink or another spelling: issue 20)."""
    target = Path(out) if out else default
    refuse_over_inputs(target, inputs)
    if (target.exists() or target.is_symlink()) and not target.is_file():
        raise BadInput(
            f"{target}: cannot write the workbook: not a regular file (a directory, "
            "device or FIFO); expected a new path or an existing workbook"
        )
    if out and not target.parent.is_dir():
        raise BadInput(
            f"{target}: cannot write the workbook: folder {target.parent} does not exist"
        )
    return target


def refuse_over_inputs(target: Path, inputs=()) -> None:
    """Bad input when ``target`` names one of ``inputs`` (through a symlink or another
    spelling): a command never writes over what it reads (issue 20)."""
    for source in inputs:
        if source and _same_file(target, Path(source)):
            raise BadInput(
                f"{target}: cannot write the workbook over {source}, an input or another "
                "output of this command; expected another -o path"
            )


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (resolved through symlinks and spellings)."""
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _load(path: str, sets: tuple[str, ...], extra: dict | None = None):
    """Load a scenario with --set overrides (and optional variant overrides)."""
    from .scenario import ScenarioError, load_raw, parse_assignments, with_overrides

    try:
        data, tree = load_raw(path)
        overrides = parse_assignments(sets)
        overrides.update(extra or {})
        return with_overrides(data, overrides, path, tree), data, tree
    except ScenarioError as exc:
        raise BadInput("\n".join(exc.problems)) from None


def _squad(path: str) -> bool:
    """Whether SCENARIO is a squad file (it has ``athletes:``); squad code loads lazily,
    only for a squad (its modules cost a plain solve ~45 ms to import)."""
    from .scenario import ScenarioError, load_raw

    try:
        data = load_raw(path)[0]
    except ScenarioError:
        return False  # the plain loader reports it
    return isinstance(data, dict) and "athletes" in data  # as squad_scenario.is_squad


def _output_option(help_text: str):
    """The ``-o/--output`` option of the commands that write a file."""
    return click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help=help_text)


def _format_option():
    """``--format``: rich tables for people (fitted to the terminal), plain lines for
    pipes and grep, JSON for scripts (stdout then holds the JSON document only)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["rich", "plain", "json"]),
        default="rich",
        show_default=True,
        help="Output: rich tables, plain lines, or one JSON document.",
        callback=lambda _ctx, _param, value: _use_format(value) or value,
    )


def _use_format(fmt: str) -> None:
    """Rich output wraps at words to the width; plain and JSON keep lines whole."""
    console.wrap = err_console.wrap = fmt == "rich"


def _busy(fmt: str, message: str):
    """A spinner while something runs, except where stdout must stay JSON or plain."""
    from contextlib import nullcontext

    return console.status(message) if fmt == "rich" else nullcontext()


def _set_option(help_text: str):
    """The ``--set KEY=VALUE`` option every command that reads a scenario takes."""
    return click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=help_text)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="strideplan")
def cli() -> None:
    """strideplan: place strength, power and mobility around a runner's week.

    \b
    Example:
      strideplan solve scenarios/10k_build.yaml
      strideplan check scenarios/10k_build.yaml output/10k_build.xlsx
    """


#: workbooks this run has put in place (so an interrupt afterwards says so)
_written: list[Path] = []


def _write(target: Path, writer, *args) -> None:
    """Run a workbook writer; a path that cannot be written is bad input (exit 2)."""
    try:
        writer(*args)
    except OSError as exc:
        raise BadInput(f"{target}: cannot write the workbook ({exc.strerror or exc})") from None
    _written.append(target)


def _print_warnings(result) -> None:
    """What the plan could not do, first (SPEC v2: a plan says so)."""
    for warning in result.warnings or []:
        console.print(f"[bold yellow]warning:[/] {escape(str(warning))}")


def _print_summary(result, fmt: str = "rich", verbose: bool = False) -> None:
    """Warnings first, then the answer and what the plan holds (SPEC v3: short by
    default); with ``verbose`` (always in plain format) the light weeks' notes and the
    points per rule (a table that fits the terminal, else plain lines); the hard rules
    that bind when they were looked for (``--why``)."""
    from .terminal import (
        answer_line,
        binding_lines,
        detail_line,
        holds_line,
        note_lines,
        points_lines,
        points_table,
        rule_rows,
    )

    _print_warnings(result)
    _print_wrapped([answer_line(result), holds_line(result)])
    if verbose or fmt == "plain":
        console.print(detail_line(result), markup=False)
        _print_wrapped(note_lines(result))
        rows = rule_rows(result)
        table = points_table(rows, result.objective, console.width) if fmt == "rich" else None
        if table is not None:
            console.print(table)
        else:
            for line in points_lines(rows, result.objective):
                console.print(line, markup=False)
    for line in binding_lines(result):
        console.print(line, markup=False)


def _print_wrapped(lines: list[str]) -> None:
    """Lines wrapped at words to the terminal's width, the rest of each indented."""
    for line in lines:
        for part in textwrap.wrap(
            line, console.width, subsequent_indent="    ", break_long_words=False
        ):
            console.print(part, markup=False, soft_wrap=True)


def _report(scenario, fmt: str, label: str | None = None, writing: str = "", **kwargs):
    """:func:`strideplan.app.plan_and_report` behind a spinner (on a terminal) that shows
    the solver's progress, then ``writing`` while ``kwargs["write"]`` runs; a plan the
    checker refuses is a bug (exit 3)."""
    from .app import PlanBreaksRulesError, plan_and_report

    write = kwargs.pop("write", None)
    label = label or scenario.name
    try:
        if fmt != "rich":
            return plan_and_report(scenario, write=write, **kwargs)
        shown = {"last": 0.0}
        start = time.perf_counter()
        with console.status("[bold]solving…", spinner="dots") as status:

            def progress(elapsed: float, objective, bound) -> None:
                if time.perf_counter() - start > 1.0 and elapsed - shown["last"] > 0.2:
                    shown["last"] = elapsed
                    status.update(
                        f"[bold]solving…[/] {elapsed:.1f} s, best {objective:.0f}, "
                        f"bound {bound:.0f}"
                    )

            def write_shown(result, analysed) -> None:
                status.update(f"[bold]{writing or 'writing the workbook'}…")
                write(result, analysed)

            return plan_and_report(
                scenario, progress=progress, write=write and write_shown, **kwargs
            )
    except PlanBreaksRulesError as exc:
        raise Bug(f"{label}: {exc}") from None


def _print_infeasible(result) -> None:
    console.print(
        f"[bold]{escape(result.scenario.name)}[/]: [red]infeasible[/] — no plan satisfies "
        f"every hard rule ({result.wall_time:.2f} s). No workbook written."
    )
    if result.explanation is not None and result.explanation.conflict == []:
        console.print("The conflict could not be narrowed down within the time limit.")
    if result.explanation is not None:
        for line in result.explanation.lines(result.scenario):
            console.print(line, markup=False)


@cli.command(short_help="Solve a scenario (or a squad) into a plan workbook.")
@click.argument("scenario", type=click.Path(dir_okay=False))
@_output_option("Workbook to write (default output/<scenario stem>.xlsx).")
@_set_option("Override a scenario key, e.g. rules.strength_per_week=3 (repeatable).")
@_time_limit_option("Solver time limit in seconds, at most 3600 (default: solver.time_limit).")
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
@_format_option()
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
    from .excel import write_workbook

    if _squad(scenario):
        from .squad_cli import solve_command

        return solve_command(scenario, out, sets, time_limit, seed, split, fmt)
    if split is not None:
        raise BadInput(f"--split {split}: only a squad file (with athletes:) splits into plans")
    sc, _, _ = _load(scenario, sets)
    target = _output_target(out, Path("output") / f"{Path(scenario).stem}.xlsx", (scenario,))
    # what the plan could not do and the rules that bind are CP-SAT solves (outside the
    # GIL): found while the sheets that do not show them are written, and the workbook
    # is written before anything is printed (a closed pipe must not cost it)
    result = _report(
        sc,
        fmt,
        time_limit=time_limit,
        seed=seed,
        why=why,
        write=lambda res, analysed: _write(target, write_workbook, res, target, [], None, analysed),
        writing="finding the targets dropped"
        + (" and the rules that bind" if why else "")
        + "; writing the workbook",
    )
    if not result.solved:
        if fmt == "json":
            _echo_json(result_json(result, []))
        elif result.status == "unknown":
            console.print(
                f"[bold]{escape(sc.name)}[/]: no plan found within the time limit "
                f"({result.wall_time:.1f} s); try --time-limit. No workbook written."
            )
        else:
            _print_infeasible(result)
        sys.exit(EXIT_INFEASIBLE)
    calendar_file = _write_ics(target) if with_ics else None
    written = [str(p) for p in (target, calendar_file) if p is not None]
    _finish(
        fmt,
        lambda: result_json(result, written),
        lambda: _print_summary(result, fmt, verbose),
        written,
    )


def _finish(fmt: str, as_json, summary, written: list[str]) -> None:
    """The end of a command that wrote files: one JSON document (``as_json()``), or the
    summary (``summary()``) and a line per file written."""
    if fmt == "json":
        _echo_json(as_json())
        return
    summary()
    for path in written:
        console.print(f"wrote [bold]{escape(path)}[/]", soft_wrap=True)  # a path whole


def result_json(result, written):
    from .terminal import result_json as as_json

    return as_json(result, written)


def replan_json(replanned, today, written=None):
    from .terminal import replan_json as as_json

    return as_json(replanned, today, written)


def _echo_json(data) -> None:
    """One JSON document on stdout (text cleaned of control characters as everywhere)."""
    from .terminal import dumps

    click.echo(clean(dumps(data)))


def _write_ics(plan: Path, out: Path | None = None, start_time=None, tz=None) -> Path:
    """The plan workbook as an .ics beside it (or at ``out``), written atomically."""
    from .excel import PlanFileError, atomic_path
    from .ics import IcsError, ics_bytes, read_plan

    target = out or plan.with_suffix(".ics")
    try:
        data = ics_bytes(read_plan(plan), start_time, tz)
    except (PlanFileError, IcsError) as exc:
        raise BadInput(str(exc)) from None
    try:
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise BadInput(f"{target}: cannot write the calendar ({exc.strerror or exc})") from None
    return target


@cli.command(short_help="A plan workbook as an iCalendar (.ics) file.")
@click.argument("plan", type=click.Path(dir_okay=False))
@_output_option("Calendar file to write (default: the plan's name with .ics).")
@click.option("--start-time", metavar="HH:MM", help="Time the day's first session starts.")
@click.option(
    "--tz", metavar="ZONE", help="IANA time zone for --start-time (default: the machine's)."
)
def ics(plan: str, out: str | None, start_time: str | None, tz: str | None) -> None:
    """Write PLAN.xlsx (hand edits included) as an iCalendar (.ics) file.

    \b
    One event per run, strength or power session, its prescription in the description;
    all-day, or timed from --start-time. A session moved within its week keeps its UID,
    so a re-import updates it. Exit codes: 0 written, 2 bad input.
    Example:
      strideplan ics output/10k_build.xlsx --start-time 07:00 --tz Europe/London
    """
    from .ics import IcsError, parse_start_time, zone

    try:
        begin = parse_start_time(start_time) if start_time else None
        if tz:
            zone(tz)
    except IcsError as exc:
        raise BadInput(str(exc)) from None
    plan_path = Path(plan)
    if not plan_path.is_file():
        raise BadInput(f"{plan}: file not found")
    default = plan_path.with_suffix(".ics")
    target = _output_target(out, default, (plan_path,)) if out else default
    written = _write_ics(plan_path, target, begin, tz)
    console.print(f"wrote [bold]{escape(str(written))}[/]")


@cli.command(short_help="A plan as structured workouts for the watch.")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the workout files and schedule.csv.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["fit", "text"]),
    default="fit",
    show_default=True,
    help="FIT workout files, or intervals.icu's plain workout text.",
)
@click.option(
    "--from",
    "first",
    metavar="YYYY-MM-DD",
    help="Only sessions from this day (default: a re-planned workbook's first re-planned "
    "day, else the whole plan).",
)
def workouts(plan: str, out: str, fmt: str, first: str | None) -> None:
    """Write PLAN.xlsx (hand edits included) as one structured workout per session.

    \b
    Runs: the warm-up, the work (intervals as repeats) and the cool-down stretch;
    strength and power: each exercise a step of its reps or seconds, repeated for its
    sets, rest between sets. schedule.csv names each workout's date. File names are
    stable ids (plan, week, session, occurrence), so a re-plan's workouts replace the
    old ones. A re-planned workbook gives the days from its first re-planned day on.
    Exit codes: 0 written, 2 bad input.
    Example:
      strideplan workouts output/10k_build.xlsx -o output/watch
    """
    from .excel import PlanFileError
    from .ics import read_plan
    from .workouts import write_workouts

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"-o {out}: not a folder; expected a folder for the workouts")
    refuse_over_inputs(folder, (plan,))
    from datetime import date as Date

    from .plan import replanned_from

    try:
        sheets = read_plan(plan)
    except PlanFileError as exc:
        raise BadInput(str(exc)) from None
    try:
        since = Date.fromisoformat(first) if first else replanned_from(sheets.sessions)
    except ValueError:
        raise BadInput(f"--from {first!r}: expected a date YYYY-MM-DD") from None
    try:
        written = write_workouts(sheets, folder, fmt, since)
    except OSError as exc:
        raise BadInput(f"{folder}: cannot write the workouts ({exc.strerror or exc})") from None
    days = f" from {since}" if since else ""
    console.print(
        f"wrote {len(written) - 1} workout(s){days} and [bold]{escape(str(written[-1]))}[/]",
        soft_wrap=True,
    )


@cli.command(short_help="Re-plan from --today with what actually happened.")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@click.argument("more", nargs=-1, type=click.Path(), metavar="")
@click.option("--today", required=True, metavar="YYYY-MM-DD", help="The first day to re-plan.")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    help="CSV of what happened: date, session, status[, minutes, rpe] (wins over the status "
    "column and --activities).",
)
@click.option(
    "--activities",
    "activity_paths",
    multiple=True,
    type=click.Path(),
    help="What the watch recorded: FIT files (.fit, .fit.gz), a Strava activities.csv or a "
    "Garmin Connect CSV, or folders of them (repeatable).",
)
@_output_option("New workbook (default: <plan>-replan.xlsx beside the plan).")
@_set_option("Override a scenario key (repeatable).")
@_time_limit_option("Solver time limit in seconds, at most 3600 (default: solver.time_limit).")
@click.option(
    "--ics", "with_ics", is_flag=True, help="Also write the new plan as an .ics beside it."
)
@_format_option()
def replan(
    scenario, plan, more, today, log_path, activity_paths, out, sets, time_limit, with_ics, fmt
) -> None:
    """Re-plan PLAN.xlsx from --today with what actually happened.

    \b
    What happened comes from the Sessions sheet's status column (done, missed,
    'moved YYYY-MM-DD', empty = as planned), the watch's --activities and --log; where
    they speak of one session, --log wins over --activities, which win over the status
    column. The past stays as it was; the future changes as little as the rules need,
    and every change says why; after real runs no run spikes past 110 % of the longest
    of the 30 days before.
    Exit codes: 0 new plan written, 1 no plan from today, 2 bad input.
    Example:
      strideplan replan scenarios/10k_build.yaml output/10k_build.xlsx --today 2027-01-25
      strideplan replan scenarios/10k_build.yaml output/10k_build.xlsx --today 2027-01-25 --format json
    """
    from datetime import date as Date

    from .app import PlanBreaksRulesError
    from .excel import PlanFileError, write_workbook
    from .replan import LogError, read_log, read_published
    from .replan import replan as run_replan

    if more and not activity_paths:
        raise BadInput(f"unexpected argument {more[0]!r}; expected SCENARIO PLAN and options")
    activity_paths = (*activity_paths, *more)  # --activities A B C: every path after it
    sc, _, _ = _load(scenario, sets)
    try:
        first = Date.fromisoformat(today)
    except ValueError:
        raise BadInput(f"--today {today!r}: expected a date YYYY-MM-DD") from None
    plan_path = Path(plan)
    target = _output_target(
        out,
        plan_path.with_name(f"{plan_path.stem}-replan.xlsx"),
        (scenario, plan_path, log_path, *activity_paths),
    )
    from .activities import ActivityError, match_activities, read_activities

    try:
        published = read_published(plan_path)
        from .calendar import Calendar

        log = read_log(log_path, Calendar(sc), first) if log_path else None
        matches = None
        if activity_paths:
            with _busy(fmt, "[bold]reading the activities…"):
                recorded = read_activities(activity_paths, (sc.start, first))
                matches = match_activities(recorded, published, first)
        with _busy(fmt, "[bold]re-planning…"):
            result = run_replan(
                sc, published, first, log, matches=matches, source=plan, time_limit=time_limit
            )
    except (PlanFileError, LogError, ActivityError) as exc:
        raise BadInput(str(exc)) from None
    except PlanBreaksRulesError as exc:
        raise Bug(f"{sc.name}: the re-plan from {first}: {exc}") from None
    new = result.result
    if not new.solved:
        lines = new.explanation.lines(sc) if new.explanation is not None else []
        if fmt == "json":
            _echo_json({**replan_json(result, first), "explanation": lines})
            sys.exit(EXIT_INFEASIBLE)
        console.print(
            f"[bold]{escape(sc.name)}[/]: [red]no plan from {first}[/] keeps every hard rule "
            "with what happened. No workbook written."
        )
        for line in lines:
            console.print(line, markup=False)
        sys.exit(EXIT_INFEASIBLE)
    _write(target, write_workbook, new, target, (), result.sheet_changes)
    calendar_file = _write_ics(target) if with_ics else None
    written = [str(p) for p in (target, calendar_file) if p is not None]

    def summary() -> None:
        _print_changes(result, first)
        _print_summary(new, fmt)

    _finish(fmt, lambda: replan_json(result, first, written), summary, written)


def _print_changes(replanned, first) -> None:
    """The changes first, then the facts of the past (SPEC: the summary starts there)."""
    changes = replanned.changes
    if replanned.read:
        days = len({m.date for m in replanned.read})
        console.print(
            f"From the watch: {len(replanned.read)} activities on {days} days", markup=False
        )
        for match in replanned.read:
            console.print(f"  {match}", markup=False, soft_wrap=True)
    if replanned.activity_wins:
        console.print(
            f"the activities override the status column for {replanned.activity_wins} session(s)",
            markup=False,
        )
    if replanned.log_wins:
        console.print(
            f"the log overrides the status column for {replanned.log_wins} session(s)",
            markup=False,
        )
    for capped in replanned.capped:
        console.print(f"  capped: {capped}", markup=False, soft_wrap=True)
    made = changes[changes["change"] != "missed"]
    missed = changes[changes["change"] == "missed"]
    console.print(
        f"Changes from {first}: {len(made)} ({len(missed)} missed session(s) before it)",
        markup=False,
    )
    for row in changes.itertuples(index=False):
        console.print(
            f"  {row.date:%a %Y-%m-%d}  {row.session}: {row.change} — {row.rule}", markup=False
        )
    for fact in replanned.past_facts:
        console.print(f"  a fact of the past: {fact}", markup=False)


@cli.command(short_help="Check a plan workbook against the hard rules.")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@_set_option("Override a scenario key before checking (repeatable).")
@_format_option()
def check(scenario: str, plan: str, sets: tuple[str, ...], fmt: str) -> None:
    """Check PLAN.xlsx (maybe edited by hand) against SCENARIO's hard rules, without the solver.

    \b
    Exit codes: 0 no hard violation, 1 violations (each listed with date and rule), 2 bad input.
    Example:
      strideplan check scenarios/10k_build.yaml output/10k_build.xlsx
    """
    from .calendar import Calendar
    from .check import PlanOutsideError, calendar_disagreements, check_plan, filled
    from .excel import PlanFileError, read_sessions_and_calendar
    from .plan import replanned_from

    if _squad(scenario):
        raise BadInput(
            f"{scenario}: a squad file; check one athlete's plan (solve --split) against "
            f"the scenario `strideplan squad-athlete {scenario} NAME` prints"
        )
    sc, _, _ = _load(scenario, sets)
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
        _echo_json(
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
@_set_option("Override applied to every variant (repeatable).")
@_output_option("Comparison workbook (default output/<first stem>-compare.xlsx).")
@_time_limit_option("Solver time limit per variant in seconds, at most 3600.")
@_format_option()
def compare(scenarios: tuple[str, ...], variants, sweeps, sets, out, time_limit, fmt) -> None:
    """Solve several scenarios or variants and compare them side by side.

    \b
    Without --variant/--sweep, one scenario is compared with its own `variants:`.
    Exit codes: 0 all solved, 1 any infeasible (the others still reported), 2 bad input.
    Example:
      strideplan compare scenarios/10k_build.yaml --variant 'more power: rules.power_per_week=2'
      strideplan compare scenarios/10k_build.yaml --sweep rules.back_to_back_hard=0,10,30
    """
    from . import compare as cmp
    from .excel import write_comparison
    from .scenario import ScenarioError, parse_assignments

    if _squad(scenarios[0]):
        from .squad_cli import compare_command

        return compare_command(scenarios, variants, sweeps, sets, out, time_limit, fmt)

    try:
        overrides = parse_assignments(sets)
        chosen = cmp.build_variants(list(scenarios), overrides, list(variants), list(sweeps))
    except ScenarioError as exc:
        raise BadInput("\n".join(exc.problems)) from None
    for variant in chosen:  # names become sheet names and column headers
        if _CONTROL.search(variant.name):
            raise BadInput(
                f"variant {clean(variant.name)!r}: control characters are not allowed in a name"
            )
    if len(chosen) < 2 and fmt != "json":
        console.print(
            "only one plan to compare: add --variant, --sweep, a `variants:` "
            "section or more scenario files"
        )
    target = _output_target(
        out, Path("output") / f"{Path(scenarios[0]).stem}-compare.xlsx", scenarios
    )
    names = [v.name for v in chosen]
    results = _solve_variants(chosen, time_limit, fmt)
    table = cmp.metrics(results, names)
    diffs = cmp.differences(results, names)
    note = cmp.alignment_note(results)
    _write(target, write_comparison, results, names, table, diffs, target, note)
    if fmt == "json":
        from .terminal import comparison_json

        data = comparison_json(table, diffs, names, results, [str(target)])
        _echo_json({**data, "alignment": note} if note else data)
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
    from .app import PlanBreaksRulesError, report_all

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


def progress_bar(*counts):
    """A transient 'solving' bar with ``counts`` columns and the time elapsed (compare,
    batch)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]solving"),
        BarColumn(),
        *counts,
        TimeElapsedColumn(),
        console=console.real(),
        transient=True,
    )


def _print_view(legend: list[str], view, lines: list[str]) -> None:
    for line in legend + lines:
        console.print(line, markup=False)
    if view is not None:
        console.print(view)


def _print_metrics(table, fmt: str = "rich") -> None:
    from .terminal import metrics_view

    _print_view(*metrics_view(table, console.width if fmt == "rich" else None))


def _print_differences(diffs, names, fmt: str = "rich") -> None:
    from .terminal import differences_view

    if diffs.empty:
        console.print("All solved variants give the same sessions on every day.")
        return
    console.print(f"{len(diffs)} day(s) differ between variants; first ones:")
    _print_view(*differences_view(diffs, names, console.width if fmt == "rich" else None))


@cli.command(short_help="Why this plan, or why no plan (writes nothing).")
@click.argument("scenario", type=click.Path(dir_okay=False))
@_set_option("Override a scenario key (repeatable).")
@_time_limit_option("Solver time limit in seconds, at most 3600.")
@_format_option()
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
    from .explain import score_lines

    if _squad(scenario):
        from .squad_cli import explain_command

        return explain_command(scenario, sets, time_limit)
    sc, _, _ = _load(scenario, sets)
    result = _report(
        sc,
        fmt,
        time_limit=time_limit,
        why=True,
        write=lambda _res, analysed: analysed(),
        writing="finding the binding hard rules",
    )
    if not result.solved:
        if fmt == "json":
            _echo_json(result_json(result, None))
        else:
            _print_infeasible(result)
        sys.exit(EXIT_INFEASIBLE)
    if fmt == "json":
        _echo_json(result_json(result, None))
        return
    _print_warnings(result)
    for line in score_lines(result, result.bindings):
        console.print(line, markup=False)


def _plan_score(sc, table) -> dict:
    """The soft-rule points of a checked plan and the optimum for the same scenario:
    ``score``, ``optimum`` (None if none was found) and ``points`` per rule; empty when
    the plan cannot be scored."""
    from .calendar import Calendar
    from .model import score_plan, solve
    from .plan import PlanView, placed_sessions

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


@cli.command(short_help="Solve many scenario files in parallel on Dask.")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the plans and batch.xlsx.",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="An existing Dask scheduler, e.g. tcp://HOST:8786."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=256),
    default=None,
    help="Worker processes of the local cluster (default: every core).",
)
@_time_limit_option("Solver time limit per file in seconds, at most 3600.")
def batch(paths: tuple[str, ...], out: str, scheduler, workers, time_limit) -> None:
    """Solve many scenario files (files, folders, globs) in parallel on Dask.

    \b
    Each file is solved on its own (one bad or infeasible file never stops the others)
    on a local cluster of worker processes, or on an existing Dask cluster with
    --scheduler. Prints and writes DIR/batch.xlsx: scenario, status, objective,
    warnings, seconds, output. Exit codes: 2 if any file is bad input, else 1 if any is
    infeasible (or found no plan in time), else 0.
    Example:
      strideplan batch scenarios/ -o output/nightly
      strideplan batch 'club/*.yaml' --scheduler tcp://10.0.0.5:8786
    """
    from .batch_cli import batch_command

    batch_command(paths, out, scheduler, workers, time_limit)


@cli.command("squad-athlete", short_help="Print one athlete of a squad as a plain scenario.")
@click.argument("squad", type=click.Path(dir_okay=False))
@click.argument("name")
@_set_option("Override a squad key first, e.g. gym.capacity.sat=7 (repeatable).")
def squad_athlete(squad: str, name: str, sets: tuple[str, ...]) -> None:
    """Print athlete NAME of SQUAD as a plain scenario (defaults merged, power_days in).

    \b
    Check an athlete's split plan with it:
    Example:
      strideplan squad-athlete scenarios/squads/club_squad.yaml Sam > sam.yaml
      strideplan check sam.yaml output/club/Sam.xlsx
    """
    from .squad_cli import squad_athlete_command

    squad_athlete_command(squad, name, sets)


@cli.command(short_help="Print the JSON Schema of scenario files.")
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and validation).

    \b
    Example:
      strideplan schema > strideplan.schema.json
    """
    from .scenario import scenario_schema

    click.echo(json.dumps(scenario_schema(), indent=2, default=str))


class _PipeSafe:
    """A standard stream whose reader may go away (``| head -1``): the first broken-pipe
    error points the descriptor at /dev/null and later writes are dropped, so the
    command runs to its end and keeps its exit code (click would exit 1, Python 120)."""

    def __init__(self, stream):
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        self._gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _run() -> int:
    """Run the command line; every outcome becomes one of SPEC's exit codes."""
    from .interrupt import Interrupted, stop_on_signals

    _written.clear()
    try:
        with stop_on_signals():
            code = cli(standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except (Interrupted, KeyboardInterrupt, click.exceptions.Abort):
        # after the workbook is in place (while the summary prints) there was nothing
        # left to stop: say so rather than "nothing written"
        done = f" after writing {', '.join(map(str, _written))}" if _written else ""
        err_console.print(f"interrupted{done or '; nothing written'}", markup=False)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else 1)
    except Exception as exc:  # a bug, not bad input (bad input exits 2 with its message)
        if os.environ.get("STRIDEPLAN_DEBUG"):
            raise
        err_console.print(
            f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())} "
            "(a bug in strideplan, not in your scenario; nothing was written; run again "
            "with STRIDEPLAN_DEBUG=1 to see the traceback and please report it)",
            markup=False,
            soft_wrap=True,
        )
        return EXIT_INTERNAL


def main() -> None:
    """Console-script entry point: no traceback reaches the user unless asked for; exit
    0, 1, 2, 3 (a bug) or 130 (interrupted), whatever happens to stdout."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PipeSafe(sys.stdout), _PipeSafe(sys.stderr)
    try:
        code = _run()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        sys.stdout, sys.stderr = streams
    sys.exit(code)


if __name__ == "__main__":
    main()
