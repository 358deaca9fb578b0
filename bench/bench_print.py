"""Benchmark (not a test): how many pages the bundled plans print on, per sheet, through
the installed LibreOffice (issue 11: a 12-week plan on about 12 pages, 52 weeks on 30).

    python bench/bench_print.py [scenarios/10k_build.yaml scenarios/full_year.yaml]

Needs `soffice` and `pdfinfo` (Debian: libreoffice-calc, poppler-utils). Each plan is
solved, printed whole to PDF (LibreOffice prints every visible sheet's print area:
Sessions and Exercises print nothing) and its pages counted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "scenarios" / "10k_build.yaml", ROOT / "scenarios" / "full_year.yaml"]


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def to_pdf(xlsx: Path, out: Path, profile: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
    )
    return out / f"{xlsx.stem}.pdf"


def main() -> None:
    if not (shutil.which("soffice") and shutil.which("pdfinfo")):
        sys.exit("needs soffice and pdfinfo: apt-get install -y libreoffice-calc poppler-utils")
    from rich.console import Console
    from rich.table import Table

    from strideplan.excel import write_workbook
    from strideplan.result import plan_scenario
    from strideplan.scenario import load_scenario

    paths = [Path(p) for p in sys.argv[1:]] or DEFAULT
    table = Table(title="Printed pages through LibreOffice (the whole workbook)")
    table.add_column("plan")
    table.add_column("weeks", justify="right")
    table.add_column("pages", justify="right")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for path in paths:
            sc = load_scenario(path)
            xlsx = tmp / f"{path.stem}.xlsx"
            write_workbook(plan_scenario(sc), xlsx)
            whole = pages(to_pdf(xlsx, tmp, tmp / "lo"))
            table.add_row(path.stem, str(sc.weeks), str(whole))
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
