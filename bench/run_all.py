"""Run every benchmark once, one after another, and write docs/benchmarks.md: each
bench's command and exactly what it printed (figures only; each bench compares within
its own run, so its ratios hold on a noisy machine).

    python bench/run_all.py [--only bench_shapes bench_watch …]

bench_end_to_end.py is left out: it compares this checkout against another one.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import ortools

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks.md"

#: (bench, its arguments, what it measures)
BENCHES: list[tuple[str, list[str], str]] = [
    (
        "bench_shapes",
        ["--repeat", "1", "--explain"],
        "`strideplan solve` and `strideplan explain` on 52-week years of different shape "
        "and one of 104 weeks, against the import floor",
    ),
    ("bench_solve", ["--repeat", "1"], "every stage of a solve for 4, 16, 52 and 104 weeks"),
    ("bench_model", ["--repeat", "1"], "solve time by CP-SAT worker count, and the why's cost"),
    ("bench_write", [], "writing the workbook (wall and CPU seconds)"),
    ("bench_print", [], "the workbooks printed through LibreOffice"),
    ("bench_compare", ["--repeat", "1"], "one `compare` of eight variants against eight solves"),
    ("bench_explain", ["--repeat", "1"], "explaining an infeasible scenario"),
    ("bench_replan", ["--repeat", "1"], "re-planning a year against a fresh solve"),
    ("bench_watch", [], "reading the watch's history and writing workouts"),
    ("bench_squad", [], "a 50-athlete squad around one gym"),
    ("bench_squad_explain", [], "explaining an infeasible 12-athlete squad"),
    ("bench_batch", [], "200 scenario files through `strideplan batch`"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these benches (names without .py)")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.only or b[0] in args.only]
    sections = []
    for name, argv, what in chosen:
        command = " ".join(["python", f"bench/{name}.py", *argv])
        print(f"running {command}", flush=True)
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / f"{name}.py"), *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - t0
        output = done.stdout.rstrip() or done.stderr.rstrip()[-2000:]
        status = "" if done.returncode == 0 else f" (exit {done.returncode})"
        sections += [
            f"## {name}",
            "",
            f"{what[0].upper()}{what[1:]}: `{command}`{status}, {took:.0f} s in all.",
            "",
            "```",
            output,
            "```",
            "",
        ]
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"OR-Tools {ortools.__version__}, {platform.system()} {platform.machine()}"
    )
    text = [
        "# Benchmarks",
        "",
        f"One run of `python bench/run_all.py` on {date.today():%Y-%m-%d} ({machine}): each",
        "section is what that bench printed, as printed. Each bench measures its own",
        "baseline (the import floor, a single solve) in the same run, so read its ratios",
        "rather than its seconds on another machine.",
        "",
        *sections,
    ]
    OUT.write_text("\n".join(text).rstrip() + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
