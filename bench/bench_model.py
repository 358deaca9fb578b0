"""Benchmark (not a test): the CP-SAT model and the why, in one run.

    python bench/bench_model.py [--repeat 3] [--before PATH/TO/OTHER/src] [--time-limit 20]

Rows: the solve (build, proof of the optimum, the deterministic choice among optima) of
the 52-week bench scenario and of a plain 104-week one with 1, 2, 4 and 8 CP-SAT
workers; the why of a solved 52-week plan (binding hard rules, then the warnings'
reasons); end to end plain ``solve`` and ``solve --why`` beside the import floor; peak
memory (max RSS) of a 104-week solve. Every measurement runs in a fresh interpreter;
``--before`` measures another checkout's ``src`` (say ``git worktree add /tmp/before
21d6e00``) in the same run, so the two columns share the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
WORKERS = (1, 2, 4, 8)


def child(kind: str, weeks: int, workers: int, time_limit: float) -> None:
    """Run one measurement in this interpreter and print it as JSON."""
    import resource

    sys.path.insert(0, str(HERE))
    from bench_solve import scenario_data

    from strideplan.scenario import validate

    sc = validate(scenario_data(weeks), "bench")
    out: dict = {}
    if kind == "solve":
        from strideplan.model import solve

        t0 = time.perf_counter()
        raw = solve(sc, workers=workers, time_limit=time_limit)
        out = {"seconds": time.perf_counter() - t0, "status": raw.status}
        placed = {s: sorted((d, n) for d, n in v.items() if n) for s, v in raw.values.items()}
        out["plan"] = zlib.crc32(repr(sorted(placed.items())).encode())  # sessions only
    elif kind == "why":
        from strideplan.explain import binding_rules
        from strideplan.result import plan_scenario
        from strideplan.shortfalls import plan_warnings

        result = plan_scenario(sc, time_limit=time_limit)
        t0 = time.perf_counter()
        bindings = binding_rules(result, time_limit)
        out["binding rules"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        plan_warnings(result)
        out["warnings' reasons"] = time.perf_counter() - t0
        out["status"] = f"{len(bindings)} bind"
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def measure(src: Path, kind: str, weeks: int, workers: int, time_limit: float) -> dict:
    """One measurement in a fresh interpreter importing strideplan from ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    args = [sys.executable, __file__, "--child", kind, str(weeks), str(workers), str(time_limit)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def end_to_end(src: Path, extra: list[str]) -> float:
    """Seconds of ``strideplan solve`` on the 52-week scenario, from a fresh interpreter."""
    import yaml

    sys.path.insert(0, str(HERE))
    from bench_solve import scenario_data

    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.yaml"
        path.write_text(yaml.safe_dump(scenario_data(52), sort_keys=False))
        cmd = [sys.executable, "-m", "strideplan.cli", "solve", str(path), "-o"]
        t0 = time.perf_counter()
        subprocess.run(
            [*cmd, str(Path(tmp) / "p.xlsx"), *extra], env=env, check=True, capture_output=True
        )
        return time.perf_counter() - t0


def import_floor() -> float:
    """Seconds for a fresh interpreter to import ortools, pandas, openpyxl and click."""
    code = "import ortools.sat.python.cp_model, pandas, openpyxl, click"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout's src to compare")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, weeks, workers, limit = args.child
        child(kind, int(weeks), int(workers), float(limit))
        return
    srcs = {"after": SRC, **({"before": args.before} if args.before else {})}
    rows: list[tuple[str, dict[str, str]]] = []

    def row(label: str, fn) -> None:
        cells = {}
        for name, src in srcs.items():
            values = [fn(src) for _ in range(args.repeat)]
            seconds = statistics.median(v[0] for v in values)
            note = values[0][1]
            cells[name] = f"{seconds:.2f}" + (f" ({note})" if note else "")
        rows.append((label, cells))
        print(label, cells, flush=True)

    floor = statistics.median(import_floor() for _ in range(args.repeat))
    rows.append(("import floor", {name: f"{floor:.2f}" for name in srcs}))
    for weeks in (52, 104):
        for n in WORKERS:

            def solve(src, weeks=weeks, n=n):
                m = measure(src, "solve", weeks, n, args.time_limit)
                return m["seconds"], f"{m['status']}, plan {m['plan'] % 10007}"

            row(f"{weeks} weeks: solve, {n} worker(s)", solve)

    def why(src, key):
        m = measure(src, "why", 52, 0, args.time_limit)
        return m[key], m["status"] if key == "binding rules" else ""

    row("52 weeks: binding rules", lambda src: why(src, "binding rules"))
    row("52 weeks: warnings' reasons", lambda src: why(src, "warnings' reasons"))
    row("52 weeks: solve (end to end)", lambda src: (end_to_end(src, []), ""))
    row("52 weeks: solve --why (end to end)", lambda src: (end_to_end(src, ["--why"]), ""))

    def memory(src):
        m = measure(src, "solve", 104, 2, args.time_limit)
        return m["max_rss_mb"], "MB max RSS, 2 workers"

    row("104 weeks: peak memory", memory)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"strideplan model and why (median of {args.repeat}; seconds)")
    table.add_column("measurement")
    for name in srcs:
        table.add_column(name, justify="right")
    for label, cells in rows:
        table.add_row(label, *(cells.get(name, "") for name in srcs))
    Console().print(table)
    print(f"import floor {floor:.2f} s: ratios are seconds / floor")


if __name__ == "__main__":
    main()
