"""Hands a parsed command to its ``run_*`` function. The machinery (context, output, the
client) loads on use, so that building the command tree and ``--help`` do not pay for it."""

from typing import Any, Callable, NoReturn

import typer


def invoke(ctx: typer.Context, fn: Callable[..., Any], opts: Any) -> NoReturn:
    """``fn(opts, app_ctx)``, with every failure turned into one line and an exit code."""
    from akool_cli.cli.context import AppContext, run_command
    from akool_cli.cli.output import IOStreams

    options = ctx.find_root().obj
    app_ctx = AppContext(
        io=IOStreams.system(),
        base_url_option=options.base_url,
        profile=options.profile,
        timeout=options.timeout,
        debug=options.debug,
        insecure=options.insecure,
    )
    raise typer.Exit(int(run_command(app_ctx, fn, opts, app_ctx)))
