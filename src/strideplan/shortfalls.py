"""What a plan could not do (SPEC v2): the weekly minimums the optimum misses and the
static weeks it holds beyond the block structure, each with the reason.

A shortfall in a week that is not clean, or a static week (no power) outside a race
season that does not simply follow a full dynamic block, is a target the plan dropped.
The reason is found the way an infeasible scenario is explained: the week's target is
made hard, every rule sits behind a guard literal, and a minimal set of rules that
cannot hold together with the target is extracted. An empty set means the rules allow
the target but meeting it costs more points elsewhere than missing it.

This sits above :mod:`strideplan.result`: it reads a solved Result and never changes it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .calendar import weeks_text
from .explain import is_feasible, rule_order, shrink_conflict
from .model import build
from .plan import PlanView, placed_sessions
from .rules import RULES_BY_KEY


@dataclass
class PlanWarning:
    """A target the plan dropped: the rule, the weeks (1-based), what and why."""

    rule: str
    weeks: list[int]
    what: str
    reasons: list[str] = field(default_factory=list)
    context: str = ""  # what the weeks hold: away days, a race's windows, a break
    #: an expected light week (SPEC v3): the week's own windows keep the target out
    note: bool = False

    def __str__(self) -> str:
        weeks = weeks_text(self.weeks)
        if self.note:
            context = f" ({self.context})" if self.context else " (the week's windows)"
            return f"{self.rule}: {self.what} in {weeks}{context}"
        if self.reasons:
            why = "kept out by " + ", ".join(self.reasons)
        else:
            why = "it could fit, but the plan scores better without it (--verbose: the points)"
        context = f"; {self.context}" if self.context else ""
        return f"{self.rule}: {self.what} in {weeks} ({why}{context})"


#: what a note says a light week holds less of, in a coach's words
LIGHTER = {
    "strength_per_week": "fewer strength sessions",
    "lower_strength_per_week": "fewer heavy-legs sessions",
    "power_per_week": "less power",
    "dynamic_blocks": "no power",
    "runs.easy_runs": "fewer easy runs",
    "rest_days_per_week": "fewer rest days",
}


def week_notes(notes: list[PlanWarning]) -> dict[int, str]:
    """One line per light week (1-based): what it holds less of, and why.
    E.g. ``{9: "fewer strength sessions, fewer easy runs: 5 away days"}``."""
    by_week: dict[int, list[PlanWarning]] = {}
    for note in notes:
        for w in note.weeks:
            by_week.setdefault(w, []).append(note)
    out = {}
    for w, found in sorted(by_week.items()):
        what = ", ".join(dict.fromkeys(LIGHTER.get(n.rule, n.rule) for n in found))
        why = next((n.context for n in found if n.context), "")
        out[w] = f"{what}: {why}" if why else what
    return out


def week_context(cal, week: int) -> str:
    """What a week holds that is not a plain training week, in words."""
    days = cal.week_days(week)
    parts = []
    away = sum(d.away for d in days)
    if away:
        parts.append(f"{away} away day{'s' * (away > 1)}")
    for d in days:
        if d.race is not None:
            parts.append(f"race {d.race.name}")
    windows = [
        ("strength cut-off", {d.taper_of.name for d in days if d.taper_of}),
        ("race eve", {d.eve_of.name for d in days if d.eve_of}),
        ("recovery", {d.recovery_of.name for d in days if d.recovery_of}),
    ]
    for what, names in windows:
        if names:
            parts.append(f"{what} of {', '.join(sorted(names))}")
    if any(d.returning for d in days):
        parts.append("return ramp after a break")
    return "; ".join(parts)


def _expected_static(result) -> set[int]:
    """0-based static weeks the block structure calls for: the rest phase that follows
    a full dynamic block, and a static week that, dynamic, would join the blocks beside
    it into one longer than the longest allowed."""
    setting = result.scenario.rules.dynamic_blocks
    dynamic = [bool(d) for d in result.dynamic]
    out: set[int] = set()
    run = 0
    for w, dyn in enumerate(dynamic):
        if dyn:
            run += 1
            continue
        if run >= setting.min:
            out.update(range(w, min(w + setting.static_between, len(dynamic))))
        run = 0
    for w, dyn in enumerate(dynamic):  # a separator: dynamic, it would join a block
        if not dyn and w not in out:  # beyond the longest a block may be
            before = next((k for k in range(w) if not all(dynamic[w - k - 1 : w])), w)
            after = next(
                (k for k in range(len(dynamic) - w) if not all(dynamic[w + 1 : w + k + 2])),
                len(dynamic) - w - 1,
            )
            if before + 1 + after > setting.max:
                out.add(w)
    return out


def _targets(result) -> list[tuple[str, int]]:
    """(rule, 0-based week) of every dropped target, in week order."""
    out: list[tuple[str, int]] = []
    for inst in result.instances:
        if inst.shortfall:
            out.append((inst.rule, (inst.where.first - result.scenario.start).days // 7))
    blocks = result.scenario.rules.dynamic_blocks
    if blocks.enabled and result.dynamic:
        expected = _expected_static(result)
        for w, dyn in enumerate(result.dynamic):
            if not dyn and w not in result.calendar.season_weeks and w not in expected:
                out.append(("dynamic_blocks", w))
    return sorted(set(out), key=lambda t: (t[1], t[0]))


#: Weeks either side of a target whose sessions stay free while its reason is sought;
#: further away the plan is held as solved (the rules that reach across weeks reach at
#: most ``max_days_without_strength`` days). Power and the dynamic/static choice stay
#: free everywhere: a dynamic block reaches over many weeks.
REACH_WEEKS = 2

#: The reason when the week's own days leave no room (away, race windows, no time).
CALENDAR = "the week's days"


def _reason(result, placed, rule: str, week: int, time_limit: float, extra=None) -> list[str]:
    """A minimal set of hard rules that cannot hold with the week's target.

    For a static week the first question is whether a power session could stand in the
    week at all (the block structure aside); only if it could do the blocks come in.
    """
    static_week = rule == "dynamic_blocks"
    without = ("dynamic_blocks", "power_per_week") if static_week else ("dynamic_blocks",)
    alone = _core(result, placed, rule, week, time_limit, without=without, extra=extra)
    if alone or not static_week:
        return alone
    return _core(result, placed, rule, week, time_limit, extra=extra)  # the blocks too


def _core(
    result,
    placed,
    rule: str,
    week: int,
    time_limit: float,
    without: tuple[str, ...] = (),
    extra=None,
) -> list[str]:
    """The week's minimum of ``rule`` made hard; a minimal conflict with it, if any.
    ``extra(b)`` adds guarded constraints from outside the athlete (a squad's gym)."""
    keep = {r.key for r in RULES_BY_KEY.values() if r.key not in without}
    cal = result.calendar
    if "dynamic_blocks" not in without:
        # a dynamic block reaches over many weeks: the whole plan, held as solved more
        # than REACH_WEEKS away. Asked first of the plain (folded) model: when every rule
        # allows the target, no guarded model is needed (52 weeks: 0.04 s to build
        # against 0.14 s guarded, and one solve instead of two)
        if extra is None:
            b = build(result.scenario, cal, only=keep)
            _hold(b, result, placed, week)
            if _target(b, rule, week) and is_feasible(b, [], time_limit, presolve=False):
                return []
        b = build(result.scenario, cal, guarded=True, only=keep)
        _hold(b, result, placed, week)
    else:
        # the rest reach a few days across a week: the weeks around the target suffice
        first = max(0, week - REACH_WEEKS)
        cal = cal.window(first, week + REACH_WEEKS)
        week -= first
        b = build(cal.scenario, cal, guarded=True, only=keep)
    if extra is not None:
        extra(b)
    if not _target(b, rule, week):
        return [CALENDAR]  # no session of the kind can stand on any day of the week
    if not is_feasible(b, [], time_limit, presolve=False):
        return [CALENDAR]  # impossible with every rule relaxed: the days themselves
    return sorted(shrink_conflict(b, time_limit, presolve=False), key=rule_order)


def _hold(b, result, placed, week: int) -> None:
    """The plan as solved, fixed more than REACH_WEEKS from ``week`` and a hint nearer
    (power and the dynamic/static choice stay free everywhere, hinted)."""
    near = range(7 * (week - REACH_WEEKS), 7 * (week + REACH_WEEKS + 1))
    for s, vars_ in b.placed.items():
        for d, var in vars_.items():
            if isinstance(var, int):
                continue  # folded: a placement a hard rule forbids outright
            if d not in near and s != "power":
                b.model.Add(var == placed.get(s, {}).get(d, 0))
            else:  # the plan as solved is all but a solution: a strong start
                b.model.AddHint(var, placed.get(s, {}).get(d, 0))
    for w, var in enumerate(b.dynamic):
        if not isinstance(var, int):
            b.model.AddHint(var, int(result.dynamic[w]))


def _target(b, rule: str, week: int) -> bool:
    """Make the week's minimum of ``rule`` hard in ``b`` (for a static week: a power
    session in a dynamic week); False if no session of the kind can stand in the week."""
    cal = b.cal
    days = range(7 * week, 7 * week + 7)
    weekly = RULES_BY_KEY["power_per_week" if rule == "dynamic_blocks" else rule]
    count = weekly.count_expr(b, days)
    lo, _ = weekly.bounds(cal.scenario, cal, week)
    if weekly.key == "power_per_week":
        lo = max(1, lo)
        if not isinstance(b.dynamic[week], int):
            b.model.Add(b.dynamic[week] == 1)
    if isinstance(count, int):
        return count >= lo
    b.model.Add(count >= lo)
    return True


def _windows_explain(result, rule: str, week: int, time_limit: float, extra=None) -> bool:
    """Whether the week's own windows are what keep the target out (SPEC v3): the week
    without them (:meth:`Calendar.plain_week`) could hold it, the weeks around it as
    free as the rules let them be. Then the light week is expected: a note."""
    cal = result.calendar
    if not cal.holds_windows(week):
        return False
    first = max(0, week - REACH_WEEKS)
    part = cal.window(first, week + REACH_WEEKS).plain_week(week - first)
    b = build(part.scenario, part, guarded=extra is not None)
    if extra is not None:
        extra(b)
    if not _target(b, rule, week - first):
        return False
    return is_feasible(b, list(b.guards), time_limit, presolve=False)


def _finding(result, placed, rule: str, week: int, time_limit: float, extra=None):
    """(note?, reasons) of a dropped target. A shortfall the week's windows explain is a
    note and needs no reasons; a static week is a note only where power cannot stand in
    it as it is (power dropped though it could fit stays a warning) and its windows
    explain that."""
    if rule != "dynamic_blocks" and _windows_explain(result, rule, week, time_limit, extra):
        return True, []
    reasons = _reason(result, placed, rule, week, time_limit, extra)
    if rule == "dynamic_blocks" and reasons:
        return _windows_explain(result, rule, week, time_limit, extra), reasons
    return False, reasons


def plan_warnings(result, time_limit: float = 5.0, extra=None) -> list[PlanWarning]:
    """The targets the solved plan dropped that are surprises (see :func:`plan_findings`)."""
    return plan_findings(result, time_limit, extra)[0]


def plan_findings(
    result, time_limit: float = 5.0, extra=None
) -> tuple[list[PlanWarning], list[PlanWarning]]:
    """Every target the solved plan dropped, grouped by rule and reason: the warnings
    (surprises: the athlete's settings keep it out, or power could fit) and the notes
    (expected light weeks, explained by their own windows).

    ``extra(b)``: called on each analysis's build to add constraints the athlete's own
    rules don't hold, each behind a guard in ``b.guards`` named as it should read in a
    reason (a squad's gym capacity: :mod:`strideplan.squad.report`)."""
    if not result.solved:
        return [], []
    targets = _targets(result)
    if not targets:
        return [], []
    cal = result.calendar
    placed = placed_sessions(PlanView(cal, result.plan))
    # weeks of one rule that hold the same kind of days share a reason: analyse the first
    groups: dict[tuple[str, str], list[int]] = {}
    for rule, week in targets:
        groups.setdefault((rule, _kind_of_week(cal, week)), []).append(week)
    jobs = [(rule, weeks[0]) for (rule, _), weeks in groups.items()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda job: _finding(result, placed, *job, time_limit, extra), jobs))
    # groups of one rule that found the same reason read as one warning (week 1 is
    # analysed apart, having no week before it, but usually says the same); notes stay
    # a week each, for the Calendar's rows
    merged: dict[tuple, list[list[int]]] = {}
    for ((rule, _), weeks), (note, reasons) in zip(groups.items(), found):
        if note:
            for w in weeks:
                merged.setdefault((rule, True, w), []).append([w])
        else:
            merged.setdefault((rule, False, tuple(reasons)), []).append(weeks)
    warnings: list[PlanWarning] = []
    notes: list[PlanWarning] = []
    for (rule, note, reasons), parts in merged.items():
        what = (
            "no power (a static week beyond the block structure)"
            if rule == "dynamic_blocks"
            else "short of the weekly minimum"
        )
        weeks = sorted(w for part in parts for w in part)
        context = week_context(cal, weeks[0]) if len(weeks) == 1 else ""
        if note:
            notes.append(PlanWarning(rule, [w + 1 for w in weeks], what, [], context, True))
        else:
            warnings.append(PlanWarning(rule, [w + 1 for w in weeks], what, list(reasons), context))
    order = lambda w: (w.weeks[0], w.rule)  # noqa: E731
    return sorted(warnings, key=order), sorted(notes, key=order)


def _kind_of_week(cal, week: int) -> str:
    """A signature of what a week holds (away days, which windows, which weekdays)."""
    return f"{week == 0}|" + "|".join(
        f"{int(d.away)}{int(bool(d.race))}{int(bool(d.taper_of))}{int(bool(d.eve_of))}"
        f"{int(bool(d.recovery_of))}{int(d.returning)}{d.fixed_runs}"
        for d in cal.week_days(week)
    )
