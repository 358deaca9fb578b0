"""Benchmark (not a test): eight variants of a 16-week scenario, compared in one
`strideplan compare` run versus solved one after another with `strideplan solve`.

    python bench/bench_compare.py [--repeat 3]

Both sides are whole CLI runs (what a coach would type), measured in the same run;
the table shows medians and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_solve import scenario_data  # noqa: E402
from installed import compiled  # noqa: E402

VARIANTS = [
    ("base", {}),
    ("three strength", {"rules.strength_per_week": 3, "runs.easy_runs": 1}),
    ("no saturday", {"athlete.availability.sat": 0}),
    ("pattern off", {"rules.same_weekly_pattern": "off"}),
    ("b2b heavy", {"rules.back_to_back_hard": 30}),
    ("one power", {"rules.power_per_week": 1}),
    ("short blocks", {"rules.dynamic_blocks": [4, 6]}),
    ("no reward", {"rules.strength_after_easy_run": "off"}),
]


def _arg(overrides: dict) -> str:
    return ", ".join(
        f"{k}={yaml.safe_dump(v, default_flow_style=True).strip()}".replace("\n...", "")
        for k, v in overrides.items()
    )


def sequential(path: Path, tmp: Path) -> float:
    t0 = time.perf_counter()
    for i, (_name, overrides) in enumerate(VARIANTS):
        sets = []
        for k, v in overrides.items():
            sets += [
                "--set",
                f"{k}={yaml.safe_dump(v, default_flow_style=True).strip()}".replace("\n...", ""),
            ]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "strideplan.cli",
                "solve",
                str(path),
                "--no-why",
                "-o",
                str(tmp / f"s{i}.xlsx"),
                *sets,
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - t0


def together(path: Path, tmp: Path) -> float:
    args = []
    for name, overrides in VARIANTS[1:]:
        args += ["--variant", f"{name}: {_arg(overrides)}"]
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "strideplan.cli",
            "compare",
            str(path),
            "-o",
            str(tmp / "cmp.xlsx"),
            *args,
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compiled()
    from rich.console import Console
    from rich.table import Table

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = tmp / "sixteen.yaml"
        data = scenario_data(16)
        data.pop("variants", None)
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        seq = statistics.median(sequential(path, tmp) for _ in range(args.repeat))
        tog = statistics.median(together(path, tmp) for _ in range(args.repeat))
    table = Table(title=f"8 variants of a 16-week scenario (median of {args.repeat})")
    table.add_column("how")
    table.add_column("seconds", justify="right")
    table.add_column("ratio", justify="right")
    table.add_row("8 × strideplan solve --no-why, one after another", f"{seq:.2f}", "1.00")
    table.add_row("1 × strideplan compare (8 variants)", f"{tog:.2f}", f"{tog / seq:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
