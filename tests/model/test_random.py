"""Random valid scenarios either solve to a plan that `check` accepts, or come back
infeasible with an explanation — never a crash."""

from __future__ import annotations

import os
import tempfile
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

from scenario_strategies import DAYS, scenario_data, scenarios


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
