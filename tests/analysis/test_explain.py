"""Infeasibility explained: the conflict is minimal and the fixes were verified."""

from __future__ import annotations

from datetime import date

import pytest

from strideplan.calendar import Place
from strideplan.explain import explain_infeasible, is_feasible, minimal_conflict
from strideplan.model import build

from conftest import scenario, solve

CONFLICTS = {
    "one gym day before intervals": dict(
        athlete__gym=["mon"],
        runs__tue="intervals",
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    ),
    "no time for heavy legs": dict(
        athlete__availability={"mon": 50, "wed": 50},
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    ),
    "strength days too close": dict(
        athlete__availability={"mon": 90, "tue": 90},
        rules__strength_per_week=2,
        rules__lower_strength_per_week=2,
    ),
    "no rest day left": dict(runs__easy_runs=7, rules__rest_days_per_week=1),
    "power only after hard days": dict(
        athlete__availability={"mon": 70, "tue": 60}, runs__mon="intervals", rules__power_per_week=1
    ),
    "fixed run on a day with no time": dict(athlete__availability={"mon": 60}, runs__wed="tempo"),
    "double run day": dict(
        athlete__availability={"mon": 200}, runs__mon="intervals", runs__easy_runs=1
    ),
}


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_conflict_is_minimal_by_removal(name):
    sc = scenario(**CONFLICTS[name])
    core = minimal_conflict(sc)
    assert core, "scenario should be infeasible"
    b = build(sc, guarded=True)
    assert not is_feasible(b, core, 5.0)
    for member in core:  # removing any one member makes the rest feasible
        rest = [k for k in core if k != member]
        assert is_feasible(b, rest, 5.0), f"{member} is not needed"


def test_an_explanation_past_its_deadline_still_names_a_conflict():
    # SPEC Robustness: bounded time. With the deadline already gone, the explanation
    # stops shrinking and trying fixes: what it names is still a conflict (a superset
    # of the minimal one), never a guess that leaves a needed rule out
    import time

    from strideplan.app import explain_budget
    from strideplan.explain import Budget

    sc = scenario(**CONFLICTS["one gym day before intervals"])
    minimal = set(minimal_conflict(sc))
    late = explain_infeasible(sc, Budget(5.0, end=time.monotonic()))
    assert set(late.conflict) >= minimal and not late.fixes
    assert not is_feasible(build(sc, guarded=True), late.conflict, 5.0)
    assert Budget(5.0, end=time.monotonic()).limit() > 0  # a solve is never given 0 s
    # the whole explanation gets three times the solve's limit, at least 10 s
    assert (explain_budget(2), explain_budget(10)) == (10.0, 30.0)


def test_gym_day_before_intervals_names_the_rules_and_a_working_fix():
    sc = scenario(**CONFLICTS["one gym day before intervals"])
    explanation = explain_infeasible(sc)
    assert set(explanation.conflict) >= {"athlete.gym", "no_heavy_legs_before"}
    assert explanation.fixes
    text = "\n".join(explanation.lines(sc))
    assert "--set" in text


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_every_suggested_fix_solves_the_scenario(name):
    from strideplan.result import plan_scenario
    from strideplan.scenario import with_overrides

    sc = scenario(**CONFLICTS[name])
    explanation = explain_infeasible(sc)
    raw = sc.model_dump(by_alias=True, exclude_none=True, mode="json")
    assert explanation.fixes, name
    for fix in explanation.fixes:
        assert plan_scenario(with_overrides(raw, fix, "fix")).solved, fix


def test_no_available_day_says_so_first():
    result = solve(scenario(athlete__availability={}, rules__strength_per_week=1))
    assert not result.solved
    lines = result.explanation.lines(result.scenario)
    assert lines[0].startswith("No day is available")


def test_the_clash_is_placed_in_dates_and_weeks():
    sc = scenario(**CONFLICTS["one gym day before intervals"])
    explanation = explain_infeasible(sc)
    # places are values: the dates they cover, and the words a coach reads
    monday, sunday = date(2027, 1, 4), date(2027, 1, 10)
    assert explanation.where["no_heavy_legs_before"] == [
        Place(monday, monday, "Mon 2027-01-04 (before intervals)")
    ]
    assert explanation.where["lower_strength_per_week"] == [Place(monday, sunday, "week 1")]
    gist = explanation.lines(sc)[:2]  # two lines say what clashes and a fix that works
    for member in ("athlete.gym", "no_heavy_legs_before", "runs.tue"):
        assert member in gist[0]
    assert gist[1].startswith("Fix: --set") and "verified" in gist[1]


def test_explain_command_prints_score_and_binding_rules():
    from click.testing import CliRunner

    from strideplan.cli import cli

    from conftest import ROOT

    result = CliRunner().invoke(cli, ["explain", str(ROOT / "scenarios" / "tight_week.yaml")])
    assert result.exit_code == 0, result.output
    assert "back_to_back_hard: +60" in result.output
    assert "binds: " in result.output


def test_binding_rule_really_costs_points():
    from strideplan.explain import binding_rules
    from strideplan.result import plan_scenario

    # heavy legs preferred on Monday, but intervals are on Tuesday
    sc = scenario(
        runs__tue="intervals",
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
        preferences__strength_days=["mon"],
    )
    result = plan_scenario(sc)
    bindings = {b.rule: b for b in binding_rules(result)}
    assert "no_heavy_legs_before" in bindings
    assert bindings["no_heavy_legs_before"].objective_without == result.objective - 2


def test_a_conflict_among_several_gets_fixes_that_resolve_it():
    # a fixed run on a day with no time AND too little time for heavy legs anywhere
    sc = scenario(
        athlete__availability={"mon": 50, "wed": 50},
        runs__fri="tempo",
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    )
    explanation = explain_infeasible(sc)
    assert explanation.conflict
    text = "\n".join(explanation.lines(sc))
    assert "--set" in text
    if not explanation.fixes:
        assert explanation.partial_fixes and "run again" in text


def test_fixed_run_on_a_day_without_time_suggests_time_or_dropping_it():
    sc = scenario(athlete__availability={"mon": 60}, runs__wed="tempo")
    explanation = explain_infeasible(sc)
    assert explanation.conflict == ["athlete.availability", "runs.wed"]
    assert {"athlete.availability.wed": 60} in explanation.fixes
    assert "--set runs.wed=null" in "\n".join(explanation.lines(sc))


@pytest.mark.parametrize("value", [3, None, [0, 2], ["tempo", "race"], {"A": 5, "B": 2, "C": 1}])
def test_printed_fix_values_read_back_as_set_values(value):
    from strideplan.explain import show_value
    from strideplan.scenario import parse_value

    assert parse_value(show_value(value)) == value


def test_printed_off_reads_back_as_switched_off():
    from strideplan.explain import show_value
    from strideplan.scenario import SoftRule, parse_value

    assert not SoftRule.expand(parse_value(show_value("off")))["enabled"]


def test_a_fixed_run_longer_than_its_day_asks_for_the_minutes_it_needs():
    sc = scenario(athlete__availability={"tue": 20, "sat": 90}, runs__tue="intervals")
    explanation = explain_infeasible(sc)
    assert set(explanation.conflict) == {"daily_minutes", "runs.tue"}
    assert "intervals alone needs 70 of 20 min" in explanation.where["daily_minutes"][0].label
    assert explanation.lines(sc)[1].startswith("Fix: --set athlete.availability.tue=70")


def test_the_readme_infeasibility_example_is_what_solve_prints(tmp_path):
    import re
    import shlex

    from click.testing import CliRunner

    from strideplan.cli import cli

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "guide.md").read_text()
    block = re.search(r"```\n\$ (strideplan solve [^\n]*)\n(No plan:.*?)```", readme, re.S)
    command, shown = block.group(1), block.group(2).strip().splitlines()
    out = tmp_path / "x.xlsx"
    result = CliRunner().invoke(cli, [*shlex.split(command)[1:], "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert result.output.splitlines()[1:] == shown


@pytest.mark.parametrize("hard_limit", [False, True], ids=["soft limit", "hard limit"])
@pytest.mark.parametrize("name", ["back_from_away.yaml", "marathon_a.yaml", "half_four_days.yaml"])
def test_binding_rules_from_one_guarded_model_match_a_model_per_rule(name, hard_limit, monkeypatch):
    """The why switches a rule off in a copy of one guarded model unless the rule
    reshapes the calendar or the variables: the same relaxed optimum as building the
    scenario with the rule off, for every hard rule (races, a break, shortfall weeks and
    a soft-set hard rule on the way). With the sessions-per-day limit hard, the guarded
    model holds the cuts that rest on it (issue 22): the copy without the limit drops
    them with it."""
    from strideplan.explain import binding_rules
    from strideplan.result import plan_scenario
    from strideplan.rules import RULES_BY_KEY
    from strideplan.scenario import load_raw, with_overrides

    from conftest import ROOT

    path = ROOT / "tests" / "data" / name
    data, tree = load_raw(path)
    soft = {"rules.max_sessions_per_day": {"hard": False, "weight": 15}}
    sc = with_overrides(data, {} if hard_limit else soft, str(path), tree)
    result = plan_scenario(sc)
    assert result.solved
    copied = [(b.rule, b.objective_without) for b in binding_rules(result)]
    assert copied, "some rule binds"
    for rule in RULES_BY_KEY.values():
        monkeypatch.setattr(type(rule), "reshapes", True)
    rebuilt = [(b.rule, b.objective_without) for b in binding_rules(result)]
    assert copied == rebuilt


def test_without_the_daily_limit_one_day_holds_both_rewards():
    """One easy run, one core session, one power session; rewards 3 (core after the
    run) and 2 (power with strength). Two sessions a day allow one reward (-3); without
    the limit all three share a day (-5). The guarded model's cuts rest on the limit
    (issue 22), so the copy without it must drop them to find -5."""
    from strideplan.explain import binding_rules

    from conftest import scenario, solve

    sc = scenario(
        runs__easy_runs=1,
        rules__strength_per_week=1,
        rules__power_per_week=1,
        rules__strength_after_easy_run=3,
        rules__power_with_speed_or_strength=2,
    )
    result = solve(sc)
    assert result.objective == -3
    found = {b.rule: b.objective_without for b in binding_rules(result)}
    assert found["max_sessions_per_day"] == -5


def test_a_binding_found_at_the_time_limit_says_at_least():
    """A relaxed solve stopped by its time limit still shows the rule binds (a better
    plan without it exists), but not by how much exactly: 'at least'."""
    from strideplan.explain import Binding, score_lines
    from strideplan.terminal import binding_lines

    from conftest import scenario, solve

    result = solve(scenario(runs__easy_runs=1, rules__strength_per_week=1))
    stopped = Binding("max_sessions_per_day", result.objective - 2, [], proven=False)
    assert "at most" in score_lines(result, [stopped])[-1]
    assert "2 better" in score_lines(result, [stopped])[-1]
    result.bindings = [stopped]
    assert "at least 2 points" in binding_lines(result)[1]


def test_a_relaxed_solve_out_of_time_still_tells_exactly_which_rules_bind(monkeypatch):
    """A relaxed solve stops at its deterministic box only with a better plan in hand
    (it binds: "at least" so many points); one with none goes on to its end. With a
    box of a few CP-SAT milliseconds the Quick start's plan has the same binding rules
    as with the default box, a stopped one is never better than the optimum, and some
    do stop there (so the box is exercised)."""
    import strideplan.explain as explain
    from strideplan.result import plan_scenario
    from strideplan.scenario import load_scenario

    from conftest import ROOT

    result = plan_scenario(load_scenario(ROOT / "scenarios" / "10k_build.yaml"))
    exact = {b.rule: b for b in explain.binding_rules(result)}
    assert exact and all(b.proven for b in exact.values())
    monkeypatch.setattr(explain, "RELAXED_BOX", 0.002)
    boxed = {b.rule: b for b in explain.binding_rules(result)}
    assert boxed.keys() == exact.keys()
    stopped = [b for b in boxed.values() if not b.proven]
    assert stopped
    for b in stopped:
        assert b.objective_without >= exact[b.rule].objective_without
        assert b.points(result.objective).startswith("at least")


def test_too_few_minutes_offer_shorter_sessions_before_switching_the_limit_off():
    """Two 35-minute evenings, two strength sessions a week: a 30-minute core session and
    the 10-minute warm-up do not fit; a 20-minute one does. A coach shortens the session
    before asking for time or switching the limit off: the fix is offered, verified."""
    from strideplan.app import plan_and_report

    sc = scenario(athlete__availability={"mon": 35, "wed": 35}, rules__strength_per_week=2)
    result = plan_and_report(sc)
    assert result.status == "infeasible"
    fixes = result.explanation.fixes
    assert {"sessions.strength_core.minutes": 20} in fixes
