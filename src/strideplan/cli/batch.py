"""`batch`: many scenario files in parallel on Dask."""

from __future__ import annotations

import click

from .common import (
    cli,
    time_limit_option,
)


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
@time_limit_option("Solver time limit per file in seconds, at most 3600.")
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
    from .batch_run import batch_command

    batch_command(paths, out, scheduler, workers, time_limit)
