"""Benchmark (not a test): `strideplan solve SCENARIO --no-why` end to end, this checkout
against another one, beside the import floor, all in one run (issue 10).

    python bench/bench_end_to_end.py --before /path/to/old/venv/bin/python [--repeat 7]
        [--scenario scenarios/full_year.yaml]

The other checkout is any strideplan installed in another interpreter (e.g. a
``git worktree add ../before e30dc29`` with its own venv, ``pip install -e``): its CLI
runs from its own source. Each repeat runs the import floor (a fresh interpreter
importing ortools, pandas, openpyxl and click), the other checkout's solve and this one's,
one after another, so a burst of load from other processes falls on all three alike.
Printed: median wall seconds, the ratio to the floor, and the median CPU seconds of the
child (user + system, CP-SAT's threads included), the steadier figure when other jobs
share the cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "import ortools.sat.python.cp_model, pandas, openpyxl, click"
CLI = "import sys; sys.argv[0] = 'strideplan'; from strideplan.entry import main; main()"


def run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of a child process run to its end."""
    t0 = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command}: {child.stderr.read().decode(errors='replace')[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other checkout's python")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "full_year.yaml"))
    args = parser.parse_args()
    scenario = str(Path(args.scenario).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "import floor": [sys.executable, "-c", FLOOR],
            "before": [args.before, "-c", CLI, "solve", scenario, "--no-why", "-o"]
            + [f"{tmp}/before.xlsx"],
            "this checkout": [sys.executable, "-c", CLI, "solve", scenario, "--no-why", "-o"]
            + [f"{tmp}/after.xlsx"],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                wall, cpu = run(command)
                walls[name].append(wall)
                cpus[name].append(cpu)
    floor = statistics.median(walls["import floor"])
    print(
        f"strideplan solve {Path(scenario).name} --no-why: median of {args.repeat}, "
        "taking turns, in one run"
    )
    print(f"{'':<16}{'wall s':>10}{'× floor':>10}{'CPU s':>10}")
    for name in commands:
        wall = statistics.median(walls[name])
        print(f"{name:<16}{wall:>10.3f}{wall / floor:>10.2f}{statistics.median(cpus[name]):>10.3f}")


if __name__ == "__main__":
    main()
