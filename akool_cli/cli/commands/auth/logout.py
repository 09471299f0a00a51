"""``akool auth logout``: remove the profile's stored credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class LogoutOptions:
    as_json: bool = False


def run_logout(opts: LogoutOptions, app_ctx: AppContext) -> int:
    from akool_cli.services.credentials import ENV_CREDENTIALS

    removed = app_ctx.store().delete_credential(app_ctx.profile)
    if opts.as_json:
        app_ctx.io.json({"profile": app_ctx.profile, "removed": bool(removed)})
    elif removed:
        app_ctx.io.info(f"Removed the stored credential of profile {app_ctx.profile!r}.")
    else:
        app_ctx.io.info(f"Profile {app_ctx.profile!r} has no stored credential; nothing to do.")
    for name in ENV_CREDENTIALS:
        if app_ctx.env.get(name):
            app_ctx.io.warn(f"{name} is set in the environment and still takes effect.")
    return 0


def logout(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Remove the profile's stored credential.

    [b]Examples[/b]

      $ akool auth logout
      $ akool --profile staging auth logout
    """
    invoke(ctx, run_logout, LogoutOptions(as_json=as_json))
