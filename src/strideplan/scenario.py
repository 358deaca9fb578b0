"""The scenario file: its schema (validated with pydantic), loading and ``--set`` overrides.

A scenario says when the athlete is free, which days are run days, which races are
coming, and how the training rules are tuned. ``load_scenario`` reads YAML, JSON or
TOML, applies ``--set KEY=VALUE`` overrides to the raw data, and validates the result
into a typed :class:`Scenario`. Every problem becomes a :class:`ScenarioError` that
names the file, the key path, the line where the file gives one, and what was expected.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .catalog import CATALOG, WEEKDAYS, distance_class, race_default_minutes

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SessionKey = Literal[
    "intervals",
    "tempo",
    "long_run",
    "easy_run",
    "race",
    "strength_lower",
    "strength_core",
    "power",
    "mobility",
]
#: Runs a scenario may fix on a weekday (races come from ``races:``).
FixedRun = Literal["intervals", "tempo", "long_run", "easy_run"]
# SPEC, Robustness: every number has a range, so that every scenario gives a model of
# bounded size whose objective fits CP-SAT's 64-bit integers.
MAX_WEEKS = 104
#: a day count (gaps, windows) never needs to exceed the longest plan
MAX_DAYS = 7 * MAX_WEEKS
MAX_WEIGHT = 10**6
#: sets and counts within a week
MAX_PER_WEEK = 14
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2200, 12, 31)
#: control characters refused in text (tabs and newlines are fine)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NO_CONTROL = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"

MAX_MINUTES = 24 * 60
Minutes = Annotated[int, Field(strict=True, ge=0, le=MAX_MINUTES)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_PER_WEEK)]
DayCount = Annotated[int, Field(strict=True, ge=0, le=MAX_DAYS)]
Weeks = Annotated[int, Field(strict=True, ge=1, le=MAX_WEEKS)]
Weight = Annotated[int, Field(strict=True, ge=0, le=MAX_WEIGHT)]
#: The default availability (SPEC v2): every day, no minute limit.
ALL_DAY: dict[str, int] = {d: 24 * 60 for d in WEEKDAYS}
Name = Annotated[str, Field(max_length=200, pattern=_NO_CONTROL)]
Text = Annotated[str, Field(max_length=2000, pattern=_NO_CONTROL)]


def _date_not_number(value: Any) -> Any:
    # pydantic would read 1700000000 as a Unix time; a scenario date is YYYY-MM-DD
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"expected a date YYYY-MM-DD, got the number {value!r}")
    return value


def _date_in_range(value: date) -> date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValueError(f"{value} is outside {DATE_MIN} .. {DATE_MAX}")
    return value


#: a calendar date within 1900..2200 (so plan arithmetic never overflows)
PlanDate = Annotated[
    date,
    BeforeValidator(_date_not_number),
    AfterValidator(_date_in_range),
    Field(json_schema_extra={"formatMinimum": str(DATE_MIN), "formatMaximum": str(DATE_MAX)}),
]


def monday(value: date) -> date:
    """A plan's start: weeks run Monday..Sunday."""
    if value.weekday() != 0:
        raise ValueError(f"{value} is a {value.strftime('%A')}; expected a Monday")
    return value


class ScenarioError(Exception):
    """Bad input: one or more problems, each naming file, key path and expectation."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --------------------------------------------------------------------------- rules
class RuleSetting(StrictModel):
    """Common switches of every rule: on/off, hard or soft, and its weight.

    A rule value in the file may be a number, a ``[min, max]`` pair, a list, ``off``/
    ``on``, or a mapping with ``hard``, ``weight`` and the rule's own parameters.
    """

    enabled: bool = True
    hard: bool = True
    weight: Weight = 50

    #: which field a bare scalar sets, and which pair of fields a 2-list sets
    _scalar: ClassVar[str | None] = None
    _pair: ClassVar[tuple[str, str] | None] = None
    _list: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return cls.expand(value)

    @classmethod
    def expand(cls, value: Any) -> Any:
        """The mapping a shorthand stands for (``3``, ``[1, 2]``, ``off``, ``{value: 3}``)."""
        if value is False or (isinstance(value, str) and value.lower() == "off"):
            return {"enabled": False}
        if value is True or (isinstance(value, str) and value.lower() == "on"):
            return {"enabled": True}
        if isinstance(value, (int, float)) and cls._scalar:
            return cls._from_scalar(value)
        if isinstance(value, dict) and "value" in value:
            # {value: 3, hard: false} spells the rule's shorthand value inside a mapping
            rest = {k: v for k, v in value.items() if k != "value"}
            inner = cls.expand(value["value"])
            return {**inner, **rest} if isinstance(inner, dict) else value
        if isinstance(value, list):
            if cls._list is not None:
                return {cls._list: value}
            if cls._pair and len(value) == 2:
                return dict(zip(cls._pair, value))
            if cls._pair:
                raise ValueError(f"expected a [{cls._pair[0]}, {cls._pair[1]}] pair")
        return value

    @classmethod
    def _from_scalar(cls, value: Any) -> dict:
        return {cls._scalar: value}

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        """Show every accepted spelling in the JSON Schema, not only the mapping."""
        alternatives = [handler(core_schema), {"type": "boolean"}, {"enum": ["on", "off"]}]
        if cls._scalar:
            alternatives.append({"type": "number"})
        if cls._pair:
            alternatives.append(
                {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
            )
        if cls._list:
            alternatives.append({"type": "array", "items": {"type": "string"}})
        return {"anyOf": alternatives}


class CountRule(RuleSetting):
    """How many sessions of a kind per week: a number (exactly), or [min, max]."""

    min: Count = 0
    max: Count | None = None
    _scalar = "min"
    _pair = ("min", "max")
    exact: ClassVar[bool] = True

    @classmethod
    def _from_scalar(cls, value: Any) -> dict:
        return {"min": value, "max": value} if cls.exact else {"min": value}

    @model_validator(mode="after")
    def _ordered(self) -> CountRule:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


class AtLeastRule(CountRule):
    """A weekly minimum with no maximum (a bare number means 'at least')."""

    exact: ClassVar[bool] = False


class DaysRule(RuleSetting):
    """A rule with one number of days."""

    days: DayCount = 1
    _scalar = "days"


class SpikeRule(RuleSetting):
    """(v3) After real runs: no planned run in ``days`` from --today longer than ``ratio``
    × the longest run of the ``days`` before, rounded down to 5 minutes."""

    ratio: Annotated[float, Field(strict=True, ge=1, le=3, allow_inf_nan=False)] = 1.1
    days: Annotated[int, Field(strict=True, ge=1, le=MAX_DAYS)] = 30
    _scalar = "ratio"


class LimitRule(RuleSetting):
    """A per-day maximum."""

    max: Count = 1
    _scalar = "max"


class SessionsRule(RuleSetting):
    """A rule over a list of catalog sessions."""

    sessions: list[SessionKey] = Field(default_factory=list, max_length=20)
    _list = "sessions"


class SoftRule(RuleSetting):
    """A soft rule: a weight per instance (penalty or reward)."""

    hard: bool = False
    weight: Weight = 1
    _scalar = "weight"


class BlocksRule(RuleSetting):
    """Dynamic (power) blocks of min..max weeks, static weeks between."""

    min: Weeks = 6
    max: Weeks = 8
    static_between: Weeks = 1
    weight: Weight = 50
    _pair = ("min", "max")

    @model_validator(mode="after")
    def _ordered(self) -> BlocksRule:
        if self.max < self.min:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


class RaceDaysRule(RuleSetting):
    """Days around a race, per race priority.

    Left unset (``None``), a priority's days come from the race's distance class (SPEC's
    table); ``{A: n, B: n, C: n}`` sets every distance at once.
    """

    A: DayCount | None = None
    B: DayCount | None = None
    C: DayCount | None = None

    @model_validator(mode="before")
    @classmethod
    def _priorities_any_case(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k.upper() if k in ("a", "b", "c") else k: v for k, v in value.items()}
        return value

    def days(self, priority: str, by_distance: dict[str, int] | None = None) -> int:
        """Window length in days for a race of this priority (0 when the rule is off)."""
        if not self.enabled:
            return 0
        given = getattr(self, priority)
        if given is not None:
            return given
        return (by_distance or {}).get(priority, 0)


class TaperFactors(StrictModel):
    """How much a run taper shortens runs: ``window`` over the whole run-taper window,
    ``last_week`` in its last 7 days."""

    window: Annotated[float, Field(strict=True, gt=0, le=1, allow_inf_nan=False)] = 1.0
    last_week: Annotated[float, Field(strict=True, gt=0, le=1, allow_inf_nan=False)] | None = None


class RunTaperRule(RuleSetting):
    """Runs shorten stepwise before A and B races (a prescription rule)."""

    A: TaperFactors | None = Field(default_factory=lambda: TaperFactors(window=0.8, last_week=0.6))
    B: TaperFactors | None = Field(default_factory=lambda: TaperFactors(window=0.85))
    C: TaperFactors | None = None

    @model_validator(mode="before")
    @classmethod
    def _priorities_any_case(cls, value: Any) -> Any:
        return RaceDaysRule._priorities_any_case(value)

    def factors(self, priority: str) -> TaperFactors | None:
        """The factors for a race priority (None: no run taper)."""
        return getattr(self, priority) if self.enabled else None


class BreakRule(RuleSetting):
    """A return ramp after a break of at least ``break`` away days in a row."""

    break_: Annotated[int, Field(strict=True, ge=1, le=MAX_DAYS)] = Field(default=7, alias="break")
    _scalar = "break"


class WeekdaysRule(RuleSetting):
    """A rule over a list of weekdays."""

    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS), max_length=7)
    _list = "days"


class DeloadRule(RuleSetting):
    """Every Nth week, strength volume drops (a prescription rule)."""

    every: Annotated[int, Field(strict=True, ge=2, le=MAX_WEEKS)] = 4
    _scalar = "every"


def _count(lo: int, hi: int | None, exact: bool = True) -> Any:
    cls = CountRule if exact else AtLeastRule
    return Field(default_factory=lambda: cls(min=lo, max=hi))


class Rules(StrictModel):
    """Every training rule of SPEC, with its default.

    A rule given partly (``race_taper: {A: 14}``, ``strength_per_week: {hard: false}``)
    keeps its defaults for everything it does not say.
    """

    @model_validator(mode="before")
    @classmethod
    def _keep_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for key, value in data.items():
            field = cls.model_fields.get(key)
            if field is None or field.default_factory is None:
                continue
            try:
                given = field.annotation.expand(value)
            except (ValueError, TypeError):
                continue  # the field's own validation reports it, at its key
            if isinstance(given, dict):
                default = field.default_factory().model_dump(by_alias=True)
                out[key] = {**default, **given}
        return out

    strength_per_week: CountRule = _count(2, 2)
    lower_strength_per_week: CountRule = _count(1, 2)
    strength_gap_days: DaysRule = Field(default_factory=lambda: DaysRule(days=1))
    max_days_without_strength: DaysRule = Field(default_factory=lambda: DaysRule(days=10))
    power_per_week: CountRule = _count(1, 2)
    power_on_fresh_days: RuleSetting = Field(default_factory=RuleSetting)
    no_heavy_legs_before: SessionsRule = Field(
        default_factory=lambda: SessionsRule(sessions=["intervals", "tempo", "race"])
    )
    rest_days_per_week: AtLeastRule = _count(1, None, exact=False)
    max_sessions_per_day: LimitRule = Field(default_factory=lambda: LimitRule(max=2))
    max_runs_per_day: LimitRule = Field(default_factory=lambda: LimitRule(max=1))
    daily_minutes: RuleSetting = Field(default_factory=RuleSetting)
    back_to_back_hard: SoftRule = Field(default_factory=lambda: SoftRule(weight=10))
    strength_after_easy_run: SoftRule = Field(default_factory=lambda: SoftRule(weight=3))
    power_with_speed_or_strength: SoftRule = Field(default_factory=lambda: SoftRule(weight=2))
    same_weekly_pattern: SoftRule = Field(default_factory=lambda: SoftRule(weight=1))
    preferred_days: SoftRule = Field(default_factory=lambda: SoftRule(weight=2))
    dynamic_blocks: BlocksRule = Field(default_factory=BlocksRule)
    race_taper: RaceDaysRule = Field(default_factory=RaceDaysRule)
    race_eve: RaceDaysRule = Field(default_factory=lambda: RaceDaysRule(A=2, B=1, C=0))
    race_recovery: RaceDaysRule = Field(default_factory=RaceDaysRule)
    run_taper: RunTaperRule = Field(default_factory=RunTaperRule)
    return_after_break: BreakRule = Field(default_factory=BreakRule)
    race_season: RuleSetting = Field(default_factory=RuleSetting)
    max_training_days_in_a_row: DaysRule = Field(default_factory=lambda: DaysRule(days=6))
    power_days: WeekdaysRule = Field(default_factory=WeekdaysRule)
    power_gap_days: DaysRule = Field(default_factory=lambda: DaysRule(days=1))
    heavy_legs_near_long_run: SoftRule = Field(default_factory=lambda: SoftRule(weight=20))
    replan_stability: SoftRule = Field(default_factory=lambda: SoftRule(weight=10))
    deload_every: DeloadRule = Field(default_factory=DeloadRule)
    run_spike: SpikeRule = Field(default_factory=SpikeRule)


# --------------------------------------------------------------------------- scenario
class DateSpan(StrictModel):
    """An inclusive range of dates (``{from: ..., to: ...}``)."""

    from_: PlanDate = Field(alias="from")
    to: PlanDate

    @model_validator(mode="after")
    def _ordered(self) -> DateSpan:
        if self.to < self.from_:
            raise ValueError(f"'to' ({self.to}) is before 'from' ({self.from_})")
        return self

    def dates(self) -> list[date]:
        """Every date of the span."""
        return [self.from_ + timedelta(days=i) for i in range((self.to - self.from_).days + 1)]


class Athlete(StrictModel):
    """Who trains, and when they can."""

    name: Name = "Athlete"
    level: Literal["beginner", "intermediate", "advanced"] = "intermediate"
    #: omitted entirely: every day available with no minute limit; ``{}``: no day
    availability: dict[Weekday, Minutes] = Field(default_factory=lambda: dict(ALL_DAY))
    gym: list[Weekday] | None = Field(default=None, max_length=7)
    away: list[PlanDate | DateSpan] = Field(default_factory=list, max_length=1000)
    max_sessions_per_day: Annotated[int, Field(strict=True, ge=1, le=MAX_PER_WEEK)] | None = None

    def away_dates(self) -> set[date]:
        """Every away date, spans expanded."""
        out: set[date] = set()
        for item in self.away:
            out.update(item.dates() if isinstance(item, DateSpan) else [item])
        return out

    def gym_days(self) -> set[str]:
        """Weekdays with access to weights (every day when not given)."""
        return set(WEEKDAYS) if self.gym is None else set(self.gym)


class Runs(StrictModel):
    """Fixed run days (kept every week) and how many easy runs the solver places."""

    mon: FixedRun | None = None
    tue: FixedRun | None = None
    wed: FixedRun | None = None
    thu: FixedRun | None = None
    fri: FixedRun | None = None
    sat: FixedRun | None = None
    sun: FixedRun | None = None
    easy_runs: Count = 0

    def fixed(self) -> dict[str, str]:
        """Weekday -> fixed run session."""
        return {d: getattr(self, d) for d in WEEKDAYS if getattr(self, d)}


DistanceName = Literal["5k", "10k", "half", "marathon", "ultra"]


class Race(StrictModel):
    """A race on the calendar: its distance sets its minutes and the windows around it."""

    date: PlanDate
    name: Name = "Race"
    priority: Literal["A", "B", "C"] = "B"
    distance: Annotated[
        DistanceName | Annotated[float, Field(strict=True, gt=0, le=1000, allow_inf_nan=False)],
        BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),  # 5K = 5k
    ] = "10k"
    minutes: Annotated[int, Field(strict=True, ge=0, le=24 * 60)] | None = None
    taper_days: DayCount | None = None
    run_taper_days: DayCount | None = None
    recovery_days: DayCount | None = None

    @property
    def distance_class(self) -> str:
        """5k, 10k, half, marathon or ultra (a km number mapped to its class)."""
        return distance_class(self.distance).name

    @property
    def label(self) -> str:
        """E.g. 'City 10k (A, 10k)'."""
        km = self.distance if isinstance(self.distance, str) else f"{self.distance:g} km"
        return f"{self.name} ({self.priority}, {km})"


class SessionOverride(StrictModel):
    """Override of a catalog session's minutes or description."""

    minutes: Annotated[int, Field(strict=True, ge=0, le=24 * 60)] | None = None
    details: Text | None = None


class Preferences(StrictModel):
    """Soft preferences: preferred weekdays per kind of placed session."""

    strength_days: list[Weekday] | None = Field(default=None, max_length=7)
    power_days: list[Weekday] | None = Field(default=None, max_length=7)
    easy_run_days: list[Weekday] | None = Field(default=None, max_length=7)


class SolverSettings(StrictModel):
    """CP-SAT settings."""

    time_limit: Annotated[float, Field(strict=True, gt=0, le=3600, allow_inf_nan=False)] = 10.0
    seed: Annotated[int, Field(strict=True, ge=0, le=2**31 - 1)] = 0
    workers: Annotated[int, Field(strict=True, ge=1, le=64)] | None = None


class Scenario(StrictModel):
    """A validated scenario: the athlete's weeks, runs, races, rules and preferences."""

    name: Name = "Training plan"
    start: PlanDate
    weeks: Weeks
    athlete: Athlete = Field(default_factory=Athlete)
    runs: Runs = Field(default_factory=Runs)
    races: list[Race] = Field(default_factory=list, max_length=MAX_DAYS)
    race_season: list[DateSpan] = Field(default_factory=list, max_length=100)
    sessions: dict[SessionKey, SessionOverride] = Field(default_factory=dict)
    rules: Rules = Field(default_factory=Rules)
    preferences: Preferences = Field(default_factory=Preferences)
    solver: SolverSettings = Field(default_factory=SolverSettings)
    variants: dict[Name, dict[str, Any]] = Field(default_factory=dict, max_length=100)

    @field_validator("start")
    @classmethod
    def _monday(cls, value: date) -> date:
        return monday(value)

    @property
    def end(self) -> date:
        """Last day of the plan (a Sunday)."""
        return self.start + timedelta(days=7 * self.weeks - 1)

    def minutes(self, session: str) -> int:
        """Minutes of a session, after the scenario's overrides."""
        override = self.sessions.get(session)
        if override and override.minutes is not None:
            return override.minutes
        return CATALOG[session].minutes

    def race_minutes(self, race: Race) -> int:
        """The race's own minutes, else ``sessions.race.minutes``, else by its distance."""
        if race.minutes is not None:
            return race.minutes
        override = self.sessions.get("race")
        if override is not None and override.minutes is not None:
            return override.minutes
        return race_default_minutes(race.distance)

    def details(self, session: str) -> str:
        """Description of a session, after the scenario's overrides."""
        override = self.sessions.get(session)
        if override and override.details:
            return override.details
        return CATALOG[session].details

    def max_sessions_per_day(self) -> int:
        """The tighter of the athlete's own limit and the rule's."""
        limit = self.rules.max_sessions_per_day.max
        if self.athlete.max_sessions_per_day is not None:
            limit = min(limit, self.athlete.max_sessions_per_day)
        return limit


# --------------------------------------------------------------------------- loading
#: a scenario is a few kilobytes; anything far larger is not one
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 50
#: nodes after expanding YAML aliases (a "billion laughs" file stays small on disk)
MAX_NODES = 100_000
#: digits of an integer: any number of the schema fits in far fewer
MAX_DIGITS = 20
#: integers only YAML 1.1 reads as numbers, and not as a person meant: 045 (octal 37), 1:30 (90)
YAML11_NUMBER = re.compile(r"[-+]?(0[0-9_]+|[0-9][0-9_]*(:[0-5]?[0-9])+)")
#: words YAML 1.1 reads as booleans; strideplan keeps them as words
YAML11_WORDS = ("yes", "no", "on", "off")


class _Loader(yaml.SafeLoader):
    """PyYAML's SafeLoader, stricter where the safe one crashes or guesses.

    Duplicate keys are an error naming the key and both lines (PyYAML keeps the last);
    an impossible date (2027-02-30) stays a string, so validation reports it at its
    key; an integer too long to mean anything is an error at its line.
    """


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` keys may be overridden on purpose
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:
            continue  # an unhashable key: construct_mapping reports it
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first given on line {first})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    data: dict = {}
    yield data
    data.update(loader.construct_mapping(node))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # validation names the key: not a valid date


def _construct_int(loader: _Loader, node: yaml.ScalarNode):
    digits = sum(c.isdigit() for c in str(node.value))
    if digits > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number with {digits} digits is out of any range", node.start_mark
        )
    if YAML11_NUMBER.fullmatch(str(node.value)):
        return str(node.value)  # octal 045 or sexagesimal 1:30: validation names the key
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _construct_bool(loader: _Loader, node: yaml.ScalarNode):
    """Only ``true``/``false`` are booleans (YAML 1.2); ``yes``, ``no``, ``on`` and ``off``
    stay words, so a rule's ``off`` means off and ``yes`` is never the number 1."""
    text = str(node.value)
    return text.lower() == "true" if text.lower() in ("true", "false") else text


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def _check_nodes(node: yaml.Node) -> None:
    """Refuse a node graph that recurses, nests deeper than MAX_DEPTH or expands (through
    aliases) to more than MAX_NODES nodes."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(n: yaml.Node, depth: int) -> int:
        if id(n) in on_path:
            raise yaml.composer.ComposerError(
                None, None, "an alias refers to a node that contains it (recursion)", n.start_mark
            )
        if depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nesting deeper than {MAX_DEPTH} levels", n.start_mark
            )
        if id(n) in sizes:
            return sizes[id(n)]
        on_path.add(id(n))
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        on_path.discard(id(n))
        sizes[id(n)] = total
        if total > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_NODES} values once aliases are expanded", n.start_mark
            )
        return total

    size(node, 0)


def _json_object(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"malformed JSON: duplicate key {key!r}")
        out[key] = value
    return out


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text with :class:`_Loader` after checking its node graph; return the
    data and the node tree (for line numbers)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _read_raw(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse the file; return the data and (for YAML) its node tree for line numbers."""
    if not path.exists():
        raise ScenarioError([f"{path}: file not found"])
    if path.is_dir():
        raise ScenarioError([f"{path}: is a directory, expected a scenario file"])
    try:
        if not path.is_file():
            raise ScenarioError([f"{path}: not a regular file, expected a scenario file"])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                [
                    f"{path}: {path.stat().st_size} bytes; a scenario file is at most "
                    f"{MAX_FILE_BYTES} bytes"
                ]
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{path}: cannot read the file ({exc})"]) from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text, object_pairs_hook=_json_object), None
        if suffix == ".toml":
            return tomllib.loads(text), None
        return load_yaml(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([f"{path}: line {exc.lineno}: malformed JSON: {exc.msg}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: malformed TOML: {exc}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([f"{path}:{where}: malformed YAML: {problem}"]) from None
    except RecursionError:
        raise ScenarioError([f"{path}: nesting deeper than {MAX_DEPTH} levels"]) from None
    except ValueError as exc:  # e.g. a JSON integer of thousands of digits
        raise ScenarioError([f"{path}: {exc}"]) from None


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Line (1-based) of the deepest YAML node along a key path."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    line, nxt = key_node.start_mark.line + 1, value_node
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def parse_value(text: str) -> Any:
    """A ``--set`` value, read as a YAML scalar or flow collection (``3``, ``off``, ``[1, 2]``)."""
    try:
        return load_yaml(text)[0]
    except (yaml.YAMLError, RecursionError, ValueError):
        return text


def apply_override(data: dict, dotted: str, value: Any) -> None:
    """Set ``a.b.c`` in nested data, creating mappings as needed (``races.0.date``
    indexes into a list)."""
    parts = dotted.split(".")
    node: Any = data
    for part, nxt in zip(parts[:-1], parts[1:]):
        if isinstance(node, list):
            index = _list_index(node, part, dotted)
            node = node[index]
            continue
        if not isinstance(node.get(part), (dict, list)) or (
            isinstance(node.get(part), list) and not nxt.isdigit()
        ):
            node[part] = {}
        node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[_list_index(node, last, dotted)] = value
    else:
        node[last] = value


def _list_index(node: list, part: str, dotted: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ScenarioError(
            [f"--set {dotted}: '{part}' is not an index of a list of {len(node)} item(s)"]
        )
    return int(part)


def parse_assignments(items: list[str] | tuple[str, ...], origin: str = "--set") -> dict[str, Any]:
    """``KEY=VALUE`` strings -> {dotted key: value}."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key or any(not p for p in key.split(".")):
            raise ScenarioError(
                [f"{origin} {item!r}: expected KEY=VALUE, e.g. rules.strength_per_week=3"]
            )
        out[key] = parse_value(value.strip())
    return out


def _model_at(loc: tuple, root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The pydantic model that owns the last element of a key path (for suggestions);
    ``root``: the file's top-level model (a squad's; default :class:`Scenario`)."""
    model: Any = root or Scenario
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            field = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside ``X``, ``list[X]``, ``X | None`` or ``list[date | X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _real_loc(loc: tuple, data: Any, missing: bool = True) -> tuple:
    """Drop pydantic's union-branch tags from a loc: keep only keys present in the data."""
    out = []
    node = data
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif missing and i == len(loc) - 1 and isinstance(node, dict):
            out.append(part)  # a missing key
    return tuple(out)


def format_error(
    source: str, err: dict, tree: yaml.Node | None, data: Any, root: type[BaseModel] | None = None
) -> str:
    loc = _real_loc(err["loc"], data, err["type"] == "missing")
    path = ".".join(str(p) for p in loc) or "(top level)"
    line = line_of(tree, loc) if tree is not None else None
    where = f"{source}: {path}" + (f" (line {line})" if line else "")
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(loc, root)
        options = _field_names(owner) if owner else []
        hint = _suggest(loc[-1], options) if loc else ""
        known = f"; expected one of: {', '.join(options)}" if options and not hint else ""
        return f"{where}: unknown key{hint}{known}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip(" '")]
        if "[key]" in err["loc"]:
            return f"{where}: unknown key {_shown(value)}{_suggest(value, options)}; expected one of: {expected}"
        km = ", or a number of km" if loc and loc[-1] == "distance" else ""
        return (
            f"{where}: got {_shown(value)}{_suggest(value, options)}; "
            f"expected one of: {expected}{km}"
        )
    if kind == "missing":
        return f"{where}: required key is missing"
    if kind in ("date_from_datetime_parsing", "date_parsing") and isinstance(value, str):
        return f"{where}: {_shown(value)} is not a date in the calendar; expected YYYY-MM-DD"
    msg = err["msg"].removeprefix("Value error, ")
    if isinstance(value, str) and YAML11_NUMBER.fullmatch(value):
        plain = value.replace("_", "")
        if ":" in plain:
            return f"{where}: {value} is a time of day (YAML 1.1 reads it as {_sexagesimal(plain)}); expected a plain number"
        return (
            f"{where}: {value} is zero-padded (YAML 1.1 reads it as octal); "
            f"expected a plain number such as {int(plain)}"
        )
    if isinstance(value, str) and value.lower() in YAML11_WORDS:
        expected = {"model_type": "off, on, a number or a mapping", "dict_type": "a mapping"}
        what = expected.get(kind, "a number" if kind.startswith(("int", "float")) else None)
        if what:
            return f"{where}: got {value!r} (a yes/no word); expected {what}"
    shown = ""
    if value is not None and not isinstance(value, (dict, list)) and str(value) not in msg:
        shown = f" (got {_shown(value)})"
    return f"{where}: {msg}{shown}"


def _sexagesimal(text: str) -> int:
    """What YAML 1.1 makes of ``1:30`` (90): base-60 digits."""
    sign = -1 if text.startswith("-") else 1
    total = 0
    for part in text.lstrip("+-").split(":"):
        total = total * 60 + int(part)
    return sign * total


def _shown(value: Any) -> str:
    """A value as the file wrote it: a date as 2027-01-05 (never ``datetime.date(…)``),
    text quoted, numbers and the rest as written."""
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    return repr(value) if isinstance(value, str) else str(value)


def dedupe_keys(errors: list[dict], data: Any) -> list[dict]:
    """Union branches report the same place several times; keep the most useful."""
    best: dict[tuple, dict] = {}
    for err in errors:
        key = _real_loc(err["loc"], data, err["type"] == "missing")
        if key not in best or err["type"] == "extra_forbidden":
            best[key] = err
    # a branch that failed at a shallower place than another branch is noise
    return [
        err
        for key, err in best.items()
        if not any(len(other) > len(key) and other[: len(key)] == key for other in best)
    ]


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


def with_default_availability(data: Any) -> Any:
    """Raw data with ``athlete.availability`` filled in when the file leaves it out."""
    if isinstance(data, dict):
        athlete = data.get("athlete", {})
        if isinstance(athlete, dict) and "availability" not in athlete:
            data["athlete"] = {**athlete, "availability": dict(ALL_DAY)}
    return data


def load_raw(path: str | Path) -> tuple[dict, yaml.Node | None]:
    """Read a scenario file into raw data (not yet validated)."""
    path = Path(path)
    data, tree = _read_raw(path)
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"{path}: expected a mapping of keys (name, start, weeks, ...) at the top level"]
        )
    return data, tree


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


_PROBLEM = re.compile(r"(?P<path>[^\s:]+)(?: \(line \d+\))?: (?P<msg>.*)", re.S)


def name_overrides(problems: list[str], source: str, overrides: dict[str, Any]) -> list[str]:
    """Problems at a key an override set name the ``--set`` in the user's spelling (never
    the file's line for a value the file does not hold); the rest end with the overrides."""
    out, rest = [], False
    for problem in problems:
        found = _PROBLEM.fullmatch(problem.removeprefix(f"{source}: "))
        path = found["path"] if found and problem.startswith(f"{source}: ") else None
        key = next(
            (k for k in overrides if path and (path == k or f"{path}.".startswith(f"{k}."))),
            None,
        )
        if key is None:
            out.append(problem)
            rest = True
        else:
            out.append(
                f"{source}: {path} (from --set {spelled(key, overrides[key])}): {found['msg']}"
            )
    if rest and overrides:
        keys = ", ".join(spelled(k, v) for k, v in overrides.items())
        out.append(f"  (after --set {keys})")
    return out


def spelled(key: str, value: Any) -> str:
    """``KEY=VALUE`` as a person writes it: dates ISO, lists in brackets, no Python repr."""

    def text(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, list):
            return "[" + ", ".join(text(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}: {text(x)}" for k, x in v.items()) + "}"
        return "null" if v is None else str(v)

    return f"{key}={text(value)}"


def scenario_schema() -> dict:
    """JSON Schema of scenario files."""
    return Scenario.model_json_schema(by_alias=True)


__all__ = [
    "Scenario",
    "ScenarioError",
    "Rules",
    "load_scenario",
    "parse_assignments",
    "scenario_schema",
    "validate",
    "with_overrides",
    "load_raw",
]
