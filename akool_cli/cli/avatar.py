"""``akool avatar``: the avatars a session can stream — Akool's, and your own uploads."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from akool_cli.cli._invoke import invoke
from akool_cli.cli.options import (
    DEFAULT_CONCURRENCY,
    DEFAULT_WAIT_TIMEOUT,
    ConcurrencyOpt,
    JsonOpt,
    QuietOpt,
    WaitTimeoutOpt,
)

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext

app = typer.Typer(
    add_completion=False,
    help="The avatars a session can stream: list, inspect, upload your own.",
    no_args_is_help=True,
)
AVATAR_STATES = {1: "queueing", 2: "processing", 3: "ready", 4: "failed"}
AVATAR_STYLES = {1: "yellow", 2: "yellow", 3: "green", 4: "red"}
SOURCE_WORDS = {2: "official", 3: "mine"}


def avatar_listing() -> Any:
    from akool_cli import _ids as ids
    from akool_cli.cli.listing import Listing
    from akool_cli.cli.output import Column

    return Listing(
        columns=(
            Column("AVATAR ID", min_width=18),
            Column("NAME", min_width=8),
            Column("FROM"),
            Column("STATUS"),
            Column("RECORD ID", min_width=24),
            Column("PREVIEW", elastic=True),
        ),
        row=lambda a: (
            a.avatar_id,
            a.name,
            SOURCE_WORDS.get(a.source or 0),
            AVATAR_STATES.get(a.status or 0),
            a.record_id,
            a.url,
        ),
        ident=lambda a: a.avatar_id,
        kind=ids.AVATAR,
        styles=lambda a: ("", "", "", AVATAR_STYLES.get(a.status or 0, ""), "", ""),
    )


@dataclass
class AvatarListOptions:
    source: Optional[str] = None
    page: int = 1
    size: int = 100
    all_pages: bool = False
    as_json: bool = False
    quiet: bool = False
    concurrency: int = DEFAULT_CONCURRENCY


def run_list(opts: AvatarListOptions, app_ctx: "AppContext") -> int:
    from akool_cli.api.resources.avatars import AVATAR_SOURCES
    from akool_cli.cli.listing import print_pages, summarize
    from akool_cli.cli.shared import check_output_flags, choice, remember_choices

    check_output_flags(opts.as_json, opts.quiet)
    source = choice(opts.source, AVATAR_SOURCES, "--from")
    avatars = app_ctx.client().avatars
    if opts.all_pages:
        walk = avatars.iter_pages(
            source=source, size=opts.size, start_page=opts.page, concurrency=opts.concurrency
        )
    else:
        walk = iter([avatars.list(source=source, page=opts.page, size=opts.size)])
    seen = []

    def pages() -> Any:
        for page in walk:
            seen.extend(page.parsed)
            yield page.items, page.parsed, page.count

    shown, count = print_pages(
        app_ctx.io,
        pages(),
        avatar_listing(),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if not opts.as_json and not opts.quiet:
        summarize(app_ctx.io, "avatars", shown, count, page=opts.page, complete=opts.all_pages)
    if source is None and opts.page == 1 and shown >= count >= 0:  # the whole list: cache it
        entries = [(a.avatar_id, a.name or "") for a in seen if a.status in (None, 3)]
        remember_choices(app_ctx, "avatars", entries)
    return 0


@app.command("list")
def list_(
    ctx: typer.Context,
    source: Annotated[
        Optional[str],
        typer.Option("--from", metavar="official|mine", help="Akool's avatars, or your own."),
    ] = None,
    page: Annotated[
        int, typer.Option("--page", metavar="N", min=1, max=1_000_000, help="Page number, from 1.")
    ] = 1,
    size: Annotated[
        int, typer.Option("--size", metavar="N", min=1, max=1000, help="Avatars per page.")
    ] = 100,
    all_pages: Annotated[bool, typer.Option("--all", help="Walk every page.")] = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
) -> None:
    """List avatars: the id a session takes, name, whose, status, and a preview.

    Piped: one avatar per line, tab-separated. --json prints the API's items
    unchanged (with --all, one array of every item).

    [b]Examples[/b]

      $ akool avatar list
      $ akool avatar list --from mine --all -q
      $ akool avatar list --json | jq -r '.[] | select(.status == 3) | .avatar_id'
    """
    opts = AvatarListOptions(
        source=source,
        page=page,
        size=size,
        all_pages=all_pages,
        as_json=as_json,
        quiet=quiet,
        concurrency=concurrency,
    )
    invoke(ctx, run_list, opts)


def avatar_rows(avatar: Any) -> Any:
    return [
        ("avatar id", avatar.avatar_id),
        ("name", avatar.name),
        (
            "status",
            f"{AVATAR_STATES.get(avatar.status, 'unknown')} ({avatar.status})"
            if avatar.status is not None
            else None,
        ),
        ("from", SOURCE_WORDS.get(avatar.source or 0)),
        ("record id", avatar.record_id),
        ("url", avatar.url),
    ]


@dataclass
class AvatarDetailOptions:
    record_id: str
    as_json: bool = False


def run_detail(opts: AvatarDetailOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli import validate
    from akool_cli.cli.output import render_fields

    record_id = validate.session_id(opts.record_id)  # the same shape: a Mongo-style id
    found = app_ctx.client().avatars.detail(record_id)
    if opts.as_json:
        app_ctx.io.json([a.raw for a in found])
        return 0
    for index, avatar in enumerate(found):
        if index:
            app_ctx.io.out()
        render_fields(app_ctx.io, avatar_rows(avatar))
    return 0


@app.command("detail")
def detail(
    ctx: typer.Context,
    record_id: Annotated[
        str, typer.Argument(metavar="RECORD_ID", help="The avatar's record id (_id).")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Show an uploaded avatar: its status (3 is ready), id and URL.

    --json prints the API's data unchanged (an array of one avatar).

    [b]Examples[/b]

      $ akool avatar detail 66a1a02d591ad336275eda62
      $ akool avatar detail "$RECORD" --json | jq '.[0].status'
    """
    invoke(ctx, run_detail, AvatarDetailOptions(record_id=record_id, as_json=as_json))


@dataclass
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
    from akool_cli.cli import validate
    from akool_cli.cli.errors import UsageError
    from akool_cli.cli.output import render_fields
    from akool_cli.cli.shared import check_output_flags, choice

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
        from akool_cli import _ids
        from akool_cli.api.errors import ProtocolError

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
    avatars = app_ctx.client().avatars
    io = app_ctx.io
    if not io.stderr_tty:
        return avatars.wait_ready(record_id, timeout=timeout)
    with io.console(err=True).status(f"Waiting for avatar {record_id}…") as spinner:

        def on_status(avatar: Any, elapsed: float) -> None:
            state = AVATAR_STATES.get(avatar.status or 0, "unknown")
            spinner.update(f"Waiting for avatar {record_id}: {state} ({elapsed:.1f} s)")

        return avatars.wait_ready(record_id, timeout=timeout, on_status=on_status)


@app.command("create")
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
