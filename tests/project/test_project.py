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


def test_every_rule_is_documented():
    from strideplan.rules import RULES

    readme = "".join(
        (ROOT / name).read_text() for name in ("README.md", "docs/guide.md", "docs/reference.md")
    )
    for rule in RULES:
        assert f"`{rule.key}`" in readme or f"| {rule.key} |" in readme, rule.key


def test_the_readme_is_a_first_page():
    """Issue 21: what, the Quick start, the commands, a scenario, where to read more; the
    rest lives in docs/."""
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    assert "docs/guide.md" in readme and (ROOT / "docs" / "calendar.png").is_file()


def test_help_loads_only_click():
    """`strideplan --help` (and each command's --help) imports click and strideplan's thin
    command layer only: the scenario models, pydantic, rich, yaml, ortools, pandas and
    openpyxl load when a command runs (issue 10: --help in about 0.25 s)."""
    import subprocess
    import sys

    heavy = ("pydantic", "rich", "yaml", "ortools", "pandas", "openpyxl", "numpy", "icalendar")
    probe = (
        "import sys\n"
        "from strideplan.entry import main\n"
        "for args in (['--help'], ['solve', '--help'], ['compare', '--help']):\n"
        "    sys.argv = ['strideplan', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}"
        " or m == 'strideplan.scenario')\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "LOADED []" in run.stderr, run.stderr[-2000:]
    assert "Usage: strideplan" in run.stdout


def test_plain_solve_loads_neither_openpyxl_nor_squad_code(tmp_path):
    """A plain `solve` writes with XlsxWriter: openpyxl (reading, for check/replan/ics)
    and the squad modules stay unloaded (issue 10: end to end near the import floor)."""
    import subprocess
    import sys

    out = tmp_path / "plan.xlsx"
    probe = (
        "import sys\n"
        "from strideplan.entry import main\n"
        f"sys.argv = ['strideplan', 'solve', {str(ROOT / 'scenarios' / 'beginner_5k.yaml')!r},"
        f" '--no-why', '-o', {str(out)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'"
        " or m.startswith('strideplan.squad.build'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "LOADED []" in run.stderr, run.stderr[-2000:]
    assert out.exists()
