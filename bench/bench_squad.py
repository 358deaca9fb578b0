"""A 50-athlete × 16-week squad with a binding gym capacity: one CP-SAT model.

Prints build+solve time (wall, and the CPU seconds of every thread), status, objective,
bound and gap (target: proven optimal, or within 1 %, in ≤ 30 s on 2 cores), how full
the gym is, and the machine's load average (the cores are shared: wall time is noisy).

    python bench/bench_squad.py [--athletes 50] [--weeks 16] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import os
import time

from strideplan.squad.build import solve_squad
from strideplan.squad.scenario import squad_with_overrides

LEVELS = ("beginner", "intermediate", "advanced")
RUN_WEEKS = (
    {"tue": "intervals", "thu": "tempo", "sun": "long_run", "easy_runs": 2},
    {"tue": "intervals", "sat": "long_run", "easy_runs": 1},
    {"wed": "tempo", "sun": "long_run", "easy_runs": 2},
)


def squad_data(athletes: int, weeks: int) -> dict:
    """A squad of ``athletes`` with mixed levels and weeks; capacity binds on Fri/Sat."""
    entries = []
    for i in range(athletes):
        entry = {"name": f"Athlete {i + 1:02d}", "level": LEVELS[i % 3], "runs": RUN_WEEKS[i % 3]}
        if i % 5 == 0:
            entry["races"] = [{"date": "2027-04-25", "name": "Club 10k", "priority": "A"}]
        entries.append(entry)
    return {
        "name": "Bench squad",
        "start": "2027-03-01",
        "weeks": weeks,
        "defaults": {
            "gym": ["mon", "wed", "fri", "sat"],
            "preferences": {"strength_days": ["fri"]},
        },
        "athletes": entries,
        # about 30 % of the squad per gym day: Friday (everyone's favourite) binds
        "gym": {
            "capacity": {d: max(1, -(-athletes * 3 // 10)) for d in ("mon", "wed", "fri", "sat")}
        },
        "coach": {"power_days": ["tue", "sat"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--athletes", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=16)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    squad = squad_with_overrides(squad_data(args.athletes, args.weeks), {}, "bench")
    load = time.perf_counter() - t0
    cpu0 = time.process_time()
    result = solve_squad(squad, time_limit=args.time_limit, workers=args.workers)
    cpu = time.process_time() - cpu0
    use = result.gym_use() if result.solved else None
    full = "-"
    if use is not None:
        limited = use[use["capacity"].notna()]
        full = f"{int((limited['free'] == 0).sum())}/{len(limited)}"
    print(
        f"cores {os.cpu_count()}, workers {result.workers}, "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(
        "| athletes | weeks | load s | build+solve s | CPU s | status | objective | bound | gap "
        "| gym days full |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.athletes} | {args.weeks} | {load:.2f} | {result.wall_time:.1f} | {cpu:.1f} "
        f"| {result.status} | {result.objective} | {result.bound} | {result.gap:.2%} | {full} |"
    )


if __name__ == "__main__":
    main()
