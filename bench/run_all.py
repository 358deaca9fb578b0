"""Run every benchmark once, one after another, and write docs/benchmarks.md: each
bench's command and exactly what it printed (figures only; each bench compares within
its own run, so its ratios hold on a noisy machine).

    python bench/run_all.py [--only bench_shapes bench_watch …]

``--only`` reruns those benches and keeps the other sections as they were. Each
section names its run's date. bench_end_to_end.py is left out: it compares this
checkout against another one.
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
        ["--repeat", "3", "--explain"],
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
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"OR-Tools {ortools.__version__}, {platform.system()} {platform.machine()}"
    )
    sections = _sections(OUT.read_text()) if args.only and OUT.exists() else {}
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
        sections[name] = "\n".join(
            [
                f"## {name}",
                "",
                f"{what[0].upper()}{what[1:]}: `{command}`{status}, {took:.0f} s in all, "
                f"run on {date.today():%Y-%m-%d} ({machine}).",
                "",
                "```",
                output,
                "```",
            ]
        )
    text = [
        "# Benchmarks",
        "",
        "What each bench printed, as printed, from `python bench/run_all.py`. Each bench",
        "measures its own baseline (the import floor, a single solve) in the same run, so",
        "read its ratios rather than its seconds on another machine.",
        "",
        *[sections[name] + "\n" for name, _, _ in BENCHES if name in sections],
    ]
    OUT.write_text("\n".join(text).rstrip() + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


def _sections(text: str) -> dict[str, str]:
    """The sections of an earlier benchmarks.md by bench name."""
    parts = text.split("\n## ")[1:]
    return {part.split("\n", 1)[0]: "## " + part.rstrip() for part in parts}


if __name__ == "__main__":
    main()
