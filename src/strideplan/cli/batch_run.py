"""The `batch` command's printing and exit code (the work is in :mod:`strideplan.batch`;
this module loads only when a batch runs)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.markup import escape
from rich.progress import MofNCompleteColumn, TextColumn
from rich.table import Table

from ..batch import SchedulerError, collect, exit_code, output_names, run_batch, write_summary
from ..safe_text import clean
from .common import BadInput, console, progress_bar, refuse_over_inputs, write_file


def batch_command(paths, out: str, scheduler, workers, time_limit) -> None:
    """Solve every file on Dask with a progress bar, print and write the summary."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"-o {out}: not a folder; expected a folder for the plans and batch.xlsx")
    files, missing = collect(paths)
    outputs = output_names(files, folder)
    if folder.is_dir():  # a plan never replaces one of the inputs
        for target in (*outputs, folder / "batch.xlsx"):
            refuse_over_inputs(target, files)
    counts: dict[str, int] = {}
    with progress_bar(MofNCompleteColumn(), TextColumn("{task.description}")) as bar:
        task = bar.add_task("", total=len(files))

        def done(row: dict) -> None:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
            bar.update(
                task, advance=1, description=", ".join(f"{k} {v}" for k, v in counts.items())
            )

        try:
            rows = (
                missing
                + run_batch(
                    files,
                    outputs,
                    scheduler=scheduler,
                    workers=workers,
                    time_limit=time_limit,
                    on_done=done,
                )
                if files
                else missing
            )
        except SchedulerError as exc:
            raise BadInput(str(exc)) from None
    target = folder / "batch.xlsx"
    write_file(target, write_summary, rows, target)
    table = Table(title=f"Batch: {len(rows)} file(s)")
    for column in ("scenario", "status", "objective", "warnings", "seconds", "output"):
        table.add_column(
            column,
            justify="right" if column in ("objective", "warnings", "seconds") else "left",
            overflow="fold",
        )
    for row in rows:
        table.add_row(
            *[
                escape(clean("" if row[c] is None else row[c]))
                for c in ("scenario", "status", "objective", "warnings", "seconds", "output")
            ]
        )
    console.print(table)
    for row in rows:
        if row["message"] and row["status"] != "optimal":
            first = row["message"].splitlines()[0]
            console.print(f"{row['scenario']}: {row['status']}: {first}", markup=False)
    console.print(f"wrote [bold]{escape(str(target))}[/]")
    sys.exit(exit_code(rows))
