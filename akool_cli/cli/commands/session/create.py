"""``akool session create``: start a live avatar session (and wait until it is live)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from akool_cli.cli.core import validate
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_WAIT_TIMEOUT,
    AvatarIdOpt,
    JsonOpt,
    QuietOpt,
    WaitTimeoutOpt,
)
from akool_cli.cli.core.signals import shielded
from akool_cli.cli.core.validate import check_output_flags

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class CreateOptions:
    avatar_id: Optional[str] = None
    wait: bool = False
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    as_json: bool = False
    quiet: bool = False


def chosen_avatar(option: Optional[str], app_ctx: "AppContext") -> str:
    """--avatar-id, else the profile's avatar_id; a usage error if neither is given."""

    avatar_id = option if option is not None else app_ctx.setting("avatar_id")[0]
    if avatar_id is None:
        raise UsageError(
            "which avatar? give --avatar-id",
            hint="or set a default: akool config set avatar_id Kai_1080P_back",
        )
    return avatar_id


def run_create(opts: CreateOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.session._show import show_session
    from akool_cli.cli.core.lifecycle import close_created, wait_until_live
    from akool_cli.cli.ui.iostreams import OutputError

    check_output_flags(opts.as_json, opts.quiet)
    avatar_id = validate.avatar_id(chosen_avatar(opts.avatar_id, app_ctx))
    app_ctx.about(avatar_id=avatar_id, avatar_sent=True)
    io = app_ctx.io
    service = app_ctx.sessions()
    session = None
    try:
        with shielded():  # a signal now would lose the id of a session being created
            session = service.create(avatar_id)
        if opts.wait:
            if not opts.quiet and not opts.as_json:
                io.info(f"Created session {session.id}; waiting until it is live…")
            if not session.is_live:
                session = wait_until_live(
                    app_ctx, session.id, opts.wait_timeout, just_queueing=session.status == 1
                )
        if opts.quiet:
            io.out(session.id)
        elif opts.as_json:
            io.json(session.raw)
        else:
            show_session(io, session, service.record(session.id))
        io.flush()
    except BaseException as exc:
        # Nobody received the id (not live yet, or stdout could not take it): close the
        # session rather than leave it running, and billing, behind a failure, Ctrl-C or
        # a signal.
        if session is None:
            raise
        close_created(app_ctx, session.id)
        if isinstance(exc, BrokenPipeError):  # a reader that left is no failure; this is
            raise OutputError(32, "the reader left before the session's id was printed") from None
        raise
    return 0


def create(
    ctx: typer.Context,
    avatar_id: AvatarIdOpt = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until the session is live (status 2).")
    ] = False,
    wait_timeout: WaitTimeoutOpt = DEFAULT_WAIT_TIMEOUT,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Start a live avatar session.

    With --wait, polls until the session is live: its stream runs and its chat
    room accepts questions. A session that ends or fails first exits 8, the
    timeout exits 9; a session that never became live is closed again.

    [b]Examples[/b]

      $ akool session create --avatar-id Kai_1080P_back
      $ ID=$(akool session create --avatar-id Kai_1080P_back --wait -q)
      $ akool session create --avatar-id Kai_1080P_back --json | jq .stream_urls
      $ akool session create --avatar-id "$(akool avatar list --from mine -q | head -n 1)"
    """
    opts = CreateOptions(
        avatar_id=avatar_id, wait=wait, wait_timeout=wait_timeout, as_json=as_json, quiet=quiet
    )
    invoke(ctx, run_create, opts)
