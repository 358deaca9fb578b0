"""Every `strideplan` command the README shows runs as written (issue 11: the README is
either run by a test or produced by bench/)."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
from click.testing import CliRunner

from strideplan.cli import cli

from conftest import ROOT

#: exit codes a README command may end with when the README says so beside it
EXPECTED = re.compile(r"#.*\bexit (\d)\b")


def readme_commands() -> list[tuple[str, int]]:
    """(command, expected exit code) for each `strideplan …` line in the bash blocks of
    the README after its Quick start (whose two commands CI itself runs), then of the
    guide (docs/guide.md)."""
    readme = (ROOT / "README.md").read_text()
    body = readme.split("## Quick start", 1)[1].split("```", 2)[2]
    body += (ROOT / "docs" / "guide.md").read_text()
    out = []
    for block in re.findall(r"```bash\n(.*?)```", body, re.S):
        for line in block.splitlines():
            for part in line.split(" && "):
                part = part.strip()
                if not part.startswith("strideplan "):
                    continue
                code = EXPECTED.search(part)
                out.append((part.split(" #", 1)[0].strip(), int(code.group(1)) if code else 0))
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding a copy of the bundled scenarios (commands write to output/)."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    (root / "output").mkdir()
    return root


def test_the_readme_shows_commands():
    commands = [c for c, _ in readme_commands()]
    assert len(commands) >= 8
    for verb in ("solve", "check", "compare", "explain", "replan", "ics", "batch", "workouts"):
        assert any(c.split()[1] == verb for c in commands), verb


@pytest.mark.parametrize("command,code", readme_commands(), ids=lambda v: str(v)[:60])
def test_readme_command_runs_as_written(workdir, monkeypatch, command, code):
    monkeypatch.chdir(workdir)
    command, _, into = command.partition(" > ")  # `… > FILE`: the output goes there
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == code, f"{command}\n{result.output[-3000:]}"
    assert "Traceback" not in result.output
    if into:
        (workdir / into.strip()).write_text(result.stdout)
