"""Plans under different constraints, side by side.

Variants come from several scenario files, from ``--variant 'NAME: K=V, K=V'``
overrides, from a scenario's own ``variants:`` section, or from ``--sweep K=V1,V2``
(several sweeps make a grid). They are solved concurrently (CP-SAT releases the GIL
while it searches) and each result is exactly what solving that variant alone gives.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .catalog import CATEGORIES
from .explain import show_value
from .load import weekly_table
from .result import Result
from .scenario import Scenario, ScenarioError, load_raw, parse_value, with_overrides


@dataclass
class Variant:
    """A named scenario to compare."""

    name: str
    scenario: Scenario


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside brackets/braces/quotes (``a=[1, 2], b=3`` -> 2 parts)."""
    parts, depth, quote, current = [], 0, None, []
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """``'NAME: K=V, K=V'`` -> (name, {K: V})."""
    name, sep, body = text.partition(":")
    if not sep or not name.strip():
        raise ScenarioError([f"--variant {text!r}: expected 'NAME: KEY=VALUE, KEY=VALUE'"])
    overrides = {}
    for item in split_top_level(body):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise ScenarioError([f"--variant {text!r}: {item!r} is not KEY=VALUE"])
        overrides[key.strip()] = parse_value(value.strip())
    return name.strip(), overrides


def parse_sweep(text: str) -> tuple[str, list[Any]]:
    """``'K=V1,V2,V3'`` -> (K, [V1, V2, V3])."""
    key, eq, values = text.partition("=")
    items = split_top_level(values)
    if not eq or not key.strip() or not items:
        raise ScenarioError([f"--sweep {text!r}: expected KEY=V1,V2,..."])
    return key.strip(), [parse_value(v) for v in items]


def build_variants(
    paths: list[str], sets: dict[str, Any], variants: list[str], sweeps: list[str]
) -> list[Variant]:
    """Every variant to compare, validated (ScenarioError on bad input)."""
    out: list[Variant] = []
    raws = [(p, *load_raw(p)) for p in paths]
    if len(raws) > 1:
        for path, data, tree in raws:
            sc = with_overrides(data, sets, path, tree)
            out.append(Variant(_unique(Path(path).stem, out), sc))
    path, data, tree = raws[0]
    named = [parse_variant(v) for v in variants]
    grid = [parse_sweep(s) for s in sweeps]
    if len(raws) == 1:  # one scenario: its baseline, then its what-ifs
        base = with_overrides(data, sets, path, tree)
        out.append(Variant("baseline", base))
        if not named and not grid:
            named = list(base.variants.items())
    # --variant and --sweep are what-ifs of the first scenario
    for name, overrides in named:
        out.append(
            Variant(_unique(name, out), with_overrides(data, {**sets, **overrides}, path, tree))
        )
    if grid:
        keys = [k for k, _ in grid]
        for values in itertools.product(*(v for _, v in grid)):
            overrides = dict(zip(keys, values))
            name = ", ".join(f"{k.split('.')[-1]}={show_value(v)}" for k, v in overrides.items())
            out.append(
                Variant(_unique(name, out), with_overrides(data, {**sets, **overrides}, path, tree))
            )
    return out


def _unique(name: str, existing: list[Variant]) -> str:
    names = {v.name for v in existing}
    if name not in names:
        return name
    i = 2
    while f"{name} ({i})" in names:
        i += 1
    return f"{name} ({i})"


def metrics(results: list[Result], names: list[str]) -> pd.DataFrame:
    """Metrics × variants: status, objective, points per rule, counts, minutes, load."""
    columns = {}
    rule_keys: list[str] = []
    for r in results:
        for key in r.penalties:
            if key not in rule_keys:
                rule_keys.append(key)
    for name, r in zip(names, results):
        col: dict[str, Any] = {
            "status": r.status,
            "objective": r.objective,
            "warnings": len(r.warnings or []) if r.solved else None,
        }
        for key in rule_keys:
            col[f"points: {key}"] = r.penalties.get(key) if r.solved else None
        if r.solved:
            weekly = weekly_table(r)
            weeks = len(weekly)
            for cat in CATEGORIES:
                col[f"{cat} sessions"] = int(weekly[f"{cat}_n"].sum())
            col["hard days"] = int(weekly["hard_days"].sum())
            col["rest days"] = int(weekly["rest_days"].sum())
            col["minutes per week"] = round(weekly["total_min"].sum() / weeks, 1)
            col["load per week"] = round(weekly["load"].sum() / weeks, 1)
            col["static weeks"] = int((weekly["phase"] == "static").sum())
        else:
            for key in [f"{c} sessions" for c in CATEGORIES] + [
                "hard days",
                "rest days",
                "minutes per week",
                "load per week",
                "static weeks",
            ]:
                col[key] = None
        col["solve time (s)"] = round(r.wall_time, 2)
        columns[name] = col
    return pd.DataFrame(columns)


#: Rows of the metrics table where lower is better (the workbook highlights the best).
LOWER_IS_BETTER = re.compile(r"^(objective|points: .*)$")


def aligned_by_week(results: list[Result]) -> bool:
    """Whether the solved plans start on different dates: then days are compared by plan
    week and weekday (week 3's Tuesday with week 3's Tuesday), not by date."""
    return len({r.scenario.start for r in results if r.solved}) > 1


def alignment_note(results: list[Result]) -> str:
    """What the Differences sheet and the summary say about how days were matched."""
    if not aligned_by_week(results):
        return ""
    starts = ", ".join(sorted({f"{r.scenario.start}" for r in results if r.solved}))
    return (
        f"The plans start on different dates ({starts}): days are compared by plan week "
        "and weekday, not by date."
    )


def differences(results: list[Result], names: list[str]) -> pd.DataFrame:
    """The days where the solved variants' sessions differ, side by side: by date, or by
    plan week and weekday when the plans start on different dates."""
    solved = [i for i, r in enumerate(results) if r.solved]
    by_week = aligned_by_week(results)
    maps = []
    for r in results:
        days = r.sessions_by_day()
        if by_week:
            days = {((d - r.scenario.start).days // 7 + 1, d.weekday()): v for d, v in days.items()}
        maps.append(days)
    keys = sorted(set().union(*(maps[i].keys() for i in solved))) if solved else []
    first = ["week", "day"] if by_week else ["date", "day"]
    weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    rows = []
    for key in keys:
        values = [maps[i].get(key, "rest") for i in solved]
        if len(set(values)) > 1:
            row = (
                {"week": key[0], "day": weekdays[key[1]]}
                if by_week
                else {"date": key, "day": key.strftime("%a").lower()}
            )
            row.update({names[i]: v for i, v in zip(solved, values)})
            rows.append(row)
    return pd.DataFrame(rows, columns=[*first, *[names[i] for i in solved]])
