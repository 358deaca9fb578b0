"""The benches run strideplan as an installed copy runs: from compiled bytecode.

``pip install .`` compiles every module to bytecode, so a user's first ``strideplan``
already loads it. An editable checkout on a machine that sets
``PYTHONDONTWRITEBYTECODE=1`` (this one does) recompiles all of its modules on every
run instead, about 0.09 s that no user pays. :func:`compiled` lets the child processes
load and keep bytecode in a folder of their own (``PYTHONPYCACHEPREFIX``; the checkout
is not written to) and compiles the package there first; the import floor runs with
the same environment.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "strideplan"


def compiled() -> None:
    """Set this process's environment (inherited by every child) to keep bytecode in a
    temporary folder, and compile the package into it."""
    cache = tempfile.mkdtemp(prefix="strideplan-pycache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = cache
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(SOURCE)], check=True)
