"""--help as it reaches a pipe, a file or a terminal of any width: no line padded with
spaces, between 40 and 120 columns, every bracketed note of an option shown (rich markup
ate "[default: never]"), and each argument's own words."""

from __future__ import annotations

import re

import pytest

from akool_cli.cli.ui.root_help import _plain
from tests.cli.help.test_help import _commands
from tests.helpers import run_akool

BOX = "│╭╮╰╯─"


def _params(path):
    from typer.main import get_command

    from akool_cli.cli.app import app

    command = get_command(app)
    for name in path:
        command = command.load(name) if hasattr(command, "load") else command.commands[name]
        if len(path) > 1 and name == path[0] and hasattr(command, "commands"):
            command = command.commands.get(path[1], command)
            break
    return [p for p in command.params if getattr(p, "help", None)]


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "akool")
def test_piped_help_pads_no_line_and_shows_every_bracketed_note(path):
    result = run_akool([*path, "--help"], env={"COLUMNS": "10000"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(line == line.rstrip() for line in lines), [x for x in lines if x != x.rstrip()]
    assert max(len(line) for line in lines) <= 120
    flat = re.sub(rf"[\s{BOX}]+", " ", result.stdout)
    for param in _params(path) if path else []:
        for note in re.findall(r"\[[^\]]*\]", _plain(param.help)):
            assert re.sub(r"\s+", " ", note) in flat, (path, param.name, note)


def test_each_session_argument_says_what_it_is_for():
    watch = run_akool(["session", "watch", "--help"]).stdout
    assert "Session to talk to" not in watch and "(exit 9) ." not in watch
    assert "Follow this session only" in watch and "[default: never]" in re.sub(r"\s+", " ", watch)
    chat = run_akool(["chat", "--help"]).stdout
    assert "Session to talk to" in chat


@pytest.mark.parametrize("columns", ["1", "2", "39"])
def test_a_very_narrow_terminal_still_gets_words(columns):
    result = run_akool(["session", "list", "--help"], env={"COLUMNS": columns})
    lines = result.stdout.splitlines()
    assert 30 < max(len(line) for line in lines) <= 40  # drawn 40 wide: the terminal wraps it
    words = result.stdout
    assert "Usage: akool session list" in words and "--status" in words and "--older-than" in words


@pytest.mark.parametrize("path", [["session", "list"], ["chat"], ["emulator"], ["logs"]])
def test_piped_help_is_plain_text_without_rich_boxes(path):
    result = run_akool([*path, "--help"])
    assert result.exit_code == 0, result.stderr
    assert not any(c in result.stdout for c in BOX), result.stdout
    assert "\x1b[" not in result.stdout
    assert re.search(r"^ Options:$", result.stdout, re.M), result.stdout  # a panel's title
    assert re.search(r"^ --help( +-h)? +Show this message and exit\.$", result.stdout, re.M)
