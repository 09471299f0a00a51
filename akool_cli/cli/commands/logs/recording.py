"""``akool logs path|status|on|off``: where the chat log is, and whether chats are recorded
(the four verbs differ only in their action: one ``run_state``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class StateOptions:
    action: str  # path | on | off | status
    as_json: bool = False


def run_state(opts: StateOptions, app_ctx: AppContext) -> int:
    from akool_cli.cli.commands.logs.list import log_path
    from akool_cli.services.chatlog import logging_wanted

    io = app_ctx.io
    path = log_path(app_ctx)
    store = app_ctx.store()
    if opts.action in ("on", "off"):
        store.set_logs_enabled(opts.action == "on")
    if opts.action == "path":
        io.out(str(path))
        return 0
    enabled, why = logging_wanted(app_ctx.env, store.logs_enabled)
    if opts.as_json:
        io.json({"enabled": enabled, "reason": why, "path": str(path)})
        return 0
    state = "on" if enabled else "off"
    because = {"AKOOL_LOGS": " (AKOOL_LOGS is set)", "logs off": " (akool logs off)"}.get(why, "")
    if opts.action == "status":
        io.out(f"Recording is {state}{because}; the log is {path}")
    else:
        io.info(f"Recording is {state}{because}.")
        if enabled != (opts.action == "on"):
            io.warn(f"AKOOL_LOGS={app_ctx.env.get('AKOOL_LOGS')} in the environment still wins")
    return 0


def path(ctx: typer.Context) -> None:
    """Print where the chat log is (a SQLite database).

    [b]Examples[/b]

      $ sqlite3 "$(akool logs path)" 'select count(*) from exchanges'
    """
    invoke(ctx, run_state, StateOptions(action="path"))


def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Say whether chats are recorded, why, and where.

    [b]Examples[/b]

      $ akool logs status
    """
    invoke(ctx, run_state, StateOptions(action="status", as_json=as_json))


def off(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Stop recording chats (for every profile); what is recorded stays.

    [b]Examples[/b]

      $ akool logs off
    """
    invoke(ctx, run_state, StateOptions(action="off", as_json=as_json))


def on(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Record chats again.

    [b]Examples[/b]

      $ akool logs on
    """
    invoke(ctx, run_state, StateOptions(action="on", as_json=as_json))
