"""Many scenario files solved independently, in parallel, on Dask (dask.distributed).

A club or a federation re-solves hundreds of plans overnight: on the machine's cores (a
local cluster of worker processes, one CP-SAT worker each) or on an existing Dask
cluster, given its scheduler's address. Each file is one task that never raises: a bad
file, an infeasible scenario or even a bug is a row of the summary, never the end of the
batch. A squad file (with ``athletes:``) is one task too, solved as one squad model.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

#: file suffixes a folder is searched for
SUFFIXES = (".yaml", ".yml", ".json", ".toml")
#: row statuses that are bad input (exit 2), a bug (exit 3) and no plan (exit 1)
BAD_INPUT, ERROR = "bad input", "error"
NO_PLAN = ("infeasible", "unknown")
#: the summary table's columns (SPEC), then the message that says why
COLUMNS = ("scenario", "status", "objective", "warnings", "seconds", "output", "message")


@dataclass
class Row:
    """One file's outcome in the batch summary."""

    scenario: str
    status: str
    objective: int | None = None
    warnings: int | None = None
    seconds: float = 0.0
    output: str = ""
    message: str = ""


def collect(paths: Iterable[str]) -> tuple[list[Path], list[dict]]:
    """The files to solve (files, folders' scenario files, globs; each once, in order)
    and a bad-input row for each path that names nothing."""
    files: list[Path] = []
    missing: list[dict] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        elif path.exists():
            found = [path]
        elif glob.has_magic(text):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        else:
            found = []
        if not found:
            missing.append(
                asdict(Row(text, BAD_INPUT, message=f"{text}: no scenario file found there"))
            )
        for p in found:
            if p.resolve() not in {f.resolve() for f in files}:
                files.append(p)
    return files, missing


def output_names(files: list[Path], folder: Path) -> list[Path]:
    """A workbook path per file in ``folder``: its stem, made unique where two agree."""
    from .squad.workbook import file_stem

    taken = {"batch"}
    return [folder / f"{file_stem(f.stem, taken)}.xlsx" for f in files]


def solve_file(path: str, output: str, time_limit: float | None = None) -> dict:
    """Solve one file and write its workbook; every outcome is a row (never raises)."""
    start = time.perf_counter()
    row = Row(path, ERROR)
    try:
        _solve_into(row, path, output, time_limit)
    except Exception as exc:  # noqa: BLE001 - a file's failure is its row, not the batch's
        from .scenario import ScenarioError

        if isinstance(exc, ScenarioError):
            row.status, row.message = BAD_INPUT, "\n".join(exc.problems)
        else:
            row.status = ERROR
            row.message = f"internal error: {type(exc).__name__}: {exc}"
    row.seconds = round(time.perf_counter() - start, 2)
    return asdict(row)


def _solve_into(row: Row, path: str, output: str, time_limit: float | None) -> None:
    from .app import plan_and_report
    from .excel import write_workbook
    from .scenario import is_squad, load_raw, with_overrides
    from .squad.scenario import squad_with_overrides

    data, tree = load_raw(path)
    if is_squad(data):
        from .squad.report import report_squad
        from .squad.workbook import write_squad_workbook

        result = report_squad(
            squad_with_overrides(data, {}, path, tree), time_limit=time_limit, workers=1
        )
        row.status, row.objective = result.status, result.objective
        if not result.solved:
            if result.explanation is not None:
                row.message = " ".join(result.explanation.lines()[:2])
            return
        row.warnings = sum(len(r.warnings) for r in result.results)
        write_squad_workbook(result, output)
        row.output = output
        return
    scenario = with_overrides(data, {}, path, tree)
    # the pipeline `solve` runs: an infeasible row says why, as `solve` does
    result = plan_and_report(
        scenario,
        time_limit=time_limit,
        workers=1,
        write=lambda res, analysed: write_workbook(res, output, [], None, analysed),
    )
    row.status, row.objective = result.status, result.objective
    if not result.solved:
        if result.explanation is not None:
            row.message = " ".join(result.explanation.lines(scenario)[:2])
        return
    row.warnings = len(result.warnings)
    row.output = output


class SchedulerError(Exception):
    """The scheduler given cannot be reached."""


#: a Dask scheduler's address: [tcp|tls|ws|wss|ucx://]HOST:PORT (dask's own parsing of a
#: malformed one fails differently from one run to the next: a ValueError, or an
#: AssertionError deep in its comms once a client has run in the process)
SCHEDULER_ADDRESS = re.compile(
    r"(?:(?:tcp|tls|ws|wss|ucx)://)?(?:[^\s:/\[\]]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}/?"
)


def run_batch(
    files: list[Path],
    outputs: list[Path],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
    on_done: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Solve ``files`` on Dask, one task per file; rows in the files' order.

    Without ``scheduler``, a local cluster of ``workers`` processes (default: every
    core), one thread each (each task runs one CP-SAT worker, so tasks never fight for
    cores).
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler:
            if not SCHEDULER_ADDRESS.fullmatch(scheduler):
                raise SchedulerError(
                    f"--scheduler {scheduler}: not a scheduler address; expected tcp://HOST:PORT"
                )
            try:
                client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise SchedulerError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
            except (ValueError, TypeError, AssertionError) as exc:  # what dask makes of it
                raise SchedulerError(
                    f"--scheduler {scheduler}: not a scheduler address ({exc}); expected "
                    "tcp://HOST:PORT"
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        with client:
            futures = client.map(
                solve_file,
                [str(f) for f in files],
                [str(o) for o in outputs],
                time_limit=time_limit,
                pure=False,
            )
            index = {f.key: i for i, f in enumerate(futures)}
            rows: list[dict | None] = [None] * len(files)
            for future in as_completed(futures):
                i = index[future.key]
                try:
                    row = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker loses one file
                    row = asdict(
                        Row(
                            str(files[i]),
                            ERROR,
                            message=f"worker failed: {type(exc).__name__}: {exc}",
                        )
                    )
                rows[i] = row
                if on_done:
                    on_done(row)
            return [r for r in rows if r is not None]
    finally:
        if cluster is not None:
            cluster.close()


def exit_code(rows: list[dict]) -> int:
    """2 if any file is bad input, else 3 if any hit a bug, else 1 if any has no plan."""
    statuses = {r["status"] for r in rows}
    if BAD_INPUT in statuses:
        return 2
    if ERROR in statuses:
        return 3
    if statuses & set(NO_PLAN):
        return 1
    return 0


#: a summary row's fill by status (a plan written: none)
STATUS_FILLS = {
    BAD_INPUT: "#F4CCCC",
    ERROR: "#E06666",
    "infeasible": "#FCE5CD",
    "unknown": "#FCE5CD",
}


def write_summary(rows: list[dict], path: Path) -> Path:
    """``batch.xlsx``: the summary table, one row per file, shaded by status (written
    atomically, text as text)."""
    import pandas as pd

    from .excel import new_book
    from .sheets.tables import table

    summary = pd.DataFrame(rows, columns=list(COLUMNS))
    shading = [STATUS_FILLS.get(status) for status in summary["status"]]
    widths = dict(zip(COLUMNS, (40, 12, 10, 9, 9, 40, 80)))
    with new_book(path, "Batch") as book:
        table(
            book,
            book.sheet("Batch"),
            summary,
            widths,
            wrap=("message",),
            fills={c: shading for c in range(len(COLUMNS))},
        )
    return Path(path)
