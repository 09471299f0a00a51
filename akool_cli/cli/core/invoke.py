"""The one call a command's Typer function makes: ``invoke(ctx, run_x, opts)``. Light on
purpose — a verb's module imports it at its top, and building a command's --help must
not load the machinery — so the context and the error boundary load here, when a
command runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

Opts = TypeVar("Opts")


def invoke(ctx: typer.Context, run: Callable[[Opts, AppContext], int], opts: Opts) -> NoReturn:
    """``run(opts, app_ctx)``, with every failure turned into one line and an exit code
    (one line of JSON on stderr when the command was asked for ``--json``)."""
    from akool_cli.cli.core.boundary import run_command
    from akool_cli.cli.core.context import AppContext

    app_ctx = AppContext.for_command(ctx, json_errors=bool(getattr(opts, "as_json", False)))
    raise typer.Exit(int(run_command(app_ctx, _checked, run, opts, app_ctx)))


def _checked(run: Callable[[Opts, AppContext], int], opts: Opts, app_ctx: AppContext) -> int:
    app_ctx.check_globals()  # they may come from the environment: the parser cannot
    return run(opts, app_ctx)
