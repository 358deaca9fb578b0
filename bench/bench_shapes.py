"""Benchmark (not a test): `strideplan solve` end to end on 52-week years of different
shapes, beside the bare import time of the dependencies, measured in one run (issue 22).

    python bench/bench_shapes.py [--repeat 3] [--explain]

Shapes: the gym every day or every other day; no minute limits or tight ones; 2 or 5
races; a fortnight away; a race season; and one of them over 104 weeks. Columns: the
median seconds of --repeat runs and the ratio to the import floor (a fresh interpreter
importing ortools, pandas, openpyxl and click) measured in the same run, so figures from
a noisy 2-core machine compare within the run. --explain adds `strideplan explain` (the
binding hard rules) on each 52-week shape. Every child runs from compiled bytecode, as
an installed copy does (bench/installed.py).
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

import yaml
from installed import compiled

START = date(2027, 1, 4)
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _race(week: int, name: str, priority: str, distance: str, day: int = 6) -> dict:
    return {
        "date": START + timedelta(weeks=week - 1, days=day),
        "name": name,
        "priority": priority,
        "distance": distance,
    }


def shape(
    name: str,
    *,
    weeks: int = 52,
    gym: list[str] | None = None,
    tight: bool = False,
    races: int = 2,
    away: bool = False,
    season: bool = False,
) -> dict:
    """A club runner's year of one shape: three fixed runs, two easy runs, races."""
    availability = (
        {"mon": 75, "tue": 80, "wed": 60, "thu": 80, "fri": 50, "sat": 90, "sun": 130}
        if tight
        else None
    )
    calendar = [
        _race(11, "Spring 10k", "C", "10k"),
        _race(20, "City half", "A", "half"),
        _race(28, "Summer 5k", "B", "5k", day=5),
        _race(38, "Autumn 10k", "B", "10k"),
        _race(46, "Marathon", "A", "marathon"),
    ]
    chosen = [calendar[i] for i in ((1, 4) if races == 2 else range(5))]
    data: dict = {
        "name": name,
        "start": START,
        "weeks": weeks,
        "athlete": {"name": "Alex", "level": "intermediate"},
        "runs": {"tue": "intervals", "thu": "tempo", "sun": "long_run", "easy_runs": 2},
        "races": [r for r in chosen if r["date"] < START + timedelta(weeks=weeks)],
    }
    if availability:
        data["athlete"]["availability"] = availability
    if gym is not None:
        data["athlete"]["gym"] = gym
    if away:
        first = START + timedelta(weeks=30)
        data["athlete"]["away"] = [{"from": first, "to": first + timedelta(days=13)}]
    if season:
        data["race_season"] = [
            {"from": START + timedelta(weeks=33), "to": START + timedelta(weeks=41, days=6)}
        ]
    return data


SHAPES = [
    shape("gym every day", gym=ALL_DAYS),
    shape("gym every other day", gym=["mon", "wed", "fri", "sun"]),
    shape("tight minutes", tight=True, gym=["mon", "wed", "fri", "sat"]),
    shape("five races", races=5),
    shape("a fortnight away", away=True, races=5),
    shape("race season", season=True, races=5),
    shape("104 weeks", weeks=104, races=5, gym=ALL_DAYS),
]


def timed(command: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{command}: exit {done.returncode}: {done.stderr[-500:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    compiled()
    cli = [sys.executable, "-c", "from strideplan.entry import console; console()"]
    floor_cmd = [
        sys.executable,
        "-c",
        "import ortools.sat.python.cp_model, pandas, openpyxl, click",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        floors = []
        for data in SHAPES:
            path = Path(tmp) / f"{data['name'].replace(' ', '_')}.yaml"
            path.write_text(yaml.safe_dump(data, sort_keys=False))
            out = Path(tmp) / "plan.xlsx"
            solve, explain = [], []
            for _ in range(args.repeat):  # the floor between runs: the same noise
                floors.append(timed(floor_cmd))
                solve.append(timed([*cli, "solve", str(path), "-o", str(out)]))
                if args.explain and data["weeks"] == 52:
                    explain.append(timed([*cli, "explain", str(path)]))
            rows.append((data["name"], data["weeks"], solve, explain))
        floor = statistics.median(floors)
        print(f"import floor: {floor:.2f} s (median of {len(floors)})")
        print(f"{'shape':<22} {'weeks':>5} {'solve s':>8} {'x floor':>8}", end="")
        print(f" {'explain s':>10} {'x floor':>8}" if args.explain else "")
        for name, weeks, solve, explain in rows:
            s = statistics.median(solve)
            line = f"{name:<22} {weeks:>5} {s:>8.2f} {s / floor:>8.2f}"
            if explain:
                e = statistics.median(explain)
                line += f" {e:>10.2f} {e / floor:>8.2f}"
            print(line)


if __name__ == "__main__":
    main()
