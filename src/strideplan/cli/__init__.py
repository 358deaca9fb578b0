"""The ``strideplan`` command line: a thin click layer over the library, one module per
command family; :mod:`.common` holds what they share."""

from __future__ import annotations

import os
import sys

import click

from . import batch, check, compare, living, solve  # noqa: F401  (each registers its commands)
from .common import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    cli,
    err_console,
    written_files,
)


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
    from ..interrupt import Interrupted, stop_on_signals

    written_files.clear()
    try:
        with stop_on_signals():
            code = cli(standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except (Interrupted, KeyboardInterrupt, click.exceptions.Abort):
        # after the workbook is in place (while the summary prints) there was nothing
        # left to stop: say so rather than "nothing written"
        done = f" after writing {', '.join(map(str, written_files))}" if written_files else ""
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


def exit_code() -> int:
    """Run the command line with its output flushed; returns its exit code: 0, 1, 2, 3
    (a bug) or 130 (interrupted), whatever happens to stdout. No traceback reaches the
    user unless asked for."""
    streams = sys.stdout, sys.stderr
    # a stream closed before the start (`>&-`): Python gives None; write it to /dev/null
    out = sys.stdout if sys.stdout is not None else open(os.devnull, "w")  # noqa: SIM115
    err = sys.stderr if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115
    sys.stdout, sys.stderr = _PipeSafe(out), _PipeSafe(err)
    try:
        code = _run()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        sys.stdout, sys.stderr = streams
    return code


def main() -> None:
    """The command line, ending in ``SystemExit`` with :func:`exit_code`'s code."""
    sys.exit(exit_code())
