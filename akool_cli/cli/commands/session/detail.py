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
    service = app_ctx.sessions()
    session = service.client_for(session_id).sessions.detail(session_id)
    if opts.as_json:
        app_ctx.io.json(session.raw)
    else:
        show_session(app_ctx.io, session, service.record(session.id))
    return 0


def detail(ctx: typer.Context, session_id: SessionIdArg, as_json: JsonOpt = False) -> None:
    """Show a session's status and stream URLs.

    A v4 session's room credentials and time left are shown in their place.

    Status: queueing (1), live (processing, 2), ended (completed, 3) or
    failed (4). The API's detail omits the chat-room URLs (v3) and the room's
    tokens (v4); they are shown (tokens masked) from the local record when this
    CLI created the session, with a v4 session's time left of its duration, and
    left out once it is over (its rooms refuse). A session this CLI created is
    asked about in the API version that created it.

    [b]Examples[/b]

      $ akool session detail 6698c9d69cf7b0d61d1b6420
      $ akool session detail "$ID" --json | jq -r .status
    """
    invoke(ctx, run_detail, DetailOptions(session_id=session_id, as_json=as_json))
