"""Benchmark (not a test): explaining an infeasible scenario (one gym day, the day
before intervals) for 4, 16 and 52 weeks — the minimal conflict alone, and with the
verified fixes — as ratios of one feasible solve of the same length, in one run.

    python bench/bench_explain.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_solve import scenario_data  # noqa: E402


def median_time(repeat: int, fn, *args) -> float:
    """Median wall time of ``fn(*args)`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def conflict_and_places(sc) -> None:
    """The minimal conflict, then where it bites."""
    from strideplan.explain import conflict_places, minimal_conflict

    conflict_places(sc, minimal_conflict(sc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from rich.console import Console
    from rich.table import Table

    from strideplan.explain import explain_infeasible, minimal_conflict
    from strideplan.result import plan_scenario
    from strideplan.scenario import validate

    table = Table(
        title=f"Explaining infeasibility (median of {args.repeat} s; ratio to a "
        "feasible solve of the same length)"
    )
    for col in (
        "weeks",
        "feasible solve",
        "minimal conflict",
        "+ dates and weeks",
        "+ verified fixes",
    ):
        table.add_column(col, justify="right")
    for weeks in (4, 16, 52):
        data = scenario_data(weeks)
        feasible = validate(data, "bench")
        data["athlete"]["gym"] = ["mon"]
        broken = validate(data, "bench")

        base = median_time(args.repeat, plan_scenario, feasible)
        core = median_time(args.repeat, minimal_conflict, broken)
        places = median_time(args.repeat, conflict_and_places, broken)
        full = median_time(args.repeat, explain_infeasible, broken)
        table.add_row(
            str(weeks),
            f"{base:.2f}",
            f"{core:.2f} ({core / base:.1f}×)",
            f"{places:.2f} ({places / base:.1f}×)",
            f"{full:.2f} ({full / base:.1f}×)",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
