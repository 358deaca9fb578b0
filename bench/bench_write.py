"""Benchmark (not a test): the workbook write, old writer against new, in one run.

    python bench/bench_write.py [--repeat 5]

For the 12- and 52-week bundled plans, medians in seconds of:

- ``before``: the whole workbook with the writer of commit 21d6e00 (openpyxl's default
  mode plus the formula-safety sweep of every cell), loaded from git;
- ``XlsxWriter e30dc29``: the whole workbook with the XlsxWriter writer as it stood at
  commit e30dc29 (before issue 10's work on the write): the package of that commit,
  unpacked from git into a temporary folder and imported beside the current one;
- ``XlsxWriter``: the whole workbook as strideplan writes it now;
- ``tables: openpyxl write-only`` and ``tables: XlsxWriter``: the same cells of the
  three big tables (Sessions, Exercises, Weekly: values, a border and a date or wrap
  format per cell), the engines alone side by side (openpyxl's write-only mode cannot
  merge cells, which the Calendar's warnings and the Booklet's headings use, so it was
  measured on the tables, where it can do everything needed).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "21d6e00"
#: the XlsxWriter writer before issue 10's work on it
XLSXWRITER_BEFORE = "e30dc29"


def old_writer():
    """The excel module of commit BEFORE, imported inside the strideplan package."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BEFORE}:src/strideplan/excel.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "excel_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("strideplan._excel_before", path)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "strideplan"
    spec.loader.exec_module(module)
    return module


def package_at(commit: str):
    """The strideplan package of ``commit``, unpacked from git and imported as
    ``strideplan_<commit>`` (its relative imports stay inside it)."""
    folder = Path(tempfile.mkdtemp())
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src/strideplan"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    name = f"strideplan_{commit}"
    (folder / "src" / "strideplan").rename(folder / name)
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(f"{name}.excel")
    finally:
        sys.path.remove(str(folder))


def tables(result):
    from strideplan.load import weekly_table

    return {
        "Sessions": result.plan,
        "Exercises": result.exercises,
        "Weekly": weekly_table(result),
    }


def openpyxl_write_only(result, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Side

    wb = Workbook(write_only=True)
    side = Side(style="thin", color="BFBFBF")
    box = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, df in tables(result).items():
        ws = wb.create_sheet(name)
        ws.append(list(df.columns))
        for row in df.itertuples(index=False, name=None):
            cells = []
            for value in row:
                if hasattr(value, "item"):
                    value = value.item()
                if isinstance(value, float) and value != value:
                    value = None
                cell = WriteOnlyCell(ws, value=value)
                cell.border = box
                if isinstance(value, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    cell.alignment = wrap
                    cell.data_type = "s"  # never a formula
                cells.append(cell)
            ws.append(cells)
    wb.save(path)


def xlsxwriter_tables(result, path: Path) -> None:
    from strideplan.sheets.book import Book
    from strideplan.sheets.tables import table

    book = Book(path, "bench")
    for name, df in tables(result).items():
        table(book, book.sheet(name), df)
    book.close()


def medians(variants: dict, repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each variant. The variants take turns, repeat after
    repeat, so a burst of load from other processes on the shared machine falls on all
    of them alike; the CPU time (this process's, the write being single-threaded) is the
    steadier figure when other jobs compete for the cores."""
    walls: dict[str, list[float]] = {name: [] for name in variants}
    cpus: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, fn in variants.items():
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            cpus[name].append(time.process_time() - c0)
            walls[name].append(time.perf_counter() - w0)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in variants
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from strideplan.excel import write_workbook
    from strideplan.result import plan_scenario
    from strideplan.scenario import load_scenario
    from strideplan.shortfalls import plan_warnings

    before = old_writer()
    xlsxwriter_before = package_at(XLSXWRITER_BEFORE)
    out = Path(tempfile.mkdtemp())
    rows = []
    for stem in ("10k_build", "full_year"):
        result = plan_scenario(load_scenario(ROOT / "scenarios" / f"{stem}.yaml"))
        result.warnings = plan_warnings(result)
        cells = sum(df.size for df in tables(result).values())
        timings = medians(
            {
                "before (openpyxl)": lambda r=result: before.write_workbook(r, out / "before.xlsx"),
                f"XlsxWriter {XLSXWRITER_BEFORE}": lambda r=result: (
                    xlsxwriter_before.write_workbook(r, out / "xw_before.xlsx")
                ),
                "XlsxWriter": lambda r=result: write_workbook(r, out / "after.xlsx"),
                "tables: openpyxl write-only": lambda r=result: openpyxl_write_only(
                    r, out / "wo.xlsx"
                ),
                "tables: XlsxWriter": lambda r=result: xlsxwriter_tables(r, out / "xw.xlsx"),
            },
            args.repeat,
        )
        rows.append((f"{result.calendar.n_weeks} weeks ({cells} table cells)", timings))
    names = list(rows[0][1])
    for k, what in enumerate(("wall", "CPU")):
        print(
            f"workbook write, median {what} seconds of {args.repeat}, taking turns "
            "(ratio to 'before')"
        )
        print(f"{'plan':<32}" + "".join(f"{n:>30}" for n in names))
        for label, timings in rows:
            base = timings[names[0]][k]
            print(
                f"{label:<32}"
                + "".join(f"{timings[n][k]:>20.3f} s ({timings[n][k] / base:4.2f})" for n in names)
            )


if __name__ == "__main__":
    sys.exit(main())
