"""What the commands print: rich tables that fit the terminal's width, plain lines for
pipes and narrow terminals, JSON for scripts (``--format rich|plain|json``).

The command layer decides what to say; this module decides how it looks. Nothing here
solves or writes: it reads finished results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from .result import arithmetic
from .safe_text import clean
from .shortfalls import week_notes


def _text(value: Any) -> Text:
    """A table cell: plain text (a scenario's '[red]' is not rich markup), cleaned."""
    return Text(clean(value))


#: the widest a "where" column needs to be worth showing
WHERE_MIN = 24


@dataclass
class RuleRow:
    """One rule's share of the objective."""

    rule: str
    points: int
    instances: int
    arithmetic: str
    where: list[str]


def rule_rows(result) -> list[RuleRow]:
    """The rules that fired, in the objective's order, with how their points add up."""
    by_rule = result.instances_by_rule()
    return [
        RuleRow(rule, points, len(fired), arithmetic(fired), [i.where.label for i in fired])
        for rule, points in result.penalties.items()
        if (fired := by_rule.get(rule))
    ]


def status_line(result) -> str:
    """'Name: optimal' and the numbers on a line of their own (fits 60 columns)."""
    return (
        f"{result.scenario.name}: {result.status}\n  objective {result.objective}  "
        f"bound {result.bound:g}  time {result.wall_time:.2f} s  seed {result.seed}  "
        f"workers {result.workers}"
    )


def answer_line(result, name: str | None = None) -> str:
    """The solve's answer in one line: status, objective, proven or the gap, time (a
    squad's ``result`` with the squad's ``name``)."""
    if result.status == "optimal":
        proof = "proven optimal"
    else:
        gap = abs(result.objective - result.bound) / max(1, abs(result.objective))
        proof = f"bound {result.bound:g}, gap {100 * gap:.1f} %"
    return (
        f"{name or result.scenario.name}: {result.status}, objective {result.objective} ({proof}), "
        f"{result.wall_time:.2f} s"
    )


def holds_line(result) -> str:
    """What the plan holds: sessions per kind, rest days, weeks by phase."""
    plan = result.plan
    kinds = plan.loc[plan["category"] != "mobility"]
    count = kinds["category"].value_counts()
    runs = f"{int(count.get('run', 0))} runs"
    work = [f"{int(count[c])} {c}" for c in ("strength", "power") if count.get(c, 0)]
    sessions = f"{runs}, {' and '.join(work)} sessions" if work else runs
    rest = len(result.calendar.days) - kinds["date"].nunique()
    phases = Counter(result.phases())
    weeks = ", ".join(f"{n} {phase}" for phase, n in phases.items())
    return f"  {result.scenario.weeks} weeks ({weeks}); {sessions}; {rest} rest days"


def detail_line(result) -> str:
    """The solver's numbers (``--verbose``, ``--format plain``)."""
    return (
        f"  objective {result.objective}  bound {result.bound:g}  time {result.wall_time:.2f} s"
        f"  seed {result.seed}  workers {result.workers}"
    )


def note_lines(result) -> list[str]:
    """The expected light weeks (SPEC v3), a line each: what they hold less of, and why."""
    return [f"note: week {w}: {text}" for w, text in week_notes(result.notes or []).items()]


def points_table(rows: list[RuleRow], total: int, width: int) -> Table | None:
    """The points per rule as a table that fits ``width`` columns without cutting a rule
    name or splitting a header mid-word (a 'where' column only where it has room), or
    None when even the narrow table does not fit (print :func:`points_lines` then)."""
    name = max([len(r.rule) for r in rows] + [len("total")])
    how = max([len(r.arithmetic) for r in rows] + [len("how")])
    points = max([len(f"{r.points:+d}") for r in rows] + [len(f"{total:+d}"), len("points")])
    narrow = name + how + points + 3 * 3 + 2  # SIMPLE box: padding 1 each side, edges
    if narrow > width:
        return None
    table = Table(box=box.SIMPLE, title="Points per rule (penalties +, rewards -)", expand=False)
    table.add_column("rule", no_wrap=True, min_width=name)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("how", no_wrap=True)
    with_where = width - narrow - 3 >= WHERE_MIN
    if with_where:
        table.add_column("where (first)", overflow="fold", max_width=width - narrow - 3)
    for r in rows:
        cells = [r.rule, f"{r.points:+d}", r.arithmetic]
        if with_where:
            cells.append(r.where[0] + (f" (+{len(r.where) - 1})" if len(r.where) > 1 else ""))
        table.add_row(*map(_text, cells))
    table.add_row("total", f"{total:+d}", "", *([""] if with_where else []), style="bold")
    return table


def points_lines(rows: list[RuleRow], total: int, shown: int = 3) -> list[str]:
    """The points per rule as plain lines (pipes, narrow terminals, ``--format plain``)."""
    out = ["points per rule (penalties +, rewards -):"]
    for r in rows:
        out.append(f"  {r.rule}: {r.points:+d} ({r.arithmetic})")
        out += [f"      {where}" for where in r.where[:shown]]
        if len(r.where) > shown:
            out.append(f"      … {len(r.where) - shown} more")
    out.append(f"  total: {total:+d}")
    return out


def binding_lines(result) -> list[str]:
    """The hard rules that bind, one line each (empty when none were looked for)."""
    if not result.bindings:
        return []
    out = ["Hard rules that bind (without one, the plan would score better):"]
    for bind in result.bindings:
        example = bind.days[0] if bind.days else "-"
        out.append(
            f"  {bind.rule}: {bind.points(result.objective)} points; "
            f"{len(bind.days)} change(s) without it, e.g. {example}"
        )
    return out


def _plain(value: Any) -> Any:
    """JSON for dates, dataclasses and numpy numbers."""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def result_json(result, written: list[str] | None = None) -> dict[str, Any]:
    """A solve's summary for scripts: status, score, warnings, points, binding rules."""
    out: dict[str, Any] = {
        "scenario": result.scenario.name,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "seconds": round(result.wall_time, 3),
        "seed": result.seed,
        "workers": result.workers,
        "warnings": [str(w) for w in result.warnings or []],
        "notes": [str(w) for w in result.notes or []],
    }
    if result.solved:
        out["points"] = [asdict(r) for r in rule_rows(result)]
        out["binding"] = [
            {
                "rule": b.rule,
                "objective_without": b.objective_without,
                "points": result.objective - b.objective_without,
                "proven": b.proven,
                "changes": b.days,
            }
            for b in result.bindings or []
        ]
    if result.explanation is not None:
        out["explanation"] = result.explanation.lines(result.scenario)
    if written is not None:
        out["written"] = written
    return out


def dumps(data: Any) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False, default=_plain)


def _cell(value: Any) -> str:
    return "" if value is None or value != value else str(value)


def _labels(names: list[str], room: int | None, widest_value: int):
    """Column headers for variants: their names when every one fits on one line in the
    room there is (or no room is set: plain lines), else '#1', '#2', … with a legend
    line per variant."""
    if room is None or sum(max(len(n), widest_value) + 3 for n in names) <= room:
        return list(names), []
    return [f"#{i}" for i in range(1, len(names) + 1)], [
        f"#{i}  {name}" for i, name in enumerate(names, 1)
    ]


def metrics_view(table, width: int | None) -> tuple[list[str], Table | None, list[str]]:
    """The comparison's metrics (rows) × variants (columns) for a terminal ``width``:
    (legend lines, a table or None, plain lines when no table fits). Metric names and
    headers are never cut or split mid-word; a rule that never fires is left out."""
    rows = []
    for metric, row in table.iterrows():
        values = [_cell(v) for v in row]
        if metric.startswith("points: ") and all(v in ("", "0") for v in values):
            continue  # a rule that never fires in any variant
        rows.append((metric, values))
    names = [str(n) for n in table.columns]
    metric_width = max(len(m) for m, _ in rows)
    widest = max((len(v) for _, values in rows for v in values), default=1)
    labels, legend = _labels(names, width and width - metric_width - 4, widest)
    if width is None or metric_width + 4 + sum(max(len(lb), widest) + 3 for lb in labels) > width:
        lines = []
        for metric, values in rows:
            lines.append(f"{metric}: " + " | ".join(f"{lb} {v}" for lb, v in zip(labels, values)))
        return legend, None, lines
    view = Table(title="Comparison", box=box.SIMPLE)
    view.add_column("metric", no_wrap=True, min_width=metric_width)
    for label in labels:
        view.add_column(_text(label), justify="right", no_wrap=True)
    for metric, values in rows:
        view.add_row(*map(_text, [metric, *values]))
    return legend, view, []


def differences_view(diffs, names: list[str], width: int | None, shown: int = 12):
    """The first days where variants differ: a table with one session per line in each
    cell (never a session name split), or plain lines when the table does not fit."""
    head = diffs.head(shown)
    keys = [c for c in diffs.columns if c not in names]
    variants = [c for c in diffs.columns if c in names]
    cells = [[str(v) for v in row] for row in head[keys].itertuples(index=False)]
    sessions = [
        [str(v).replace(", ", "\n") for v in row] for row in head[variants].itertuples(index=False)
    ]
    widest = max(
        (len(part) for row in sessions for cell in row for part in cell.split("\n")), default=4
    )
    fixed = sum(max([len(str(k))] + [len(c[i]) for c in cells]) + 3 for i, k in enumerate(keys))
    labels, legend = _labels(variants, width and width - fixed - 2, widest)
    if width is None or fixed + 2 + sum(max(len(lb), widest) + 3 for lb in labels) > width:
        lines = []
        for key_cells, row in zip(cells, head[variants].itertuples(index=False)):
            parts = "; ".join(f"{lb}: {v}" for lb, v in zip(labels, row))
            lines.append(f"{' '.join(key_cells)}  {parts}")
        return legend, None, lines
    view = Table(box=box.SIMPLE)
    for key in keys:
        view.add_column(_text(key), no_wrap=True)
    for label in labels:
        view.add_column(_text(label), no_wrap=True, min_width=widest)
    for key_cells, row in zip(cells, sessions):
        view.add_row(*map(_text, [*key_cells, *row]))
    return legend, view, []


def comparison_json(table, diffs, names, results, written) -> dict[str, Any]:
    """A comparison for scripts: every metric per variant, the differing days, and each
    infeasible variant's explanation."""
    metrics = {
        str(name): {metric: (None if _cell(v) == "" else v) for metric, v in table[name].items()}
        for name in table.columns
    }
    return {
        "variants": list(names),
        "metrics": metrics,
        "differences": diffs.to_dict(orient="records"),
        "explanations": {
            name: r.explanation.lines(r.scenario)
            for name, r in zip(names, results)
            if not r.solved and r.explanation is not None
        },
        "written": written,
    }


def replan_json(replanned, today, written: list[str] | None = None) -> dict[str, Any]:
    """A re-plan's summary for scripts: the changes first (as the terminal prints them),
    the facts of the past, then the new plan's status, score and warnings."""
    changes = [
        {"date": row.date, "session": row.session, "change": row.change, "rule": row.rule}
        for row in replanned.changes.itertuples(index=False)
    ]
    return {
        "today": today,
        "changes": changes,
        "missed": sum(c["change"] == "missed" for c in changes),
        "log_wins": replanned.log_wins,
        "activity_wins": replanned.activity_wins,
        "activities": [
            {
                "date": m.date,
                "session": m.session,
                "status": m.status,
                "minutes": m.minutes,
                "rpe": m.rpe,
                "how": m.how,
            }
            for m in replanned.matches
        ],
        "capped": replanned.capped,
        "past_facts": [str(f) for f in replanned.past_facts],
        **result_json(replanned.result, written),
    }


def athlete_counts(result) -> dict[str, int]:
    """An athlete's strength_lower, strength_core and power sessions."""
    counts = result.plan["session"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("strength_lower", "strength_core", "power")}


def squad_status_line(squad_result) -> str:
    """A squad solve's status, score and search in one line (``--format plain``)."""
    r = squad_result
    return f"{r.squad.name}: {r.status}{squad_detail_line(r)}"


def squad_detail_line(squad_result) -> str:
    """A squad solve's numbers (``--verbose``)."""
    r = squad_result
    return (
        f"  objective {r.objective}  bound {r.bound:g}  gap {r.gap:.2%}  time "
        f"{r.wall_time:.2f} s  seed {r.seed}  workers {r.workers}"
    )


def squad_holds_line(squad_result) -> str:
    """What a squad's plan holds, in one line: athletes by level, sessions, warnings."""
    r = squad_result
    levels = [a.scenario.athlete.level for a in r.results]
    by_level = ", ".join(
        f"{levels.count(lv)} {lv}"
        for lv in ("beginner", "intermediate", "advanced")
        if lv in levels
    )
    counts = [athlete_counts(a) for a in r.results]
    totals = {s: sum(c[s] for c in counts) for s in counts[0]}
    warnings = sum(len(a.warnings or []) for a in r.results)
    return (
        f"  {len(levels)} athletes ({by_level}): {totals['strength_lower']} legs, "
        f"{totals['strength_core']} core and {totals['power']} power sessions; "
        f"{warnings} warning(s)"
    )


def gym_line(squad_result) -> str | None:
    """How full the gym is on the days it has a capacity (None: no capacity set)."""
    use = squad_result.gym_use()
    limited = use[use["capacity"].notna()]
    if not len(limited):
        return None
    full = limited[limited["free"] == 0]
    return (
        f"Gym: {len(full)} of {len(limited)} capacity day(s) full "
        f"({int(limited['used'].sum())} legs sessions on them)"
    )


def squad_lines(squad_result) -> list[str]:
    """A squad solve as plain lines, one fact per line: warnings by athlete, the status,
    one line per athlete (level, points, sessions, warnings) and the gym's use."""
    r = squad_result
    lines = [
        f"warning: {name}: {w}"
        for name, a in zip(r.squad.names, r.results)
        for w in a.warnings or []
    ]
    lines.append(squad_status_line(r))
    for name, a in zip(r.squad.names, r.results):
        n = athlete_counts(a)
        lines.append(
            f"athlete {name}: {a.scenario.athlete.level}, points {a.objective:+d}, "
            f"legs {n['strength_lower']}, core {n['strength_core']}, power {n['power']}, "
            f"warnings {len(a.warnings or [])}"
        )
    gym = gym_line(r)
    if gym is not None:
        lines.append(gym)
    return lines


def squad_json(squad_result, written: list[str] | None = None) -> dict[str, Any]:
    """A squad solve for scripts: status and score, each athlete's summary (points per
    rule, sessions, warnings) and the gym's use per day against its capacity."""
    import pandas as pd

    r = squad_result
    out: dict[str, Any] = {
        "squad": r.squad.name,
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "seconds": round(r.wall_time, 3),
        "seed": r.seed,
        "workers": r.workers,
    }
    if r.solved:
        out["athletes"] = [
            {
                "name": name,
                "level": a.scenario.athlete.level,
                "objective": a.objective,
                "sessions": athlete_counts(a),
                "warnings": [str(w) for w in a.warnings or []],
                "points": [asdict(row) for row in rule_rows(a)],
            }
            for name, a in zip(r.squad.names, r.results)
        ]
        use = r.gym_use()
        out["gym"] = [
            {
                "date": row.date,
                "week": int(row.week),
                "day": row.day,
                "capacity": None if pd.isna(row.capacity) else int(row.capacity),
                "used": int(row.used),
                "free": None if pd.isna(row.free) else int(row.free),
                "athletes": [n for n in row.athletes.split(", ") if n],
            }
            for row in use.itertuples(index=False)
        ]
    if r.explanation is not None:
        out["explanation"] = r.explanation.lines()
    if written is not None:
        out["written"] = written
    return out
