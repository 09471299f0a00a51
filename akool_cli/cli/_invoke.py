"""Hands a parsed command to its ``run_*`` function. The machinery (context, output, the
client) loads on use, so that building the command tree and ``--help`` do not pay for it."""

from typing import Any, Callable, NoReturn

import typer


def invoke(ctx: typer.Context, fn: Callable[..., Any], opts: Any) -> NoReturn:
    """``fn(opts, app_ctx)``, with every failure turned into one line and an exit code
    (one line of JSON on stderr when the command was asked for ``--json``)."""
    from akool_cli.cli import globals
    from akool_cli.cli.context import AppContext, run_command
    from akool_cli.cli.output import IOStreams

    given = globals.values(ctx)
    app_ctx = AppContext(
        io=IOStreams.system(),
        base_url_option=given["base_url"],
        profile_option=given["profile"],
        timeout=given["timeout"],
        debug=given["debug"],
        insecure=given["insecure"],
        no_pager=given["no_pager"],
        json_errors=bool(getattr(opts, "as_json", False)),
        command_path=ctx.command_path,
    )

    def run(opts: Any, app_ctx: AppContext) -> int:
        app_ctx.check_globals()
        return fn(opts, app_ctx)

    raise typer.Exit(int(run_command(app_ctx, run, opts, app_ctx)))
