"""Scenario loading: shorthands, partial rules keep defaults, overrides."""

from __future__ import annotations

import pytest

from strideplan.scenario import ScenarioError, load_scenario

from conftest import ROOT

TEN_K = ROOT / "scenarios" / "10k_build.yaml"


def rules(**overrides):
    return load_scenario(TEN_K, {f"rules.{k}": v for k, v in overrides.items()}).rules


def test_rule_shorthands():
    r = rules(
        strength_per_week=3,
        power_per_week=[1, 3],
        back_to_back_hard="off",
        no_heavy_legs_before=["race"],
        strength_gap_days=2,
    )
    assert (r.strength_per_week.min, r.strength_per_week.max) == (3, 3)
    assert (r.power_per_week.min, r.power_per_week.max) == (1, 3)
    assert not r.back_to_back_hard.enabled
    assert r.no_heavy_legs_before.sessions == ["race"]
    assert r.strength_gap_days.days == 2


def test_rest_days_number_means_at_least():
    r = rules(rest_days_per_week=2)
    assert (r.rest_days_per_week.min, r.rest_days_per_week.max) == (2, None)


def test_partial_mapping_keeps_the_rule_defaults():
    r = rules(
        race_taper={"A": 14}, lower_strength_per_week={"hard": False}, dynamic_blocks={"max": 10}
    )
    # B and C stay "by distance" (None): SPEC v2's table
    assert (r.race_taper.A, r.race_taper.B, r.race_taper.C) == (14, None, None)
    assert (r.lower_strength_per_week.min, r.lower_strength_per_week.max) == (1, 2)
    assert not r.lower_strength_per_week.hard
    assert (r.dynamic_blocks.min, r.dynamic_blocks.max) == (6, 10)


def test_value_inside_a_mapping():
    r = rules(strength_per_week={"value": 3, "hard": False, "weight": 7})
    assert (r.strength_per_week.min, r.strength_per_week.hard, r.strength_per_week.weight) == (
        3,
        False,
        7,
    )


def test_off_in_yaml_and_on_again():
    assert not rules(daily_minutes=False).daily_minutes.enabled
    assert rules(back_to_back_hard="on").back_to_back_hard.weight == 10


def test_list_index_override():
    sc = load_scenario(TEN_K, {"races.0.priority": "C"})
    assert sc.races[0].priority == "C"
    with pytest.raises(ScenarioError, match="index"):
        load_scenario(TEN_K, {"races.5.priority": "C"})


def test_several_errors_are_reported_at_once():
    with pytest.raises(ScenarioError) as info:
        load_scenario(TEN_K, {"weeks": 0, "runs.tue": "sprint", "rules.strenght": 1})
    text = str(info.value)
    assert "weeks" in text and "runs.tue" in text and "rules.strenght" in text


def test_pair_message_survives_terminal_markup():
    from click.testing import CliRunner

    from strideplan.cli import cli

    result = CliRunner().invoke(cli, ["solve", str(TEN_K), "--set", "rules.power_per_week=[1,2,3]"])
    assert result.exit_code == 2 and "[min, max] pair" in result.output


def test_a_bad_variant_is_caught_when_the_scenario_loads(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(
        "name: v\nstart: 2027-01-04\nweeks: 2\nvariants:\n  typo: {rules.strenght_per_week: 3}\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "variants.typo (line 5)" in text and "did you mean 'strength_per_week'" in text


def test_a_distance_in_capitals_is_read_and_a_wrong_one_names_every_form(tmp_path):
    path = tmp_path / "race.yaml"
    race = "{date: 2027-09-26, name: R, distance: %s}"
    path.write_text(f"name: t\nstart: 2027-09-06\nweeks: 4\nraces:\n  - {race % '5K'}\n")
    assert load_scenario(path).races[0].distance == "5k"
    path.write_text(f"name: t\nstart: 2027-09-06\nweeks: 4\nraces:\n  - {race % '5 km'}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "did you mean '5k'" in str(err.value) and "a number of km" in str(err.value)


def test_a_date_not_in_the_calendar_is_said_in_plain_words(tmp_path):
    path = tmp_path / "bad_date.yaml"
    path.write_text("name: t\nstart: 2027-09-31\nweeks: 2\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert "start (line 2): '2027-09-31' is not a date in the calendar" in message
    assert "expected range" not in message
