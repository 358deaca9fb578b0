"""Benchmark (not a test): load, build, solve, export and end to end for 4, 16 and 52
weeks, beside the bare import time of the dependencies, measured in one run.

    python bench/bench_solve.py [--repeat 3]

Prints medians in seconds and each stage as a ratio of the dependencies' import time,
so numbers from a noisy 2-core machine compare within the run. Also compares CP-SAT
worker settings on the 52-week plan (why strideplan uses at least 8 workers).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = ROOT / "scenarios" / "full_year.yaml"


def import_time() -> float:
    """Seconds for a fresh interpreter to import the runtime dependencies."""
    code = "import ortools.sat.python.cp_model, pandas, openpyxl, pydantic, yaml, click, rich"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def scenario_data(weeks: int) -> dict:
    """The full-year scenario cut to ``weeks`` weeks (races and away dates inside)."""
    from strideplan.scenario import load_raw

    data, _ = load_raw(YEAR)
    start = data["start"]
    end = start + timedelta(days=7 * weeks - 1)
    data["weeks"] = weeks
    data["races"] = [r for r in data["races"] if start <= r["date"] <= end]
    data["athlete"]["away"] = [
        a
        for a in data["athlete"]["away"]
        if isinstance(a, date) and a <= end or isinstance(a, dict) and a["to"] <= end
    ]
    return data


def stages(weeks: int) -> dict[str, float]:
    """Seconds per stage for one plan."""
    from ortools.sat.python import cp_model  # noqa: F401  (imported before timing)

    from strideplan.calendar import Calendar
    from strideplan.excel import write_workbook
    from strideplan.model import build
    from strideplan.result import plan_scenario
    from strideplan.scenario import validate

    data = scenario_data(weeks)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    sc = validate(data, "bench")
    out["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    build(sc, Calendar(sc))
    out["build"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = plan_scenario(sc)
    out["solve"] = time.perf_counter() - t0
    assert result.status == "optimal", result.status
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        write_workbook(result, Path(tmp) / "p.xlsx")
        out["export"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        yaml_path = Path(tmp) / "s.yaml"
        import yaml

        yaml_path.write_text(yaml.safe_dump(data, sort_keys=False))
        for label, extra in (
            ("CLI end to end --no-why", ["--no-why"]),
            ("CLI end to end (+ binding rules)", []),
        ):
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "strideplan.cli",
                    "solve",
                    str(yaml_path),
                    "-o",
                    str(Path(tmp) / "p.xlsx"),
                    *extra,
                ],
                check=True,
                capture_output=True,
            )
            out[label] = time.perf_counter() - t0
    return out


def workers(weeks: int = 52) -> dict[str, float]:
    """Solve time of the same model under different CP-SAT worker settings."""
    from strideplan.result import plan_scenario
    from strideplan.scenario import validate

    sc = validate(scenario_data(weeks), "bench")
    out = {}
    for n in (1, 2, 8):
        t0 = time.perf_counter()
        plan_scenario(sc, workers=n)
        out[f"{n} worker(s)"] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    base = statistics.median(import_time() for _ in range(args.repeat))
    table = Table(
        title=f"strideplan stages (median of {args.repeat}); "
        f"ratio = seconds / dependency import time ({base:.2f} s)"
    )
    table.add_column("weeks", justify="right")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("ratio", justify="right")
    for weeks in (4, 16, 52):
        runs = [stages(weeks) for _ in range(args.repeat)]
        for stage in runs[0]:
            value = statistics.median(r[stage] for r in runs)
            table.add_row(str(weeks), stage, f"{value:.3f}", f"{value / base:.2f}")
    Console().print(table)
    w = workers()
    wt = Table(title="52 weeks: CP-SAT workers (seconds; ratio to 8 workers)")
    wt.add_column("setting")
    wt.add_column("seconds", justify="right")
    wt.add_column("ratio", justify="right")
    for name, value in w.items():
        wt.add_row(name, f"{value:.2f}", f"{value / w['8 worker(s)']:.1f}")
    Console().print(wt)


if __name__ == "__main__":
    main()
