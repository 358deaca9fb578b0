"""Benchmark (not a test): re-planning a 52-week plan at week 30 against a fresh solve
of the same scenario, measured in one run.

    python bench/bench_replan.py [--repeat 3]

The published plan is the full-year example's optimum; in week 29 the athlete misses
three sessions (the Sessions sheet's status column); the re-plan starts on week 30's
Monday. Prints medians in seconds and the ratio replan / fresh solve.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = ROOT / "scenarios" / "full_year.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from strideplan.living.replan import replan
    from strideplan.result import plan_scenario
    from strideplan.scenario import load_scenario

    sc = load_scenario(YEAR)
    published = plan_scenario(sc).plan[["date", "session", "order", "minutes"]].copy()
    published["status"] = None
    today = sc.start + timedelta(weeks=29)
    week29 = (published["date"] >= today - timedelta(days=7)) & (published["date"] < today)
    missed = published.index[week29 & (published["session"] != "mobility")][:3]
    published.loc[missed, "status"] = "missed"

    fresh, again = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        plan_scenario(sc)
        fresh.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        out = replan(sc, published, today)
        again.append(time.perf_counter() - t0)
    f, r = statistics.median(fresh), statistics.median(again)
    print(f"52 weeks, re-planned at week 30 ({today}), {len(missed)} missed in week 29")
    print(f"{'step':<34}{'median s':>10}{'ratio':>8}")
    print(f"{'fresh solve + prescriptions':<34}{f:>10.2f}{1:>8.2f}")
    print(f"{'replan (solve, changes, checks)':<34}{r:>10.2f}{r / f:>8.2f}")
    print(f"status {out.result.status}, {len(out.changes)} change rows")


if __name__ == "__main__":
    main()
