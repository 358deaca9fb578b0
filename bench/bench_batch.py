"""Scenario files through `batch` (Dask): throughput against cores × single-solve rate.

Writes N small copies of the bundled scenarios (varied by seed-free overrides), times
one file solved alone (the single-solve rate), then the whole batch on a local cluster
of 1 and of every core, and prints files per second against the ideal.

    python bench/bench_batch.py [--files 200]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import yaml

from strideplan.batch import collect, output_names, run_batch, solve_file

ROOT = Path(__file__).resolve().parents[1]


def write_files(folder: Path, n: int) -> None:
    """``n`` scenario files: the bundled 12-week beginner and 10k plans, varied."""
    bases = [
        yaml.safe_load((ROOT / "scenarios" / f).read_text())
        for f in ("beginner_5k.yaml", "10k_build.yaml")
    ]
    for i in range(n):
        data = dict(bases[i % 2])
        data["name"] = f"Runner {i:03d}"
        data["rules"] = {**(data.get("rules") or {}), "back_to_back_hard": {"weight": 5 + i % 20}}
        (folder / f"runner_{i:03d}.yaml").write_text(yaml.safe_dump(data))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        write_files(folder, args.files)
        files, _ = collect([str(folder)])
        outputs = output_names(files, out)
        t0 = time.perf_counter()
        for f, o in list(zip(files, outputs))[:4]:  # warm imports, then a single rate
            solve_file(str(f), str(o))
        single = (time.perf_counter() - t0) / 4
        print(f"cores {cores}; one file alone (in process, 1 CP-SAT worker): {single:.2f} s")
        print("| workers | files | seconds | files/s | ideal (workers / single) | ratio |")
        print("|---|---|---|---|---|---|")
        for workers in sorted({1, cores}):
            t0 = time.perf_counter()
            rows = run_batch(files, outputs, workers=workers)
            wall = time.perf_counter() - t0
            ok = sum(r["status"] == "optimal" for r in rows)
            rate, ideal = len(rows) / wall, workers / single
            print(
                f"| {workers} | {len(rows)} ({ok} optimal) | {wall:.1f} | {rate:.2f} | {ideal:.2f} | {rate / ideal:.2f} |"
            )


if __name__ == "__main__":
    main()
