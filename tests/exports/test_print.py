"""The workbook on paper and at a glance (issue 11): page setup read back with openpyxl,
the Calendar's colours per day kind, the Weekly sheet's words, the data sheets kept
from printing, the file mode, and check's warning for an edit made on the Calendar."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from strideplan.cli import cli
from strideplan.excel import write_workbook
from strideplan.result import plan_scenario
from strideplan.rules import RULES
from strideplan.scenario import load_scenario
from strideplan.sheets.book import MIN_SCALE, lines_height, page_breaks, wrapped_lines
from strideplan.sheets.rules import KEY_SIZE
from strideplan.sheets.rules import WIDTHS as RULE_WIDTHS
from strideplan.sheets.style import COLOURS, DAY_KINDS, PHASE_COLOURS

from conftest import PLAN_SHEETS, ROOT

TEN_K = ROOT / "scenarios" / "10k_build.yaml"
PRINTED = ("Calendar", "Booklet", "Weekly", "Rules", "Scenario")


@pytest.fixture(scope="module")
def ten_k(tmp_path_factory):
    result = plan_scenario(load_scenario(TEN_K))
    path = write_workbook(result, tmp_path_factory.mktemp("print") / "plan.xlsx")
    return result, load_workbook(path, rich_text=True)


def _grid(ws):
    top = next(c.row for c in ws["A"] if c.value == "Week")
    return top, [
        row for row in ws.iter_rows(min_row=top + 1) if re.match(r"^W\d+", str(row[0].value))
    ]


def test_every_printed_sheet_has_name_page_numbers_date_and_a_readable_scale(ten_k):
    _, wb = ten_k
    for name in PRINTED:
        ws = wb[name]
        assert "Spring 10k build" in ws.oddHeader.left.text
        assert ws.oddHeader.center.text == "&A"  # the sheet's name
        assert "2027" in ws.oddHeader.right.text  # the plan's period
        assert ws.oddFooter.center.text == "Page &P of &N"
        assert re.match(r"written \d\d \w{3} \d{4}", ws.oddFooter.left.text)
        assert ws.page_setup.scale >= MIN_SCALE and ws.page_setup.paperSize == 9
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    for name in ("Calendar", "Weekly", "Rules"):
        assert wb[name].page_setup.orientation == "landscape"
        assert wb[name].print_title_rows  # the header row repeats on every page


def test_the_calendar_breaks_pages_between_weeks_and_repeats_its_header(ten_k):
    _, wb = ten_k
    ws = wb["Calendar"]
    top, weeks = _grid(ws)
    assert ws.print_title_rows.replace("$", "") == f"{top}:{top}"
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks, "12 weeks do not fit one page"
    week_rows = {row[0].row for row in weeks}
    assert all(b + 1 in week_rows for b in breaks)  # each page starts with a whole week


def test_page_breaks_never_split_a_block():
    blocks = [(0, 100.0), (5, 300.0), (9, 300.0), (12, 50.0), (13, 900.0), (30, 10.0)]
    assert page_breaks(blocks, 500.0) == [9]  # 100+300, then 300+50; 900 flows on


def test_a_block_taller_than_a_page_breaks_between_its_parts():
    phase = (10, 700.0, [(10, 250.0), (14, 250.0), (20, 200.0)])  # a booklet phase
    # 100 + 250: the first part follows on, the second would not fit (600): a break
    # before it, never inside it; 250 + 200 then leave no room for the next block
    assert page_breaks([(0, 100.0), phase, (30, 100.0)], 500.0) == [14, 30]
    assert page_breaks([(0, 100.0), (5, 380.0), phase], 500.0) == [10, 20]


def test_twelve_weeks_print_on_three_calendar_pages(ten_k):
    # rows as tall as their text (Arial's widths), not a character count's guess
    _, wb = ten_k
    assert len(wb["Calendar"].row_breaks.brk) == 2


def test_wrapped_lines_measure_arial_and_move_words_whole():
    assert wrapped_lines("Rest days per week", 27) == 1
    assert wrapped_lines("lower_strength_per_week", 18) == 2  # too long: breaks inside
    narrow = "mon 75', tue 90', wed 75', thu 90', fri 60', sat 90', sun 120'"
    assert wrapped_lines(narrow, 14) == 4  # as LibreOffice prints it
    assert wrapped_lines("ii ii", 3) == 1 and wrapped_lines("MM MM", 3) == 4  # widths count
    assert wrapped_lines("a\nb", 10) == 2


def test_the_rule_column_shows_the_label_over_its_key_never_cut_mid_word(ten_k):
    _, wb = ten_k
    ws = wb["Rules"]
    header = [c.value for c in ws[1]]
    assert header[0] == "Rule" and "What it means" not in header
    width = RULE_WIDTHS["Rule"]
    for rule, row in zip(RULES, ws.iter_rows(min_row=2)):
        cell = row[0].value
        assert str(cell) == f"{rule.label}\n{rule.key}"
        key_run = cell[-1]  # a rich-text run: the key, smaller and grey
        assert key_run.text == rule.key and key_run.font.sz == KEY_SIZE
        assert wrapped_lines(rule.key, width, KEY_SIZE) == 1  # a key has a line of its own
        height = ws.row_dimensions[row[0].row].height + 0.75  # written in whole pixels
        assert height >= lines_height([(rule.label, 10, False), (rule.key, KEY_SIZE, False)], width)


def test_data_tables_stay_visible_but_print_nothing(ten_k):
    _, wb = ten_k
    for name in ("Sessions", "Exercises"):
        ws = wb[name]
        assert ws.sheet_state == "visible"
        assert ws.print_area == ["'" + name + "'!$XFD$1"] or "XFD$1" in str(ws.print_area)
        assert ws["XFD1"].value is None


def test_a_days_colour_says_its_run_and_the_legend_matches(ten_k):
    result, wb = ten_k
    ws = wb["Calendar"]
    _, weeks = _grid(ws)
    cal = result.calendar
    sessions = result.sessions_by_day()
    fills = {}
    for w, row in enumerate(weeks):
        for k, cell in enumerate(row[1:8]):
            day = cal.week_days(w)[k]
            fills[day.date] = cell.fill.fgColor.rgb[-6:]
    runs = ("intervals", "tempo", "long_run", "easy_run")
    seen = set()
    for day_date, kinds in sessions.items():
        on_day = [k for k in kinds.split(", ") if k in runs]
        if len(on_day) == 1 and "race" not in kinds:
            assert fills[day_date] == DAY_KINDS[on_day[0]][1], (day_date, kinds)
            seen.add(on_day[0])
        elif not on_day and "race" not in kinds:  # strength or power, no run
            assert fills[day_date] == DAY_KINDS["no_run"][1], (day_date, kinds)
    assert seen == set(runs)
    race_day = next(d for d in cal.days if d.race is not None)
    assert fills[race_day.date] == DAY_KINDS["race"][1]
    away = next(d for d in cal.days if d.away)
    assert fills[away.date] == DAY_KINDS["away"][1]
    rest = next(d for d in cal.days if d.available and not d.away and d.date not in sessions)
    assert fills[rest.date] == DAY_KINDS["rest"][1]
    legend = {
        c.fill.fgColor.rgb[-6:]
        for row in ws.iter_rows(min_row=1, max_row=6)
        for c in row
        if c.fill and c.fill.fill_type == "solid"
    }
    assert set(fills.values()) <= legend
    # three palettes that never share a colour
    day_colours = {c for _, c in DAY_KINDS.values()}
    assert len(day_colours) == len(DAY_KINDS)
    assert not day_colours & set(PHASE_COLOURS.values())
    assert not set(COLOURS.values()) & set(PHASE_COLOURS.values())


def test_the_race_cell_names_the_race_its_distance_and_minutes(ten_k):
    result, wb = ten_k
    ws = wb["Calendar"]
    texts = [str(c.value) for row in _grid(ws)[1] for c in row[1:8]]
    race = next(t for t in texts if "RACE" in t)
    assert "City 10k" in race and "10k" in race and "60'" in race


def test_not_available_is_not_rest(tmp_path):
    from conftest import scenario

    sc = scenario(athlete__availability={"mon": 60, "wed": 60, "sat": 90})
    ws = load_workbook(write_workbook(plan_scenario(sc), tmp_path / "p.xlsx"))["Calendar"]
    texts = [str(c.value) for row in _grid(ws)[1] for c in row[1:8]]
    assert any(t.endswith("Not available") for t in texts)
    fills = [
        c.fill.fgColor.rgb[-6:]
        for row in _grid(ws)[1]
        for c in row[1:8]
        if str(c.value).endswith("Not available")
    ]
    assert set(fills) == {DAY_KINDS["unavailable"][1]}


def test_a_week_away_is_as_tall_as_its_label(tmp_path):
    # a week away has one-line days ("Away") under the week's label (week, date, phase):
    # the row fits the label, so "away" is not cut in print
    from strideplan.sheets.calendar import WIDTHS

    from conftest import scenario

    sc = scenario(weeks=2, athlete__away=[{"from": "2027-01-11", "to": "2027-01-17"}])
    ws = load_workbook(write_workbook(plan_scenario(sc), tmp_path / "p.xlsx"))["Calendar"]
    away = next(row for row in _grid(ws)[1] if str(row[0].value).startswith("W2"))
    assert str(away[0].value).split("\n")[-1] == "away"
    lines = [(line, 10, False) for line in str(away[0].value).split("\n")]
    height = ws.row_dimensions[away[0].row].height + 0.75  # written in whole pixels
    assert height >= lines_height(lines, WIDTHS[0]) - 2  # the phase line is 9 points


def test_a_deload_week_says_so_on_the_calendar(tmp_path):
    # week 4 deloads (SPEC deload_every 4): its label says "deload" under the phase, as
    # the Exercises sheet's phase column does; the other weeks do not
    from conftest import scenario

    sc = scenario(weeks=6, rules__strength_per_week=1, rules__lower_strength_per_week=1)
    result = plan_scenario(sc)
    assert set(result.exercises.loc[result.exercises["week"] == 4, "phase"]) == {"deload"}
    ws = load_workbook(write_workbook(result, tmp_path / "p.xlsx"))["Calendar"]
    labels = {str(row[0].value).split("\n")[0]: str(row[0].value) for row in _grid(ws)[1]}
    assert labels["W4"].split("\n")[-1] == "deload"
    assert [w for w, text in labels.items() if "deload" in text] == ["W4"]


def test_weekly_speaks_a_coachs_words_and_shows_the_load_ratio_from_week_4(ten_k):
    _, wb = ten_k
    ws = wb["Weekly"]
    header = [c.value for c in ws[1]]
    assert "Run (min)" in header and "Load ratio (ACWR)" in header
    assert not any("_" in str(h) for h in header)  # no run_min, acwr_flag
    ratio = header.index("Load ratio (ACWR)")
    values = [ws.cell(row=r, column=ratio + 1).value for r in range(2, 6)]
    assert values[:3] == ["—", "—", "—"] and isinstance(values[3], (int, float))


def test_rules_sources_cite_seeds_or_practice(ten_k):
    _, wb = ten_k
    ws = wb["Rules"]
    header = [c.value for c in ws[1]]
    sources = [r[header.index("Source")].value for r in ws.iter_rows(min_row=2) if r[0].value]
    for source in filter(None, sources):
        assert "SPEC" not in source and "design card" not in source
    assert sum("seed" in s for s in sources if s) >= 10


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_workbook_gets_the_mode_the_umask_gives(tmp_path, mask, mode):
    result = plan_scenario(load_scenario(ROOT / "scenarios" / "tight_week.yaml"))
    old = os.umask(mask)
    try:
        path = write_workbook(result, tmp_path / "p.xlsx")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode
    assert [p.name for p in tmp_path.iterdir()] == ["p.xlsx"]  # no temporary file left


def test_check_warns_about_a_calendar_only_edit_and_still_passes(tmp_path):
    runner = CliRunner()
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(cli, ["solve", str(TEN_K), "-o", str(plan), "--no-why"]).exit_code == 0
    wb = load_workbook(plan, rich_text=True)
    ws = wb["Calendar"]
    first_week = _grid(ws)[1][0]
    monday = first_week[1]  # the 10k plan rests on Mondays
    assert str(monday.value).endswith("Rest")
    monday.value = f"{monday.value}\nStrength (legs)"  # the coach's edit, Calendar only
    wb.save(plan)
    ran = runner.invoke(cli, ["check", str(TEN_K), str(plan)])
    assert ran.exit_code == 0, ran.output
    assert "judging sheet Sessions" in ran.output
    warnings = [line for line in ran.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "2027-01-04" in warnings[0]
    assert "strength_lower" in warnings[0]


def test_compare_aligns_plans_by_week_when_their_starts_differ(tmp_path):
    text = TEN_K.read_text()
    later = tmp_path / "later.yaml"
    start = date(2027, 1, 4) + timedelta(weeks=2)
    shifted = text.replace("2027-01-04", start.isoformat())
    for old, weeks in (("2027-03-28", 2), ("2027-02-14", 2), ("2027-03-01", 2), ("2027-03-05", 2)):
        shifted = shifted.replace(
            old, (date.fromisoformat(old) + timedelta(weeks=weeks)).isoformat()
        )
    later.write_text(shifted)
    out = tmp_path / "cmp.xlsx"
    ran = CliRunner().invoke(cli, ["compare", str(TEN_K), str(later), "-o", str(out)])
    assert ran.exit_code == 0, ran.output
    assert "compared by plan week and weekday" in ran.output
    assert "0 day(s) differ" in ran.output or "give the same sessions on every day" in ran.output
    wb = load_workbook(out)
    assert "plan week and weekday" in wb["Differences"]["A1"].value
    assert wb.sheetnames[2:] == ["Cal 1 10k_build", "Ses 1 10k_build", "Cal 2 later", "Ses 2 later"]


def test_warnings_found_while_the_workbook_is_written_reach_the_calendar(tmp_path):
    """solve writes the data sheets while the warnings and binding rules are still being
    found (``pending``); the Calendar and Rules, written after it returns, show them, and
    the tabs keep SPEC's order."""
    result = plan_scenario(load_scenario(TEN_K))
    result.warnings = None
    calls = []

    def pending():
        calls.append(True)
        result.warnings = ["strength_per_week: found while the tables were written"]

    path = write_workbook(result, tmp_path / "plan.xlsx", pending=pending)
    wb = load_workbook(path)
    assert calls == [True]
    assert wb.sheetnames == PLAN_SHEETS
    texts = [str(c.value) for row in wb["Calendar"].iter_rows(max_row=12) for c in row]
    assert any("found while the tables were written" in t for t in texts)


def test_tables_write_each_column_by_its_kind_and_text_as_text(tmp_path):
    # the data tables decide a column's kind once: text that looks like a formula stays
    # text, missing values are empty, dates are dates, booleans read TRUE/FALSE
    import pandas as pd

    from strideplan.sheets.book import Book
    from strideplan.sheets.tables import data_table, table

    df = pd.DataFrame(
        {
            "text": ["=1+1", "+4", "-3", "@x", None, ""],
            "number": [1, 2.5, float("nan"), None, 7, 0],
            "date": [date(2027, 1, 4), None, date(2027, 1, 5), None, None, None],
            "flag": [True, False, None, True, False, True],
            "mixed": ["=A1", 3, None, 1.5, "b", date(2027, 1, 6)],
        }
    )
    book = Book(tmp_path / "t.xlsx", "t")
    table(book, book.sheet("Table"), df)
    data_table(book, book.sheet("Data"), df, {})
    book.close()
    wb = load_workbook(tmp_path / "t.xlsx")
    for name in ("Table", "Data"):
        rows = list(wb[name].iter_rows(min_row=2, max_row=7, max_col=5))
        assert [r[0].value for r in rows] == ["=1+1", "+4", "-3", "@x", None, None], name
        assert all(r[0].data_type == "s" for r in rows[:4]), name
        assert [r[1].value for r in rows] == [1, 2.5, None, None, 7, 0], name
        assert rows[0][2].is_date and rows[0][2].value.date() == date(2027, 1, 4), name
        assert rows[1][2].value is None and rows[2][2].is_date, name
        assert [r[3].value for r in rows] == [True, False, None, True, False, True], name
        assert rows[0][3].number_format == '"TRUE";"TRUE";"FALSE"', name
        assert rows[0][4].value == "=A1" and rows[0][4].data_type == "s", name
        assert [r[4].value for r in rows[1:5]] == [3, None, 1.5, "b"], name
        assert rows[5][4].is_date, name


def test_booklet_reads_a_missing_note_as_empty_not_nan():
    from strideplan.sheets.booklet import _session_rows

    row = {"week": 1, "notes": float("nan"), "sets": 2, "n": 10, "unit": "", "effort": "RIR 2"}
    _, table = _session_rows({"Goblet squat": [{**row, "contacts": None, "source": None}]}, {})
    assert table[0][0] == "Goblet squat"
    assert "nan" not in " ".join(str(c) for c in table[0])


def test_booklet_says_a_dose_once_when_only_its_effort_changes():
    # the heavy half keeps the calf raise's 15-17 reps at RIR 2 where the burn half had
    # RIR 2-3: one dose, two efforts (was "3 × 15-17; 3 × 15-17")
    from strideplan.sheets.booklet import _session_rows

    def row(week, n, effort):
        return {
            "week": week,
            "notes": "",
            "sets": 3,
            "n": n,
            "unit": " each leg",
            "effort": effort,
            "contacts": None,
            "source": "seed 003",
        }

    rows = [row(1, 15, "RIR 2-3"), row(2, 17, "RIR 2-3"), row(5, 15, "RIR 2"), row(6, 17, "RIR 2")]
    _, table = _session_rows({"Single-leg calf raise": rows}, {})
    assert table[0][1] == "3 × 15-17 each leg"
    assert table[0][2] == "RIR 2-3; RIR 2"
    rows[3] = row(6, 12, "RIR 2")  # a dose that differs is still said per effort
    _, table = _session_rows({"Single-leg calf raise": rows}, {})
    assert table[0][1] == "3 × 15-17 each leg; 3 × 12-15 each leg"


def test_the_booklet_says_how_to_read_rir_and_rpe(ten_k):
    # the effort column speaks RIR (strength) and RPE (power, core): the booklet says
    # what they mean once, above the phases
    result, wb = ten_k
    efforts = " ".join(result.exercises["effort"].dropna())
    assert "RIR" in efforts and "RPE" in efforts
    top = " ".join(str(c.value) for c in wb["Booklet"]["A"][:4] if c.value)
    assert "RIR 2: two short of failure" in top and "RPE = how hard it feels" in top


def test_the_load_ratio_flags_in_red_only_what_the_weeks_windows_do_not_explain(tmp_path):
    """A taper's drop and a race week's jump are the plan ('as planned', no
    red); a drop in a full week is an alarm (red)."""
    from strideplan.excel import write_workbook
    from strideplan.load import weekly_table
    from strideplan.scenario import load_scenario

    result = plan_scenario(load_scenario(ROOT / "scenarios" / "full_year.yaml"))
    weekly = weekly_table(result)
    planned = weekly[weekly["acwr_flag"].str.startswith("planned")]
    assert len(planned) and set(planned["phase"]) <= {
        "taper", "race", "recovery", "away", "return", "static", "race season"
    }  # fmt: skip
    alarms = weekly[weekly["acwr_flag"].isin(["high", "low"])]
    assert all(
        (f == "low" and p not in ("taper", "race", "recovery", "away", "return", "static",
                                  "race season")) or f == "high"
        for f, p in zip(alarms["acwr_flag"], alarms["phase"])
    )  # fmt: skip
    ws = load_workbook(write_workbook(result, tmp_path / "y.xlsx"))["Weekly"]
    header = [c.value for c in ws[1]]
    says, ratio = header.index("Load ratio says") + 1, header.index("Load ratio (ACWR)") + 1
    for r in range(2, ws.max_row + 1):
        words = ws.cell(r, says).value or ""
        red = (ws.cell(r, ratio).fill.fgColor.rgb or "").endswith("F4CCCC")
        if words:
            assert red == (words.startswith("jump (") or words.startswith("drop (")), words
