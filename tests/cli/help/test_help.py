"""Help that an installed user can rely on: topics (environment, exit codes) kept in step
with the code and the README, and examples with one indentation in every --help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from akool_cli.cli.commands.help.help import ENVIRONMENT
from akool_cli.cli.core.errors import MEANINGS, ExitCode

ROOT = Path(__file__).resolve().parents[3]


INTERNAL = {"AKOOL_COMPLETE", "AKOOL_COMPLETE_ARGS"}  # between completion scripts and akool


def _variables_read() -> set:
    found = set()
    for path in (ROOT / "akool_cli").rglob("*.py"):
        found |= set(re.findall(r"\bAKOOL_[A-Z_]+\b", path.read_text()))
    return found - INTERNAL


def test_every_variable_the_code_reads_is_in_help_environment_and_the_readme(cli):
    shown = cli(["help", "environment"]).stdout
    readme = (ROOT / "README.md").read_text().split("## Environment variables")[1]
    readme = readme.split("\n## ")[0]
    variables = _variables_read()
    assert "AKOOL_TOKEN" in variables and "AKOOL_LOGS" in variables  # the scan works
    for name in sorted(variables):
        assert re.search(rf"^  {name}\s", shown, re.M), f"{name} missing from help environment"
        assert f"`{name}`" in readme, f"{name} missing from the README"
    assert {name for name, _ in ENVIRONMENT if name.startswith("AKOOL_")} == variables


def test_help_exit_codes_lists_every_code_as_the_readme_does(cli):
    shown = cli(["help", "exit-codes"]).stdout
    readme = (ROOT / "README.md").read_text().split("## Exit codes")[1].split("\n## ")[0]
    assert set(MEANINGS) == set(ExitCode)
    for code in ExitCode:
        assert re.search(rf"^\s+{int(code)}  \S", shown, re.M), code
        assert f"\n| {int(code)} | " in readme, code


def test_help_lists_topics_and_shows_any_command_s_help(cli):
    assert "akool help environment" in cli(["help"]).stdout
    listed = cli(["help", "session", "list"])
    assert listed.exit_code == 0 and "akool session list" in listed.stdout
    unknown = cli(["help", "nope"])
    assert unknown.exit_code == 2


def _commands():
    """Every command path, loading each group."""
    from typer.main import get_command

    from akool_cli.cli.app import GROUPS, app

    root = get_command(app)
    found = [[]]  # akool --help itself
    for name in GROUPS:
        group = root.load(name)
        subs = getattr(group, "commands", None)
        if subs:
            found += [[name, sub] for sub in subs]
        else:
            found.append([name])
    return found


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "akool")
def test_every_help_has_examples_with_one_indentation(cli, path):
    from tests.helpers import run_akool

    result = run_akool([*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "examples" in text.lower(), f"akool {' '.join(path)} --help has no examples"
    examples = re.findall(r"^( *)\$ (.*)$", text, re.M)
    assert any("akool" in line for _, line in examples), text
    assert {indent for indent, _ in examples} == {"   "}, path  # the same everywhere


def test_the_first_line_of_each_docstring_is_one_line(cli):
    """A command's summary in its group's list is one line, not a paragraph cut short."""
    from typer.main import get_command

    from akool_cli.cli.app import GROUPS, app

    root = get_command(app)
    for name in GROUPS:
        group = root.load(name)
        for command in getattr(group, "commands", {"": group}).values():
            doc = (command.callback.__doc__ if command.callback else "") or command.help or ""
            first = doc.strip().split("\n\n")[0]
            assert "\n" not in first.strip(), f"{name} {command.name}: {first!r}"


def test_no_command_module_postpones_annotations():
    """Older Typer releases read Annotated options only from evaluated annotations: a
    module of commands with `from __future__ import annotations` loses its arguments."""
    for path in (ROOT / "akool_cli" / "cli").rglob("*.py"):
        text = path.read_text()
        if "typer.Argument(" in text or "typer.Option(" in text:
            assert "from __future__ import annotations" not in text, path.name
