"""``akool voice list``: the voices a chat can speak with."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from akool_cli import _ids as ids
from akool_cli.cli.core.completers import remember_choices
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt, QuietOpt
from akool_cli.cli.core.validate import check_output_flags, choice

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

SourceOpt = Annotated[
    Optional[str],
    typer.Option("--from", metavar="official|mine", help="Akool's voices, or your own."),
]


@dataclass(frozen=True)
class VoiceListOptions:
    source: Optional[str] = None
    as_json: bool = False
    quiet: bool = False


def voice_listing() -> Any:
    from akool_cli.cli.ui.listing import Listing
    from akool_cli.cli.ui.table import Column

    return Listing(
        columns=(
            Column("VOICE ID", min_width=20),
            Column("NAME", min_width=10),
            Column("GENDER"),
            Column("ACCENT"),
            Column("USE"),
            Column("PREVIEW", elastic=True),
        ),
        row=lambda v: (v.voice_id, v.name, v.gender, v.accent, v.description, v.preview),
        ident=lambda v: v.voice_id,
        kind=ids.VOICE,
    )


def run_list(opts: VoiceListOptions, app_ctx: "AppContext") -> int:
    from akool_cli.api.resources.voices import VOICE_SOURCES
    from akool_cli.cli.ui.listing import one_page, print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    source = choice(opts.source, VOICE_SOURCES, "--from")
    voices = app_ctx.client().voices.list(source=source)
    pages = one_page(voices, lambda v: v.raw)
    shown, count = print_pages(
        app_ctx.io,
        pages,
        voice_listing(),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if not opts.as_json and not opts.quiet:
        summarize(app_ctx.io, "voices", shown, count)
    if source is None:
        entries = [(v.voice_id, f"{v.name or ''} {v.accent or ''}".strip()) for v in voices]
        remember_choices(app_ctx, "voices", entries)
    return 0


def list_(
    ctx: typer.Context, source: SourceOpt = None, as_json: JsonOpt = False, quiet: QuietOpt = False
) -> None:
    """List the voices: id, name, gender, accent and a preview to listen to.

    Piped: one voice per line, tab-separated. --json prints the API's data unchanged.

    [b]Examples[/b]

      $ akool voice list
      $ akool voice list --from mine -q
      $ akool chat "$ID" --voice-id "$(akool voice list -q | head -n 1)"
    """
    invoke(ctx, run_list, VoiceListOptions(source=source, as_json=as_json, quiet=quiet))
