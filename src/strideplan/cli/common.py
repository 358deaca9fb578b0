"""What every command shares: the console, the errors and exit codes, the options,
the pipeline behind a spinner, writing files and the summary. Only click loads at import:
`strideplan --help` must stay instant (issue 10); rich, pydantic, yaml and the scenario
models load when a command needs them."""

from __future__ import annotations

import errno
import math
import os
import sys
import textwrap
import time
from pathlib import Path

import click

from ..safe_text import clean


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


class Group(click.Group):
    """The command group: a solver-side bug becomes :class:`Bug` in every command."""

    def invoke(self, ctx: click.Context):
        use_format("rich")  # until a command's --format says otherwise
        try:
            return super().invoke(ctx)
        except RuntimeError as exc:
            model = sys.modules.get("strideplan.model")  # loaded only if a solve ran
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


def time_limit_option(help_text: str):
    return click.option("--time-limit", type=TimeLimit(), default=None, help=help_text)


def output_target(
    out: str | None,
    default: Path,
    inputs=(),
    beside: tuple[str, ...] = (),
    what: str = "the workbook",
) -> Path:
    """The workbook path of ``-o`` (or the default), refused before solving when it
    names a directory, a device or a FIFO, sits in a folder that does not exist, or is
    one of the command's own inputs (through a symlink or another spelling: issue 20).
    ``beside``: suffixes of files written next to it (``--ics``), which must be other
    files than the workbook and the inputs; ``what`` the file in the messages."""
    target = Path(out) if out else default
    refuse_over_inputs(target, inputs, what)
    for suffix in beside:
        other = target.with_suffix(suffix)
        if other == target:
            raise BadInput(
                f"{target}: the workbook and its {suffix} calendar would be one file; "
                "expected a workbook path ending in .xlsx"
            )
        refuse_over_inputs(other, inputs)
    if (target.exists() or target.is_symlink()) and not target.is_file():
        raise BadInput(
            f"{target}: cannot write {what}: not a regular file (a directory, "
            "device or FIFO); expected a new path or an existing file"
        )
    if out and not target.parent.is_dir():
        raise BadInput(f"{target}: cannot write {what}: folder {target.parent} does not exist")
    return target


def refuse_over_inputs(target: Path, inputs=(), what: str = "the workbook") -> None:
    """Bad input when ``target`` names one of ``inputs`` (through a symlink or another
    spelling): a command never writes over what it reads (issue 20)."""
    for source in inputs:
        if source and _same_file(target, Path(source)):
            raise BadInput(
                f"{target}: cannot write {what} over {source}, an input or another "
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


def load_scenario(path: str, sets: tuple[str, ...], extra: dict | None = None):
    """Load a scenario with --set overrides (and optional variant overrides)."""
    from ..scenario import ScenarioError, load_raw, parse_assignments, with_overrides

    try:
        data, tree = load_raw(path)
        overrides = parse_assignments(sets)
        overrides.update(extra or {})
        return with_overrides(data, overrides, path, tree), data, tree
    except ScenarioError as exc:
        raise BadInput("\n".join(exc.problems)) from None


def is_squad_path(path: str) -> bool:
    """Whether SCENARIO is a squad file (it has ``athletes:``); squad code loads lazily,
    only for a squad (its modules cost a plain solve ~45 ms to import)."""
    from ..scenario import ScenarioError, is_squad, load_raw

    try:
        return is_squad(load_raw(path)[0])
    except ScenarioError:
        return False  # the plain loader reports it


def output_option(help_text: str):
    """The ``-o/--output`` option of the commands that write a file."""
    return click.option("-o", "--output", "out", type=click.Path(dir_okay=False), help=help_text)


def format_option():
    """``--format``: rich tables for people (fitted to the terminal), plain lines for
    pipes and grep, JSON for scripts (stdout then holds the JSON document only)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["rich", "plain", "json"]),
        default="rich",
        show_default=True,
        help="Output: rich tables, plain lines, or one JSON document.",
        callback=lambda _ctx, _param, value: use_format(value) or value,
    )


def use_format(fmt: str) -> None:
    """Rich output wraps at words to the width; plain and JSON keep lines whole."""
    console.wrap = err_console.wrap = fmt == "rich"


def busy(fmt: str, message: str):
    """A spinner while something runs, except where stdout must stay JSON or plain."""
    from contextlib import nullcontext

    return console.status(message) if fmt == "rich" else nullcontext()


def set_option(help_text: str):
    """The ``--set KEY=VALUE`` option every command that reads a scenario takes."""
    return click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=help_text)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="strideplan")
def cli() -> None:
    """strideplan: place strength, power and mobility around a runner's week.

    \b
    Example:
      strideplan solve scenarios/10k_build.yaml
      strideplan check scenarios/10k_build.yaml output/10k_build.xlsx
    """


#: workbooks this run has put in place (so an interrupt afterwards says so)
written_files: list[Path] = []


def write_file(target: Path, writer, *args) -> None:
    """Run a workbook writer; a path that cannot be written is bad input (exit 2)."""
    try:
        writer(*args)
    except OSError as exc:
        raise BadInput(f"{target}: cannot write the workbook ({exc.strerror or exc})") from None
    written_files.append(target)


def print_warnings(result) -> None:
    """What the plan could not do, first (SPEC v2: a plan says so)."""
    for warning in result.warnings or []:
        console.print(f"[bold yellow]warning:[/] {escape(str(warning))}")


def print_summary(result, fmt: str = "rich", verbose: bool = False) -> None:
    """Warnings first, then the answer and what the plan holds (SPEC v3: short by
    default); with ``verbose`` (always in plain format) the light weeks' notes and the
    points per rule (a table that fits the terminal, else plain lines); the hard rules
    that bind when they were looked for (``--why``)."""
    from ..terminal import (
        answer_line,
        binding_lines,
        detail_line,
        holds_line,
        note_lines,
        points_lines,
        points_table,
        rule_rows,
    )

    print_warnings(result)
    print_wrapped([answer_line(result), holds_line(result)])
    if verbose or fmt == "plain":
        console.print(detail_line(result), markup=False)
        print_wrapped(note_lines(result))
        rows = rule_rows(result)
        table = points_table(rows, result.objective, console.width) if fmt == "rich" else None
        if table is not None:
            console.print(table)
        else:
            for line in points_lines(rows, result.objective):
                console.print(line, markup=False)
    for line in binding_lines(result):
        console.print(line, markup=False)


def print_wrapped(lines: list[str]) -> None:
    """Lines wrapped at words to the terminal's width, the rest of each indented."""
    for line in lines:
        for part in textwrap.wrap(
            line, console.width, subsequent_indent="    ", break_long_words=False
        ):
            console.print(part, markup=False, soft_wrap=True)


def report(scenario, fmt: str, label: str | None = None, writing: str = "", **kwargs):
    """:func:`strideplan.app.plan_and_report` behind a spinner (on a terminal) that shows
    the solver's progress, then ``writing`` while ``kwargs["write"]`` runs; a plan the
    checker refuses is a bug (exit 3)."""
    from ..app import PlanBreaksRulesError, plan_and_report

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


def print_infeasible(result) -> None:
    console.print(
        f"[bold]{escape(result.scenario.name)}[/]: [red]infeasible[/] — no plan satisfies "
        f"every hard rule ({result.wall_time:.2f} s). No workbook written."
    )
    if result.explanation is not None and result.explanation.conflict == []:
        console.print("The conflict could not be narrowed down within the time limit.")
    if result.explanation is not None:
        for line in result.explanation.lines(result.scenario):
            console.print(line, markup=False)


def finish(fmt: str, as_json, summary, written: list[str]) -> None:
    """The end of a command that wrote files: one JSON document (``as_json()``), or the
    summary (``summary()``) and a line per file written."""
    if fmt == "json":
        echo_json(as_json())
        return
    summary()
    for path in written:
        console.print(f"wrote [bold]{escape(path)}[/]", soft_wrap=True)  # a path whole


def result_json(result, written):
    from ..terminal import result_json as as_json

    return as_json(result, written)


def echo_json(data) -> None:
    """One JSON document on stdout (text cleaned of control characters as everywhere)."""
    from ..terminal import dumps

    click.echo(clean(dumps(data)))


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


def write_ics(plan: Path, out: Path | None = None, start_time=None, tz=None) -> Path:
    """The plan workbook as an .ics beside it (or at ``out``), written atomically."""
    from ..excel import PlanFileError, atomic_path
    from ..living.ics import IcsError, ics_bytes, read_plan

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
