"""``akool session detail ID``: a session's status and stream URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    JsonOpt,
    SessionIdArg,
)

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class DetailOptions:
    session_id: str
    as_json: bool = False


def run_detail(opts: DetailOptions, app_ctx: AppContext) -> int:
    from akool_cli.cli.commands.session._show import show_session
    from akool_cli.cli.core.input import one_session_id

    session_id = one_session_id(opts.session_id, app_ctx.io.stdin)
    app_ctx.about(session_id=session_id)
    session = app_ctx.client().sessions.detail(session_id)
    if opts.as_json:
        app_ctx.io.json(session.raw)
    else:
        show_session(app_ctx.io, session, app_ctx.sessions().record(session.id))
    return 0


def detail(ctx: typer.Context, session_id: SessionIdArg, as_json: JsonOpt = False) -> None:
    """Show a session's status and stream URLs.

    Status: queueing (1), live (processing, 2), ended (completed, 3) or
    failed (4). The API's detail omits the chat-room URLs; they are shown from
    the local record when this CLI created the session.

    [b]Examples[/b]

      $ akool session detail 6698c9d69cf7b0d61d1b6420
      $ akool session detail "$ID" --json | jq -r .status
    """
    invoke(ctx, run_detail, DetailOptions(session_id=session_id, as_json=as_json))
