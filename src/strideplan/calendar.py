"""The plan's calendar: days, weeks, away days, races with the windows around them, the
return ramp after a break, race-season weeks, the fixed runs of each day and their
minutes, and which weeks are *clean*.

Everything here follows from the scenario alone (no solver), so the model, the
prescriptions and the solver-free checker see the same calendar facts. The windows
around a race (SPEC v2) come from its distance class unless the race or the rule says
otherwise:

* ``taper_of``: the strength cut-off before a race (rule ``race_taper``);
* ``eve_of``: the race eve (rule ``race_eve``: no hard session, no strength, no power);
* ``recovery_of``: the days after a race (rule ``race_recovery``);
* ``run_taper``: the factor every run's minutes are scaled by (rule ``run_taper``);
* ``returning``: the return ramp after a break (rule ``return_after_break``);
* ``season``: the day lies in a ``race_season`` span (rule ``race_season``).

A fixed hard run on an eve, recovery or return-ramp day becomes an easy run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

from .catalog import CATALOG, WEEKDAYS, distance_class
from .scenario import Race, Scenario

#: Shortest and longest return ramp after a break, in days (SPEC v2).
RAMP_DAYS = (3, 14)


@dataclass(frozen=True, order=True)
class Place:
    """Where a rule instance sits, as a value: the plan's dates it covers (``first`` to
    ``last``) and the words a person reads (``Tue 2027-01-05 (before intervals)``,
    ``week 3``). Ordered by date; nothing reads the label back."""

    first: date
    last: date
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def weekday(self) -> str | None:
        """The weekday (``tue``) of a one-day place, else None."""
        return WEEKDAYS[self.first.weekday()] if self.first == self.last else None

    def before(self, day: date) -> bool:
        """Whether the place lies wholly before ``day``."""
        return self.last < day


def weekdays_in(places: list[Place]) -> list[str]:
    """The weekdays of the one-day places, in order of first appearance."""
    return list(dict.fromkeys(p.weekday for p in places if p.weekday))


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
    fixed_runs: tuple[str, ...]  # after away / race / eve / recovery / return changes
    taper_of: Race | None = None  # inside the strength cut-off before this race
    recovery_of: Race | None = None  # inside the recovery window of this race
    eve_of: Race | None = None  # a race eve: fresh legs for this race
    run_taper: float = 1.0  # runs' minutes are scaled by this factor
    returning: bool = False  # inside the return ramp after a break
    season: bool = False  # inside a race season
    past: bool = False  # before a replan's today: what happened is fixed
    run_cap: int | None = None  # (replan) no run longer: the spike cap after history
    done: tuple[str, ...] = ()  # (past days) the placed sessions that happened

    @property
    def label(self) -> str:
        """E.g. 'Tue 2027-01-05'."""
        return f"{self.weekday.capitalize()} {self.date.isoformat()}"

    def place(self, note: str = "") -> Place:
        """This day as a rule instance's place, ``note`` in brackets after its label."""
        return Place(self.date, self.date, f"{self.label} ({note})" if note else self.label)

    @property
    def can_train(self) -> bool:
        """Whether sessions may be placed: not away, not a race day, some minutes free."""
        return not self.away and self.race is None and self.available > 0 and not self.past

    @property
    def in_race_window(self) -> bool:
        """Inside a race's cut-off, eve or recovery, or the race day itself."""
        return bool(self.race or self.taper_of or self.eve_of or self.recovery_of)


def weeks_text(weeks: list[int]) -> str:
    """'weeks 1-4, 6' (or 'week 3') from week numbers."""
    spans: list[list[int]] = []
    for w in sorted(set(weeks)):
        if spans and w == spans[-1][1] + 1:
            spans[-1][1] = w
        else:
            spans.append([w, w])
    text = ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans)
    return ("weeks " if len(set(weeks)) > 1 else "week ") + text


def taper_minutes(minutes: int, factor: float) -> int:
    """A run's minutes in a run taper: scaled, rounded to the nearest 5, at least 5."""
    if factor >= 1:
        return minutes
    return max(5, int(math.floor(minutes * factor / 5 + 0.5)) * 5)


def race_minutes(scenario: Scenario, race: Race) -> int:
    """The race's own minutes, else ``sessions.race.minutes``, else by its distance."""
    return scenario.race_minutes(race)


def race_windows(scenario: Scenario, race: Race) -> dict[str, int]:
    """Days of each window around a race: cutoff, eve, run_taper, recovery."""
    rules = scenario.rules
    cls = distance_class(race.distance)
    cutoff = rules.race_taper.days(race.priority, cls.cutoff)
    recovery = rules.race_recovery.days(race.priority, cls.recovery)
    factors = rules.run_taper.factors(race.priority)
    run_taper = cls.run_taper.get(race.priority, 0) if factors is not None else 0
    if race.taper_days is not None and rules.race_taper.enabled:
        cutoff = race.taper_days
    if race.recovery_days is not None and rules.race_recovery.enabled:
        recovery = race.recovery_days
    if race.run_taper_days is not None and factors is not None:
        run_taper = race.run_taper_days
    return {
        "cutoff": cutoff,
        "eve": rules.race_eve.days(race.priority),
        "run_taper": run_taper,
        "recovery": recovery,
    }


def away_breaks(scenario: Scenario) -> list[tuple[date, date]]:
    """Every stretch of consecutive away dates (first, last), in date order."""
    spans: list[tuple[date, date]] = []
    for d in sorted(scenario.athlete.away_dates()):
        if spans and d == spans[-1][1] + timedelta(days=1):
            spans[-1] = (spans[-1][0], d)
        else:
            spans.append((d, d))
    return spans


def return_ramp(scenario: Scenario) -> dict[date, tuple[date, date]]:
    """Ramp days after every break of at least ``return_after_break`` away days: half the
    break's length, rounded down, at least 3 and at most 14 days. Maps each ramp day to
    the break it follows."""
    rule = scenario.rules.return_after_break
    out: dict[date, tuple[date, date]] = {}
    if not rule.enabled:
        return out
    for first, last in away_breaks(scenario):
        length = (last - first).days + 1
        if length < rule.break_:
            continue
        ramp = min(max(length // 2, RAMP_DAYS[0]), RAMP_DAYS[1])
        for i in range(1, ramp + 1):
            out.setdefault(last + timedelta(days=i), (first, last))
    return out


@dataclass
class Calendar:
    """The days of a scenario's plan with everything known before solving."""

    scenario: Scenario
    days: list[Day] = field(init=False)

    def __post_init__(self) -> None:
        sc = self.scenario
        away = sc.athlete.away_dates()
        gym = sc.athlete.gym_days()
        fixed = sc.runs.fixed()
        races = {r.date: r for r in sc.races}
        taper: dict[date, Race] = {}
        eve: dict[date, Race] = {}
        recovery: dict[date, Race] = {}
        run_taper: dict[date, float] = {}
        for race in sorted(sc.races, key=lambda r: r.date):
            windows = race_windows(sc, race)
            for i in range(1, windows["cutoff"] + 1):
                taper.setdefault(race.date - timedelta(days=i), race)
            for i in range(1, windows["eve"] + 1):
                eve.setdefault(race.date - timedelta(days=i), race)
            for i in range(1, windows["recovery"] + 1):
                recovery.setdefault(race.date + timedelta(days=i), race)
            factors = sc.rules.run_taper.factors(race.priority)
            for i in range(1, windows["run_taper"] + 1):
                factor = factors.window
                if i <= 7 and factors.last_week is not None:
                    factor = min(factor, factors.last_week)
                d = race.date - timedelta(days=i)
                run_taper[d] = min(run_taper.get(d, 1.0), factor)
        ramp = return_ramp(sc)
        season_on = sc.rules.race_season.enabled
        season = {d for span in sc.race_season for d in span.dates()} if season_on else set()
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
                if CATALOG[run].hard and (d in eve or d in recovery or d in ramp):
                    run = "easy_run"  # a fixed hard run turns easy: fresh or recovering legs
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
                    eve_of=eve.get(d) if race is None else None,
                    run_taper=run_taper.get(d, 1.0) if race is None else 1.0,
                    returning=d in ramp and d not in away,
                    season=d in season,
                )
            )
        self.days = days

    #: (replan) the week holding the first re-planned day: not clean either
    today_week: int | None = None
    #: (replan) the first re-planned day
    today: date | None = None

    @property
    def n_weeks(self) -> int:
        """Number of weeks."""
        return self.scenario.weeks

    def with_past(
        self, today: date, happened: dict[date, list[str]], runs: dict[date, tuple[str, ...]]
    ) -> Calendar:
        """The calendar of a re-plan: days before ``today`` hold what ``happened`` (runs
        as fixed runs, the rest as done), later days the fixed runs of ``runs`` where a
        run was moved there. Every week holding a past day is not clean, and neither is the
        week of ``today``: it is the week being re-planned, whose minimums may not be
        reachable after what happened (a coach takes a shortfall there, and says so)."""
        out = Calendar.__new__(Calendar)
        out.scenario = self.scenario
        out.today_week = (today - self.scenario.start).days // 7
        out.today = today
        days = []
        for d in self.days:
            if d.date < today:
                done = list(happened.get(d.date, ()))
                runs_done = [s for s in done if CATALOG[s].category == "run" and s != "easy_run"]
                # an easy run the scenario fixes on this weekday stays a fixed run: what
                # runs.easy_runs counts are the easy runs beyond it, in the past as ahead
                for _ in range(min(d.fixed_runs.count("easy_run"), done.count("easy_run"))):
                    runs_done.append("easy_run")
                    done.remove("easy_run")
                placed = tuple(s for s in done if CATALOG[s].category != "run" or s == "easy_run")
                days.append(replace(d, past=True, done=placed, fixed_runs=tuple(runs_done)))
            elif d.date in runs:
                days.append(replace(d, fixed_runs=runs[d.date]))
            else:
                days.append(d)
        out.days = days
        return out

    def window(self, first_week: int, last_week: int) -> Calendar:
        """The calendar of a stretch of whole weeks (0-based, inclusive), days re-indexed,
        every fact (windows of races outside the stretch included) kept as it is."""
        first_week, last_week = max(0, first_week), min(self.n_weeks - 1, last_week)
        sc = self.scenario.model_copy(
            update={
                "start": self.scenario.start + timedelta(days=7 * first_week),
                "weeks": last_week - first_week + 1,
            }
        )
        part = Calendar.__new__(Calendar)
        part.scenario = sc
        part.today = self.today
        if self.today_week is not None:
            part.today_week = self.today_week - first_week
        part.days = [
            replace(d, index=d.index - 7 * first_week, week=d.week - first_week)
            for d in self.days[7 * first_week : 7 * (last_week + 1)]
        ]
        return part

    def plain_week(self, week: int) -> Calendar:
        """The calendar with one week's own windows taken away: no away day, race,
        cut-off, eve, recovery, run taper, return ramp or race season in it, its fixed
        runs as the scenario's week gives them. Its weeks stay as clean as they were (a
        target made hard in it asks whether the windows alone keep it out)."""
        fixed = self.scenario.runs.fixed()
        out = self._with_days(list(self.days))
        for d in self.week_days(week):
            if not d.past:
                run = fixed.get(d.weekday)
                out.days[d.index] = replace(
                    d,
                    away=False,
                    race=None,
                    fixed_runs=(run,) if run else (),
                    taper_of=None,
                    recovery_of=None,
                    eve_of=None,
                    run_taper=1.0,
                    returning=False,
                    season=False,
                )
        out.__dict__["clean_weeks"] = self.clean_weeks  # the cached property, as it was
        return out

    def holds_windows(self, week: int) -> bool:
        """Whether a week holds away days, a race or its windows, a run taper, a return
        ramp or race season: what makes a light week expected."""
        return any(
            d.away or d.in_race_window or d.returning or d.season or d.run_taper < 1
            for d in self.week_days(week)
        )

    def week_days(self, week: int) -> list[Day]:
        """The seven days of a 0-based week."""
        return self.days[7 * week : 7 * week + 7]

    def day_of(self, d: date) -> Day | None:
        """The plan day of a date, if inside the plan."""
        i = (d - self.scenario.start).days
        return self.days[i] if 0 <= i < len(self.days) else None

    def only_past(self, place: Place) -> bool:
        """(replan) Whether a rule instance's place lies wholly before the first
        re-planned day."""
        return self.today is not None and place.before(self.today)

    def week_place(
        self, week: int, note: str = "", last: int | None = None, label: str | None = None
    ) -> Place:
        """Weeks ``week``..``last`` (0-based; one week when ``last`` is None) as a place:
        ``week 3``, ``weeks 2-9``, ``note`` in brackets after it, or ``label`` instead."""
        last = week if last is None else last
        start = self.scenario.start
        if label is None:
            label = f"week {week + 1}" if last == week else f"weeks {week + 1}-{last + 1}"
            label = f"{label} ({note})" if note else label
        return Place(start + timedelta(days=7 * week), start + timedelta(days=7 * last + 6), label)

    def days_place(self, first: int, last: int, label: str | None = None) -> Place:
        """Plan days ``first``..``last`` (indices) as a place: ``Mon 2027-01-04 ..
        Sun 2027-01-10``, or ``label`` instead."""
        a, z = self.days[first], self.days[last]
        return Place(a.date, z.date, f"{a.label} .. {z.label}" if label is None else label)

    def minutes(self, day: Day, session: str) -> int:
        """Minutes of a session on a day: a race by its distance, runs shortened in a run
        taper, everything else as the scenario says."""
        if session == "race" and day.race is not None:
            return race_minutes(self.scenario, day.race)
        minutes = self.scenario.minutes(session)
        if CATALOG[session].category == "run":
            minutes = taper_minutes(minutes, day.run_taper)
            return minutes if day.run_cap is None else min(minutes, day.run_cap)
        return minutes

    def with_run_cap(self, first: date, days: int, cap: int) -> Calendar:
        """The calendar with no run longer than ``cap`` minutes in ``days`` from ``first``
        (SPEC v3, rule ``run_spike``)."""
        return self._with_days(
            [replace(d, run_cap=cap) if 0 <= (d.date - first).days < days else d for d in self.days]
        )

    def _with_days(self, days: list[Day]) -> Calendar:
        """This calendar (scenario, re-plan day) with other days of the same dates."""
        out = Calendar.__new__(Calendar)
        out.scenario, out.today, out.today_week = self.scenario, self.today, self.today_week
        out.days = days
        return out

    @cached_property
    def clean_weeks(self) -> list[bool]:
        """A week is clean unless it holds away days, a race, or days of a cut-off, eve,
        recovery or return window (or, in a re-plan, a past day or the first re-planned
        day)."""
        return [
            w != self.today_week
            and self.full_weeks[w]
            and not any(d.past for d in self.week_days(w))
            for w in range(self.n_weeks)
        ]

    @cached_property
    def full_weeks(self) -> list[bool]:
        """Full training weeks for the prescriptions: no away days, races or windows (a
        re-plan's past does not change them)."""
        return [
            not any(d.away or d.in_race_window or d.returning for d in self.week_days(w))
            for w in range(self.n_weeks)
        ]

    @cached_property
    def a_race_weeks(self) -> set[int]:
        """Weeks holding an A race (strength_per_week counts 1 there)."""
        return {d.week for d in self.days if d.race is not None and d.race.priority == "A"}

    @cached_property
    def season_weeks(self) -> set[int]:
        """Weeks that overlap a race season (static: no power; strength maintains)."""
        return {d.week for d in self.days if d.season}

    @cached_property
    def window_weeks(self) -> set[int]:
        """Weeks holding a race, a day of its windows, or a return-ramp day: a dynamic
        block next to one may be cut short."""
        return {d.week for d in self.days if d.in_race_window or d.returning}

    def week_phase(self, week: int, dynamic: bool) -> str:
        """race / taper / recovery / return / race season / away / dynamic / static."""
        days = self.week_days(week)
        if all(d.away for d in days):
            return "away"
        if any(d.race for d in days):
            return "race"
        if any(d.taper_of or d.eve_of for d in days):
            return "taper"
        if any(d.recovery_of for d in days):
            return "recovery"
        if any(d.returning for d in days):
            return "return"
        if week in self.season_weeks:
            return "race season"
        return "dynamic" if dynamic else "static"

    def placed_easy_runs(self, day: Day, easy_runs_on_day: int) -> int:
        """Easy runs on a day beyond the fixed ones (what `easy_runs` counts)."""
        return max(0, easy_runs_on_day - day.fixed_runs.count("easy_run"))
