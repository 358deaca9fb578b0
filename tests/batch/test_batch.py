"""`strideplan batch` on Dask: a row per file, whatever the file holds, and SPEC's exit
codes; on the default local cluster and on a scheduler and worker started here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from strideplan.batch import collect, exit_code, output_names
from strideplan.cli import cli

from conftest import ROOT

GOOD = """\
name: One easy week
start: 2027-01-04
weeks: 1
runs: {tue: intervals, sun: long_run}
rules: {dynamic_blocks: off}
"""
#: a fixed run in a week that must be all rest: no plan
INFEASIBLE = """\
name: Rest all week, run on Tuesday
start: 2027-01-04
weeks: 1
runs: {tue: intervals}
rules: {rest_days_per_week: 7}
"""
BROKEN = "name: no start or weeks\n"


def folder_of(tmp_path: Path, broken: bool = True) -> Path:
    folder = tmp_path / "club"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD)
    (folder / "infeasible.yaml").write_text(INFEASIBLE)
    if broken:
        (folder / "broken.yaml").write_text(BROKEN)
    (folder / "notes.txt").write_text("not a scenario")
    shutil.copy(ROOT / "tests" / "data" / "squad_gym.yaml", folder / "squad.yaml")
    return folder


def rows_of(path: Path) -> dict[str, tuple]:
    ws = load_workbook(path)["Batch"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == ("scenario", "status", "objective", "warnings", "seconds", "output")
    return {Path(r[0]).name: r for r in rows[1:]}


def test_a_batch_on_the_local_cluster_gives_a_row_per_file_and_exit_2(tmp_path):
    folder = folder_of(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["batch", str(folder), str(tmp_path / "missing.yaml"), "-o", str(out), "--workers", "2"],
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    rows = rows_of(out / "batch.xlsx")
    assert set(rows) == {
        "good.yaml",
        "infeasible.yaml",
        "broken.yaml",
        "squad.yaml",
        "missing.yaml",
    }
    assert rows["good.yaml"][1] == "optimal" and rows["good.yaml"][5].endswith("good.xlsx")
    assert load_workbook(rows["good.yaml"][5]).sheetnames[0] == "Calendar"
    assert rows["squad.yaml"][1:3] == ("optimal", 2)  # the hand-worked squad: one rack
    assert load_workbook(rows["squad.yaml"][5]).sheetnames[:2] == ["Squad", "Gym"]
    assert rows["infeasible.yaml"][1] == "infeasible" and rows["infeasible.yaml"][5] is None
    # the row says why there is no plan, as `solve` does (issue 21)
    solved = CliRunner().invoke(cli, ["solve", str(folder / "infeasible.yaml")])
    why = solved.output.splitlines()[1]  # "No plan: … cannot all hold, first at …"
    assert why.startswith("No plan:") and why in rows["infeasible.yaml"][6]
    assert rows["broken.yaml"][1] == "bad input"
    assert "start: required key is missing" in rows["broken.yaml"][6]
    assert rows["missing.yaml"][1] == "bad input"
    assert not (out / "infeasible.xlsx").exists() and not (out / "broken.xlsx").exists()
    assert "broken.yaml: bad input" in result.output


@pytest.fixture
def dask_cluster(tmp_path):
    """A Dask scheduler and one worker on localhost, as subprocesses; stopped at the end."""
    bin_dir = Path(sys.executable).parent
    info = tmp_path / "scheduler.json"
    procs = [
        subprocess.Popen(
            [
                str(bin_dir / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text().strip():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.2)  # the file may be written in two steps
        address = json.loads(info.read_text())["address"]
        procs.append(
            subprocess.Popen(
                [
                    str(bin_dir / "dask"),
                    "worker",
                    address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_batch_through_a_scheduler_started_here_exits_1_on_an_infeasible_file(
    tmp_path, dask_cluster
):
    folder = folder_of(tmp_path, broken=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["batch", str(folder / "*.yaml"), "-o", str(out), "--scheduler", dask_cluster]
    )
    assert result.exit_code == 1, result.output
    rows = rows_of(out / "batch.xlsx")
    assert {name: row[1] for name, row in rows.items()} == {
        "good.yaml": "optimal",
        "infeasible.yaml": "infeasible",
        "squad.yaml": "optimal",
    }
    assert (out / "good.xlsx").is_file()


def test_an_unreachable_scheduler_is_bad_input(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    result = CliRunner().invoke(
        cli,
        [
            "batch",
            str(tmp_path / "good.yaml"),
            "-o",
            str(tmp_path / "out"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 2
    assert "cannot connect" in result.output


@pytest.mark.parametrize("address", ["notanaddress", "tcp://host:notaport"])
def test_a_malformed_scheduler_address_is_bad_input_not_a_bug(tmp_path, address):
    (tmp_path / "good.yaml").write_text(GOOD)
    out = tmp_path / "out"
    args = ["batch", str(tmp_path / "good.yaml"), "-o", str(out), "--scheduler", address]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "not a scheduler address" in result.output and "tcp://HOST:PORT" in result.output
    assert not (out / "batch.xlsx").exists()


def test_files_folders_and_globs_are_collected_once_each(tmp_path):
    folder = folder_of(tmp_path)
    files, missing = collect([str(folder), str(folder / "good.yaml"), str(folder / "*.yaml")])
    assert [f.name for f in files] == ["broken.yaml", "good.yaml", "infeasible.yaml", "squad.yaml"]
    assert missing == []
    twins = output_names([Path("a/plan.yaml"), Path("b/plan.yaml")], tmp_path)
    assert [p.name for p in twins] == ["plan.xlsx", "plan_2.xlsx"]


def test_the_exit_code_is_2_for_bad_input_then_1_for_no_plan():
    row = {"status": "optimal"}
    assert exit_code([row]) == 0
    assert exit_code([row, {"status": "infeasible"}]) == 1
    assert exit_code([{"status": "unknown"}]) == 1
    assert exit_code([{"status": "infeasible"}, {"status": "bad input"}]) == 2
