"""``akool avatar list``: the avatars a session can stream, page by page."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, List, Optional

import typer

from akool_cli import _ids as ids
from akool_cli.cli.core.completers import remember_choices, usable_avatar
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_CONCURRENCY,
    AllPagesOpt,
    ConcurrencyOpt,
    JsonOpt,
    PageOpt,
    QuietOpt,
)
from akool_cli.cli.core.validate import check_output_flags, choice

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


def avatar_listing(api_version: str = "v3") -> Any:
    """v3: avatar id, name, whose, status, record id, preview; v4: avatar id, name, whose,
    available, voice id, gender, preview."""
    from akool_cli.cli.commands.avatar._rows import AVATAR_STATES, AVATAR_STYLES, SOURCE_WORDS
    from akool_cli.cli.ui.listing import Listing
    from akool_cli.cli.ui.table import Column

    if api_version == "v4":
        return Listing(
            columns=(
                Column("AVATAR ID", min_width=18),
                Column("NAME", min_width=8),
                Column("FROM"),
                Column("AVAILABLE"),
                Column("VOICE ID", drop=2),
                Column("GENDER", drop=1),
                Column("PREVIEW", elastic=True, drop=3),
            ),
            row=lambda a: (
                a.avatar_id,
                a.name,
                SOURCE_WORDS.get(a.source or 0),
                {True: "yes", False: "no"}.get(a.available),
                a.voice_id,
                a.gender,
                a.url,
            ),
            ident=lambda a: a.avatar_id,
            kind=ids.AVATAR,
            styles=lambda a: (
                ("", "", "", {True: "green", False: "yellow"}.get(a.available, "")) + ("",) * 3
            ),
        )
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


@dataclass(frozen=True)
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
    from akool_cli.cli.ui.listing import print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    source = choice(opts.source, AVATAR_SOURCES, "--from")
    avatars = app_ctx.client().avatars
    v4 = avatars.version == "v4"
    if opts.all_pages:
        walk = avatars.iter_pages(
            source=source, size=opts.size, start_page=opts.page, concurrency=opts.concurrency
        )
    else:
        walk = iter([avatars.list(source=source, page=opts.page, size=opts.size)])
    seen: List[Any] = []

    def pages() -> Any:
        for page in walk:
            pairs = list(zip(page.items, page.parsed))
            if v4 and source is not None:  # v4's list takes no `from`: filtered here
                mine = source == AVATAR_SOURCES["mine"]
                pairs = [(i, a) for i, a in pairs if (a.source in (3, 4)) == mine]
            seen.extend(a for _, a in pairs)
            yield [i for i, _ in pairs], [a for _, a in pairs], page.count

    shown, count = print_pages(
        app_ctx.io,
        pages(),
        avatar_listing(avatars.version),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if not opts.as_json and not opts.quiet:
        summarize(app_ctx.io, "avatars", shown, count, page=opts.page, complete=opts.all_pages)
    if source is None and opts.page == 1 and shown >= count >= 0:  # the whole list: cache it
        entries = [(a.avatar_id, a.name or "") for a in seen if usable_avatar(a)]
        remember_choices(app_ctx, "avatars", entries)
    return 0


def list_(
    ctx: typer.Context,
    source: Annotated[
        Optional[str],
        typer.Option("--from", metavar="official|mine", help="Akool's avatars, or your own."),
    ] = None,
    page: PageOpt = 1,
    size: Annotated[
        int, typer.Option("--size", metavar="N", min=1, max=1000, help="Avatars per page.")
    ] = 100,
    all_pages: AllPagesOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    concurrency: ConcurrencyOpt = DEFAULT_CONCURRENCY,
) -> None:
    """List avatars: the id a session takes, name, whose, status, and a preview.

    Under v4 (the default) the v4 list: avatar id, name, whose, available, its
    voice id, gender and a preview (--from filters each page here: v4's list
    takes no source). Piped: one avatar per line, tab-separated. --json prints the API's items
    unchanged (with --all, one array of every item).

    [b]Examples[/b]

      $ akool avatar list
      $ akool avatar list --from mine --all -q
      $ akool avatar list --json | jq -r '.[] | select(.available) | .avatar_id'
      $ akool --api-version v3 avatar list --json | jq -r '.[] | select(.status == 3) | .avatar_id'
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
