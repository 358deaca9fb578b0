"""The ``strideplan`` console script: exit 130 on Ctrl-C or SIGTERM from the first
instant, before the command line's imports (about a second) have run."""

from __future__ import annotations

import os
import signal


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
