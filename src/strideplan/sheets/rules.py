"""The Rules sheet: every rule with its kind, setting, weight, source (the seed or the
practice it follows, as SPEC's rules table), points and where it fired or binds."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..rules import RULES
from .book import NOTE_COLOUR, Book
from .tables import table

WIDTHS = {
    "Rule": 18,
    "What it means": 27,
    "Kind": 7,
    "Setting": 14,
    "Weight": 6,
    "Source": 22,
    "Points": 6,
    "Times": 5,
    "Where (and why it binds)": 31,
    "Broken": 6,
}


def rules_table(result, violations=()) -> pd.DataFrame:
    """One row per rule, headed in a coach's words."""
    sc = result.scenario
    by_rule = result.instances_by_rule()
    broken: dict[str, int] = {}
    for v in violations:
        broken[v.rule] = broken.get(v.rule, 0) + 1
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
                "Rule": rule.key,
                "What it means": rule.label,
                "Kind": rule.effective_kind(sc) if rule.enabled(sc) else f"{rule.kind} (off)",
                "Setting": rule.describe(sc),
                "Weight": rule.weight(sc),
                "Source": rule.source,
                "Points": result.penalties.get(rule.key, 0)
                if fired or rule.key in result.penalties
                else None,
                "Times": len(fired),
                "Where (and why it binds)": shown,
                "Broken": broken.get(rule.key, 0),
            }
        )
    return pd.DataFrame(rows, columns=list(WIDTHS))


def write_rules_sheet(book: Book, result, violations=(), name: str = "Rules") -> Worksheet:
    """The Rules sheet of one result (``violations`` from the self-check)."""
    ws = book.sheet(name)
    df = rules_table(result, violations)
    used = table(
        book,
        ws,
        df,
        WIDTHS,
        wrap=("Rule", "What it means", "Setting", "Source", "Where (and why it binds)"),
    )
    total = len(df) + 2
    bold = book.fmt(bold=True)
    ws.write_string(total, 0, "objective (sum of points)", bold)
    book.put(ws, total, list(WIDTHS).index("Points"), result.objective, bold)
    if result.bindings is None:
        ws.write_string(
            total + 1,
            0,
            "Binding hard rules were not computed (solve --no-why); "
            "`strideplan explain` shows them.",
            book.fmt(font_color=NOTE_COLOUR),
        )
    book.print_setup(ws, used, title_rows=(0, 0))
    return ws
