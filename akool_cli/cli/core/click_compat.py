"""The one module that touches Typer's and click's internals: every other module of the
command line uses what it names here, or Typer's public API.

click is taken as the installed Typer has it: newer Typer releases carry their own copy
(``typer._click``, which exports less at the top), older ones depend on click itself. The
lowest Typer the pyproject allows is tested in CI too (``.ci/run``), so that a Typer we
allow never breaks a command silently.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from typer import main as _typer_main
from typer.core import TyperCommand, TyperGroup, TyperOption

try:
    from typer._click import core, exceptions, shell_completion, types
    from typer._click import globals as _globals
except ImportError:  # older Typer: click itself
    # (click is not installed beside a Typer that carries its own copy: no stubs to find)
    from click import core, exceptions, shell_completion, types  # type: ignore[no-redef, import-not-found, unused-ignore]
    from click import globals as _globals  # type: ignore[no-redef, import-not-found, unused-ignore]

Context = core.Context
Command = core.Command
ParameterSource = core.ParameterSource
ClickException = exceptions.ClickException
UsageError = exceptions.UsageError
FuncParamType = types.FuncParamType
ShellComplete = shell_completion.ShellComplete
get_current_context = _globals.get_current_context
get_command = _typer_main.get_command
get_group = _typer_main.get_group

__all__ = [
    "ClickException",
    "Command",
    "Context",
    "FuncParamType",
    "ParameterSource",
    "ShellComplete",
    "TyperCommand",
    "TyperGroup",
    "TyperOption",
    "UsageError",
    "get_command",
    "get_current_context",
    "get_group",
    "help_drawn_at",
    "is_no_args_help",
]


def is_no_args_help(exc: BaseException) -> bool:
    """Whether ``exc`` is click's way of asking for a group's help (``akool session``
    alone, ``no_args_is_help``): click 8.2 raises NoArgsIsHelpError, with its context."""
    return type(exc).__name__ == "NoArgsIsHelpError" and getattr(exc, "ctx", None) is not None


@contextlib.contextmanager
def help_drawn_at(width: int, force_terminal: bool) -> Iterator[None]:
    """Within the block, Typer's rich help is drawn ``width`` columns wide, and as for a
    terminal (colour) only when ``force_terminal``."""
    from typer import rich_utils as _rich_utils  # loads rich: only when a help is drawn

    saved = _rich_utils.MAX_WIDTH, _rich_utils.FORCE_TERMINAL
    _rich_utils.MAX_WIDTH, _rich_utils.FORCE_TERMINAL = width, force_terminal
    try:
        yield
    finally:
        _rich_utils.MAX_WIDTH, _rich_utils.FORCE_TERMINAL = saved


def command_name(info: Any) -> str:
    """The name Typer gives a registered command."""
    if info.name:
        return str(info.name)
    return str(info.callback.__name__).lower().replace("_", "-")
