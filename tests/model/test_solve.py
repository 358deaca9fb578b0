"""Solving: example scenarios are optimal and pass check; determinism; the score adds up."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from strideplan.app import plan_and_report
from strideplan.excel import read_sessions, write_workbook
from strideplan.result import plan_scenario
from strideplan.scenario import load_scenario

from conftest import ROOT, SCENARIOS, solve


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_example_scenario_solves_to_optimal_and_passes_check(path):
    result = solve(load_scenario(path))  # solve() asserts optimal + check clean
    assert result.solved and len(result.plan) > 0


def test_the_spec_example_is_feasible():
    # tests/data/spec_example.yaml is SPEC v2's scenario example, verbatim
    result = solve(load_scenario(ROOT / "tests" / "data" / "spec_example.yaml"))
    assert result.solved


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_objective_is_the_sum_of_the_rule_points(path):
    result = plan_scenario(load_scenario(path))
    assert result.objective == sum(result.penalties.values())
    assert result.objective == sum(i.points for i in result.instances)
    assert result.bound == result.objective


def test_same_seed_same_plan_whatever_the_worker_count():
    sc = load_scenario(next(p for p in SCENARIOS if p.stem == "marathon_block"))
    plans = [plan_scenario(sc, workers=w).plan for w in (1, 2, 4, 8, 8)]
    for other in plans[1:]:
        pd.testing.assert_frame_equal(plans[0], other)


def test_workbook_round_trip_keeps_the_sessions(tmp_path):
    sc = load_scenario(next(p for p in SCENARIOS if p.stem == "10k_build"))
    result = plan_scenario(sc)
    path = write_workbook(result, tmp_path / "p.xlsx")
    back = read_sessions(path)[["date", "session", "order", "minutes"]]
    expected = result.plan[["date", "session", "order", "minutes"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_writing_is_atomic_on_failure(tmp_path, monkeypatch):
    sc = load_scenario(next(p for p in SCENARIOS if p.stem == "tight_week"))
    result = plan_scenario(sc)
    target = tmp_path / "p.xlsx"
    import xlsxwriter

    def boom(self):
        with open(self.filename, "wb") as fh:
            fh.write(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(xlsxwriter.Workbook, "close", boom)
    with pytest.raises(KeyboardInterrupt):
        write_workbook(result, target)
    assert list(tmp_path.iterdir()) == []


def test_an_infeasible_result_is_well_formed():
    from conftest import scenario

    sc = scenario(
        athlete__availability={"mon": 50},
        rules__strength_per_week=1,
        rules__lower_strength_per_week=1,
    )
    result = plan_and_report(sc)
    assert result.status == "infeasible" and not result.solved
    assert result.plan.empty and result.explanation is not None
    assert "daily_minutes" in result.explanation.conflict


def test_scenario_sheet_holds_a_scenario_that_loads_back(tmp_path):
    import yaml
    from openpyxl import load_workbook

    from strideplan.scenario import validate

    sc = load_scenario(next(p for p in SCENARIOS if p.stem == "marathon_block"))
    path = write_workbook(plan_scenario(sc), tmp_path / "p.xlsx")
    column = [c.value for c in load_workbook(path)["Scenario"]["A"]]
    from strideplan.sheets.scenario import TITLE

    start = column.index(TITLE) + 1
    text = "\n".join(v for v in column[start:] if v is not None)
    assert validate(yaml.safe_load(text), "sheet") == sc


def test_the_booklet_holds_each_phase_once_and_the_warm_up_once(tmp_path):
    from openpyxl import load_workbook

    result = plan_scenario(load_scenario(ROOT / "scenarios" / "marathon_block.yaml"))
    path = write_workbook(result, tmp_path / "plan.xlsx")
    wb = load_workbook(path)  # (the sheets' order: test_cli's all-sheets test)
    column = [c.value for c in wb["Booklet"]["A"] if c.value]
    headings = [v for v in column if " — week" in v]
    phases = set(result.exercises["phase"])
    assert {h.split(" — ")[0].lower() for h in headings} == phases
    # the warm-up and the cool-down are the same in every phase: printed once, first
    assert column.index("Every phase") < column.index(headings[0])
    for line in ("Warm-up before every training day", "Cool-down after every run"):
        assert column.count(line) == 1
        assert column.index("Every phase") < column.index(line) < column.index(headings[0])
    assert column.count("Kneeling hip-flexor stretch") == 1
    # a phase's note is said once per session, not after every exercise's cue
    cues = [row[4].value for row in wb["Booklet"].iter_rows(min_row=4) if row[4].value]
    assert not any("Burn and speed together" in str(cue) for cue in cues)
    notes = [v for v in column if "Burn and speed together" in v]
    assert notes and all(v.startswith(("Every exercise:", "Week")) for v in notes)


def test_the_result_does_not_import_the_explanation_above_it():
    """Floors point down: the why (strideplan.explain) sits above the result."""
    code = "import sys, strideplan.result; print('strideplan.explain' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


REDUNDANT_CASES = [
    *[p for p in SCENARIOS if p.stem in ("10k_build", "marathon_block", "full_year")],
    ROOT / "tests" / "data" / "back_from_away.yaml",
    ROOT / "tests" / "data" / "no_power_fits.yaml",
]


@pytest.mark.parametrize("path", REDUNDANT_CASES, ids=lambda p: p.stem)
def test_redundant_constraints_keep_the_optimum_and_the_plan(path, monkeypatch):
    # issue 22: the cuts that make the LP tight (no room beside a two-session reward,
    # power leaving and coming back around a static week) only strengthen the
    # relaxation; with them off the same plan is optimal at the same points
    from strideplan import model
    from strideplan.rules import soft

    sc = load_scenario(path)
    on = model.solve(sc, workers=2)
    monkeypatch.setattr(soft, "_no_room_beside", lambda *a: None)
    monkeypatch.setattr(soft, "_power_block_moves", lambda *a: None)
    off = model.solve(sc, workers=2, time_limit=120)
    assert on.status == off.status == "optimal"
    assert on.objective == off.objective
    assert on.values == off.values and on.dynamic == off.dynamic
