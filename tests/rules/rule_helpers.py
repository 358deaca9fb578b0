"""Helpers of the rule tests (tests/rules/): availability shorthands and what a solved
plan holds on a day.

Dates: 2027-01-04 is a Monday; week 2 starts 2027-01-11, week 3 2027-01-18.
"""

from __future__ import annotations

from datetime import date

ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def only(**minutes):
    """Availability with just these days."""
    return dict(minutes)


def sessions_on(result, day: date | str) -> list[str]:
    """The sessions of a day (a date or an ISO string), its mobility warm-up left out."""
    when = day if isinstance(day, date) else date.fromisoformat(day)
    plan = result.plan
    rows = plan[(plan["date"] == when) & (plan["session"] != "mobility")]
    return list(rows["session"])


def minutes_of(result, day: str, session: str) -> int:
    plan = result.plan
    rows = plan[(plan["date"] == date.fromisoformat(day)) & (plan["session"] == session)]
    return int(rows["minutes"].iloc[0])


def longest_streak(result) -> int:
    training = {d for d in result.plan.loc[result.plan["session"] != "mobility", "date"]}
    best = run = 0
    for day in result.calendar.days:
        run = run + 1 if day.date in training else 0
        best = max(best, run)
    return best
