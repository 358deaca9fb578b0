"""Result -> the printable workbook; and reading a plan workbook back for ``check``.

Sheets (SPEC): Calendar, Sessions, Weekly, Rules, Exercises, Scenario. Workbooks are
written to a temporary file beside the target and moved into place at the end, so a
crash or Ctrl-C never leaves a half-written workbook.
"""

from __future__ import annotations

import math
import os
import platform
import re
import tempfile
from contextlib import contextmanager
from copy import copy
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import __version__
from .calendar import weeks_text
from .catalog import CATALOG, WEEKDAYS
from .load import weekly_table
from .prescription import short_summary
from .rules import RULES

#: Category colours (fills) used on every sheet.
COLOURS = {
    "run": "CFE2F3",
    "strength": "F4CCCC",
    "power": "FFE599",
    "mobility": "D9EAD3",
    "race": "E06666",
    "rest": "F3F3F3",
    "away": "D9D9D9",
}
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")

BOLD = InlineFont(b=True)
DATE_FONT = InlineFont(color="595959", sz=8)
WORK_FONT = InlineFont(i=True, color="404040", sz=8)
DAY_WIDTH = 26  # characters per calendar day column
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
PHASE_COLOURS = {
    "dynamic": "FFE599",
    "static": "D9EAD3",
    "taper": "FCE5CD",
    "race": "E06666",
    "recovery": "D9D2E9",
    "return": "C9DAF8",
    "race season": "EAD1DC",
    "away": "D9D9D9",
}


class PlanFileError(Exception):
    """A plan workbook that cannot be read (names file, sheet, row and column)."""


# ---------------------------------------------------------------------- writing
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | Path):
    """Yield a temporary path beside ``target``; move it into place only on success.

    On any failure or interruption (Ctrl-C, SIGTERM) the temporary file is removed and
    ``target`` is untouched. The workbook gets the mode the user's umask gives, like any
    file the user creates (mkstemp's file is 0600).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp", dir=target.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save atomically, every cell a value: text from a scenario or a workbook that
    begins with ``=`` would otherwise be stored as a live formula (``=WEBSERVICE(…)``).

    strideplan writes no formulas of its own, so every formula cell is such text; it is
    stored as a text cell (``+``, ``-`` and ``@`` already are). One sweep over every
    sheet here, rather than a helper at each of the many places that write a cell, also
    covers sheets added later.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _header(ws: Worksheet, row: int, values: list[str], col: int = 1) -> None:
    for i, value in enumerate(values):
        cell = ws.cell(row=row, column=col + i, value=value)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BOX
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def _table(
    ws: Worksheet,
    df: pd.DataFrame,
    widths: dict[str, int] | None = None,
    start_row: int = 1,
    wrap: tuple[str, ...] = (),
) -> None:
    """A plain table: header row, frozen, filtered, sized, printable.

    Columns named in ``wrap`` wrap their text and the row grows to fit (LibreOffice
    and Excel do not grow rows of wrapped text written by openpyxl on their own).
    """
    _header(ws, start_row, list(df.columns))
    col_width = {}
    for c, name in enumerate(df.columns, start=1):
        width = (widths or {}).get(name)
        if width is None:
            longest = max([len(str(name))] + [len(str(v)) for v in df[name].head(200)])
            width = min(60, max(8, longest + 2))
        col_width[name] = width
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap_cols = [(i, name) for i, name in enumerate(df.columns, start=1) if name in wrap]
    wrapped = {i for i, _ in wrap_cols}
    styles = _table_styles(ws)
    for r, row in enumerate(df.itertuples(index=False), start=start_row + 1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, float) and pd.isna(value):
                value = None
            elif hasattr(value, "item"):  # numpy scalars: bool stays TRUE/FALSE
                value = value.item()
            cell = ws.cell(row=r, column=c, value=value)
            kind = (
                "date"
                if isinstance(value, (date, datetime))
                else "bool"
                if isinstance(value, bool)
                else "wrap"
                if c in wrapped
                else "plain"
            )
            # copying a ready style array is far cheaper than setting styles cell by cell
            cell._style = copy(styles[kind])
        lines = 1
        for c, name in wrap_cols:
            text = str(row[c - 1] or "")
            lines = max(lines, -(-len(text) // max(1, col_width[name] - 2)))
        if lines > 1:
            ws.row_dimensions[r].height = 13 * lines + 2
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    last = get_column_letter(max(1, len(df.columns)))
    ws.auto_filter.ref = f"A{start_row}:{last}{start_row + max(1, len(df))}"
    _print_setup(ws, f"{start_row}:{start_row}")


def _table_styles(ws: Worksheet) -> dict:
    """Style arrays for table cells: plain, date, boolean (TRUE/FALSE), wrapped text."""
    scratch = ws.parent.create_sheet("scratch")
    styles = {}
    for kind, number_format, alignment in (
        ("plain", "General", Alignment(vertical="top")),
        ("date", "yyyy-mm-dd", Alignment(vertical="top")),
        ("bool", BOOLEAN_FORMAT, Alignment(vertical="top")),  # LibreOffice shows 1/0 else
        ("wrap", "General", WRAP_TOP),
    ):
        cell = scratch.cell(row=1, column=1)
        cell.border, cell.number_format, cell.alignment = BOX, number_format, alignment
        styles[kind] = copy(cell._style)
    ws.parent.remove(scratch)
    return styles


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def _short(key: str) -> str:
    return {
        "strength_lower": "Strength (legs)",
        "strength_core": "Strength (core)",
        "long_run": "Long run",
        "easy_run": "Easy run",
    }.get(key, key.capitalize())


def write_calendar(ws: Worksheet, result, title: str | None = None) -> None:
    """Weeks × Mon..Sun, each cell the day's sessions, coloured by main category."""
    cal = result.calendar
    sc = result.scenario
    phases = result.phases()
    ws["A1"] = title or f"{sc.name} — {sc.athlete.name} ({sc.athlete.level})"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{sc.start:%d %b %Y} – {sc.end:%d %b %Y}, {sc.weeks} weeks · "
        f"{result.status}, objective {result.objective}"
    )
    ws["A2"].font = Font(italic=True, color="595959")
    # legend
    ws.cell(row=3, column=1, value="Legend:").font = Font(bold=True)
    for i, (name, colour) in enumerate(
        [
            ("Run", "run"),
            ("Strength", "strength"),
            ("Power", "power"),
            ("Mobility only", "mobility"),
            ("Race", "race"),
            ("Rest", "rest"),
            ("Away", "away"),
        ]
    ):
        cell = ws.cell(row=3, column=2 + i, value=name)
        cell.fill = PatternFill("solid", fgColor=COLOURS[colour])
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center")
    # what the plan could not do (SPEC v2), above the grid
    warnings = list(getattr(result, "warnings", None) or [])
    for i, warning in enumerate(warnings):
        cell = ws.cell(row=5 + i, column=1, value=f"Warning: {warning}")
        cell.font = Font(bold=True, color="9C0006")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=5 + i, start_column=1, end_row=5 + i, end_column=10)
        ws.row_dimensions[5 + i].height = 15 * max(1, math.ceil(len(str(warning)) / 150))
    top = 5 + len(warnings)  # the grid's header row
    _header(ws, top, ["Week", "Phase", *[d.capitalize() for d in WEEKDAYS], "Minutes"])
    by_day: dict[date, list] = {}
    for row in result.plan.itertuples(index=False):
        by_day.setdefault(row.date, []).append(row)
    ex = result.exercises
    work = (
        {
            key: short_summary(rows)
            for key, rows in ex[ex["session"] != "mobility"].groupby(["date", "session"])
        }
        if len(ex)
        else {}
    )
    for w in range(cal.n_weeks):
        r = top + 1 + w
        days = cal.week_days(w)
        ws.cell(row=r, column=1, value=f"W{w + 1}\n{days[0].date:%d %b}")
        phase_cell = ws.cell(row=r, column=2, value=phases[w])
        phase_cell.fill = PatternFill("solid", fgColor=PHASE_COLOURS.get(phases[w], "FFFFFF"))
        total = 0
        cell_points = 0.0
        for k, day in enumerate(days):
            rows = by_day.get(day.date, [])
            total += sum(int(x.minutes) for x in rows)
            keys = [x.session for x in rows if x.session != "mobility"]
            if day.away:
                blocks, colour = [(f"{day.date:%d %b}", DATE_FONT), ("Away", None)], "away"
            elif day.race is not None:
                blocks = [
                    (f"{day.date:%d %b}", DATE_FONT),
                    (f"RACE ({day.race.priority})", BOLD),
                    (day.race.name, BOLD),
                ]
                colour = "race"
            elif not keys:
                blocks, colour = [(f"{day.date:%d %b}", DATE_FONT), ("Rest", None)], "rest"
            else:
                blocks = [(f"{day.date:%d %b}", DATE_FONT)]
                for x in rows:
                    hard = CATALOG[x.session].hard
                    blocks.append(
                        (f"{_short(x.session)} {int(x.minutes)}'", BOLD if hard else None)
                    )
                    if (day.date, x.session) in work:
                        blocks.append((work[(day.date, x.session)], WORK_FONT))
                cats = {CATALOG[x].category for x in keys}
                colour = next(c for c in ("strength", "power", "run") if c in cats)
            cell_points = max(cell_points, _cell_height(blocks))
            cell = ws.cell(row=r, column=3 + k, value=_rich(blocks))
            cell.fill = PatternFill("solid", fgColor=COLOURS[colour])
            cell.alignment, cell.border = WRAP_TOP, BOX
        ws.cell(row=r, column=10, value=total)
        for c in (1, 2, 10):
            ws.cell(row=r, column=c).alignment = WRAP_TOP
            ws.cell(row=r, column=c).border = BOX
        ws.row_dimensions[r].height = max(30, cell_points + 4)
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 10
    for k in range(7):
        ws.column_dimensions[get_column_letter(3 + k)].width = DAY_WIDTH
    ws.column_dimensions["J"].width = 9
    ws.freeze_panes = f"C{top + 1}"
    ws.cell(
        row=top + 2 + cal.n_weeks,
        column=1,
        value="Bold: a hard session; small italics: what to do. Each training day starts "
        "with mobility; power comes before the run, strength after it.",
    ).font = Font(italic=True, color="595959")
    _print_setup(ws, f"{top}:{top}")


def _cell_height(blocks: list[tuple[str, InlineFont | None]]) -> float:
    """Points a calendar cell needs: small-font lines are shorter and hold more text."""
    height = 0.0
    for text, font in blocks:
        small = font is not None and font.sz is not None and font.sz < 10
        per_line = (DAY_WIDTH - 2) * (1.45 if small else 1.0)
        height += (10.5 if small else 14.5) * max(1, math.ceil(len(text) / per_line))
    return height


def _rich(blocks: list[tuple[str, InlineFont | None]]) -> CellRichText:
    """One calendar cell: lines of text, each with its own font."""
    parts: list = []
    for i, (text, font) in enumerate(blocks):
        line = text + ("\n" if i < len(blocks) - 1 else "")
        parts.append(TextBlock(font, line) if font is not None else line)
    return CellRichText(parts)


def _sessions_sheet(ws: Worksheet, plan: pd.DataFrame) -> None:
    df = plan.copy()
    _table(ws, df, {"details": 70, "date": 12, "session": 16}, wrap=("details",))
    for r in range(2, len(df) + 2):
        cat = ws.cell(row=r, column=6).value
        ws.cell(row=r, column=5).fill = PatternFill("solid", fgColor=COLOURS.get(cat, "FFFFFF"))


def _weekly_sheet(ws: Worksheet, result) -> None:
    weekly = weekly_table(result)
    _table(ws, weekly)
    n = len(weekly)
    cols = {name: i + 1 for i, name in enumerate(weekly.columns)}
    for r in range(2, n + 2):
        flag = ws.cell(row=r, column=cols["acwr_flag"]).value
        if flag:
            ws.cell(row=r, column=cols["acwr"]).fill = PatternFill("solid", fgColor="F4CCCC")
    if n == 0:
        return
    # long plans get wide charts, one under the other; short ones sit side by side
    width = min(40.0, max(18.0, 0.7 * n))
    minutes = _stacked_by_category(
        ws, "Minutes per week by category", "minutes", cols["run_min"], n, width
    )
    ws.add_chart(minutes, f"A{n + 4}")
    load = _stacked_by_category(
        ws, "Training load by category (session-RPE × min)", "load", cols["run_load"], n, width
    )
    ws.add_chart(load, f"J{n + 4}" if width <= 18 else f"A{n + 22}")


#: Chart colours of the categories, in the Weekly sheet's column order.
CHART_COLOURS = {"run": "6FA8DC", "strength": "E06666", "power": "F1C232", "mobility": "93C47D"}


def _stacked_by_category(
    ws: Worksheet, title: str, y_title: str, first_col: int, n: int, width: float
) -> BarChart:
    """A stacked column chart of four category columns (run, strength, power, mobility)
    starting at ``first_col``, one column per week."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title, chart.y_axis.title, chart.x_axis.title = title, y_title, "week"
    chart.add_data(
        Reference(ws, min_col=first_col, max_col=first_col + 3, min_row=1, max_row=n + 1),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    for series, colour in zip(chart.series, CHART_COLOURS.values()):
        series.graphicalProperties.solidFill = colour
    chart.height, chart.width = 8, width
    return chart


def _rules_sheet(ws: Worksheet, result, violations) -> None:
    sc = result.scenario
    penalties = result.penalties
    by_rule = result.instances_by_rule()
    broken: dict[str, list] = {}
    for v in violations:
        broken.setdefault(v.rule, []).append(v)
    binds = {b.rule: b for b in (result.bindings or [])}
    rows = []
    for rule in RULES:
        fired = by_rule.get(rule.key, [])
        shown = "; ".join(f"{i.where} ({i.points:+d})" for i in fired[:6])
        if len(fired) > 6:
            shown += f"; … {len(fired) - 6} more"
        bind = binds.get(rule.key)
        if bind is not None:
            gain = result.objective - bind.objective_without
            shown = (
                f"binds: without it {gain} points better, with "
                f"{len(bind.days)} change(s): "
                + "; ".join(bind.days[:3])
                + ("; …" if len(bind.days) > 3 else "")
                + (f" | {shown}" if shown else "")
            )
        rows.append(
            {
                "rule": rule.key,
                "meaning": rule.label,
                "kind": rule.effective_kind(sc) if rule.enabled(sc) else f"{rule.kind} (off)",
                "value": rule.describe(sc),
                "weight": rule.weight(sc),
                "source": rule.source,
                "points": penalties.get(rule.key, 0) if fired or rule.key in penalties else None,
                "instances": len(fired),
                "where": shown,
                "violations": len(broken.get(rule.key, [])),
            }
        )
    df = pd.DataFrame(rows)
    _table(
        ws,
        df,
        {
            "rule": 26,
            "meaning": 34,
            "kind": 11,
            "value": 22,
            "weight": 8,
            "source": 30,
            "points": 8,
            "instances": 10,
            "where": 60,
            "violations": 10,
        },
        wrap=("meaning", "value", "source", "where"),
    )
    total_row = len(df) + 3
    ws.cell(row=total_row, column=1, value="objective (sum of points)").font = Font(bold=True)
    ws.cell(row=total_row, column=7, value=result.objective).font = Font(bold=True)
    if result.bindings is None:
        ws.cell(
            row=total_row + 1,
            column=1,
            value="Binding hard rules were not computed (solve --no-why); "
            "`strideplan explain` shows them.",
        ).font = Font(italic=True, color="595959")


def _scenario_sheet(ws: Worksheet, result) -> None:
    import ortools

    stats = [
        ("status", result.status),
        ("objective", result.objective),
        ("bound", result.bound),
        ("wall time (s)", round(result.wall_time, 3)),
        ("seed", result.seed),
        ("workers", result.workers),
        ("strideplan", __version__),
        ("ortools", ortools.__version__),
        ("python", platform.python_version()),
        ("pandas", pd.__version__),
        ("written", datetime.now().replace(microsecond=0).isoformat()),
    ]
    ws["A1"] = "Solver"
    ws["A1"].font = Font(bold=True, size=12)
    for i, (k, v) in enumerate(stats, start=2):
        ws.cell(row=i, column=1, value=k).font = Font(bold=True)
        ws.cell(row=i, column=2, value=v)
    start = len(stats) + 3
    ws.cell(row=start, column=1, value="Scenario (as solved, defaults filled in)").font = Font(
        bold=True, size=12
    )
    text = yaml.safe_dump(
        result.scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
        sort_keys=False,
        allow_unicode=True,
    )
    for i, line in enumerate(text.splitlines(), start=start + 1):
        ws.cell(row=i, column=1, value=line).font = Font(name="Courier New", size=9)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 30
    _print_setup(ws)


#: The booklet's sessions, in the order of a training day (the runs' cool-down last).
BOOKLET_SESSIONS = (
    ("mobility", "Warm-up before every training day"),
    ("power", "Power (plyometrics)"),
    ("strength_lower", "Strength (legs)"),
    ("strength_core", "Strength (core)"),
    ("run", "Cool-down after every run"),
)


def _span(values) -> str:
    lo, hi = min(values), max(values)
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def _dose_ranges(rows: pd.DataFrame) -> tuple[str, str]:
    """An exercise's doses over a phase, one range per effort: ('3 × 12-15 each leg;
    3 × 5-8 each leg', 'RIR 2-3; RIR 2')."""
    doses, efforts = [], []
    parsed = rows["reps"].astype(str).str.extract(r"^(\d+)(.*)$")
    table = rows.assign(n=pd.to_numeric(parsed[0]), unit=parsed[1].fillna(""))
    for (effort, unit), same in table.groupby(["effort", "unit"], sort=False, dropna=False):
        reps = _span(same["n"].dropna().astype(int)) if same["n"].notna().any() else ""
        doses.append(f"{_span(same['sets'].astype(int))} × {reps}{unit}")
        efforts.append(str(effort) if isinstance(effort, str) else "")
    return "; ".join(doses), "; ".join(e for e in efforts if e)


def _booklet_sheet(ws: Worksheet, result) -> None:
    """The printable exercise booklet (SPEC v2): one block per phase, each session's
    exercises once with the dose from the phase's first to its last week, the warm-up
    and the runs' cool-down once per phase instead of once per day."""
    sc = result.scenario
    ex = result.exercises
    ws["A1"] = f"Exercise booklet — {sc.name} ({sc.athlete.name}, {sc.athlete.level})"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "Each phase's sessions once, with the range of doses over its weeks (progressing "
        "week by week); the Exercises sheet has every session's exact dose."
    )
    ws["A2"].font = Font(italic=True, color="595959")
    row = 4
    if ex.empty:
        ws.cell(row=row, column=1, value="No strength, power or mobility sessions.")
        return
    kind = ex["session"].map(lambda s: "run" if CATALOG[s].category == "run" else s)
    ex = ex.assign(kind=kind)
    phases = list(dict.fromkeys(ex["phase"]))
    for phase in phases:
        in_phase = ex[ex["phase"] == phase]
        cell = ws.cell(
            row=row, column=1, value=f"{phase.capitalize()} — {weeks_text(list(in_phase['week']))}"
        )
        cell.font = Font(bold=True, size=12)
        cell.fill = PatternFill("solid", fgColor=PHASE_COLOURS.get(phase, "D9D9D9"))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        row += 1
        for key, label in BOOKLET_SESSIONS:
            rows = in_phase[in_phase["kind"] == key]
            if rows.empty:
                continue
            _header(ws, row, [label, "dose", "effort", "contacts", "cue", "source"])
            row += 1
            for name, same in rows.groupby("exercise", sort=False):
                dose, efforts = _dose_ranges(same.sort_values("week", kind="stable"))
                contacts = same["contacts"].dropna() if "contacts" in same else []
                values = [
                    name,
                    dose,
                    efforts,
                    _span([int(c) for c in contacts]) if len(contacts) else "",
                    str(same["notes"].iloc[0] or ""),
                    str(same["source"].iloc[0] or "") if "source" in same else "",
                ]
                for c, value in enumerate(values, start=1):
                    cell = ws.cell(row=row, column=c, value=value)
                    cell.alignment = WRAP_TOP
                    cell.border = BOX
                ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(values[4]) / 70))
                row += 1
        row += 1
    for col, width in zip("ABCDEF", (30, 30, 16, 9, 60, 30)):
        ws.column_dimensions[col].width = width
    _print_setup(ws)
    ws.page_setup.orientation = "portrait"


def fill_workbook(wb: Workbook, result, violations=(), changes: pd.DataFrame | None = None) -> None:
    """Add SPEC's sheets for one result to a workbook (and a re-plan's ``Changes``)."""
    write_calendar(wb.create_sheet("Calendar"), result)
    _booklet_sheet(wb.create_sheet("Booklet"), result)
    if changes is not None:
        _table(wb.create_sheet("Changes"), changes, {"date": 12, "change": 30, "rule": 60})
    _sessions_sheet(wb.create_sheet("Sessions"), result.plan)
    _weekly_sheet(wb.create_sheet("Weekly"), result)
    _rules_sheet(wb.create_sheet("Rules"), result, violations)
    _table(  # every column of the prescription (SPEC v2: effort, contacts, phase, ...)
        wb.create_sheet("Exercises"),
        result.exercises,
        {"notes": 60, "exercise": 28, "date": 12, "load": 40, "source": 40},
        wrap=("notes", "load", "source"),
    )
    _scenario_sheet(wb.create_sheet("Scenario"), result)


def write_workbook(
    result, path: str | Path, violations=(), changes: pd.DataFrame | None = None
) -> Path:
    """Write one result's workbook atomically; returns the path."""
    wb = Workbook()
    wb.remove(wb.active)
    fill_workbook(wb, result, violations, changes)
    return save_workbook(wb, path)


# ---------------------------------------------------------------------- reading
REQUIRED = ("date", "session")
#: columns a coach may leave empty (or drop): filled from the catalog and the scenario
OPTIONAL = ("order", "minutes")
#: contract columns that follow from date and session; checked when given (check.py)
DERIVED = ("week", "day", "category", "hard")
#: a 104-week plan has about 4 000 rows; far more is not a plan (and costs time)
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_FILE_BYTES = 50_000_000
#: uncompressed size of the workbook's parts (a small zip can inflate enormously)
MAX_UNPACKED_BYTES = 500_000_000


class _CellError(ValueError):
    """A cell that cannot be read: its column and why."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def read_sessions(path: str | Path, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read the Sessions sheet of a plan workbook (possibly edited by hand).

    Values only, never evaluated: a formula cell is bad input naming the cell. The sheet
    is streamed (openpyxl read-only mode) and capped at MAX_ROWS rows; corrupt, foreign
    or oversized workbooks raise :class:`PlanFileError`. ``extra`` columns (``details``,
    ``status``) come along as text when the sheet has them.
    """
    path = Path(path)
    if not path.exists():
        raise PlanFileError(f"{path}: file not found")
    if not path.is_file():
        raise PlanFileError(f"{path}: not a regular file; expected an .xlsx workbook")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PlanFileError(
            f"{path}: {size} bytes; a plan workbook is at most {MAX_FILE_BYTES} bytes"
        )
    _check_parts(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise PlanFileError(
            f"{path}: not an Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    try:
        return _read_sessions_sheet(path, wb, extra)
    except PlanFileError:
        raise
    except Exception as exc:  # malformed sheet XML and the like surface while streaming
        raise PlanFileError(
            f"{path}: sheet Sessions is corrupt ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        wb.close()


def _check_parts(path: Path) -> None:
    """A workbook is a zip: refuse one that is not, or that inflates beyond the cap."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PlanFileError(f"{path}: not an Excel workbook ({exc})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlanFileError(
            f"{path}: unpacks to {unpacked} bytes; a plan workbook unpacks to at most "
            f"{MAX_UNPACKED_BYTES} bytes"
        )


def _read_sessions_sheet(path: Path, wb, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    if "Sessions" not in wb.sheetnames:
        raise PlanFileError(f"{path}: no 'Sessions' sheet (has: {', '.join(wb.sheetnames)})")
    ws = wb["Sessions"]
    if ws.max_row is not None and ws.max_row > MAX_ROWS + 1:  # the sheet's own dimension
        raise _too_long(path)
    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
    if not first:
        raise PlanFileError(f"{path}: sheet Sessions is empty; expected a header row")
    header = [str(h).strip().lower() if h is not None else "" for h in first]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise PlanFileError(
            f"{path}: sheet Sessions lacks column(s) {', '.join(missing)} "
            f"in row 1; expected {', '.join(REQUIRED)}"
        )
    names = [n for n in REQUIRED + OPTIONAL + DERIVED + extra if n in header]
    col = {name: header.index(name) for name in names}
    width = max(col.values()) + 1
    out, problems = [], []
    for r, cells in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
        if r > MAX_ROWS + 1:  # the dimension may be missing or wrong: count while reading
            raise _too_long(path)
        values = {}
        for name in REQUIRED + OPTIONAL + DERIVED + extra:
            cell = cells[col[name]] if name in col and col[name] < len(cells) else None
            if cell is not None and cell.data_type == "f":
                problems.append(
                    f"{path}: Sessions!{_where(col[name], r)} (row {r}, column {name}): a formula "
                    f"({cell.value}); check judges values only: replace it with its value"
                )
            values[name] = None if cell is None else cell.value
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        if values["session"] is None or str(values["session"]).strip() == "":
            continue  # a note or total row a coach added: no session, nothing to check
        try:
            row = _parse_row(values)
            for name in extra:
                value = values[name]
                row[name] = None if value is None or str(value).strip() == "" else str(value)
            out.append(row)
        except _CellError as exc:
            problems.append(
                f"{path}: Sessions!{_where(col[exc.column], r)} (row {r}, column {exc.column}): {exc}"
            )
    if problems:
        raise PlanFileError("\n".join(problems[:20]))
    return pd.DataFrame(out, columns=[*names, *(e for e in extra if e not in names)])


def _where(index: int, row: int) -> str:
    return f"{get_column_letter(index + 1)}{row}"


def _too_long(path: Path) -> PlanFileError:
    return PlanFileError(
        f"{path}: sheet Sessions has more than {MAX_ROWS} rows; a plan (at most 104 weeks) "
        "has far fewer: is this the right workbook?"
    )


def _parse_row(values: dict) -> dict:
    raw_date = values["date"]
    if isinstance(raw_date, datetime):
        d = raw_date.date()
    elif isinstance(raw_date, date):
        d = raw_date
    else:
        try:
            d = date.fromisoformat(str(raw_date).strip())
        except ValueError:
            raise _CellError("date", f"{raw_date!r} is not a date (expected YYYY-MM-DD)") from None
    session = str(values["session"] or "").strip()
    if session not in CATALOG:
        import difflib

        close = difflib.get_close_matches(session, list(CATALOG), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _CellError(
            "session",
            f"unknown session {session!r}{hint}; expected one of {', '.join(CATALOG)}",
        )
    out = {"date": d, "session": session}
    for name in OPTIONAL:
        value = values[name]
        if value is None or str(value).strip() == "":
            out[name] = None  # filled in by the checker
            continue
        number = _whole_number(value)
        if number is None:
            raise _CellError(name, f"{value!r} is not a whole number")
        if not 0 <= number <= 24 * 60:
            raise _CellError(name, f"{number} is outside 0..1440")
        out[name] = number
    for name in DERIVED:
        value = values[name]
        if isinstance(value, str):
            value = value.strip() or None
        if value is not None and name == "week":
            number = _whole_number(value)
            value = number if number is not None else value
        elif value is not None and name in ("day", "category"):
            value = str(value).lower()
        elif value is not None and name == "hard" and not isinstance(value, bool):
            value = {"true": True, "false": False, "1": True, "0": False}.get(
                str(value).strip().lower(), value
            )
        out[name] = value
    return out


def _whole_number(value) -> int | None:
    """An int from a cell holding one (5, 5.0, '5'); None for anything else (5.5, inf,
    TRUE, text): a fraction is not silently truncated."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


# ---------------------------------------------------------------------- comparison
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(prefix: str, name: str, taken: set[str]) -> str:
    """A unique Excel sheet name (at most 31 characters, no forbidden characters)."""
    base = f"{prefix} {_BAD_SHEET_CHARS.sub('-', name)}".strip()[:31]
    candidate, i = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(candidate)
    return candidate


def write_comparison(
    results, names: list[str], metrics: pd.DataFrame, diffs: pd.DataFrame, path: str | Path
) -> Path:
    """The comparison workbook: Comparison, Differences, then each variant's calendar and
    sessions; written atomically."""
    from .compare import LOWER_IS_BETTER

    wb = Workbook()
    ws = wb.active
    ws.title = "Comparison"
    table = metrics.reset_index().rename(columns={"index": "metric"})
    explanations = {
        name: "; ".join(r.explanation.conflict) if r.explanation else ""
        for name, r in zip(names, results)
        if not r.solved
    }
    if explanations:
        row = {"metric": "conflicting rules"}
        row.update({n: explanations.get(n, "") for n in names})
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    _table(ws, table, {"metric": 36, **{n: max(16, min(40, len(n) + 4)) for n in names}})
    best_fill = PatternFill("solid", fgColor="B6D7A8")
    for r, metric in enumerate(table["metric"], start=2):
        if not LOWER_IS_BETTER.match(str(metric)):
            continue
        values = [ws.cell(row=r, column=c).value for c in range(2, len(names) + 2)]
        numbers = [v for v in values if isinstance(v, (int, float))]
        if len(set(numbers)) > 1:
            for c, v in enumerate(values, start=2):
                if v == min(numbers):
                    ws.cell(row=r, column=c).fill = best_fill
                    ws.cell(row=r, column=c).font = Font(bold=True)
    note = len(table) + 3
    ws.cell(
        row=note,
        column=1,
        value="Green: the best (lowest) value of the row. Points: penalties +, rewards -.",
    ).font = Font(italic=True, color="595959")
    _load_chart(ws, results, names, note + 2)
    ws_diff = wb.create_sheet("Differences")
    _table(ws_diff, diffs, {"date": 12, "day": 6, **{n: 30 for n in names}})
    changed = PatternFill("solid", fgColor="FFF2CC")
    for r in range(2, len(diffs) + 2):  # a variant's day that differs from the first one
        first = ws_diff.cell(row=r, column=3).value
        for c in range(4, len(diffs.columns) + 1):
            if ws_diff.cell(row=r, column=c).value != first:
                ws_diff.cell(row=r, column=c).fill = changed
    taken = {"Comparison", "Differences"}
    for name, result in zip(names, results):
        if not result.solved:
            continue
        write_calendar(
            wb.create_sheet(sheet_name("Cal", name, taken)),
            result,
            title=f"{name} — {result.scenario.name}",
        )
        _sessions_sheet(wb.create_sheet(sheet_name("Ses", name, taken)), result.plan)
    return save_workbook(wb, path)


def _load_chart(ws: Worksheet, results, names: list[str], row: int) -> None:
    """Weekly load per variant: a small data block and a line chart beside it."""
    solved = [(n, r) for n, r in zip(names, results) if r.solved]
    if not solved:
        return
    ws.cell(row=row, column=1, value="week").font = Font(bold=True)
    series = {n: list(weekly_table(r)["load"]) for n, r in solved}
    weeks = max(len(v) for v in series.values())
    for c, (n, values) in enumerate(series.items(), start=2):
        ws.cell(row=row, column=c, value=n).font = Font(bold=True)
        for i, v in enumerate(values):
            ws.cell(row=row + 1 + i, column=c, value=v)
    for i in range(weeks):
        ws.cell(row=row + 1 + i, column=1, value=i + 1)
    chart = LineChart()
    chart.title, chart.y_axis.title, chart.x_axis.title = "Weekly load per variant", "load", "week"
    chart.add_data(
        Reference(ws, min_col=2, max_col=1 + len(series), min_row=row, max_row=row + weeks),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + weeks))
    for s in chart.series:
        s.smooth = False
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, f"{get_column_letter(len(series) + 3)}{row}")


def read_rows(path: Path, ws, required: tuple[str, ...]) -> list[dict]:
    """A sheet's rows as dicts by (lower-case) header, streamed; rows without a session
    (notes, totals a coach added) are skipped."""
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in required if c not in header]
    if missing:
        raise PlanFileError(f"{path}: sheet {ws.title} lacks column(s) {', '.join(missing)}")
    out = []
    for row in rows:
        values = dict(zip(header, row))
        if values.get("session") in (None, ""):
            continue
        out.append(values)
    return out
