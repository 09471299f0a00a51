"""Hands a parsed command to its ``run_*`` function; the machinery loads on use, so that
building the command tree (and ``akool --help``) does not pay for it."""

from typing import Any, Callable, NoReturn

import typer


def invoke(ctx: typer.Context, fn: Callable[..., Any], *args: Any) -> NoReturn:
    """``fn(*args, app_ctx)`` with errors turned into one line and an exit code."""
    from akool_cli.cli.context import run_command

    raise typer.Exit(run_command(ctx.obj, fn, *args, ctx.obj))
