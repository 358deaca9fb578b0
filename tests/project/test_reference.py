"""docs/reference.md is generated from the code (rules, JSON Schema, --help): it must be
in step with it (issue 21). Regenerate with `python docs/make_reference.py`."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_reference", ROOT / "docs" / "make_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_is_in_step_with_the_code():
    generator = _generator()
    assert (ROOT / "docs" / "reference.md").read_text() == generator.reference(), (
        "docs/reference.md is out of step: run python docs/make_reference.py"
    )


def test_the_reference_lists_every_rule_and_every_command():
    from strideplan.cli import cli
    from strideplan.rules import RULES

    text = (ROOT / "docs" / "reference.md").read_text()
    assert all(f"| {r.key} |" in text for r in RULES)
    assert all(f"### strideplan {name}" in text for name in cli.commands)
