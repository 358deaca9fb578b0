"""The benches run strideplan as an installed copy runs: from compiled bytecode.

``pip install .`` compiles every module to bytecode, so a user's first ``strideplan``
already loads it. An editable checkout on a machine that sets
``PYTHONDONTWRITEBYTECODE=1`` (this one does) recompiles all of its modules on every
run instead, about 0.09 s that no user pays. :func:`compiled` compiles the package
into its ``__pycache__`` folders (ignored by git) and lets the child processes load
it; the libraries' bytecode is where pip left it, for the import floor as for
strideplan.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "strideplan"


def compiled() -> None:
    """Compile the package to bytecode and let this process's children (which inherit
    its environment) load it."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(SOURCE)], check=True)
