"""Explaining an infeasible squad: the 12-athlete club squad with one rack on Saturday.

Prints the time of each stage of :func:`strideplan.squad.explain.explain_squad` (the
athletes alone, the minimal conflict, its dates, the verified fixes) and the conflict.

    python bench/bench_squad_explain.py [--set gym.capacity.sat=1]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from strideplan.scenario import parse_assignments
from strideplan.squad import explain as se
from strideplan.squad.scenario import load_squad

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", default=None)
    args = parser.parse_args()
    sets = args.set or ["gym.capacity.sat=1"]
    squad = load_squad(ROOT / "scenarios" / "squads" / "club_squad.yaml", parse_assignments(sets))
    timings: dict[str, float] = {}

    def timed(name, fn):
        def run(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0

        return run

    se._places = timed("dates and weeks", se._places)
    se._fixes = timed("verified fixes", se._fixes)
    t0 = time.perf_counter()
    explanation = se.explain_squad(squad)
    total = time.perf_counter() - t0
    rest = total - sum(timings.values())
    print(f"club_squad.yaml --set {' '.join(sets)}: {len(squad.names)} athletes")
    print("| stage | seconds |")
    print("|---|---|")
    print(f"| athletes alone + minimal conflict | {rest:.1f} |")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.1f} |")
    print(f"| explain, total | {total:.1f} |")
    for line in explanation.lines():
        print(line)


if __name__ == "__main__":
    main()
