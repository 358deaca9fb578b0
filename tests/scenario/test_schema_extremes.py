"""Every number of the scenario schema at its minimum, its maximum and just outside
(issue 20): the value is solved or refused, never a crash, and whatever `solve` writes,
`check`, `ics` and `replan --today <start>` accept."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from strideplan.cli import cli
from strideplan.scenario import Scenario, apply_override

from conftest import QUIET

#: Two weeks with a fixed run, a race and a little of everything the windows touch.
BASE = {
    "name": "extremes",
    "start": QUIET["start"],
    "weeks": 2,
    "athlete": QUIET["athlete"],
    "runs": {"tue": "intervals", "sun": "long_run", "easy_runs": 1},
    "races": [{"date": "2027-01-09", "name": "Parkrun", "priority": "B", "distance": "5k"}],
    "solver": {"time_limit": 20},
}

#: a concrete key where the schema has a mapping of any key or a list
STAND_INS = {"*": {("athlete", "availability"): "mon", ("sessions",): "easy_run"}}


def _numbers() -> list[tuple[str, str, float, float, bool]]:
    """(dotted key, type, minimum, maximum, minimum exclusive) of every bounded number."""
    schema = Scenario.model_json_schema()
    defs = schema.get("$defs", {})
    out: dict[str, tuple] = {}

    def walk(node: dict, path: tuple, seen: tuple = ()) -> None:
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            if name not in seen:
                walk(defs[name], path, (*seen, name))
            return
        for sub in node.get("anyOf", []) + node.get("allOf", []):
            walk(sub, path, seen)
        kind = node.get("type")
        if kind in ("integer", "number") and "maximum" in node:
            low = node.get("minimum", node.get("exclusiveMinimum"))
            out[".".join(path)] = (kind, low, node["maximum"], "exclusiveMinimum" in node)
        for key, sub in node.get("properties", {}).items():
            walk(sub, (*path, key), seen)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], (*path, STAND_INS["*"][path]), seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "0"), seen)

    walk(schema, ())
    return [(key, *spec) for key, spec in out.items()]


def _cases():
    for key, kind, low, high, exclusive in _numbers():
        step = 1 if kind == "integer" else 0.5
        inside_low = low + (0.01 if exclusive else 0)
        yield pytest.param(key, inside_low, True, id=f"{key}=min")
        yield pytest.param(key, high, True, id=f"{key}=max")
        yield pytest.param(key, high + step, False, id=f"{key}=max+")
        if not exclusive and low > 0 or kind == "integer":
            yield pytest.param(key, low - step, False, id=f"{key}=min-")


def test_every_bounded_field_is_drawn():
    keys = {key for key, *_ in _numbers()}
    assert {"weeks", "athlete.availability.mon", "races.0.minutes", "solver.seed"} <= keys
    assert len(keys) > 60


def test_the_base_solves_and_round_trips(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(BASE))
    assert _run("solve", path, "-o", tmp_path / "p.xlsx").exit_code == 0
    assert _run("check", path, tmp_path / "p.xlsx").exit_code == 0


def _run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output and "internal error" not in result.output, (
        args,
        result.output,
    )
    return result


@pytest.mark.parametrize("key, value, inside", list(_cases()))
def test_extreme_values_solve_or_are_refused_and_round_trip(tmp_path, key, value, inside):
    data = copy.deepcopy(BASE)
    if key == "solver.time_limit" and value >= 20:
        value = value if not inside else 3600  # the optimum is proven long before
    value = int(value) if float(value).is_integer() else value
    apply_override(data, key, value)
    pair = {"min": "max", "max": "min"}.get(key.rsplit(".", 1)[-1])
    if inside and pair and key.startswith("rules."):  # [min, max] kept in order
        apply_override(data, f"{key.rsplit('.', 1)[0]}.{pair}", value)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    plan = tmp_path / "plan.xlsx"
    solved = _run("solve", path, "-o", plan)
    if not inside:
        assert solved.exit_code == 2, solved.output
        assert key in solved.output, solved.output
        assert not plan.exists()
        return
    assert solved.exit_code in (0, 1, 2), solved.output
    if solved.exit_code != 0:
        assert not plan.exists()
        return
    checked = _run("check", path, plan)
    assert checked.exit_code == 0, checked.output
    assert _run("ics", plan, "-o", tmp_path / "plan.ics").exit_code == 0
    replanned = _run("replan", path, plan, "--today", data["start"], "-o", tmp_path / "new.xlsx")
    assert replanned.exit_code in (0, 1), replanned.output
