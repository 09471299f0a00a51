"""``akool voice list``: the voices a chat can speak with."""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any, Iterator, List, Optional

import typer

from akool_cli import _ids as ids
from akool_cli.cli.core.completers import remember_choices
from akool_cli.cli.core.errors import UsageError
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
    kind: Optional[str] = None  # v4: cloned | akool
    streaming: Optional[bool] = None  # v4: only the voices that can stream (the default)
    any_voice: bool = False  # v4: --any, every voice
    all_pages: bool = False  # v4
    page: int = 1  # v4
    size: int = 100  # v4


def voice_listing(api_version: str = "v3") -> Any:
    """The voices as rows. v4's voices have no USE (v3's description): a terminal leaves
    the column out; piped lines keep the field (``-``), the same fields in both."""
    from akool_cli.cli.ui.listing import Listing
    from akool_cli.cli.ui.table import Column

    return Listing(
        columns=(
            Column("VOICE ID", min_width=20),
            Column("NAME", min_width=10),
            Column("GENDER"),
            Column("ACCENT"),
            Column("USE", where="pipe" if api_version == "v4" else "both"),
            Column("PREVIEW", elastic=True),
        ),
        row=lambda v: (v.voice_id, v.name, v.gender, v.accent, v.description, v.preview),
        ident=lambda v: v.voice_id,
        kind=ids.VOICE,
    )


def v4_pages(opts: VoiceListOptions, app_ctx: "AppContext", seen: List[Any]) -> Iterator[Any]:
    """v4's pages: --type, --streaming (the default: only those can be used live)."""
    from akool_cli.api.resources.voices import V4_TYPES

    if opts.source is not None:
        raise UsageError("v4 voices take --type cloned|akool, not --from")
    kind = choice(opts.kind or "akool", V4_TYPES, "--type")
    assert kind is not None
    voices = app_ctx.client().voices
    number = opts.page
    streaming = opts.streaming is not False
    while True:
        page = voices.page(kind=kind, streaming=streaming, page=number, size=opts.size)
        seen.extend(page.parsed)
        yield page.items, page.parsed, page.count
        if not opts.all_pages or not page.items or number * opts.size >= page.count:
            return
        number += 1


def run_list(opts: VoiceListOptions, app_ctx: "AppContext") -> int:
    from akool_cli.api.resources.voices import VOICE_SOURCES
    from akool_cli.cli.ui.listing import one_page, print_pages, summarize

    check_output_flags(opts.as_json, opts.quiet)
    if opts.streaming and opts.any_voice:
        raise UsageError("give --streaming or --any, not both")
    if opts.any_voice:
        opts = replace(opts, streaming=False, any_voice=False)
    v4 = app_ctx.api_version() == "v4"
    voices: List[Any] = []
    if v4:
        pages: Any = v4_pages(opts, app_ctx, voices)
        source = None
    else:
        if opts.kind is not None or opts.streaming is not None or opts.all_pages:
            raise UsageError(
                "--type, --streaming, --any and --all are v4's", hint="use --api-version v4"
            )
        source = choice(opts.source, VOICE_SOURCES, "--from")
        voices = app_ctx.client().voices.list(source=source)
        pages = one_page(voices, lambda v: v.raw)
    shown, count = print_pages(
        app_ctx.io,
        pages,
        voice_listing(app_ctx.api_version()),
        as_json=opts.as_json,
        quiet=opts.quiet,
        pager=app_ctx.pager(),
        note=app_ctx.note,
    )
    if not opts.as_json and not opts.quiet:
        summarize(
            app_ctx.io, "voices", shown, count, page=opts.page, complete=not v4 or opts.all_pages
        )
    if source is None and (not v4 or (opts.kind in (None, "akool") and opts.page == 1)):
        entries = [(v.voice_id, f"{v.name or ''} {v.accent or ''}".strip()) for v in voices]
        remember_choices(app_ctx, "voices", entries)
    return 0


def list_(
    ctx: typer.Context,
    source: SourceOpt = None,
    kind: Annotated[
        Optional[str],
        typer.Option("--type", metavar="cloned|akool", help="v4: your cloned voices, or Akool's."),
    ] = None,
    streaming: Annotated[
        bool,
        typer.Option(
            "--streaming",
            help="v4: only the voices that can stream, the ones a live session can use "
            "(the default).",
        ),
    ] = False,
    any_voice: Annotated[
        bool, typer.Option("--any", help="v4: every voice, streaming or not.")
    ] = False,
    page: Annotated[
        int, typer.Option("--page", metavar="N", min=1, max=1_000_000, help="v4: page, from 1.")
    ] = 1,
    size: Annotated[
        int, typer.Option("--size", metavar="N", min=1, max=100, help="v4: voices per page.")
    ] = 100,
    all_pages: Annotated[bool, typer.Option("--all", help="v4: walk every page.")] = False,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """List the voices: id, name, gender, accent and a preview to listen to.

    v4 (the default): Akool's voices or your cloned ones (--type), only those
    that can stream unless --any, page by page (--all for every page). v3:
    --from official|mine. Piped: one voice per line, tab-separated. --json
    prints the API's data unchanged.

    [b]Examples[/b]

      $ akool voice list
      $ akool voice list --type cloned --any --all -q
      $ akool session create --voice-id "$(akool voice list -q | head -n 1)"
    """
    opts = VoiceListOptions(
        source=source,
        as_json=as_json,
        quiet=quiet,
        kind=kind,
        streaming=True if streaming else None,
        any_voice=any_voice,
        all_pages=all_pages,
        page=page,
        size=size,
    )
    invoke(ctx, run_list, opts)
