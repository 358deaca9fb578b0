"""The plan's calendar: days, weeks, away days, races with their taper and recovery
windows, the fixed runs of each day, and which weeks are *clean*.

Everything here follows from the scenario alone (no solver), so the model and the
solver-free checker see the same calendar facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from .catalog import CATALOG, WEEKDAYS
from .scenario import Race, Scenario


@dataclass(frozen=True)
class Day:
    """One day of the plan and its fixed facts."""

    index: int
    date: date
    week: int  # 0-based
    weekday: str
    available: int  # minutes (0 = not available)
    gym: bool
    away: bool
    race: Race | None
    fixed_runs: tuple[str, ...]  # after away / race / recovery transformations
    taper_of: Race | None  # inside the taper window of this race
    recovery_of: Race | None  # inside the recovery window of this race

    @property
    def label(self) -> str:
        """E.g. 'Tue 2027-01-05'."""
        return f"{self.weekday.capitalize()} {self.date.isoformat()}"

    @property
    def can_train(self) -> bool:
        """Whether sessions may be placed: not away, not a race day, some minutes free."""
        return not self.away and self.race is None and self.available > 0


@dataclass
class Calendar:
    """The days of a scenario's plan with everything known before solving."""

    scenario: Scenario
    days: list[Day] = field(init=False)

    def __post_init__(self) -> None:
        sc = self.scenario
        rules = sc.rules
        away = sc.athlete.away_dates()
        gym = sc.athlete.gym_days()
        fixed = sc.runs.fixed()
        races = {r.date: r for r in sc.races}
        taper: dict[date, Race] = {}
        recovery: dict[date, Race] = {}
        for race in sorted(sc.races, key=lambda r: r.date):
            for i in range(1, rules.race_taper.days(race.priority) + 1):
                taper.setdefault(race.date - timedelta(days=i), race)
            for i in range(1, rules.race_recovery.days(race.priority) + 1):
                recovery.setdefault(race.date + timedelta(days=i), race)
        days = []
        for i in range(7 * sc.weeks):
            d = sc.start + timedelta(days=i)
            weekday = WEEKDAYS[i % 7]
            race = races.get(d)
            runs: tuple[str, ...] = ()
            if race is not None:
                runs = ("race",)
            elif d not in away and weekday in fixed:
                run = fixed[weekday]
                if d in recovery and CATALOG[run].hard:
                    run = "easy_run"  # a fixed hard run in a recovery window turns easy
                runs = (run,)
            days.append(
                Day(
                    index=i,
                    date=d,
                    week=i // 7,
                    weekday=weekday,
                    available=sc.athlete.availability.get(weekday, 0),
                    gym=weekday in gym,
                    away=d in away,
                    race=race,
                    fixed_runs=runs,
                    taper_of=taper.get(d) if race is None else None,
                    recovery_of=recovery.get(d) if race is None else None,
                )
            )
        self.days = days

    @property
    def n_weeks(self) -> int:
        """Number of weeks."""
        return self.scenario.weeks

    def week_days(self, week: int) -> list[Day]:
        """The seven days of a 0-based week."""
        return self.days[7 * week : 7 * week + 7]

    def day_of(self, d: date) -> Day | None:
        """The plan day of a date, if inside the plan."""
        i = (d - self.scenario.start).days
        return self.days[i] if 0 <= i < len(self.days) else None

    @cached_property
    def clean_weeks(self) -> list[bool]:
        """A week is clean unless it holds away days, a race, or taper/recovery days."""
        return [
            not any(d.away or d.race or d.taper_of or d.recovery_of for d in self.week_days(w))
            for w in range(self.n_weeks)
        ]

    @cached_property
    def a_race_weeks(self) -> set[int]:
        """Weeks holding an A race (strength_per_week counts 1 there)."""
        return {d.week for d in self.days if d.race is not None and d.race.priority == "A"}

    def week_phase(self, week: int, dynamic: bool) -> str:
        """race / taper / dynamic / static, for the Calendar and Weekly sheets."""
        days = self.week_days(week)
        if any(d.race for d in days):
            return "race"
        if any(d.taper_of for d in days):
            return "taper"
        if any(d.recovery_of for d in days):
            return "recovery"
        return "dynamic" if dynamic else "static"

    def placed_easy_runs(self, day: Day, easy_runs_on_day: int) -> int:
        """Easy runs on a day beyond the fixed ones (what `easy_runs` counts)."""
        return max(0, easy_runs_on_day - day.fixed_runs.count("easy_run"))
