"""The solver-free checker catches a hand-made violation of every hard rule."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from strideplan.check import check_plan
from strideplan.rules import RULES

from conftest import scenario, solve

BASE = dict(
    weeks=3,
    athlete__availability={
        "mon": 90,
        "tue": 90,
        "wed": 90,
        "thu": 90,
        "fri": 60,
        "sat": 120,
        "sun": 150,
    },
    athlete__gym=["mon", "wed", "sat"],
    runs__tue="intervals",
    runs__thu="tempo",
    runs__sun="long_run",
    runs__easy_runs=1,
    rules__strength_per_week=2,
    rules__lower_strength_per_week=[1, 2],
    rules__power_per_week=[1, 2],
    rules__rest_days_per_week=1,
    rules__max_days_without_strength=10,
)


def base_plan(**extra):
    sc = scenario(**{**BASE, **extra})
    result = solve(sc)
    assert result.solved
    return sc, result.plan.copy()


def add(table: pd.DataFrame, day: str, session: str, minutes: int = 20, order: int = 9):
    row = {c: None for c in table.columns}
    row.update(date=date.fromisoformat(day), session=session, minutes=minutes, order=order)
    return pd.concat([table, pd.DataFrame([row])], ignore_index=True)


def drop(table: pd.DataFrame, session: str, nth: int = 0) -> pd.DataFrame:
    idx = table.index[table["session"] == session][nth]
    return table.drop(index=idx)


def first(table, session):
    return table.loc[table["session"] == session, "date"].iloc[0]


def rules_found(sc, table) -> set[str]:
    return {v.rule for v in check_plan(sc, table)}


def test_a_solved_plan_has_no_violations():
    sc, table = base_plan()
    assert check_plan(sc, table) == []


CASES = {
    # key: (scenario extras, mutation)
    "athlete.availability": (
        {
            "athlete__availability": {
                "mon": 90,
                "tue": 90,
                "wed": 90,
                "thu": 90,
                "sat": 120,
                "sun": 150,
            }
        },
        lambda t: add(t, "2027-01-08", "easy_run", 40),
    ),  # a Friday
    "athlete.away": (
        {"athlete__away": ["2027-01-13"]},
        lambda t: add(t, "2027-01-13", "strength_core", 30),
    ),
    "athlete.gym": ({}, lambda t: add(t, "2027-01-21", "strength_lower", 45)),  # a Thu
    "races": (
        {"races": [{"date": "2027-01-17", "priority": "C"}]},
        lambda t: add(t, "2027-01-17", "strength_core", 30),
    ),
    "runs": ({}, lambda t: drop(t, "tempo")),
    "session_order": (
        {},
        lambda t: t.assign(order=t["order"].where(t["session"] != "mobility", 99)),
    ),
    "runs.easy_runs": ({}, lambda t: drop(t, "easy_run")),
    "strength_per_week": (
        {},
        lambda t: (
            drop(t, "strength_core")
            if (t["session"] == "strength_core").any()
            else drop(t, "strength_lower")
        ),
    ),
    "lower_strength_per_week": (
        {},
        lambda t: t.assign(session=t["session"].replace({"strength_lower": "strength_core"})),
    ),
    "strength_gap_days": (
        {},
        lambda t: add(t, str(first(t, "strength_lower")), "strength_core", 30),
    ),
    "max_days_without_strength": (
        {"rules__max_days_without_strength": 6},
        lambda t: t[~((t["category"] == "strength") & (t["week"] == 2))],
    ),
    "power_per_week": ({}, lambda t: add(add(t, "2027-01-04", "power"), "2027-01-06", "power")),
    "power_on_fresh_days": ({}, lambda t: add(t, "2027-01-06", "power")),  # Wed after intervals
    "no_heavy_legs_before": ({}, lambda t: add(t, "2027-01-04", "strength_lower", 45)),  # Mon
    "rest_days_per_week": ({}, lambda t: _fill_rest_days(t)),
    "max_sessions_per_day": (
        {},
        lambda t: add(add(t, "2027-01-05", "strength_core", 1), "2027-01-05", "power", 1),
    ),
    "max_runs_per_day": ({}, lambda t: add(t, "2027-01-05", "easy_run", 1)),
    "daily_minutes": (
        {},
        lambda t: t.assign(minutes=t["minutes"].where(t["session"] != "long_run", 400)),
    ),
    "dynamic_blocks": (
        {"weeks": 3, "rules__dynamic_blocks": {"min": 2, "max": 2}},
        lambda t: t,
    ),  # three weeks of power with blocks of at most 2
    "race_taper": (
        {"races": [{"date": "2027-01-24", "priority": "C"}]},
        lambda t: add(t, "2027-01-23", "power"),
    ),
    "race_recovery": (
        {
            "races": [{"date": "2027-01-10", "priority": "B"}],
            "rules__race_recovery": {"A": 3, "B": 2, "C": 1},
        },
        lambda t: add(t, "2027-01-11", "strength_lower", 45),
    ),
    "race_eve": (  # an A 10k on Sunday: Friday and Saturday are its eve
        {"races": [{"date": "2027-01-24", "priority": "A", "distance": "10k"}]},
        lambda t: add(t, "2027-01-22", "strength_core", 30),
    ),
    "return_after_break": (  # a week away: Mon-Wed after it are the ramp
        {"athlete__away": [{"from": "2027-01-04", "to": "2027-01-10"}]},
        lambda t: add(t, "2027-01-13", "power"),
    ),
    "race_season": (
        {"race_season": [{"from": "2027-01-18", "to": "2027-01-24"}]},
        lambda t: add(t, "2027-01-20", "power"),
    ),
    "max_training_days_in_a_row": (
        {"rules__max_training_days_in_a_row": 6},
        lambda t: _fill_rest_days(t),
    ),
    "power_gap_days": ({}, lambda t: add(t, "2027-01-10", "power")),  # the long-run Sunday
    "power_days": (
        {"rules__power_days": ["tue", "sat"]},
        lambda t: add(t, "2027-01-06", "power"),  # a Wednesday
    ),
    "run_spike": ({"weeks": 8}, lambda t: _history_of_short_runs(t)),
}


def _history_of_short_runs(table: pd.DataFrame) -> pd.DataFrame:
    """The first five weeks marked done with every run 60 minutes or less: the 90-minute
    long runs after them break the spike cap (65)."""
    table = table.copy()
    past = table["date"] < date(2027, 2, 8)
    table["status"] = ["done" if p else "" for p in past]
    runs = table["session"].isin(["intervals", "tempo", "long_run", "easy_run"])
    table.loc[past & runs, "minutes"] = table.loc[past & runs, "minutes"].clip(upper=60)
    return table


def _fill_rest_days(table: pd.DataFrame) -> pd.DataFrame:
    for day in pd.date_range("2027-01-04", "2027-01-10"):
        if not (table["date"] == day.date()).any():
            table = add(table, str(day.date()), "easy_run", 1, order=2)
            table = add(table, str(day.date()), "mobility", 1, order=1)
    return table


@pytest.mark.parametrize("rule", sorted(CASES))
def test_check_catches_a_hand_made_violation(rule):
    extras, mutate = CASES[rule]
    if rule == "dynamic_blocks":
        sc_plan, table = base_plan(rules__dynamic_blocks="off")
        sc = scenario(**{**BASE, **extras})
        assert rule in rules_found(sc, table)
        return
    sc, table = base_plan(**extras)
    assert rule not in rules_found(sc, table)
    assert rule in rules_found(sc, mutate(table))


def test_every_hard_rule_has_a_check_case():
    hard = {r.key for r in RULES if r.kind in ("hard", "input")}
    assert hard == set(CASES)


def test_violations_name_date_and_rule():
    sc, table = base_plan()
    violations = check_plan(sc, add(table, "2027-01-06", "power"))
    fresh = [v for v in violations if v.rule == "power_on_fresh_days"]
    assert fresh and fresh[0].date == date(2027, 1, 6)
    assert "power_on_fresh_days" in str(fresh[0]) and "2027-01-06" in str(fresh[0])


def test_a_plan_is_scored_like_the_solver_scores_it():
    from strideplan.calendar import Calendar
    from strideplan.model import score_plan
    from strideplan.plan import PlanView, placed_sessions

    sc = scenario(rules__strength_per_week=1, preferences__strength_days=["thu"])
    result = solve(sc)
    cal = Calendar(sc)
    table = result.plan.copy()
    assert score_plan(sc, placed_sessions(PlanView(cal, table)), cal).objective == 0
    # the coach moves strength from Thursday to Monday: legal, but off the preferred day
    # (date and day together: a row whose day column disagrees with its date is a
    # sessions_columns violation of its own)
    table.loc[table["day"] == "thu", ["date", "day"]] = [date(2027, 1, 4), "mon"]
    assert check_plan(sc, table) == []
    assert score_plan(sc, placed_sessions(PlanView(cal, table)), cal).objective == 2


def test_check_prints_the_score_of_a_clean_plan(tmp_path):
    from click.testing import CliRunner

    from strideplan.cli import cli

    from conftest import ROOT

    scenario_path = str(ROOT / "scenarios" / "tight_week.yaml")
    out = tmp_path / "p.xlsx"
    CliRunner().invoke(cli, ["solve", scenario_path, "-o", str(out), "--no-why"])
    result = CliRunner().invoke(cli, ["check", scenario_path, str(out)])
    assert result.exit_code == 0 and "Score: 48 points (the optimum)" in result.output


def test_check_puts_each_rules_points_where_solve_does_also_in_json(tmp_path):
    """Weeks without power cost 50 as a static week or as a short dynamic one: check
    splits the points per rule as solve does (the same seeded choice), and its JSON
    carries the score, the optimum and the points."""
    import json

    from click.testing import CliRunner

    from strideplan.cli import cli

    from conftest import ROOT

    scenario_path = str(ROOT / "tests" / "data" / "no_power_fits.yaml")
    out = tmp_path / "p.xlsx"
    solved = CliRunner().invoke(
        cli, ["solve", scenario_path, "-o", str(out), "--no-why", "--format", "json"]
    )
    assert solved.exit_code == 0, solved.output
    points = {r["rule"]: r["points"] for r in json.loads(solved.output)["points"] if r["points"]}
    assert points.get("dynamic_blocks", 0) >= 100  # several static weeks
    checked = CliRunner().invoke(cli, ["check", scenario_path, str(out), "--format", "json"])
    report = json.loads(checked.output)
    assert checked.exit_code == 0 and report["violations"] == []
    assert report["score"] == report["optimum"] == json.loads(solved.output)["objective"]
    assert report["points"] == points


def test_rows_added_without_order_or_minutes_take_the_scenarios_values():
    sc, table = base_plan()
    rest = next(
        d.date()
        for d in pd.date_range("2027-01-04", "2027-01-10")
        if not (table["date"] == d.date()).any()
    )  # a rest day in the plan
    row = {c: None for c in table.columns}
    row.update(date=rest, session="strength_core")
    edited = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    found = {v.rule for v in check_plan(sc, edited)}
    assert "session_order" in found  # no mobility before it, but nothing crashes
    assert "daily_minutes" not in found  # 30 minutes from the catalog fit the free 60-150


def test_a_race_day_holds_its_race_whatever_the_daily_limit():
    # found by the whole-range hypothesis profile: max 0 sessions a day and a race
    result = solve(
        scenario(rules__max_sessions_per_day=0, races=[{"date": "2027-01-10", "priority": "C"}])
    )
    assert result.solved and list(result.plan["session"]) == ["mobility", "race"]
