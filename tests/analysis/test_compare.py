"""Comparing plans under different constraints."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from strideplan.app import compare
from strideplan.cli import cli
from strideplan.compare import (
    build_variants,
    parse_variant,
    split_top_level,
)
from strideplan.result import plan_scenario
from strideplan.sheets.comparison import variant_sheet_names

from conftest import ROOT

TEN_K = str(ROOT / "scenarios" / "10k_build.yaml")


def test_variant_text_splits_outside_brackets():
    assert split_top_level("a=[1, 2], b=3") == ["a=[1, 2]", "b=3"]
    name, overrides = parse_variant("more power: rules.power_per_week=[2, 2], runs.easy_runs=1")
    assert name == "more power"
    assert overrides == {"rules.power_per_week": [2, 2], "runs.easy_runs": 1}


def test_scenario_variants_section_is_used_by_default():
    variants = build_variants([TEN_K], {}, [], [])
    assert [v.name for v in variants][0] == "baseline" and len(variants) == 4
    assert variants[1].scenario.rules.strength_per_week.min == 3


def test_sweeps_make_a_grid():
    variants = build_variants(
        [TEN_K], {}, [], ["rules.strength_per_week=1,2", "runs.easy_runs=1,2"]
    )
    assert len(variants) == 1 + 4


def test_results_are_identical_to_solving_alone():
    variants = build_variants([TEN_K], {}, ["fewer: runs.easy_runs=1"], [])
    table = compare(variants)
    alone = plan_scenario(variants[1].scenario)
    assert table.loc["objective", "fewer"] == alone.objective
    assert isinstance(table, pd.DataFrame) and list(table.columns) == ["baseline", "fewer"]


def test_sheet_names_are_short_unique_numbered_and_never_near_twins():
    long = "a very long variant name that goes on and on: [x]"
    sweep = ["strength_per_week=1, easy_runs=2", "strength_per_week=1, easy_runs=3"]
    sheets = variant_sheet_names(["baseline", long, long + " too", *sweep])
    names = [n for pair in sheets for n in pair]
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= 31 and not any(ch in n for ch in "[]:*?/\\'") for n in names)
    assert sheets[0] == ("Cal 1 baseline", "Ses 1 baseline")
    # a sweep's keys shrink to their initials, so the values stay readable
    assert sheets[3] == ("Cal 4 spw=1 er=2", "Ses 4 spw=1 er=2")
    assert sheets[4][0] == "Cal 5 spw=1 er=3"


def test_compare_cli_writes_the_comparison_workbook(tmp_path):
    out = tmp_path / "cmp.xlsx"
    result = CliRunner().invoke(cli, ["compare", TEN_K, "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["Comparison", "Differences"]
    assert sum(name.startswith("Cal ") for name in wb.sheetnames) == 4
    assert sum(name.startswith("Ses ") for name in wb.sheetnames) == 4
    header = [c.value for c in wb["Comparison"][1]]
    assert header[0] == "metric" and "baseline" in header


def test_compare_reports_infeasible_variants_and_exits_1(tmp_path):
    out = tmp_path / "cmp.xlsx"
    result = CliRunner().invoke(
        cli,
        ["compare", TEN_K, "-o", str(out), "--variant", "impossible: rules.strength_per_week=7"],
    )
    assert result.exit_code == 1
    assert "impossible" in result.output and "infeasible" in result.output
    assert out.exists()  # the others are still reported


def test_compare_several_files(tmp_path):
    out = tmp_path / "cmp.xlsx"
    files = [str(ROOT / "scenarios" / f) for f in ("tight_week.yaml", "beginner_5k.yaml")]
    result = CliRunner().invoke(cli, ["compare", *files, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "tight_week" in result.output and "beginner_5k" in result.output


@pytest.mark.parametrize("bad", ["no colon here", "name: not_an_assignment"])
def test_bad_variant_exits_2(tmp_path, bad):
    result = CliRunner().invoke(
        cli, ["compare", TEN_K, "-o", str(tmp_path / "x.xlsx"), "--variant", bad]
    )
    assert result.exit_code == 2 and "--variant" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_variant_with_a_bad_key_exits_2(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            TEN_K,
            "-o",
            str(tmp_path / "x.xlsx"),
            "--variant",
            "x: rules.strenght_per_week=3",
        ],
    )
    assert result.exit_code == 2 and "did you mean 'strength_per_week'" in result.output
