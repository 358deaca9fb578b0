"""The ``strideplan`` console script: exit 130 on Ctrl-C or SIGTERM from the first
instant, before the command line's imports (about a second) have run."""

from __future__ import annotations

import os
import signal
import sys


def _early_stop(signum, _frame) -> None:
    os.write(2, b"interrupted; nothing written\n")
    os._exit(130)  # nothing has been opened or written yet


def main() -> None:
    """Install the early handlers, then run :func:`strideplan.cli.main` (which replaces
    them with ones that stop a running solve)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is not signal.SIG_IGN:  # keep a `cmd &` job's SIG_IGN
            signal.signal(sig, _early_stop)
    from .cli import main as cli_main

    cli_main()


def console() -> None:
    """The console script: :func:`main`, then the process ends at once with its exit
    code. Every file the command wrote is closed and in place and its output flushed by
    then, so tearing the interpreter down (freeing the plan's and the libraries' objects
    one by one, OR-Tools' and pandas' finalizers) would only cost time: about a tenth of
    a second of a year's solve. A batch exits normally (Dask cleans up at exit); a
    program that calls :func:`main` gets its ``SystemExit`` as usual."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if "distributed" in sys.modules:
            raise
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
