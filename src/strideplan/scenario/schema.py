"""The scenario schema: athlete, runs, races, sessions, preferences, solver."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from ..catalog import CATALOG, WEEKDAYS, distance_class, race_default_minutes
from .fields import (
    ALL_DAY,
    MAX_DAYS,
    MAX_PER_WEEK,
    Count,
    DayCount,
    FixedRun,
    Minutes,
    Name,
    PlanDate,
    SessionKey,
    StrictModel,
    Text,
    Weekday,
    Weeks,
    monday,
)
from .settings import Rules


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


def scenario_schema() -> dict:
    """JSON Schema of scenario files."""
    return Scenario.model_json_schema(by_alias=True)
