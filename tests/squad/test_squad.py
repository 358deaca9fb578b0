"""Squads: the file (merge, errors by athlete), one model with the shared gym capacity,
the coach's power days, and a squad of one equal to the single-athlete solve."""

from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
import pytest
import yaml

from strideplan.check import check_plan
from strideplan.result import plan_scenario
from strideplan.scenario import ScenarioError, load_raw, load_yaml, validate
from strideplan.sheets.book import MIN_SCALE
from strideplan.sheets.squad import GYM_ROW_POINTS
from strideplan.sheets.style import DAY_KINDS
from strideplan.squad.build import capacity_violations, solve_squad
from strideplan.squad.report import report_squad
from strideplan.squad.scenario import athlete_yaml, load_squad, squad_with_overrides

from conftest import ROOT

DATA = ROOT / "tests" / "data"
GYM = DATA / "squad_gym.yaml"


def legs_days(result) -> list[str]:
    plan = result.plan
    return list(plan.loc[plan["session"] == "strength_lower", "day"])


def test_one_rack_on_monday_moves_one_athletes_legs_to_wednesday():
    # hand-worked (tests/data/squad_gym.yaml): both prefer Monday; one rack there
    result = solve_squad(load_squad(GYM))
    assert result.status == "optimal"
    days = sorted(legs_days(r) for r in result.results)
    assert days == [["mon"], ["wed"]]
    assert result.objective == 2  # preferred_days: one session off Monday
    assert result.penalties["preferred_days"] == 2
    use = result.gym_use()
    monday = use[use["day"] == "mon"].iloc[0]
    assert (monday["capacity"], monday["used"], monday["free"]) == (1, 1, 0)
    assert capacity_violations(result.squad, result.results) == []


def test_without_a_binding_capacity_both_lift_on_their_preferred_day():
    result = solve_squad(load_squad(GYM, {"gym.capacity.mon": 2}))
    assert result.objective == 0
    assert [legs_days(r) for r in result.results] == [["mon"], ["mon"]]


def test_capacity_zero_on_every_gym_day_is_infeasible_and_names_the_gym():
    result = report_squad(load_squad(GYM, {"gym.capacity": {"mon": 0, "wed": 0}}))
    assert result.status == "infeasible"
    explanation = result.explanation
    assert (None, "gym_capacity") in explanation.conflict
    assert [p.label for p in explanation.where[(None, "gym_capacity")]] == [
        "Mon 2027-01-04",
        "Wed 2027-01-06",
    ]
    # two racks on one of the days let both lift: verified on the whole squad
    assert {"gym.capacity.mon": 2} in explanation.fixes
    assert "Fix: --set gym.capacity.mon=2" in "\n".join(explanation.lines())


def test_coach_thursday_after_wednesday_legs_conflicts_down_to_athlete_and_day():
    # hand-worked: one rack on Monday sends one athlete's legs to Wednesday, and the
    # coach's Thursday plyometrics then fall the day after a hard day
    squad = load_squad(GYM, {"defaults.rules.power_per_week": 1, "coach.power_days": ["thu"]})
    result = report_squad(squad)
    assert result.status == "infeasible"
    explanation = result.explanation
    assert (0, "power_on_fresh_days") in explanation.conflict
    assert [p.label for p in explanation.where[(0, "power_on_fresh_days")]] == ["Thu 2027-01-07"]
    assert {"gym.capacity.mon": 2} in explanation.fixes
    assert {"athletes.0.gym": ["tue", "wed"]} in explanation.fixes  # move Sam's gym day


def test_an_athlete_with_no_plan_alone_is_explained_alone():
    squad = load_squad(GYM, {"athletes.1.gym": ["tue"], "athletes.1.availability.tue": 0})
    explanation = report_squad(squad).explanation
    assert list(explanation.alone) == [1]
    assert "Ana (athletes.1) has no plan even alone" in "\n".join(explanation.lines())


def test_coach_power_days_hold_for_every_athlete():
    squad = load_squad(
        GYM,
        {
            "defaults.rules.power_per_week": 1,
            "defaults.preferences.power_days": ["mon"],  # a soft wish the coach overrules
            "coach.power_days": ["sat"],
        },
    )
    assert all(sc.rules.power_days.days == ["sat"] for sc in squad.athletes)
    result = solve_squad(squad)
    assert result.status == "optimal"
    for r in result.results:
        power = r.plan[r.plan["session"] == "power"]
        assert list(power["day"]) == ["sat"]
        assert check_plan(r.scenario, r.plan) == []


def _squad_of_one(path) -> dict:
    """A scenario file as a squad of one athlete, no capacity."""
    data, _ = load_raw(path)
    entry = {**data["athlete"], **{k: data[k] for k in ("runs", "races", "sessions", "rules")}}
    entry["preferences"] = data["preferences"]
    return {
        "name": data["name"],
        "start": data["start"],
        "weeks": data["weeks"],
        "athletes": [entry],
        "solver": data["solver"],
    }


def test_a_squad_of_one_without_capacity_is_the_single_athlete_solve():
    single = plan_scenario(validate(load_raw(DATA / "spec_example.yaml")[0], "spec"))
    squad = squad_with_overrides(_squad_of_one(DATA / "spec_example.yaml"), {}, "squad")
    result = solve_squad(squad)
    assert result.status == single.status == "optimal"
    assert result.objective == single.objective
    (athlete,) = result.results
    pd.testing.assert_frame_equal(athlete.plan, single.plan)
    pd.testing.assert_frame_equal(athlete.exercises, single.exercises)
    assert athlete.dynamic == single.dynamic


def test_the_same_squad_and_seed_give_the_same_plans():
    squad = load_squad(GYM, {"athletes": [{"name": n} for n in "ABCD"]})
    first, second = solve_squad(squad), solve_squad(squad, workers=1)
    for a, b in zip(first.results, second.results):
        pd.testing.assert_frame_equal(a.plan, b.plan)


def test_defaults_merge_key_by_key_and_rules_rule_by_rule():
    raw = {
        "name": "Club",
        "start": "2027-03-01",
        "weeks": 2,
        "defaults": {
            "level": "advanced",
            "gym": ["mon", "wed"],
            "runs": {"tue": "intervals", "easy_runs": 1},
            "rules": {"strength_per_week": 1, "lower_strength_per_week": 1},
            "sessions": {"long_run": {"minutes": 100}},
        },
        "athletes": [
            {
                "name": "Sam",
                "runs": {"thu": "tempo"},  # replaces the default runs
                "rules": {"strength_per_week": 2},  # replaces that one rule only
                "sessions": {"tempo": {"minutes": 45}},
            }
        ],
        "coach": {"power_days": ["sat"]},
    }
    (sam,) = squad_with_overrides(raw, {}, "club.yaml").athletes
    assert sam.athlete.level == "advanced" and sam.athlete.gym == ["mon", "wed"]
    assert sam.runs.fixed() == {"thu": "tempo"} and sam.runs.easy_runs == 0
    assert (sam.rules.strength_per_week.min, sam.rules.lower_strength_per_week.max) == (2, 1)
    assert sam.minutes("long_run") == 100 and sam.minutes("tempo") == 45
    assert sam.rules.power_days.days == ["sat"]


def test_squad_athlete_prints_a_plain_scenario_equal_to_the_squads_athlete():
    squad = load_squad(GYM, {"coach.power_days": ["tue"]})
    for i, name in enumerate(squad.names):
        text = athlete_yaml(squad, name)
        data, tree = load_yaml(text)
        assert "athletes" not in data and data["rules"]["power_days"] == ["tue"]
        assert validate(data, "athlete.yaml", tree) == squad.athletes[i]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"athletes.1.availability": {"fri": 90, "xyz": 1}},
            "squad_gym.yaml: athletes.1.availability.xyz",
        ),
        ({"athletes.1.levle": "beginner"}, "athletes.1.levle (line 20): unknown key (did you mean"),
        (
            {"athletes.1.name": "Sam"},
            "athletes.1.name (line 20): 'Sam' is also the name of athletes.0",
        ),
        # names that differ only in case, accents or spaces would name one plan file
        ({"athletes.1.name": "sam "}, "'sam ' names the same plan file (sam.xlsx) as athletes.0"),
        ({"athletes.1.name": "Sàm"}, "'Sàm' names the same plan file (Sam.xlsx) as athletes.0"),
        (
            {"athletes.0.races": [{"date": "2027-02-01"}]},
            "athletes.0.races.0.date (line 19): race 'Race' on 2027-02-01 is outside",
        ),
        ({"defaults.level": "pro"}, "defaults.level (line"),
        (
            {"gym.capacity.sat": -1},
            "gym.capacity.sat (line 22): Input should be greater than or equal to 0",
        ),
        ({"coach.power_days": ["someday"]}, "coach.power_days.0: got 'someday'"),
        ({"athletes": []}, "athletes (line"),
    ],
)
def test_bad_squads_name_the_file_and_the_athletes_key(overrides, expected):
    with pytest.raises(ScenarioError) as info:
        load_squad(GYM, overrides)
    assert expected in str(info.value)


def test_an_athlete_is_named_or_indexed_in_overrides_and_inherits_what_it_refines():
    squad = load_squad(GYM, {"athletes.Ana.availability.fri": 0, "athletes.0.level": "beginner"})
    ana = squad.athletes[1]
    assert ana.athlete.availability["fri"] == 0 and ana.athlete.availability["mon"] == 1440
    assert squad.athletes[0].athlete.level == "beginner"
    with pytest.raises(ScenarioError, match="no athlete is called 'Bo'"):
        load_squad(GYM, {"athletes.Bo.level": "beginner"})


def test_a_squad_variant_is_validated_like_the_squad(tmp_path):
    data = yaml.safe_load(GYM.read_text())
    data["variants"] = {"bad": {"gym.capacity.mon": "many"}}
    path = tmp_path / "squad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ScenarioError, match="variants.bad"):
        load_squad(path)


def test_every_athletes_plan_checks_clean_and_the_gym_holds():
    squad = load_squad(GYM, {"athletes": [{"name": n} for n in "ABC"]})
    result = solve_squad(squad)
    assert squad.names == ["A", "B", "C"]
    assert result.status == "optimal"
    assert all(check_plan(r.scenario, r.plan) == [] for r in result.results)
    assert capacity_violations(squad, result.results) == []
    assert result.objective == 4  # two of three lift on Wednesday


# ---------------------------------------------------------------------- command line
def cli_run(*args):
    from click.testing import CliRunner

    from strideplan.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_a_squad_solve_answers_short_and_lists_the_athletes_with_verbose(tmp_path):
    """SPEC v3's short answer for a squad too: the status, what the plan holds and the
    gym in a few lines; the table of athletes with --verbose."""
    out = tmp_path / "squad.xlsx"
    short = cli_run("solve", GYM, "-o", out)
    assert short.exit_code == 0, short.output
    assert "athletes (" in short.output and "Athletes" not in short.output
    assert len(short.output.splitlines()) <= 6
    # the answer reads as a plan's does: "NAME: optimal, objective N (proven optimal), T s"
    assert re.search(
        r": optimal, objective -?\d+ \(proven optimal\), [\d.]+ s$", short.output, re.M
    )
    assert "seed" not in short.output and "workers" not in short.output
    verbose = cli_run("solve", GYM, "-o", out, "--verbose")
    assert verbose.exit_code == 0 and "Athletes" in verbose.output
    assert "seed 0  workers" in verbose.output  # the solver's numbers, as a plan's --verbose
    # the squad's book is no one athlete's plan: the commands that read one say where it is
    for args in (("check", ROOT / "scenarios" / "tight_week.yaml", out), ("ics", out)):
        refused = cli_run(*args)
        assert refused.exit_code == 2 and "a squad workbook" in refused.output, refused.output


def test_solve_split_writes_the_squad_workbook_and_plans_that_check_clean(tmp_path):
    from openpyxl import load_workbook

    squad = tmp_path / "squad.yaml"
    data = yaml.safe_load(GYM.read_text())
    data["athletes"][1]["name"] = "Ana/../=evil"  # a name is text, never a path or formula
    squad.write_text(yaml.safe_dump(data))
    out, split = tmp_path / "squad.xlsx", tmp_path / "plans"
    result = cli_run("solve", squad, "-o", out, "--split", split)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["Squad", "Gym"] and len(wb.sheetnames) == 6
    assert wb["Squad"]["A7"].value == "Sam" and wb["Squad"]["A8"].value == "Ana/../=evil"
    assert wb["Squad"]["A8"].data_type == "s"
    assert wb.sheetnames[2:] == [
        "Cal 1 Sam",
        "Ses 1 Sam",
        "Cal 2 Ana-..-=evil",
        "Ses 2 Ana-..-=evil",
    ]
    for name in ("Squad", "Gym"):  # printed like the plan's sheets
        ws = wb[name]
        assert "Two in one rack" in ws.oddHeader.left.text and ws.oddHeader.center.text == "&A"
        assert ws.oddFooter.center.text == "Page &P of &N"
        assert (ws.page_setup.scale or 100) >= MIN_SCALE and ws.print_title_rows  # 100: unset
    gym = wb["Gym"]  # one-line rows as tight as a spreadsheet's default, not 15 pt
    assert gym.row_dimensions[5].height == GYM_ROW_POINTS
    assert wb["Squad"]["A5"].value == "Athlete" and wb["Squad"]["A6"].value == "Week 1"
    assert "gym 1/1" in wb["Squad"]["B6"].value  # Monday: one rack, taken
    assert wb["Squad"]["B7"].fill.fgColor.rgb[-6:] in {c for _, c in DAY_KINDS.values()}
    assert sorted(p.name for p in split.iterdir()) == ["Ana_._evil.xlsx", "Sam.xlsx"]
    for name, plan in (("Sam", "Sam.xlsx"), ("Ana/../=evil", "Ana_._evil.xlsx")):
        athlete = cli_run("squad-athlete", squad, name)
        assert athlete.exit_code == 0
        (tmp_path / "athlete.yaml").write_text(athlete.output)
        checked = cli_run("check", tmp_path / "athlete.yaml", split / plan)
        assert checked.exit_code == 0, checked.output
        assert "no hard-rule violations" in checked.output


def test_check_judges_a_squad_workbook_per_athlete_and_the_gym(tmp_path):
    # SPEC v3: whatever solve writes, check accepts: a squad workbook against its squad
    # file, each athlete's Sessions sheet by that athlete's rules and the gym's capacity
    # across them. A heavy-legs session added by hand for Ana on a Monday Sam holds the
    # one rack: the gym is over capacity that day
    from openpyxl import load_workbook

    out = tmp_path / "squad.xlsx"
    assert cli_run("solve", GYM, "-o", out).exit_code == 0
    clean = cli_run("check", GYM, out)
    assert clean.exit_code == 0, clean.output
    assert "no hard-rule violations (2 athletes" in clean.output
    wb = load_workbook(out)
    sheets = [wb["Ses 1 Sam"], wb["Ses 2 Ana"]]
    header = [c.value for c in sheets[0][1]]
    date_col, session_col = header.index("date"), header.index("session")
    legs = [
        next(r for r in ws.iter_rows(min_row=2) if r[session_col].value == "strength_lower")
        for ws in sheets
    ]
    monday = next(r[date_col].value for r in legs if r[date_col].value.weekday() == 0)
    other = next(r for r in legs if r[date_col].value != monday)  # lifts on Wednesday
    other[date_col].value = monday  # moved by hand onto the one rack's day
    for name in ("week", "day"):
        other[header.index(name)].value = None  # left for check to derive
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result = cli_run("check", GYM, edited)
    assert result.exit_code == 1, result.output
    assert "gym_capacity: 2 heavy-legs sessions, capacity 1" in result.output
    # and a second heavy-legs session for one athlete breaks that athlete's own weekly
    # maximum (lower_strength_per_week 1): named with the athlete
    ws = next(ws for ws, r in zip(sheets, legs) if r is other)
    again = [c.value for c in other]
    again[date_col] = monday + timedelta(days=3)
    ws.append(again)
    wb.save(edited)
    result = cli_run("check", GYM, edited)
    assert result.exit_code == 1, result.output
    who = "Sam" if ws.title.endswith("Sam") else "Ana"
    assert f"{who}: " in result.output and "lower_strength_per_week" in result.output
    assert cli_run("check", DATA / "spec_example.yaml", out).exit_code == 2  # not a squad


def test_a_bad_squad_exits_2_naming_the_athlete_and_writes_nothing(tmp_path):
    out = tmp_path / "squad.xlsx"
    result = cli_run("solve", GYM, "-o", out, "--set", "athletes.1.availability.fri=lots")
    assert result.exit_code == 2
    assert "athletes.1.availability.fri" in result.output
    assert not out.exists()
    assert cli_run("squad-athlete", GYM, "Bo").exit_code == 2
    assert cli_run("check", GYM, out).exit_code == 2


def test_squad_athlete_takes_the_split_files_name_and_refuses_a_plain_scenario():
    # Chloé's split plan is Chloe.xlsx: that name (any case) finds her
    club = ROOT / "scenarios" / "squads" / "club_squad.yaml"
    found = cli_run("squad-athlete", club, "chloe")
    assert found.exit_code == 0 and "Chloé" in found.output
    plain = cli_run("squad-athlete", ROOT / "scenarios" / "10k_build.yaml", "Sam")
    assert plain.exit_code == 2
    assert "not a squad file" in plain.output and "required" not in plain.output


def test_an_infeasible_squad_exits_1_with_a_verified_capacity_fix(tmp_path):
    out = tmp_path / "squad.xlsx"
    result = cli_run("solve", GYM, "-o", out, "--set", "gym.capacity={mon: 0, wed: 0}")
    assert result.exit_code == 1
    assert "Fix: --set gym.capacity.mon=2" in result.output
    assert not out.exists()
    assert (
        cli_run(
            "explain", GYM, "--set", "gym.capacity.wed=0", "--set", "gym.capacity.mon=0"
        ).exit_code
        == 1
    )


def test_compare_squad_variants_side_by_side(tmp_path):
    out = tmp_path / "compare.xlsx"
    result = cli_run("compare", GYM, "--sweep", "gym.capacity.mon=1,2", "-o", out)
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    ws = load_workbook(out)["Comparison"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True)}
    assert rows["metric"] == ("baseline", "mon=1", "mon=2")
    assert rows["objective"] == (2, 2, 0)
    assert rows["points: preferred_days"] == (2, 2, 0)


def test_compare_squad_variants_as_json_and_plain_lines(tmp_path):
    import json

    out = tmp_path / "compare.xlsx"
    args = ("compare", GYM, "--sweep", "gym.capacity.mon=1,2", "-o", out)
    data = json.loads(cli_run(*args, "--format", "json").output)
    assert list(data["variants"]) == ["baseline", "mon=1", "mon=2"]
    assert [v["objective"] for v in data["variants"].values()] == [2, 2, 0]
    assert data["written"] == [str(out)]
    plain = cli_run(*args, "--format", "plain").output
    assert "mon=2: objective = 0" in plain and "┃" not in plain


# ---------------------------------------------------------------------- start and bound
def test_each_athlete_alone_bounds_its_part_and_the_start_plan_fits_the_gym():
    # hand-worked: alone, Sam and Ana both lift on Monday (0 points each); the start
    # plan takes them one by one and sends the second to Wednesday (one rack on Monday)
    from strideplan.squad.build import SquadBuild
    from strideplan.squad.start import alone, capacity_start

    squad = load_squad(GYM)
    starts = alone(squad, seed=0, workers=1)
    assert [s.bound for s in starts] == [0, 0]
    assert [s.legs for s in starts] == [[0], [0]]  # day 0: Monday
    plans = capacity_start(squad, SquadBuild(squad).builds[0].cal, starts, seed=0)
    assert sorted(p.legs for p in plans) == [[0], [2]]  # Monday and Wednesday
    result = solve_squad(squad)  # the cuts (part >= 0) keep the optimum: 2 points
    assert result.status == "optimal" and result.objective == 2
    assert all(r.objective >= s.bound for r, s in zip(result.results, starts))


def test_twins_are_solved_alone_once_and_share_the_bound_not_the_tie_break():
    from strideplan.squad.start import alone

    starts = alone(load_squad(GYM), seed=0, workers=2)
    assert starts[0].values == starts[1].values  # Ana is Sam's twin but for the name
    assert starts[0].tie is not None and starts[1].tie is None


def test_column_generation_prices_the_rack_and_proves_the_plan_without_the_squads_model(
    monkeypatch,
):
    # hand-worked: Sam and Ana are twins (one group of two, one column each time);
    # alone both lift on Monday (column (0,), 0 points): L(0) = 0. The box (half-width
    # 1 around 0) prices Monday's rack at 1: Monday still wins, L = 2 x 1 - 1 = 1, a
    # serious step (box 2 around 1). At 3 Wednesday wins (column (), 2 points: Wednesday
    # has no capacity row), L = 2 x 2 - 3 = 1, a null step (box 1); the master can now
    # send one to Wednesday: 2 points. At 2 both cost 2: L = 2 x 2 - 2 = 2 = the
    # master's plan, proven, and the squad's model is never built
    import strideplan.squad.build as squad_module
    from strideplan.calendar import Calendar
    from strideplan.squad.columns import price_columns
    from strideplan.squad.start import alone

    squad = load_squad(GYM)
    cal = Calendar(squad.athletes[0])
    cols = price_columns(squad, cal, alone(squad, seed=0, workers=1), seed=0, workers=1)
    assert cols.lag.history == [0, 1, 1, 2]
    assert cols.lag.bound == 2 and cols.points == 2
    assert cols.columns == {0: {(0,): 0, (): 2}}
    assert sorted(cols.plan) == [(), (0,)]

    def no_model(*args, **kwargs):
        raise AssertionError("the squad's model was built")

    monkeypatch.setattr(squad_module, "SquadBuild", no_model)
    result = solve_squad(squad)
    assert result.status == "optimal" and (result.objective, result.bound) == (2, 2.0)
    assert sorted(legs_days(r) for r in result.results) == [["mon"], ["wed"]]


def test_improvement_takes_a_free_rack_and_a_batch_never_overfills_it():
    # hand-worked: both start on Wednesday (2 points each); solved side by side (one
    # batch) against the free Monday rack both want it: Sam, first, gets it (0 points);
    # Ana's plan no longer fits, so she is solved again within her Wednesday
    from strideplan.calendar import Calendar
    from strideplan.squad.lns import improve

    squad = load_squad(GYM)
    plans = improve(squad, Calendar(squad.athletes[0]), [(), ()], seed=0, workers=1)
    assert [p.pattern for p in plans] == [(0,), ()]
    assert [p.points for p in plans] == [0, 2]
    # with a second rack both move
    roomy = load_squad(GYM, {"gym.capacity.mon": 2})
    plans = improve(roomy, Calendar(roomy.athletes[0]), [(), ()], seed=0, workers=2)
    assert [p.pattern for p in plans] == [(0,), (0,)]


def test_a_minimum_the_gym_keeps_out_is_warned_as_the_gyms_doing():
    # hand-worked: both may lift on Monday only, one rack; Sam's week is clean, so Sam
    # must lift; Ana is away on Tuesday (her week is not clean): she misses her
    # heavy-legs session, and the warning names the gym's capacity and the full day
    from strideplan.squad.report import squad_findings

    squad = load_squad(GYM, {"defaults.gym": ["mon"], "athletes.1.away": ["2027-01-05"]})
    result = solve_squad(squad)
    assert result.status == "optimal"
    assert [legs_days(r) for r in result.results] == [["mon"], []]
    (sam, _), (ana, ana_notes) = squad_findings(result)
    assert not [n for n in ana_notes if n.rule == "lower_strength_per_week"]  # a warning
    assert sam == []
    (warning,) = [w for w in ana if w.rule == "lower_strength_per_week"]
    # her own gym days (Monday only) and the full rack together keep it out
    assert warning.reasons == ["athlete.gym", "gym_capacity"] and warning.weeks == [1]
    assert "kept out by athlete.gym, gym_capacity" in str(warning)
    assert "gym full on Mon 2027-01-04" in str(warning)


def test_explain_leaves_out_an_athlete_outside_the_conflict_and_keeps_the_squads_names():
    # hand-worked: no rack on Monday or Wednesday; Bo (listed first) lifts on Friday
    # and is not part of the conflict, which names Sam or Ana, the gym and its days
    bo = {"name": "Bo", "gym": ["fri"]}
    squad = load_squad(
        GYM,
        {
            "athletes": [bo, {"name": "Sam"}, {"name": "Ana"}],
            "gym.capacity": {"mon": 0, "wed": 0},
        },
    )
    explanation = report_squad(squad).explanation
    assert (None, "gym_capacity") in explanation.conflict
    athletes = {i for i, _ in explanation.conflict if i is not None}
    assert athletes and 0 not in athletes  # Bo stays out
    assert [p.label for p in explanation.where[(None, "gym_capacity")]] == [
        "Mon 2027-01-04",
        "Wed 2027-01-06",
    ]
    text = "\n".join(explanation.lines())
    assert "Bo" not in text and ("Sam:" in text or "Ana:" in text)
    assert {"gym.capacity.mon": 2} in explanation.fixes  # verified on all three
