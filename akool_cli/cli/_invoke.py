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
        base_url_option=given["base_url"][0],
        profile_option=given["profile"][0],
        timeout=given["timeout"][0],
        debug=given["debug"][0],
        insecure=given["insecure"][0],
        no_pager=given["no_pager"][0],
        json_errors=bool(getattr(opts, "as_json", False)),
        command_path=ctx.command_path,
        sources={name: source for name, (_, source) in given.items()},
    )

    def run(opts: Any, app_ctx: AppContext) -> int:
        app_ctx.check_globals()
        return fn(opts, app_ctx)

    raise typer.Exit(int(run_command(app_ctx, run, opts, app_ctx)))
