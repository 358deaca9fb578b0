"""Benchmark (not a test): the watch, both ways (issue 23), measured in one run.

    python bench/bench_watch.py [--files 1000]

Rows: reading a folder of FIT activity files with fitdecode, as a bulk export holds them
(one a day over --files days, the last 52 weeks of them the plan's; half gzipped; each
an hour of 1-second records) and matching them to a 52-week plan; writing that plan's
workouts as FIT files (fit-tool) and as text. Targets: each under 10 s.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _records(minutes: int) -> bytes:
    """The data records of ``minutes`` of 1-second samples (no header, no CRC)."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.record_message import RecordMessage

    builder = FitFileBuilder(auto_define=True)
    for i in range(60 * minutes):
        record = RecordMessage()
        record.timestamp = 1_800_000_000_000 + 1000 * i
        record.heart_rate, record.cadence, record.distance = 140, 85, 3.0 * i
        builder.add(record)
    return _body(builder.build().to_bytes())


def _body(fit: bytes) -> bytes:
    return fit[fit[0] : -2]  # the header's length is its first byte; the CRC the last two


def _with_records(summary: bytes, records: bytes) -> bytes:
    """A FIT file: the summary's messages (file id, session, activity), then the records,
    with a new header and CRC (fit-tool's CRC-16). The reader steps over every record
    wherever they stand, so their place does not change what is measured."""
    from fit_tool.utils.crc import crc16

    data = _body(summary) + records
    header = bytearray(summary[: summary[0]])
    header[4:8] = len(data).to_bytes(4, "little")
    if len(header) >= 14:
        header[12:14] = crc16(bytes(header[:12])).to_bytes(2, "little")
    out = bytes(header) + data
    return out + crc16(out).to_bytes(2, "little")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    from strideplan.excel import write_workbook
    from strideplan.living.activities import fit_activity_bytes, match_activities, read_activities
    from strideplan.living.ics import read_plan
    from strideplan.living.replan import read_published
    from strideplan.living.workouts import write_workouts
    from strideplan.result import plan_scenario
    from strideplan.scenario import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "full_year.yaml")
    hour = _records(60)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        first = datetime.combine(sc.end, datetime.min.time()) - timedelta(days=args.files - 1)
        for i in range(args.files):
            sport, sub = ("RUNNING", "GENERIC") if i % 3 else ("TRAINING", "STRENGTH_TRAINING")
            summary = fit_activity_bytes(first + timedelta(days=i, hours=7), 60, sport, sub)
            data = _with_records(summary, hour)
            name = folder / f"{i:05d}.fit"
            if i % 2:
                name.with_suffix(".fit.gz").write_bytes(gzip.compress(data))
            else:
                name.write_bytes(data)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        result = plan_scenario(sc)
        plan = Path(tmp) / "year.xlsx"
        write_workbook(result, plan)
        published = read_published(plan)
        rows = []
        t0 = time.perf_counter()
        activities = read_activities([folder], (sc.start, sc.end))
        t1 = time.perf_counter()
        matches = match_activities(activities, published, sc.end)
        t2 = time.perf_counter()
        rows.append((f"read {args.files} FIT files ({size:.0f} MB)", t1 - t0, len(activities)))
        rows.append(("match the plan's to 52 weeks", t2 - t1, len(matches)))
        sheets = read_plan(plan)
        for fmt in ("fit", "text"):
            t0 = time.perf_counter()
            written = write_workouts(sheets, Path(tmp) / f"workouts-{fmt}", fmt)
            seconds = time.perf_counter() - t0
            rows.append((f"write 52 weeks of workouts ({fmt})", seconds, len(written) - 1))
    print(f"{'step':<40} {'seconds':>8} {'items':>7}  (target: under 10 s each)")
    for name, seconds, items in rows:
        print(f"{name:<40} {seconds:>8.2f} {items:>7}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
