"""Random valid scenarios either solve to a plan that `check` accepts, or come back
infeasible with an explanation — never a crash."""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from strideplan.app import plan_and_report
from strideplan.catalog import CATALOG
from strideplan.check import check_plan
from strideplan.excel import read_sessions, write_workbook
from strideplan.prescription import MAX_WEEKLY_RISE
from strideplan.result import plan_scenario
from strideplan.scenario import (
    MAX_DAYS,
    MAX_PER_WEEK,
    MAX_WEEKS,
    MAX_WEIGHT,
    BlocksRule,
    CountRule,
    DaysRule,
    DeloadRule,
    LimitRule,
    RaceDaysRule,
    Rules,
    SessionsRule,
    SoftRule,
    validate,
)

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
START = date(2027, 1, 4)


@st.composite
def scenario_data(draw):
    """Raw data of a random valid scenario (rules from a few typical values)."""
    weeks = draw(st.integers(1, 10))
    free = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True))
    availability = {d: draw(st.sampled_from([30, 45, 60, 90, 120, 150])) for d in free}
    fixed = {
        d: draw(st.sampled_from(["intervals", "tempo", "long_run", "easy_run"]))
        for d in draw(st.lists(st.sampled_from(DAYS), max_size=3, unique=True))
    }
    n_days = 7 * weeks
    races = []
    for offset in draw(st.lists(st.integers(0, n_days - 1), max_size=2, unique=True)):
        race = {"date": START + timedelta(days=offset), "priority": draw(st.sampled_from("ABC"))}
        distance = draw(
            st.sampled_from([None, "5k", "10k", "half", "marathon", "ultra", 1.5, 21.1, 60])
        )
        if distance is not None:
            race["distance"] = distance
        if draw(st.booleans()):
            race[draw(st.sampled_from(["taper_days", "recovery_days", "run_taper_days"]))] = draw(
                st.integers(0, 21)
            )
        races.append(race)
    race_days = {r["date"] for r in races}
    away_days = set(draw(st.lists(st.integers(0, n_days - 1), max_size=4, unique=True)))
    if draw(st.booleans()):  # a long break: up to 16 days in a row
        first = draw(st.integers(0, n_days - 1))
        away_days |= set(range(first, min(n_days, first + draw(st.integers(5, 16)))))
    away = [
        START + timedelta(days=o)
        for o in sorted(away_days)
        if START + timedelta(days=o) not in race_days
    ]
    season = []
    if draw(st.booleans()):
        first = draw(st.integers(0, n_days - 1))
        last = min(n_days - 1, first + draw(st.integers(0, 35)))
        season = [{"from": START + timedelta(days=first), "to": START + timedelta(days=last)}]
    rules = {}
    if draw(st.booleans()):
        rules["strength_per_week"] = draw(st.sampled_from([1, 2, 3, [1, 2]]))
    if draw(st.booleans()):
        rules["power_per_week"] = draw(st.sampled_from([0, 1, [1, 2]]))
    if draw(st.booleans()):
        rules["dynamic_blocks"] = draw(st.sampled_from(["off", [2, 3], [6, 8]]))
    for soft in ("back_to_back_hard", "same_weekly_pattern", "strength_after_easy_run"):
        if draw(st.booleans()):
            rules[soft] = draw(st.sampled_from(["off", 1, 5]))
    for hard in ("power_on_fresh_days", "no_heavy_legs_before", "daily_minutes"):
        if draw(st.booleans()):
            rules[hard] = draw(st.sampled_from(["off", {"hard": False, "weight": 20}]))
    if draw(st.booleans()):
        rules["rest_days_per_week"] = draw(st.sampled_from([0, 1, 2]))
    if draw(st.booleans()):
        rules["strength_per_week"] = {
            "value": draw(st.sampled_from([2, 3])),
            "hard": False,
            "weight": 30,
        }
    if draw(st.booleans()):
        rules["race_taper"] = draw(st.sampled_from(["off", {"A": 14}, {"C": 0}]))
    for key, values in {
        "race_eve": ["off", {"A": 3, "B": 2, "C": 1}],
        "race_recovery": ["off", {"A": 2}],
        "run_taper": ["off", {"B": {"window": 0.5}}],
        "return_after_break": ["off", 3, {"break": 10}],
        "race_season": ["off", {"hard": False, "weight": 40}],
        "max_training_days_in_a_row": ["off", 3, 5],
        "power_gap_days": ["off", 0, 2],
        "power_days": [["tue", "sat"], ["thu"]],
        "heavy_legs_near_long_run": ["off", 50],
    }.items():
        if draw(st.booleans()):
            rules[key] = draw(st.sampled_from(values))
    preferences = {}
    for key in ("strength_days", "power_days", "easy_run_days"):
        if draw(st.booleans()):
            preferences[key] = draw(st.lists(st.sampled_from(DAYS), min_size=1, unique=True))
    sessions = {}
    if draw(st.booleans()):
        sessions[draw(st.sampled_from(["long_run", "easy_run", "strength_lower", "power"]))] = {
            "minutes": draw(st.sampled_from([15, 30, 75, 120]))
        }
    data = {
        "name": "random",
        "start": START,
        "weeks": weeks,
        "preferences": preferences,
        "sessions": sessions,
        "athlete": {
            "availability": availability,
            "level": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
            "gym": draw(st.one_of(st.none(), st.lists(st.sampled_from(DAYS), unique=True))),
            "away": away,
        },
        "runs": {**fixed, "easy_runs": draw(st.integers(0, 3))},
        "races": races,
        "race_season": season,
        "rules": rules,
        "solver": {"time_limit": 20},
    }
    return data


def scenarios():
    """Random valid scenarios."""
    return scenario_data().map(lambda data: validate(data, "random"))


@given(scenarios())
def test_random_scenarios_solve_and_check_or_explain(sc):
    result = plan_and_report(sc)
    if result.solved:
        assert check_plan(sc, result.plan, result.calendar) == []
        assert result.objective == sum(result.penalties.values())
        _volume_never_jumps(result)
    else:
        assert result.status == "infeasible"
        assert result.explanation is not None and result.explanation.conflict


def _volume_never_jumps(result):
    """An exercise's volume (sets × reps) rises at most the cap from one week to the next
    week of the same kind of work (deload weeks in between are skipped: progress resumes
    after them). The kind is the effort: the heavy second half (RIR 2, 5-8 reps) and a new
    block's first half (RIR 2-3, 12-15 reps) are different loads, not a progression."""
    ex = result.exercises
    if ex.empty:
        return
    deload_weeks = set(ex.loc[ex["deload"], "week"])
    ex = ex[(ex["session"] != "mobility") & (~ex["deload"])].copy()
    ex["reps_n"] = ex["reps"].str.extract(r"(\d+)").astype(int)
    ex["volume"] = ex["sets"] * ex["reps_n"]
    for (_session, _name, _effort), group in ex.groupby(["session", "exercise", "effort"]):
        weekly = group.groupby("week")["volume"].max().sort_index()
        for (w1, v1), (w2, v2) in zip(weekly.items(), list(weekly.items())[1:]):
            if all(w in deload_weeks for w in range(w1 + 1, w2)):
                assert v2 <= v1 * (1 + MAX_WEEKLY_RISE) + 1e-9 or v2 <= v1, (_name, w1, w2)


@settings(max_examples=10)
@given(scenarios())
def test_random_scenarios_through_the_cli_write_a_workbook_that_checks_clean(sc):
    import tempfile
    from pathlib import Path

    import yaml
    from click.testing import CliRunner

    from strideplan.cli import cli

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(
            yaml.safe_dump(sc.model_dump(mode="json", by_alias=True, exclude_none=True))
        )
        out = Path(tmp) / "plan.xlsx"
        result = CliRunner().invoke(cli, ["solve", str(path), "-o", str(out), "--no-why"])
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 0:
            checked = CliRunner().invoke(cli, ["check", str(path), str(out)])
            assert checked.exit_code == 0, checked.output
        else:
            assert not out.exists()


# ---------------------------------------------------------------------- whole ranges
# Every rule value across its whole range (SPEC, Robustness): off, on, soft with any
# weight, and numbers from 0 to the schema's maximum, extremes drawn often. In CI a
# handful; HYPOTHESIS_PROFILE=deep runs 500 (by hand: see README, Robustness).
EXTREME_EXAMPLES = 500 if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 15
EXTREME_TIME_LIMIT = 5.0


def _int(lo: int, hi: int):
    """An int in lo..hi, the bounds themselves often."""
    return st.one_of(st.sampled_from([lo, hi]), st.integers(lo, hi))


def _pair(lo: int, hi: int):
    return st.lists(_int(lo, hi), min_size=2, max_size=2).map(sorted)


WEIGHTS = _int(0, MAX_WEIGHT)


def rule_values(cls):
    """Every spelling of a rule of this class, across its range."""
    common = [
        st.just("off"),
        st.just("on"),
        st.fixed_dictionaries({"hard": st.just(False), "weight": WEIGHTS}),
        st.fixed_dictionaries({"weight": WEIGHTS}),
    ]
    if issubclass(cls, CountRule):
        value = st.one_of(_int(0, MAX_PER_WEEK), _pair(0, MAX_PER_WEEK))
    elif issubclass(cls, DaysRule):
        value = _int(0, MAX_DAYS)
    elif issubclass(cls, LimitRule):
        value = _int(0, MAX_PER_WEEK)
    elif issubclass(cls, SoftRule):
        value = WEIGHTS
    elif issubclass(cls, BlocksRule):
        value = st.one_of(
            _pair(1, MAX_WEEKS),
            st.fixed_dictionaries({"static_between": _int(1, MAX_WEEKS)}),
        )
    elif issubclass(cls, RaceDaysRule):
        value = st.fixed_dictionaries({p: _int(0, MAX_DAYS) for p in "ABC"})
    elif issubclass(cls, DeloadRule):
        value = _int(2, MAX_WEEKS)
    elif issubclass(cls, SessionsRule):
        value = st.lists(st.sampled_from(list(CATALOG)), max_size=4)
    else:
        return st.one_of(common)
    soft_value = st.fixed_dictionaries({"value": value, "hard": st.booleans(), "weight": WEIGHTS})
    if issubclass(cls, (BlocksRule, RaceDaysRule)):
        soft_value = st.fixed_dictionaries({"hard": st.booleans(), "weight": WEIGHTS})
    return st.one_of(*common, value, soft_value)


@st.composite
def extreme_scenarios(draw):
    data = draw(scenario_data())
    if draw(st.booleans()):  # roomy weeks, so that many plans exist to be checked
        data["athlete"]["availability"] = {d: 150 for d in DAYS}
        data["athlete"]["gym"] = None
    # a few rules at a time: with many extremes at once nearly every plan is infeasible
    chosen = draw(st.lists(st.sampled_from(list(Rules.model_fields)), unique=True, max_size=4))
    data["rules"] = {key: draw(rule_values(Rules.model_fields[key].annotation)) for key in chosen}
    if draw(st.booleans()):
        data["athlete"]["max_sessions_per_day"] = draw(_int(1, MAX_PER_WEEK))
    data["solver"] = {"time_limit": EXTREME_TIME_LIMIT, "seed": draw(_int(0, 2**31 - 1))}
    return validate(data, "extreme")


@settings(max_examples=EXTREME_EXAMPLES)
@given(extreme_scenarios())
def test_rule_values_across_their_whole_range_give_a_plan_that_checks_or_none(sc):
    """Never a crash or an invalid model (ModelInvalidError would fail the test); every
    plan passes the solver-free checker, also after a round trip through the workbook."""
    result = plan_scenario(sc)
    assert result.status in ("optimal", "feasible", "infeasible", "unknown")
    if not result.solved:
        return
    assert check_plan(sc, result.plan, result.calendar) == []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(result, Path(tmp) / "plan.xlsx")
        assert check_plan(sc, read_sessions(path)) == []
