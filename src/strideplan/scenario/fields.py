"""The scenario's field types and ranges (SPEC: every number has a range), its error
and the strict base model."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

from ..catalog import WEEKDAYS

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
