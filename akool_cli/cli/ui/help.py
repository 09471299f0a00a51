"""Every command's ``--help`` (Typer's, drawn with rich) made fit to read wherever it goes:
at least 40 and at most 120 columns wide (a terminal of 2 columns got only box corners,
one of 10,000 got 400 KB of padding), colour and Rich's boxes only on a terminal that
takes colour (a pipe or a file gets plain text: a panel's title as a heading, its rows
without borders), and no line padded with spaces to the width.

``akool --help`` is not drawn here: ``root_help`` prints it without rich."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from typing import Any, Callable

from akool_cli.cli.core import click_compat as click

MIN_WIDTH, MAX_WIDTH = 40, 120
_TAIL = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$")  # a line's trailing spaces and styles
# A Rich panel's borders (the rounded box Typer draws): its top with the title, its
# sides, its bottom.
_PANEL_TOP = re.compile(r"^╭─(?: (.*?) )?─*╮$")
_PANEL_SIDE = re.compile(r"^│(.*)│$")
_PANEL_BOTTOM = re.compile(r"^╰─*╯$")


def width() -> int:
    import shutil

    return max(MIN_WIDTH, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def wants_color(env: Any = os.environ) -> bool:
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and "NO_COLOR" not in env and env.get("TERM") != "dumb"


def tidy(text: str) -> str:
    """``text`` without trailing spaces on any line (nor blank lines at its ends)."""
    lines = [_untailed(line) for line in text.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def unboxed(text: str) -> str:
    """``text`` with the panels' borders taken away: a title becomes a heading
    (``Options:``), the rows keep their columns, a panel's bottom an empty line."""
    lines = []
    for line in text.splitlines():
        top = _PANEL_TOP.match(line)
        side = _PANEL_SIDE.match(line)
        if top is not None:
            lines.append(f" {top.group(1)}:" if top.group(1) else "")
        elif side is not None:
            lines.append(side.group(1))
        elif _PANEL_BOTTOM.match(line) is None:
            lines.append(line)
        else:
            lines.append("")
    return "\n".join(lines)


def _untailed(line: str) -> str:
    found = _TAIL.search(line)
    if found is None:
        return line
    return line[: found.start()] + ("\x1b[0m" if "\x1b[" in found.group(0) else "")


def render(get_help: Callable[[Any], str], ctx: Any) -> str:
    """What ``get_help(ctx)`` prints or returns, drawn at ``width()`` and tidied."""
    drawn = io.StringIO()
    color = wants_color()
    with click.help_drawn_at(width(), color), contextlib.redirect_stdout(drawn):
        returned = get_help(ctx)
    text = drawn.getvalue() + (returned or "")
    return tidy(text if color else unboxed(text))


def attach_help(command: Any) -> None:
    """Draw ``command``'s help (and, for a group, every command's under it) this way."""
    if getattr(command, "_akool_help", False):
        return
    command._akool_help = True
    original = command.get_help
    command.get_help = lambda ctx: render(original, ctx)
    for sub in getattr(command, "commands", {}).values():
        attach_help(sub)
