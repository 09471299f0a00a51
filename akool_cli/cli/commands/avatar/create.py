"""``akool avatar create``: upload your own streaming avatar from a video."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from akool_cli import _ids
from akool_cli.api.errors import ProtocolError
from akool_cli.cli.core import validate
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_WAIT_TIMEOUT,
    JsonOpt,
    QuietOpt,
    WaitTimeoutOpt,
)
from akool_cli.cli.core.validate import check_output_flags, choice

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext
    from akool_cli.cli.ui.progress import Update


@dataclass(frozen=True)
class AvatarCreateOptions:
    url: str
    avatar_id: str
    name: Optional[str] = None
    url_from: Optional[str] = None
    wait: bool = False
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    as_json: bool = False
    quiet: bool = False


def run_create(opts: AvatarCreateOptions, app_ctx: "AppContext") -> int:
    from akool_cli.api.resources.avatars import URL_FROM
    from akool_cli.cli.commands.avatar._rows import avatar_rows
    from akool_cli.cli.ui.table import render_fields

    check_output_flags(opts.as_json, opts.quiet)
    if not opts.avatar_id.isascii() or not opts.avatar_id.isalnum():
        raise UsageError(
            f"{opts.avatar_id!r} is not an avatar id",
            hint="an avatar id is letters and digits only (A-Z, a-z, 0-9), as the API requires",
        )
    if not opts.url.startswith(("http://", "https://")) or not validate.is_text(opts.url):
        raise UsageError("--url must be the http(s) URL of a video of the avatar")
    url_from = choice(opts.url_from, URL_FROM, "--url-from")
    if opts.name is not None and not validate.is_text(opts.name):
        raise UsageError("--name is not UTF-8 text")
    avatars = app_ctx.client().avatars
    avatar = avatars.create(opts.url, opts.avatar_id, name=opts.name, url_from=url_from)
    if opts.wait:
        if avatar.record_id is None:
            raise UsageError("the API did not say the new avatar's record id; cannot wait")
        if not opts.quiet and not opts.as_json:
            app_ctx.io.info(f"Uploaded avatar {opts.avatar_id}; waiting until it is ready…")
        avatar = _wait(app_ctx, avatar.record_id, opts.wait_timeout)
    if opts.quiet:
        if avatar.record_id is not None and not _ids.is_session_id(avatar.record_id):
            raise ProtocolError(
                f"the service named the new avatar's record {_ids.shown(avatar.record_id)}, "
                "which is not a record id"
            )
        app_ctx.io.out(avatar.record_id or "")
    elif opts.as_json:
        app_ctx.io.json(avatar.raw)
    else:
        render_fields(app_ctx.io, avatar_rows(avatar))
    return 0


def _wait(app_ctx: "AppContext", record_id: str, timeout: float) -> Any:
    from akool_cli.cli.commands.avatar._rows import AVATAR_STATES
    from akool_cli.cli.ui.progress import with_progress

    avatars = app_ctx.client().avatars

    def wait(update: "Optional[Update]") -> Any:
        def on_status(avatar: Any, elapsed: float) -> None:
            if update is not None:
                state = AVATAR_STATES.get(avatar.status or 0, "unknown")
                update(f"Waiting for avatar {record_id}: {state} ({elapsed:.1f} s)")

        on = on_status if update is not None else None
        return avatars.wait_ready(record_id, timeout=timeout, on_status=on)

    return with_progress(app_ctx.io, f"Waiting for avatar {record_id}…", wait)


def create(
    ctx: typer.Context,
    url: Annotated[
        str, typer.Option("--url", metavar="URL", help="A video of the avatar (about a minute).")
    ],
    avatar_id: Annotated[
        str,
        typer.Option("--avatar-id", metavar="ID", help="Its id: letters and digits only."),
    ],
    name: Annotated[
        Optional[str], typer.Option("--name", metavar="NAME", help="A name for people.")
    ] = None,
    url_from: Annotated[
        Optional[str],
        typer.Option("--url-from", metavar="akool|third-party", help="Where the video is stored."),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait until it is ready (status 3).")
    ] = False,
    wait_timeout: WaitTimeoutOpt = DEFAULT_WAIT_TIMEOUT,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Upload your own streaming avatar from a video.

    Processing takes a while; --wait polls until it is ready (exit 8 if it fails,
    9 on timeout). Once ready, `session create --avatar-id ID` streams it. -q
    prints the record id (what `avatar detail` takes).

    [b]Examples[/b]

      $ akool avatar create --url https://example.com/me.mp4 --avatar-id Me2024 --wait
      $ RECORD=$(akool avatar create --url "$URL" --avatar-id Me2024 -q)
    """
    opts = AvatarCreateOptions(
        url=url,
        avatar_id=avatar_id,
        name=name,
        url_from=url_from,
        wait=wait,
        wait_timeout=wait_timeout,
        as_json=as_json,
        quiet=quiet,
    )
    invoke(ctx, run_create, opts)
