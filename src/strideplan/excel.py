"""Result -> the plan workbook (written with XlsxWriter); reading a plan workbook back
(openpyxl) for ``check``, ``replan`` and ``ics``.

Sheets (SPEC): Calendar, Booklet, Sessions, Weekly, Rules, Exercises, Scenario; each is
written by its own module in :mod:`strideplan.sheets` (``write_calendar_sheet(book,
result, name, title)`` and so on), which a squad or comparison workbook calls per
athlete or variant. Workbooks are opened with :func:`new_book`: written to a temporary
file beside the target and moved into place at the end, so a crash or Ctrl-C never leaves
a half-written workbook.
"""

from __future__ import annotations

import gc
import math
import os
import re
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .catalog import CATALOG
from .sheets.book import Book
from .sheets.booklet import write_booklet_sheet
from .sheets.calendar import write_calendar_sheet
from .sheets.comparison import fill_comparison
from .sheets.rules import write_rules_sheet
from .sheets.scenario import REPLANNED_FROM, write_scenario_sheet
from .sheets.tables import write_changes_sheet, write_exercises_sheet, write_sessions_sheet
from .sheets.weekly import write_weekly_sheet


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

    The file is flushed to disk (fsync) before the rename, so the target is either the
    old file or the whole new one. On any failure or interruption (Ctrl-C, SIGTERM) the
    temporary file is removed and ``target`` is untouched. The file gets the mode the
    user's umask gives, like any file the user creates (mkstemp's file is 0600).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp", dir=target.parent
    )
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def gc_frozen():
    """Python's cyclic garbage collector leaves what the process already holds alone
    within the block (``gc.freeze``; thawed after it). A workbook is tens of thousands
    of small objects (XlsxWriter's cells, their XML) made and dropped in a burst: each
    burst of allocations set off a collection that walked every object the process
    holds (the imported libraries, the plan), about a quarter of a year's write. New
    garbage is still collected: the why's models, built on another thread while the
    sheets are written, would pile up with the collector off (104 weeks with the why:
    347 MB peak off, 297 MB frozen; the write as fast either way)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def new_book(path: str | Path, plan_name: str, period: str = ""):
    """A :class:`Book` for ``path``, written atomically: the sheets added inside the
    ``with`` reach ``path`` together when it ends, or nothing does (error, Ctrl-C)."""
    with atomic_path(path) as tmp, gc_frozen():
        book = Book(tmp, plan_name, period)
        yield book
        book.close()


def plan_period(result) -> str:
    """'04 Jan – 28 Mar 2027' for page headers."""
    sc = result.scenario
    return f"{sc.start:%d %b %Y} – {sc.end:%d %b %Y}"


def fill_workbook(
    book: Book,
    result,
    violations=(),
    changes: pd.DataFrame | None = None,
    pending: Callable[[], object] | None = None,
) -> None:
    """Add SPEC's sheets for one result, in SPEC's order (and a re-plan's ``Changes``).

    ``pending``: the result's warnings and binding rules, still being found (CP-SAT
    solves, mostly outside the GIL); the sheets that do not show them are written
    first, then ``pending()`` waits for them and the Calendar and Rules follow.
    """
    names = ["Calendar", "Booklet", "Changes", "Sessions", "Weekly", "Rules", "Exercises"]
    book.reserve([n for n in names if n != "Changes" or changes is not None] + ["Scenario"])
    write_booklet_sheet(book, result)
    if changes is not None:
        write_changes_sheet(book, changes)
    write_sessions_sheet(book, result)
    write_weekly_sheet(book, result)
    write_exercises_sheet(book, result)
    write_scenario_sheet(book, result)
    if pending is not None:
        pending()
    write_calendar_sheet(book, result)
    write_rules_sheet(book, result, violations)


def write_workbook(
    result,
    path: str | Path,
    violations=(),
    changes: pd.DataFrame | None = None,
    pending: Callable[[], object] | None = None,
) -> Path:
    """Write one result's workbook atomically; returns the path. (``pending``: see
    :func:`fill_workbook`.)"""
    with new_book(path, result.scenario.name, plan_period(result)) as book:
        fill_workbook(book, result, violations, changes, pending)
    return Path(path)


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
#: one XML part: the largest of a 104-week plan (Exercises) is about 2.6 MB
MAX_PART_BYTES = 40_000_000
#: one attribute or text: a cell holds at most 32 767 characters (4 bytes each in UTF-8)
MAX_TOKEN_BYTES = 4 * 32_767 + 1024


_MARKUP = re.compile(rb"[<>]")


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
    with _open_plan(path) as (path, wb):
        table = _sheet(path, "Sessions", lambda: _read_sessions_sheet(path, wb, extra))
        return _with_replan_day(path, wb, table)


def read_squad_sessions(path: str | Path) -> list[pd.DataFrame]:
    """Each athlete's Sessions sheet of a squad workbook (``Ses 1 Sam``, ``Ses 2 Ana``, …:
    in the squad's order), read as :func:`read_sessions` reads a plan's."""
    with _open_plan(path) as (path, wb):
        sheets = sorted(
            (n for n in wb.sheetnames if re.match(r"Ses \d+ ", n)), key=lambda n: int(n.split()[1])
        )
        if wb.sheetnames[:2] != ["Squad", "Gym"] or not sheets:
            raise PlanFileError(f"{path}: not a squad workbook (no Squad, Gym and Ses sheets)")
        return [
            _sheet(path, name, lambda name=name: _read_sessions_sheet(path, wb, ("status",), name))
            for name in sheets
        ]


def read_sessions_and_calendar(
    path: str | Path,
) -> tuple[pd.DataFrame, dict[tuple[int, int], list[str]] | None]:
    """:func:`read_sessions`, and the sessions the Calendar sheet shows (see
    :func:`calendar_cells`), from one opening of the workbook (``check``)."""
    with _open_plan(path) as (path, wb):
        table = _sheet(path, "Sessions", lambda: _read_sessions_sheet(path, wb, ("status",)))
        table = _with_replan_day(path, wb, table)
        return table, _sheet(path, "Calendar", lambda: calendar_cells(wb))


def _with_replan_day(path: Path, wb, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``attrs["replanned_from"]``: the first re-planned day a re-plan's
    Scenario sheet records (``replan --today``), where it records one (see
    :func:`strideplan.plan.replanned_from`)."""
    if "Scenario" not in wb.sheetnames:
        return table

    def find():
        rows = wb["Scenario"].iter_rows(max_row=30, max_col=2, values_only=True)
        return next((b for a, b, *_ in rows if a == REPLANNED_FROM), None)

    value = _sheet(path, "Scenario", find)
    if value is not None:
        try:
            table.attrs["replanned_from"] = date.fromisoformat(str(value)[:10])
        except ValueError:
            raise PlanFileError(
                f"{path}: sheet Scenario: {REPLANNED_FROM} {str(value)[:40]!r} is not a date "
                "(expected YYYY-MM-DD)"
            ) from None
    return table


@contextmanager
def _open_plan(path: str | Path):
    """``(path, workbook)`` of a plan workbook, checked before it is opened (a regular
    file, not oversized, a zip that does not inflate beyond the cap) and read-only."""
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
    from openpyxl import load_workbook  # reading only: a solve never loads it

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise PlanFileError(
            f"{path}: not an Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    try:
        yield path, wb
    finally:
        wb.close()


def _sheet(path: Path, name: str, read: Callable[[], Any]) -> Any:
    """``read()`` of one sheet: malformed sheet XML (which surfaces while streaming) is a
    corrupt workbook, not a bug."""
    try:
        return read()
    except PlanFileError:
        raise
    except Exception as exc:
        raise PlanFileError(
            f"{path}: sheet {name} is corrupt ({type(exc).__name__}: {exc})"
        ) from None


def _check_parts(path: Path) -> None:
    """A workbook is a zip: refuse one that is not, or that inflates beyond the cap."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise PlanFileError(
                    f"{path}: unpacks to {unpacked} bytes; a plan workbook unpacks to at "
                    f"most {MAX_UNPACKED_BYTES} bytes"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _check_part(path, archive, info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PlanFileError(f"{path}: not an Excel workbook ({exc})") from None


def _check_part(path: Path, archive, info) -> None:
    """Refuse an XML part beyond what a 104-week plan holds, or one with a single token
    (an attribute, a text) longer than any cell: the XML parser's time grows with the
    square of a token's length. One linear pass over the part, in chunks."""
    if info.file_size > MAX_PART_BYTES:
        raise PlanFileError(
            f"{path}: part {info.filename} unpacks to {info.file_size} bytes; a plan "
            f"workbook's parts are at most {MAX_PART_BYTES} bytes"
        )
    carry = 0  # bytes since the last '<' or '>' of the chunks before
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            stretches = _MARKUP.split(chunk)
            longest = carry + len(stretches[0])
            if len(stretches) > 1:
                longest = max(longest, max(map(len, stretches[1:])))
                carry = len(stretches[-1])
            else:
                carry = longest
            if longest > MAX_TOKEN_BYTES:
                raise PlanFileError(
                    f"{path}: part {info.filename} holds a value of more than "
                    f"{MAX_TOKEN_BYTES} bytes; no cell of a plan holds so much"
                )


def _read_sessions_sheet(
    path: Path, wb, extra: tuple[str, ...] = (), sheet: str = "Sessions"
) -> pd.DataFrame:
    if sheet not in wb.sheetnames:
        if wb.sheetnames[:2] == ["Squad", "Gym"]:
            raise PlanFileError(
                f"{path}: a squad workbook; `strideplan check SQUAD.yaml` checks it whole, "
                "and each athlete's plan workbook comes from `strideplan solve SQUAD.yaml "
                "--split DIR` (for ics, workouts and replan)"
            )
        raise PlanFileError(f"{path}: no 'Sessions' sheet (has: {', '.join(wb.sheetnames)})")
    ws = wb[sheet]
    if ws.max_row is not None and ws.max_row > MAX_ROWS + 1:  # the sheet's own dimension
        raise _too_long(path)
    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
    if not first:
        raise PlanFileError(f"{path}: sheet {sheet} is empty; expected a header row")
    header = [str(h).strip().lower() if h is not None else "" for h in first]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise PlanFileError(
            f"{path}: sheet {sheet} lacks column(s) {', '.join(missing)} "
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
                    f"{path}: {sheet}!{_where(col[name], r)} (row {r}, column {name}): a formula "
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
                f"{path}: {sheet}!{_where(col[exc.column], r)} (row {r}, column {exc.column}): {exc}"
            )
    if problems:
        raise PlanFileError("\n".join(problems[:20]))
    # order and minutes are always there (empty where the coach dropped them: filled
    # from the scenario by the checker and re-plan, from the catalog for the calendar)
    kept = [*names, *(n for n in OPTIONAL if n not in names)]
    return pd.DataFrame(out, columns=[*kept, *(e for e in extra if e not in kept)])


def _where(index: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

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
def write_comparison(
    results,
    names: list[str],
    metrics: pd.DataFrame,
    diffs: pd.DataFrame,
    path: str | Path,
    note: str = "",
) -> Path:
    """The comparison workbook: Comparison, Differences, then each variant's calendar and
    sessions; written atomically. ``note`` says how the plans were aligned."""

    first = next((r for r in results), None)
    with new_book(
        path,
        f"Comparison — {first.scenario.name}" if first is not None else "Comparison",
        plan_period(first) if first is not None else "",
    ) as book:
        fill_comparison(book, results, names, metrics, diffs, note)
    return Path(path)


def read_rows(path: Path, ws, required: tuple[str, ...]) -> list[dict]:
    """A sheet's rows as dicts by (lower-case) header, streamed; rows without a session
    (notes, totals a coach added) are skipped. Values only, as for the Sessions sheet: a
    formula (a workbook opened with formulas, ``data_only=False``) is bad input naming
    its cell."""
    rows = ws.iter_rows()
    header = [str(c.value).strip().lower() if c.value is not None else "" for c in next(rows, ())]
    missing = [c for c in required if c not in header]
    if missing:
        raise PlanFileError(f"{path}: sheet {ws.title} lacks column(s) {', '.join(missing)}")
    out = []
    for r, cells in enumerate(rows, start=2):
        for i, cell in enumerate(cells):
            if cell.data_type == "f" and i < len(header) and header[i]:
                raise PlanFileError(
                    f"{path}: {ws.title}!{_where(i, r)} (row {r}, column {header[i]}): a "
                    f"formula ({str(cell.value)[:40]}); replace it with its value"
                )
        values = dict(zip(header, (c.value for c in cells)))
        if values.get("session") in (None, ""):
            continue
        out.append(values)
    return out


#: a Calendar cell's line that names a session (a coach may type one too)
_CALENDAR_LINE = re.compile(
    r"^\s*(?:[▲■●]\s*)?(intervals|tempo|long run|easy run|strength \(legs\)|strength \(core\)"
    r"|power|race)(?!\w)",
    re.IGNORECASE,
)
_CALENDAR_SESSIONS = {
    "intervals": "intervals",
    "tempo": "tempo",
    "long run": "long_run",
    "easy run": "easy_run",
    "strength (legs)": "strength_lower",
    "strength (core)": "strength_core",
    "power": "power",
    "race": "race",
}


def calendar_cells(wb) -> dict[tuple[int, int], list[str]] | None:
    """The sessions an open plan workbook's Calendar sheet shows, by (plan week, weekday
    0..6): each cell line that starts with a session's name (as written, or typed by a
    coach). None when the workbook has no Calendar sheet in the layout strideplan writes
    (it is not judged)."""
    if "Calendar" not in wb.sheetnames:
        return None
    rows = wb["Calendar"].iter_rows(max_col=8, max_row=MAX_ROWS, values_only=True)
    shown: dict[tuple[int, int], list[str]] = {}
    in_grid = False
    for row in rows:
        first = str(row[0]).strip() if row and row[0] is not None else ""
        if first == "Week":
            in_grid = True
            continue
        week = re.match(r"^W(\d+)\b", first)
        if not in_grid or week is None:
            continue
        for k, value in enumerate(row[1:8]):
            sessions = []
            for line in str(value or "").splitlines():
                found = _CALENDAR_LINE.match(line)
                if found:
                    sessions.append(_CALENDAR_SESSIONS[found.group(1).lower()])
            shown[(int(week.group(1)), k)] = sessions
    return shown if in_grid else None
