"""The Scenario sheet: the solver's statistics and the scenario as solved (defaults
filled in), as YAML that loads back; printed compactly (leaf lists and mappings inline)."""

from __future__ import annotations

import platform

import pandas as pd
import yaml
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..scenario import ScenarioError, validate
from .book import Book

#: the Solver row of a re-plan's first re-planned day (``replan --today``)
REPLANNED_FROM = "replanned from"
TITLE = "Scenario (as solved; settings at their default are left out, the Rules sheet has all)"
WIDTHS = (34.0, 56.0)


def _dump(data: dict) -> str:
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=92
    )


def scenario_yaml(result) -> str:
    """The scenario as solved, in compact YAML (inner collections in flow style, settings
    at their default left out) that loads back to the same scenario; where leaving the
    defaults out would change it, every setting is written."""

    sc = result.scenario
    short = _dump(
        sc.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    )
    try:
        if validate(yaml.safe_load(short), "Scenario sheet") == sc:
            return short
    except ScenarioError:
        pass
    return _dump(sc.model_dump(mode="json", by_alias=True, exclude_none=True))


def write_scenario_sheet(book: Book, result, name: str = "Scenario") -> Worksheet:
    """The Scenario sheet of one result."""
    import ortools

    ws = book.sheet(name)
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
        ("written", book.written.replace(microsecond=0).isoformat()),
    ]
    if result.calendar.today is not None:  # a re-plan: check judges the days from it on
        stats.append((REPLANNED_FROM, result.calendar.today.isoformat()))
    heading = book.fmt(bold=True, font_size=12)
    bold = book.fmt(bold=True)
    left = book.fmt(align="left")
    ws.write_string(0, 0, "Solver", heading)
    for i, (key, value) in enumerate(stats, start=1):
        ws.write_string(i, 0, key, bold)
        book.put(ws, i, 1, value, left)
    start = len(stats) + 2
    ws.write_string(start, 0, TITLE, heading)
    mono = book.fmt(font_name="Courier New", font_size=9)
    lines = scenario_yaml(result).splitlines()
    for i, line in enumerate(lines, start=start + 1):
        ws.write_string(i, 0, line, mono)
        ws.set_row(i, 11.5)
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    book.print_setup(ws, WIDTHS, orientation="portrait")
    ws.print_area(0, 0, start + len(lines), len(WIDTHS) - 1)
    return ws
