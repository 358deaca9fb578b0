"""Project meta-tests: the README's Quick start is what CI runs."""

from __future__ import annotations

import re

from conftest import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "strideplan solve scenarios/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_every_rule_is_in_the_readme():
    from strideplan.rules import RULES

    readme = (ROOT / "README.md").read_text()
    for rule in RULES:
        assert f"`{rule.key}`" in readme or f"| {rule.key} |" in readme, rule.key
