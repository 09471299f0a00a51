"""``akool knowledge list``: the knowledge bases, page by page (v4)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Optional

import typer

from akool_cli import _ids as ids
from akool_cli.cli.core.completers import remember_choices
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import AllPagesOpt, JsonOpt, PageOpt, QuietOpt
from akool_cli.cli.core.validate import check_output_flags

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

MAX_PAGES = 10_000  # --all stops here: a server that ignores ``page`` must not loop forever


@dataclass(frozen=True)
class KnowledgeListOptions:
    name: Optional[str] = None
    page: int = 1
    size: int = 100
    all_pages: bool = False
    as_json: bool = False
    quiet: bool = False


def knowledge_listing() -> Any:
    from akool_cli.cli.ui.listing import Listing
    from akool_cli.cli.ui.table import Column
    from akool_cli.cli.ui.text import iso_utc

    return Listing(
        columns=(
            Column("ID", min_width=24),
            Column("NAME", min_width=10),
            Column("DOCS"),
            Column("URLS"),
            Column("UPDATED", drop=1),
        ),
        row=lambda k: (
            k.id,
            k.name,
            str(len(k.docs)),
            str(len(k.urls)),
            iso_utc(k.updated_at) if k.updated_at else None,
        ),
        ident=lambda k: k.id,
        kind=ids.KNOWLEDGE,
    )


def run_list(opts: KnowledgeListOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.knowledge._fields import require_v4
    from akool_cli.cli.ui.listing import print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    require_v4(app_ctx)
    if opts.name is not None and not ids.is_text(opts.name):
        raise typer.BadParameter("--name is not UTF-8 text")
    knowledge = app_ctx.client().knowledge
    seen = []

    def pages() -> Iterator[Any]:
        # The list answers no count: a page shorter than asked for is the last.
        number = opts.page
        while True:
            found = knowledge.list(page=number, size=opts.size, name=opts.name)
            seen.extend(found)
            last = not opts.all_pages or len(found) < opts.size or number >= MAX_PAGES
            total = len(seen) if last else len(seen) + 1
            yield [k.raw for k in found], found, total
            if last:
                return
            number += 1

    shown, count = print_pages(
        app_ctx.io,
        pages(),
        knowledge_listing(),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if not opts.as_json and not opts.quiet:
        summarize(app_ctx.io, "knowledge bases", shown, count)
    if opts.name is None and opts.page == 1:
        remember_choices(app_ctx, "knowledge", [(k.id, k.name or "") for k in seen])
    return 0


def list_(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],
        typer.Option("--name", metavar="TEXT", help="Only those whose name contains TEXT."),
    ] = None,
    page: PageOpt = 1,
    size: Annotated[
        int, typer.Option("--size", metavar="N", min=1, max=100, help="Knowledge bases per page.")
    ] = 100,
    all_pages: AllPagesOpt = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """List the knowledge bases (v4): id, name, how many documents and URLs.

    Piped: one per line, tab-separated. --json prints the API's items unchanged.

    [b]Examples[/b]

      $ akool knowledge list
      $ akool knowledge list --name support -q
      $ akool session create --knowledge-id "$(akool knowledge list -q | head -n 1)"
    """
    opts = KnowledgeListOptions(
        name=name, page=page, size=size, all_pages=all_pages, as_json=as_json, quiet=quiet
    )
    invoke(ctx, run_list, opts)
