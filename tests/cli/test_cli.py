"""The command line as a user meets it: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from strideplan.cli import cli

from conftest import PLAN_SHEETS, ROOT, SCENARIOS

INFEASIBLE = """\
name: One gym day, the day before intervals
start: 2027-01-04
weeks: 4
athlete:
  availability: {mon: 90, tue: 90, wed: 60, thu: 60, sat: 90, sun: 120}
  gym: [mon]
runs:
  tue: intervals
  sun: long_run
  easy_runs: 1
"""


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_solve_writes_the_workbook_with_all_sheets(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    result = run(runner, "solve", ROOT / "scenarios" / "10k_build.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    assert "optimal" in result.output and "objective" in result.output
    wb = load_workbook(out)
    assert wb.sheetnames == PLAN_SHEETS
    header = [c.value for c in wb["Sessions"][1]][:9]
    assert header == [
        "date",
        "week",
        "day",
        "order",
        "session",
        "category",
        "minutes",
        "hard",
        "details",
    ]
    ex_header = [c.value for c in wb["Exercises"][1]][:7]
    assert ex_header == ["date", "week", "session", "exercise", "sets", "reps", "notes"]


def test_solve_default_output_is_output_stem(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "scenarios" / "tight_week.yaml", tmp_path / "tight.yaml")
    result = run(runner, "solve", "tight.yaml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "tight.xlsx").exists()


def test_solve_then_check_passes(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    scenario = ROOT / "scenarios" / "beginner_5k.yaml"
    assert run(runner, "solve", scenario, "-o", out).exit_code == 0
    result = run(runner, "check", scenario, out)
    assert result.exit_code == 0, result.output
    assert "no hard-rule violations" in result.output


def test_check_finds_a_hand_edit_in_the_spreadsheet(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    scenario = ROOT / "scenarios" / "10k_build.yaml"
    assert run(runner, "solve", scenario, "-o", out).exit_code == 0
    wb = load_workbook(out)
    ws = wb["Sessions"]
    # a coach moves the first power session to the day after intervals (a Wednesday)
    for row in ws.iter_rows(min_row=2):
        if row[4].value == "intervals":
            intervals_day = row[0].value
            break
    from datetime import timedelta

    ws.append([intervals_day + timedelta(days=1), 1, "wed", 3, "power", "power", 20, False, ""])
    wb.save(out)
    result = run(runner, "check", scenario, out)
    assert result.exit_code == 1
    assert "power_on_fresh_days" in result.output
    assert (intervals_day + timedelta(days=1)).strftime("%Y-%m-%d") in result.output


def test_infeasible_exits_1_explains_and_writes_nothing(runner, tmp_path):
    scenario = write(tmp_path, "bad.yaml", INFEASIBLE)
    out = tmp_path / "never.xlsx"
    result = run(runner, "solve", scenario, "-o", out)
    assert result.exit_code == 1
    assert "infeasible" in result.output
    assert "no_heavy_legs_before" in result.output and "athlete.gym" in result.output
    assert "--set" in result.output
    assert not out.exists() and not list(tmp_path.glob("*.xlsx*"))


def test_the_suggested_fix_really_solves(runner, tmp_path):
    scenario = write(tmp_path, "bad.yaml", INFEASIBLE)
    result = run(runner, "solve", scenario, "-o", tmp_path / "x.xlsx")
    fix = next(
        line.strip() for line in result.output.splitlines() if line.strip().startswith("--set")
    )
    args = shlex.split(fix)
    fixed = run(runner, "solve", scenario, "-o", tmp_path / "x.xlsx", *args)
    assert fixed.exit_code == 0, fixed.output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: x\nstart: 2027-01-05\nweeks: 4\n", ["start", "Monday"]),
        ("name: x\nstart: 2027-01-04\nweeks: 0\n", ["weeks"]),
        ("name: x\nstart: 2027-01-04\nweeks: 200\n", ["weeks"]),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nathlete: {availabilty: {mon: 30}}\n",
            ["athlete.availabilty", "did you mean 'availability'"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nathlete: {availability: {mnd: 30}}\n",
            ["athlete.availability.mnd", "did you mean 'mon'"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nathlete: {availability: {mon: -30}}\n",
            ["athlete.availability.mon", "line 4"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nathlete: {availability: {mon: lots}}\n",
            ["athlete.availability.mon"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nruns: {tue: interval}\n",
            ["runs.tue", "did you mean 'intervals'"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nsessions: {yoga: {minutes: 30}}\n",
            ["sessions.yoga"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nraces: [{date: 2028-05-01}]\n",
            ["races.0.date", "outside the plan"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nrules: {strenght_per_week: 3}\n",
            ["rules.strenght_per_week", "did you mean 'strength_per_week'"],
        ),
        (
            "name: x\nstart: 2027-01-04\nweeks: 4\nathlete: {away: [2027-01-10]}\n"
            "races: [{date: 2027-01-10}]\n",
            ["races.0.date", "away"],
        ),
        ("name: [unclosed\nstart: 2027-01-04\n", ["malformed YAML", "line"]),
        ("- just\n- a list\n", ["mapping"]),
    ],
)
def test_bad_scenarios_exit_2_naming_file_and_key(runner, tmp_path, text, expected):
    scenario = write(tmp_path, "s.yaml", text)
    out = tmp_path / "out.xlsx"
    result = run(runner, "solve", scenario, "-o", out)
    assert result.exit_code == 2, result.output
    assert "s.yaml" in result.output
    for fragment in expected:
        assert fragment in result.output
    assert not out.exists()


def test_missing_file_exits_2(runner, tmp_path):
    result = run(runner, "solve", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "nope.yaml" in result.output and "not found" in result.output


def test_bad_set_override_names_the_key(runner):
    scenario = ROOT / "scenarios" / "10k_build.yaml"
    result = run(runner, "solve", scenario, "--set", "rules.strength_per_wek=3")
    assert result.exit_code == 2 and "rules.strength_per_wek" in result.output
    result = run(runner, "solve", scenario, "--set", "nonsense")
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_set_override_changes_the_plan(runner, tmp_path):
    out = tmp_path / "p.xlsx"
    scenario = ROOT / "scenarios" / "10k_build.yaml"
    result = run(runner, "solve", scenario, "-o", out, "--set", "rules.back_to_back_hard=off")
    assert result.exit_code == 0, result.output
    assert "back_to_back_hard" not in result.output


def test_json_and_toml_scenarios_load(runner, tmp_path):
    (tmp_path / "s.json").write_text(
        json.dumps(
            {
                "name": "j",
                "start": "2027-01-04",
                "weeks": 2,
                "athlete": {"availability": {"mon": 60, "wed": 60, "sat": 90}},
                "runs": {"sat": "long_run"},
            }
        )
    )
    (tmp_path / "s.toml").write_text(
        'name = "t"\nstart = 2027-01-04\nweeks = 2\n[athlete.availability]\nmon = 60\n'
        'wed = 60\nsat = 90\n[runs]\nsat = "long_run"\n'
    )
    for name in ("s.json", "s.toml"):
        result = run(runner, "solve", tmp_path / name, "-o", tmp_path / f"{name}.xlsx")
        assert result.exit_code in (0, 1), result.output


def test_check_bad_plan_file_exits_2(runner, tmp_path):
    scenario = ROOT / "scenarios" / "10k_build.yaml"
    bogus = write(tmp_path, "plan.xlsx", "not a workbook")
    result = run(runner, "check", scenario, bogus)
    assert result.exit_code == 2 and "plan.xlsx" in result.output
    result = run(runner, "check", scenario, tmp_path / "missing.xlsx")
    assert result.exit_code == 2


def test_check_unknown_session_in_sheet_exits_2(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    scenario = ROOT / "scenarios" / "tight_week.yaml"
    run(runner, "solve", scenario, "-o", out)
    wb = load_workbook(out)
    wb["Sessions"]["E2"] = "strenght_core"
    wb.save(out)
    result = run(runner, "check", scenario, out)
    assert result.exit_code == 2
    assert "row 2" in result.output and "did you mean 'strength_core'" in result.output


def test_schema_is_json_schema(runner):
    result = run(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "athlete" in schema["properties"] and "rules" in schema["properties"]


def test_the_schemas_accept_every_bundled_scenario_and_squad(runner):
    # an editor validating against `strideplan schema` (scenario files) or `strideplan
    # schema --squad` (squad files) flags none of the bundled files
    import jsonschema
    import yaml

    def as_json(value):  # YAML dates are dates; in JSON they are strings
        if isinstance(value, dict):
            return {k: as_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_json(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    for flags, files in (
        ([], SCENARIOS),
        (["--squad"], sorted((ROOT / "scenarios" / "squads").glob("*.yaml"))),
    ):
        schema = json.loads(run(runner, "schema", *flags).output)
        assert schema["$schema"].startswith("https://json-schema.org/")
        jsonschema.Draft202012Validator.check_schema(schema)
        assert files
        for path in files:
            jsonschema.validate(as_json(yaml.safe_load(Path(path).read_text())), schema)
    squad = json.loads(run(runner, "schema", "--squad").output)
    assert "athletes" in squad["properties"] and "gym" in squad["properties"]


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0 and "Example" in result.output


def test_example_scenarios_exist():
    assert len(SCENARIOS) >= 4


def test_solve_lists_binding_hard_rules_in_terminal_and_rules_sheet(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    result = run(runner, "solve", ROOT / "scenarios" / "tight_week.yaml", "-o", out, "--why")
    assert result.exit_code == 0, result.output
    assert "Hard rules that bind" in result.output
    ws = load_workbook(out)["Rules"]
    header = [c.value for c in ws[1]]
    where = header.index("Where (and why it binds)")
    # the Rule cell: the label, the key on its last line
    rows = {
        str(r[0].value).splitlines()[-1]: r[where].value or ""
        for r in ws.iter_rows(min_row=2)
        if r[0].value
    }
    assert rows["lower_strength_per_week"].startswith("binds:")
    quick = run(runner, "solve", ROOT / "scenarios" / "tight_week.yaml", "-o", out, "--no-why")
    assert "Hard rules that bind" not in quick.output


def test_calendar_cells_show_each_session_with_its_prescription(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    run(runner, "solve", ROOT / "scenarios" / "10k_build.yaml", "-o", out, "--no-why")
    ws = load_workbook(out, rich_text=True)["Calendar"]
    header = next(c.row for c in ws["A"] if c.value == "Week")
    texts = [
        str(c.value)
        for row in ws.iter_rows(min_row=header + 1, max_row=header + 2)
        for c in row
        if c.value
    ]
    assert any("Strength (legs) 45'" in t and re.search(r"Squat \d×", t) for t in texts)
    assert any("Intervals 60'" in t for t in texts)
    assert str(ws.cell(row=header + 1, column=1).value).endswith("dynamic")  # the phase


def test_check_accepts_a_row_typed_with_only_date_and_session(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    scenario = ROOT / "scenarios" / "tight_week.yaml"
    run(runner, "solve", scenario, "-o", out, "--no-why")
    wb = load_workbook(out)
    wb["Sessions"].append(["2027-01-08", None, None, None, "strength_core"])  # a Friday, typed
    wb.save(out)
    result = run(runner, "check", scenario, out)
    assert result.exit_code == 1  # Friday has no availability: a violation, not bad input
    assert "athlete.availability" in result.output and "2027-01-08" in result.output


def test_an_unwritable_output_is_bad_input_without_traceback(runner, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(
        runner,
        "solve",
        ROOT / "scenarios" / "tight_week.yaml",
        "-o",
        blocker / "plan.xlsx",
        "--no-why",
    )
    assert result.exit_code == 2 and "cannot write" in result.output


def test_a_bug_is_one_line_and_exit_3(monkeypatch, capsys):
    import strideplan.cli as cli_module

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_module, "cli", broken)
    monkeypatch.delenv("STRIDEPLAN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        cli_module.main()
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err and "Traceback" not in err


def test_the_workbook_is_written_before_the_summary_is_printed(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "plan.xlsx"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "strideplan.cli",
            "solve",
            str(ROOT / "scenarios" / "tight_week.yaml"),
            "-o",
            str(out),
            "--no-why",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    proc.wait(timeout=60)
    assert out.exists()
    assert b"Traceback" not in proc.stderr.read()
