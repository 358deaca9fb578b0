"""The scenario file: its schema (validated with pydantic), loading and ``--set`` overrides.

A scenario says when the athlete is free, which days are run days, which races are
coming, and how the training rules are tuned. ``load_scenario`` reads YAML, JSON or
TOML, applies ``--set KEY=VALUE`` overrides to the raw data, and validates the result
into a typed :class:`Scenario`. Every problem becomes a :class:`ScenarioError` that
names the file, the key path, the line where the file gives one, and what was expected.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    ValidationError,
)

from .errors import (  # noqa: F401
    dedupe_keys,
    format_error,
)
from .fields import (  # noqa: F401
    ALL_DAY,
    CONTROL,
    DATE_MAX,
    DATE_MIN,
    MAX_DAYS,
    MAX_MINUTES,
    MAX_PER_WEEK,
    MAX_WEEKS,
    MAX_WEIGHT,
    Count,
    DayCount,
    FixedRun,
    Minutes,
    Name,
    PlanDate,
    ScenarioError,
    SessionKey,
    StrictModel,
    Text,
    Weekday,
    Weeks,
    Weight,
    monday,
)
from .overrides import (  # noqa: F401
    apply_override,
    name_overrides,
    parse_assignments,
    parse_value,
    spelled,
)
from .reading import (  # noqa: F401
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_FILE_BYTES,
    MAX_NODES,
    YAML11_NUMBER,
    YAML11_WORDS,
    is_squad,
    line_of,
    load_raw,
    load_yaml,
)
from .schema import (  # noqa: F401
    Athlete,
    DateSpan,
    DistanceName,
    Preferences,
    Race,
    Runs,
    Scenario,
    SessionOverride,
    SolverSettings,
    scenario_schema,
)
from .settings import (  # noqa: F401
    AtLeastRule,
    BlocksRule,
    BreakRule,
    CountRule,
    DaysRule,
    DeloadRule,
    LimitRule,
    RaceDaysRule,
    Rules,
    RuleSetting,
    RunTaperRule,
    SessionsRule,
    SoftRule,
    SpikeRule,
    TaperFactors,
    WeekdaysRule,
)


def validate(data: Any, source: str, tree: yaml.Node | None = None) -> Scenario:
    """Validate raw scenario data into a :class:`Scenario` or raise :class:`ScenarioError`."""
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                f"{source}: expected a mapping of keys (name, start, weeks, ...) "
                f"at the top level, got {type(data).__name__}"
            ]
        )
    problems = shape_problems(data, source, tree)
    if problems:
        raise ScenarioError(problems)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [format_error(source, e, tree, data) for e in dedupe_keys(exc.errors(), data)]
        raise ScenarioError(problems) from None
    problems = _calendar_problems(scenario, source, tree)
    problems += _day_count_problems(scenario, data, source, tree)
    if not problems:  # a variant would only repeat the base's problem, once per variant
        problems = _variant_problems(data, scenario, source, tree)
    if problems:
        raise ScenarioError(problems)
    return scenario


def shape_problems(data: Any, source: str, tree: yaml.Node | None) -> list[str]:
    """Nesting deeper than MAX_DEPTH and control characters in any text or key, each
    named by its key path (checked on the data, so --set values and variants too)."""
    problems: list[str] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack and len(problems) < 20:
        loc, node = stack.pop()
        if len(loc) > MAX_DEPTH:
            problems.append(_at(source, tree, loc[:MAX_DEPTH], f"nesting deeper than {MAX_DEPTH}"))
            continue
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and CONTROL.search(key):
                    problems.append(
                        _at(source, tree, loc, f"key {key!r}: control characters are not allowed")
                    )
                stack.append(((*loc, key), value))
        elif isinstance(node, list):
            stack.extend(((*loc, i), value) for i, value in enumerate(node))
        elif isinstance(node, str) and CONTROL.search(node):
            problems.append(
                _at(source, tree, loc, f"control characters are not allowed (got {node!r})")
            )
    return problems


def _at(source: str, tree: yaml.Node | None, loc: tuple, message: str) -> str:
    path = ".".join(str(p) for p in loc) or "(top level)"
    line = line_of(tree, loc) if tree is not None else None
    return f"{source}: {path}" + (f" (line {line})" if line else "") + f": {message}"


def _variant_problems(
    data: dict, scenario: Scenario, source: str, tree: yaml.Node | None
) -> list[str]:
    """Each ``variants:`` entry must give a valid scenario too (caught before `compare`)."""
    problems = []
    base = with_default_availability({k: v for k, v in data.items() if k != "variants"})
    for name, overrides in scenario.variants.items():
        variant = copy.deepcopy(base)
        try:
            for key, value in overrides.items():
                apply_override(variant, str(key), value)
            validate(variant, source)
        except ScenarioError as exc:
            line = line_of(tree, ("variants", name))
            where = f"{source}: variants.{name}" + (f" (line {line})" if line else "")
            problems += [f"{where}: {p.removeprefix(source + ': ')}" for p in exc.problems]
    return problems


def _calendar_problems(scenario: Scenario, source: str, tree: yaml.Node | None) -> list[str]:
    """Checks across keys: races inside the plan, not on away days, one per day."""
    problems = []
    away = scenario.athlete.away_dates()
    seen: set[date] = set()
    for i, race in enumerate(scenario.races):
        line = line_of(tree, ("races", i, "date"))
        where = f"{source}: races.{i}.date" + (f" (line {line})" if line else "")
        if not scenario.start <= race.date <= scenario.end:
            problems.append(
                f"{where}: race '{race.name}' on {race.date} is outside the plan "
                f"({scenario.start} .. {scenario.end}); expected a date inside it"
            )
        elif race.date in away:
            problems.append(
                f"{where}: race '{race.name}' on {race.date} is on an away day (athlete.away)"
            )
        elif race.date in seen:
            problems.append(f"{where}: a second race on {race.date}; expected one race per day")
        seen.add(race.date)
        minutes = scenario.race_minutes(race)
        if minutes > MAX_MINUTES and race.minutes is None:
            key = ("races", i, "distance")
            problems.append(
                _at(
                    source,
                    tree,
                    key,
                    f"a race of {race.distance:g} km takes {minutes} minutes at 6 min per km, "
                    f"more than a day ({MAX_MINUTES}); expected a shorter distance, or the "
                    f"race's own minutes (0..{MAX_MINUTES})",
                )
            )
    return problems


#: rules whose setting counts days of the plan: rule key -> {field: key in the file};
#: the first is the one a bare number sets
DAY_COUNT_RULES = {
    "strength_gap_days": {"days": "days"},
    "max_days_without_strength": {"days": "days"},
    "max_training_days_in_a_row": {"days": "days"},
    "power_gap_days": {"days": "days"},
    "return_after_break": {"break_": "break"},
    "race_taper": {"A": "A", "B": "B", "C": "C"},
    "race_eve": {"A": "A", "B": "B", "C": "C"},
    "race_recovery": {"A": "A", "B": "B", "C": "C"},
}


def _day_count_problems(
    scenario: Scenario, data: dict, source: str, tree: yaml.Node | None
) -> list[str]:
    """SPEC Robustness: day counts are 0..the plan's length. Checked where the file (or
    --set) gives one: a default (10 days without strength) may be longer than a 1-week
    plan and means no more than "never within the plan". (``run_spike.days`` looks back
    before the plan: not a day of it.)"""
    days = 7 * scenario.weeks
    problems = []

    def check(loc: tuple, value: int | None) -> None:
        if value is not None and value > days:
            weeks = f"{scenario.weeks} week{'s' * (scenario.weeks > 1)}"
            problems.append(
                _at(
                    source,
                    tree,
                    loc,
                    f"{value} days is longer than the plan ({weeks}, {days} days); "
                    f"expected 0..{days}",
                )
            )

    for i, race in enumerate(scenario.races):
        for key in ("taper_days", "run_taper_days", "recovery_days"):
            check(("races", i, key), getattr(race, key))
    given_rules = data.get("rules") if isinstance(data.get("rules"), dict) else {}
    for key, fields in DAY_COUNT_RULES.items():
        if key not in given_rules:
            continue
        given = given_rules[key]
        setting = getattr(scenario.rules, key)
        # the default, written out (a scenario dumped and read back, as fixes are tried)
        default = type(scenario.rules).model_fields[key].get_default(call_default_factory=True)
        for i, (name, word) in enumerate(fields.items()):
            value = getattr(setting, name)
            if value == getattr(default, name):
                continue
            if isinstance(given, dict) and word in given:
                check(("rules", key, word), value)
            elif i == 0 and isinstance(given, int) and not isinstance(given, bool):
                check(("rules", key), value)
    return problems


def with_default_availability(data: Any) -> Any:
    """Raw data with ``athlete.availability`` filled in when the file leaves it out."""
    if isinstance(data, dict):
        athlete = data.get("athlete", {})
        if isinstance(athlete, dict) and "availability" not in athlete:
            data["athlete"] = {**athlete, "availability": dict(ALL_DAY)}
    return data


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, override and validate a scenario file."""
    data, tree = load_raw(path)
    return with_overrides(data, overrides or {}, str(path), tree)


def with_overrides(
    data: dict, overrides: dict[str, Any], source: str, tree: yaml.Node | None = None
) -> Scenario:
    """Apply dotted overrides to raw data and validate; errors in overrides say so.

    The default availability is filled in first, so ``--set athlete.availability.fri=0``
    on a scenario without availability means "every day but Friday".
    """
    data = with_default_availability(copy.deepcopy(data))
    for key, value in overrides.items():
        apply_override(data, key, value)
    try:
        return validate(data, source, tree)
    except ScenarioError as exc:
        exc.problems[:] = name_overrides(exc.problems, source, overrides)
        raise
