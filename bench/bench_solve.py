"""Benchmark (not a test): every stage of a solve for 4, 16, 52 and 104 weeks, beside the
bare import time of the dependencies, measured in one run (issue 10).

    python bench/bench_solve.py [--repeat 3] [--weeks 4 16 52 104]

Rows: import floor (a fresh interpreter importing ortools, pandas, openpyxl and click),
`strideplan --help`, load, build, solve with 1, 2 and 8 CP-SAT workers, prescriptions,
workbook write, and `strideplan solve` end to end, plain and with --why; columns:
seconds (median of --repeat) and the ratio to the import floor measured in the same
run, so numbers from a noisy 2-core machine compare within the run. Then the peak
memory (max RSS) of each end-to-end solve, and whether 1, 2 and 8 workers gave the
same plan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from installed import compiled

ROOT = Path(__file__).resolve().parents[1]
YEAR = ROOT / "scenarios" / "full_year.yaml"
#: the CLI, reporting its own peak memory at exit: VmHWM of the process after exec (the
#: ru_maxrss that wait4 returns keeps the forking parent's peak from before the exec: the
#: bench process, holding 104-week models, inflated it to ~300 MB)
CLI = [
    sys.executable,
    "-c",
    "import atexit, sys\n"
    "def peak():\n"
    "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
    "    sys.stderr.write('PEAK_KB ' + (hwm[0].split()[1] if hwm else '0') + '\\n')\n"
    "atexit.register(peak)\n"
    "import os\n"
    "fast_exit = os._exit\n"  # the CLI ends with os._exit, which skips atexit
    "os._exit = lambda code: (peak(), fast_exit(code))\n"
    "from strideplan.entry import console; console()",
]


def timed_run(command: list[str]) -> tuple[float, int]:
    """Seconds and peak memory (max RSS, MB) of a child process run to its end."""
    t0 = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode(errors="replace")
    if child.returncode not in (0,):
        raise RuntimeError(f"{command}: exit {child.returncode}: {errors[-500:]}")
    peaks = [int(line.split()[1]) for line in errors.splitlines() if line.startswith("PEAK_KB")]
    return seconds, (peaks[-1] if peaks else usage.ru_maxrss) // 1024


def import_floor() -> float:
    code = "import ortools.sat.python.cp_model, pandas, openpyxl, click"
    return timed_run([sys.executable, "-c", code])[0]


def scenario_data(weeks: int) -> dict:
    """The full-year scenario (4 races, a fortnight away) cut to ``weeks`` weeks, or
    repeated year after year beyond 52."""
    from strideplan.scenario import load_raw

    data, _ = load_raw(YEAR)
    start = data["start"]
    end = start + timedelta(days=7 * weeks - 1)
    year = timedelta(days=364)
    races, away = [], []
    for k in range((weeks + 51) // 52):
        for race in data["races"]:
            races.append({**race, "date": race["date"] + k * year})
        for a in data["athlete"].get("away", []):
            if isinstance(a, date):
                away.append(a + k * year)
            else:
                away.append({"from": a["from"] + k * year, "to": a["to"] + k * year})
    data["weeks"] = weeks
    data["races"] = [r for r in races if start <= r["date"] <= end]
    data["athlete"]["away"] = [a for a in away if (a if isinstance(a, date) else a["to"]) <= end]
    return data


def stages(weeks: int, tmp: Path) -> tuple[dict[str, float], dict[str, int], bool]:
    """Seconds per stage for one plan, peak memory of the end-to-end runs, and whether
    1, 2 and 8 workers gave the same plan."""
    import yaml

    from strideplan.calendar import Calendar
    from strideplan.excel import write_workbook
    from strideplan.model import build, solve
    from strideplan.result import solved_result
    from strideplan.scenario import load_scenario

    data = scenario_data(weeks)
    scenario = tmp / f"s{weeks}.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    sc = load_scenario(scenario)
    out["load"] = time.perf_counter() - t0
    cal = Calendar(sc)
    t0 = time.perf_counter()
    build(sc, cal)
    out["build"] = time.perf_counter() - t0
    plans = []
    for n in (1, 2, 8):
        t0 = time.perf_counter()
        raw = solve(sc, calendar=cal, workers=n)
        out[f"solve, {n} worker{'s' if n > 1 else ''}"] = time.perf_counter() - t0
        assert raw.status == "optimal", (weeks, n, raw.status)
        plans.append(raw.values)
    t0 = time.perf_counter()
    result = solved_result(sc, cal, raw, sc.solver.seed)
    out["prescriptions"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_workbook(result, tmp / "p.xlsx")
    out["workbook write"] = time.perf_counter() - t0
    memory = {}
    for label, extra in (("end to end", []), ("end to end, --why", ["--why"])):
        out[label], memory[label] = timed_run(
            [*CLI, "solve", str(scenario), "-o", str(tmp / "e.xlsx"), *extra]
        )
    return out, memory, all(p == plans[0] for p in plans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--weeks", type=int, nargs="+", default=[4, 16, 52, 104])
    args = parser.parse_args()
    compiled()
    from rich.console import Console
    from rich.table import Table

    floor = statistics.median(import_floor() for _ in range(args.repeat))
    helps = statistics.median(timed_run([*CLI, "--help"])[0] for _ in range(args.repeat))
    results: dict[int, dict[str, float]] = {}
    memory: dict[int, dict[str, int]] = {}
    same: dict[int, bool] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for weeks in args.weeks:
            runs = [stages(weeks, Path(tmp)) for _ in range(args.repeat)]
            results[weeks] = {
                stage: statistics.median(r[0][stage] for r in runs) for stage in runs[0][0]
            }
            memory[weeks] = {k: max(r[1][k] for r in runs) for k in runs[0][1]}
            same[weeks] = all(r[2] for r in runs)
    table = Table(
        title=f"strideplan stages: median of {args.repeat} in one run; ×floor = seconds / "
        f"import floor ({floor:.2f} s)"
    )
    table.add_column("stage")
    for weeks in args.weeks:
        table.add_column(f"{weeks} w s", justify="right")
        table.add_column("×floor", justify="right")
    table.add_row("import floor", *[c for _ in args.weeks for c in (f"{floor:.3f}", "1.00")])
    table.add_row(
        "strideplan --help",
        *[c for _ in args.weeks for c in (f"{helps:.3f}", f"{helps / floor:.2f}")],
    )
    for stage in results[args.weeks[0]]:
        cells = []
        for weeks in args.weeks:
            value = results[weeks][stage]
            cells += [f"{value:.3f}", f"{value / floor:.2f}"]
        table.add_row(stage, *cells)
    for label in memory[args.weeks[0]]:
        table.add_row(
            f"peak memory (MB), {label}",
            *[c for w in args.weeks for c in (str(memory[w][label]), "")],
        )
    table.add_row(
        "same plan with 1, 2, 8 workers",
        *[c for w in args.weeks for c in ("yes" if same[w] else "NO", "")],
    )
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
