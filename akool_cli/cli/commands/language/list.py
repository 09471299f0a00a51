"""``akool language list``: the language codes a chat can use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from akool_cli import _ids as ids
from akool_cli.cli.core.completers import remember_choices
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt, QuietOpt
from akool_cli.cli.core.validate import check_output_flags

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class LanguageListOptions:
    as_json: bool = False
    quiet: bool = False


def language_listing() -> Any:
    from akool_cli.cli.ui.listing import Listing
    from akool_cli.cli.ui.table import Column

    return Listing(
        columns=(
            Column("CODE", min_width=6),
            Column("NAME", min_width=20),
            Column("ICON", elastic=True),
        ),
        row=lambda lang: (lang.code, lang.name, lang.icon),
        ident=lambda lang: lang.code,
        kind=ids.LANGUAGE,
    )


def run_list(opts: LanguageListOptions, app_ctx: AppContext) -> int:
    from akool_cli.cli.ui.listing import one_page, print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    languages = app_ctx.client().languages.list()
    pages = one_page(languages, lambda lang: lang.raw)
    shown, count = print_pages(
        app_ctx.io,
        pages,
        language_listing(),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if not opts.as_json and not opts.quiet:
        summarize(app_ctx.io, "languages", shown, count)
    remember_choices(app_ctx, "languages", [(lang.code, lang.name or "") for lang in languages])
    return 0


def list_(ctx: typer.Context, as_json: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """List the languages: code (what --language takes) and name.

    Piped: one language per line, tab-separated. --json prints the API's data
    unchanged.

    [b]Examples[/b]

      $ akool language list
      $ akool language list -q
    """
    invoke(ctx, run_list, LanguageListOptions(as_json=as_json, quiet=quiet))
