"""Every training rule's setting: its fields, defaults and accepted shorthands
(a number, a [min, max] pair, a list, ``off``, a mapping)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import (
    Field,
    model_validator,
)

from ..catalog import WEEKDAYS
from .fields import (
    MAX_DAYS,
    MAX_WEEKS,
    Count,
    DayCount,
    SessionKey,
    StrictModel,
    Weekday,
    Weeks,
    Weight,
)


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
