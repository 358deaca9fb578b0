"""The living plan through the command line: replan from a workbook with statuses typed
in (or a log), the Changes sheet, the past as done, bad logs, and the .ics export."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from strideplan.cli import cli

from conftest import ROOT

SCENARIO = ROOT / "scenarios" / "marathon_block.yaml"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("living") / "plan.xlsx"
    assert run("solve", SCENARIO, "-o", path, "--no-why").exit_code == 0
    return path


def mark(plan: Path, out: Path, marks: dict[tuple[str, str], str]) -> Path:
    """Type statuses into a new `status` column, as a coach would in a spreadsheet."""
    wb = load_workbook(plan)
    ws = wb["Sessions"]
    header = [c.value for c in ws[1]]
    column = len(header) + 1
    ws.cell(1, column, "status")
    d, s = header.index("date") + 1, header.index("session") + 1
    for row in range(2, ws.max_row + 1):
        key = (str(ws.cell(row, d).value)[:10], ws.cell(row, s).value)
        if key in marks:
            ws.cell(row, column, marks.pop(key))
    assert not marks, marks  # every mark found its row
    wb.save(out)
    return out


def test_replan_a_marked_week_writes_changes_and_the_past_as_done(plan, tmp_path):
    marked = mark(
        plan,
        tmp_path / "marked.xlsx",
        {
            ("2027-06-21", "easy_run"): "missed",
            ("2027-06-22", "power"): "missed",
            ("2027-06-23", "strength_core"): "moved 2027-06-24",
        },
    )
    out = tmp_path / "new.xlsx"
    result = run("replan", SCENARIO, marked, "--today", "2027-06-24", "-o", out, "--ics")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Changes from 2027-06-24:")  # the changes come first
    assert any("power: added — makes up the missed power of 2027-06-22" in x for x in lines)
    # then the answer: the light weeks ahead are notes, not warnings (SPEC v3)
    changes = [i for i, x in enumerate(lines) if x.startswith("  ")]
    answer = next(i for i, x in enumerate(lines) if x.startswith("Autumn marathon block: opt"))
    assert answer > min(changes) and not any(x.startswith("warning: ") for x in lines)
    wb = load_workbook(out)
    assert "Changes" in wb.sheetnames
    changes = list(wb["Changes"].iter_rows(values_only=True))
    assert changes[0] == ("date", "session", "change", "rule")
    assert ("missed" in {row[2] for row in changes[1:]}) and len(changes) > 3
    sessions = list(wb["Sessions"].iter_rows(values_only=True))
    header = sessions[0]
    status = [dict(zip(header, r)) for r in sessions[1:]]
    past = [r for r in status if str(r["date"])[:10] < "2027-06-24"]
    assert past and all(r["status"] == "done" for r in past)
    assert (tmp_path / "new.ics").exists()
    # the new plan checks clean against the scenario from today on (no past facts here)
    assert run("check", SCENARIO, out).exit_code == 0


def test_replan_with_a_log_that_wins_over_the_status_column(plan, tmp_path):
    marked = mark(plan, tmp_path / "m.xlsx", {("2027-06-08", "intervals"): "missed"})
    log = tmp_path / "log.csv"
    log.write_text("date,session,status,minutes\n2027-06-08,intervals,done,55\n")
    out = tmp_path / "new.xlsx"
    result = run("replan", SCENARIO, marked, "--today", "2027-06-10", "--log", log, "-o", out)
    assert result.exit_code == 0, result.output
    assert "the log overrides the status column for 1 session(s)" in result.output
    ws = load_workbook(out)["Sessions"]
    rows = [dict(zip([c.value for c in ws[1]], r)) for r in ws.iter_rows(2, values_only=True)]
    tuesday = [
        r for r in rows if str(r["date"])[:10] == "2027-06-08" and r["session"] == "intervals"
    ]
    assert tuesday and tuesday[0]["minutes"] == 55  # what was logged


@pytest.mark.parametrize(
    "row, expected",
    [
        ("2027-06-08,intervalz,done", "row 2: unknown session 'intervalz'"),
        ("2026-06-08,intervals,done", "row 2: date 2026-06-08 is outside the plan"),
        ("2027-06-12,easy_run,done", "row 2: 2027-06-12 is on or after --today"),
    ],
)
def test_a_bad_log_exits_2_naming_the_row_and_writes_nothing(plan, tmp_path, row, expected):
    log = tmp_path / "log.csv"
    log.write_text(f"date,session,status\n{row}\n")
    out = tmp_path / "new.xlsx"
    result = run("replan", SCENARIO, plan, "--today", "2027-06-10", "--log", log, "-o", out)
    assert result.exit_code == 2
    assert expected in result.output and str(log) in result.output
    assert not out.exists()


def test_replan_refuses_a_foreign_workbook_and_a_bad_today(tmp_path, plan):
    foreign = tmp_path / "foreign.xlsx"
    foreign.write_text("not a workbook")
    assert run("replan", SCENARIO, foreign, "--today", "2027-06-10").exit_code == 2
    result = run("replan", SCENARIO, plan, "--today", "2027-13-01")
    assert result.exit_code == 2 and "--today" in result.output
    result = run("replan", SCENARIO, plan, "--today", "2030-01-01")
    assert result.exit_code == 2 and "outside the plan" in result.output


def test_ics_command_writes_a_calendar_that_parses_back(plan, tmp_path):
    out = tmp_path / "plan.ics"
    result = run("ics", plan, "-o", out, "--start-time", "06:30", "--tz", "Europe/Paris")
    assert result.exit_code == 0, result.output
    events = [c for c in Calendar.from_ical(out.read_bytes()).walk() if c.name == "VEVENT"]
    assert events and all(e["dtstart"].dt.tzinfo is not None for e in events)
    again = tmp_path / "again.ics"
    run("ics", plan, "-o", again, "--start-time", "06:30", "--tz", "Europe/Paris")
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--tz", "Mars/Olympus", "--start-time", "07:00"], "unknown time zone"),
        (["--start-time", "7h"], "expected HH:MM"),
    ],
)
def test_ics_bad_options_exit_2(plan, tmp_path, args, expected):
    result = run("ics", plan, "-o", tmp_path / "x.ics", *args)
    assert result.exit_code == 2 and expected in result.output
    assert not (tmp_path / "x.ics").exists()


def test_the_readme_walkthrough_runs_as_written(tmp_path, monkeypatch):
    import re
    import shlex
    import shutil

    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "guide.md").read_text()
    section = readme.split("## When life happens", 1)[1].split("\n## ", 1)[0]
    commands = re.search(r"```bash\n(.*?)```", section, re.S).group(1).strip().splitlines()
    shown = re.findall(r"```\n(Changes from.*?)```", section, re.S)[0].strip().splitlines()
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    (tmp_path / "output").mkdir()
    monkeypatch.chdir(tmp_path)
    outputs = []
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "strideplan"
        result = run(*args[1:])
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result.output)
    printed = outputs[1].splitlines()
    assert printed[: len(shown)] == shown  # the README shows the replan's first lines
    assert (tmp_path / "output" / "marathon-replan.ics").exists()


def test_an_impossible_future_is_explained_and_nothing_is_written(tmp_path):
    scenario = ROOT / "scenarios" / "tight_week.yaml"
    plan = tmp_path / "p.xlsx"
    assert run("solve", scenario, "-o", plan, "--no-why").exit_code == 0
    log = tmp_path / "log.csv"  # next week's long run moved to Friday, a day without time
    log.write_text("date,session,status\n2027-01-16,long_run,moved 2027-01-15\n")
    out = tmp_path / "new.xlsx"
    result = run("replan", scenario, plan, "--today", "2027-01-06", "--log", log, "-o", out)
    assert result.exit_code == 1
    assert "no plan from 2027-01-06" in result.output
    assert "No plan:" in result.output and "athlete.availability" in result.output
    assert not out.exists()


def test_check_accepts_a_replan_whose_last_past_day_holds_no_done_session(plan, tmp_path):
    """The long run on the Sunday before --today was missed: the re-plan's workbook ends
    its past without a done session, yet check judges from --today on (the Scenario
    sheet records the day; guessing it from the last done session judged Sunday)."""
    log = tmp_path / "log.csv"
    log.write_text("date,session,status\n2027-06-13,long_run,missed\n")
    out = tmp_path / "new.xlsx"
    result = run("replan", SCENARIO, plan, "--today", "2027-06-14", "--log", log, "-o", out)
    assert result.exit_code == 0, result.output
    solver = dict(load_workbook(out)["Scenario"].iter_rows(max_col=2, values_only=True))
    assert solver["replanned from"] == "2027-06-14"
    checked = run("check", SCENARIO, out)
    assert checked.exit_code == 0, checked.output
    assert "from 2027-06-14 on" in checked.output
    assert "a fact of the past (before 2027-06-14)" in checked.output
