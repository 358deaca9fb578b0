"""The Rules sheet: every rule with its kind, setting, weight, source (the seed or the
practice it follows, as SPEC's rules table), points and where it fired or binds.

The Rule column says each rule in a coach's words with its key under it in a smaller
grey font (the key is what ``--set rules.KEY=…`` takes): a long key such as
``lower_strength_per_week`` then has a line of its own instead of a narrow column that
breaks it mid-word."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from .book import GRID_COLOUR, NOTE_COLOUR, Book, lines_height, row_points
from .tables import table

WIDTHS = {
    "Rule": 27,
    "Kind": 10,
    "Setting": 16,
    "Weight": 6,
    "Source": 27,
    "Points": 6,
    "Times": 5,
    "Where (and why it binds)": 38,
    "Broken": 6,
}
#: where a rule fired: the first few places (Times counts them all)
SHOWN = 4
#: the font size of a rule's key under its label
KEY_SIZE = 9


def rules_table(result, violations=()) -> pd.DataFrame:
    """One row per rule, headed in a coach's words (``Rule``: the rule's key)."""
    sc = result.scenario
    by_rule = result.instances_by_rule()
    broken: dict[str, int] = {}
    for v in violations:
        broken[v.rule] = broken.get(v.rule, 0) + 1
    binds = {b.rule: b for b in (result.bindings or [])}
    rows = []
    for rule in result.rules:
        fired = by_rule.get(rule.key, [])
        shown = "; ".join(f"{i.where} ({i.points:+d})" for i in fired[:SHOWN])
        if len(fired) > SHOWN:
            shown += f"; … {len(fired) - SHOWN} more"
        bind = binds.get(rule.key)
        if bind is not None:
            shown = (
                f"binds: without it {bind.points(result.objective)} points better, with "
                f"{len(bind.days)} change(s): "
                + "; ".join(bind.days[:3])
                + ("; …" if len(bind.days) > 3 else "")
                + (f" | {shown}" if shown else "")
            )
        rows.append(
            {
                "Rule": rule.key,
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
        wrap=("Kind", "Setting", "Source", "Where (and why it binds)"),
    )
    _label_and_key(book, ws, used[0], result.rules)
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


def rule_cell_points(label: str, key: str, width: float) -> float:
    """The height of a Rule cell: the label, then the key in the smaller font."""
    return lines_height([(label, 10, False), (key, KEY_SIZE, False)], width)


def _label_and_key(book: Book, ws: Worksheet, width: float, rules) -> None:
    """Each rule's row: the label over its key (grey, smaller); the row grows to fit."""
    cell = book.fmt(border=1, border_color=GRID_COLOUR, valign="top", text_wrap=True)
    key_font = book.fmt(font_size=KEY_SIZE, font_color=NOTE_COLOUR)
    for r, rule in enumerate(rules, start=1):
        book.rich(ws, r, 0, [(rule.label, None), (rule.key, key_font)], cell)
        ws.set_row(r, max(row_points(ws, r), rule_cell_points(rule.label, rule.key, width)))
