"""Every training rule, in the order the model adds them and the Rules sheet lists them.

Adding a rule means adding a class to one of these modules and to :data:`RULES`: its
key, label and source; ``encode`` (CP-SAT) and ``check`` (solver-free); what explain
may try to relax it (``milder`` settings, or ``relaxations`` for an input); whether
switching it off ``reshapes`` the model; and ``ruled_out`` placements the model need not
create. Its setting and default are the field of the same key in
:class:`strideplan.scenario.Rules` (the scenario sits below the rules).
"""

from .base import Rule, Violation
from .blocks import DynamicBlocks
from .daily import DailyMinutes, MaxRunsPerDay, MaxSessionsPerDay
from .inputs import Availability, Away, FixedRuns, Gym, Races, SessionOrder
from .races import RaceEve, RaceRecovery, RaceSeason, RaceTaper, ReturnAfterBreak, RunTaper
from .soft import (
    BackToBackHard,
    DeloadEvery,
    HeavyLegsNearLongRun,
    PowerWithSpeedOrStrength,
    PreferredDays,
    SameWeeklyPattern,
    StrengthAfterEasyRun,
)
from .spacing import (
    MaxDaysWithoutStrength,
    MaxTrainingDaysInARow,
    NoHeavyLegsBefore,
    PowerDays,
    PowerGapDays,
    PowerOnFreshDays,
    StrengthGapDays,
)
from .spike import RunSpike
from .weekly import EasyRuns, LowerStrengthPerWeek, PowerPerWeek, RestDaysPerWeek, StrengthPerWeek

RULES: list[Rule] = [
    Availability(),
    Away(),
    Gym(),
    Races(),
    FixedRuns(),
    SessionOrder(),
    EasyRuns(),
    StrengthPerWeek(),
    LowerStrengthPerWeek(),
    StrengthGapDays(),
    MaxDaysWithoutStrength(),
    PowerPerWeek(),
    PowerOnFreshDays(),
    NoHeavyLegsBefore(),
    RestDaysPerWeek(),
    MaxTrainingDaysInARow(),
    PowerGapDays(),
    PowerDays(),
    MaxSessionsPerDay(),
    MaxRunsPerDay(),
    DailyMinutes(),
    DynamicBlocks(),
    RaceTaper(),
    RaceEve(),
    RaceRecovery(),
    ReturnAfterBreak(),
    RaceSeason(),
    RunTaper(),
    BackToBackHard(),
    HeavyLegsNearLongRun(),
    StrengthAfterEasyRun(),
    PowerWithSpeedOrStrength(),
    SameWeeklyPattern(),
    PreferredDays(),
    DeloadEvery(),
    RunSpike(),
]

RULES_BY_KEY: dict[str, Rule] = {r.key: r for r in RULES}

__all__ = ["RULES", "RULES_BY_KEY", "Rule", "Violation"]
