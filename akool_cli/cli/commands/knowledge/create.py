"""``akool knowledge create``: a new knowledge base (v4)."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt, QuietOpt

if TYPE_CHECKING:
    from akool_cli.cli.commands.knowledge._fields import KnowledgeFields
    from akool_cli.cli.core.context import AppContext

NameOpt = Annotated[
    Optional[str],
    typer.Option("--name", metavar="TEXT", help="Its name: one line, up to 100 UTF-16 code units."),
]
PrologueOpt = Annotated[
    Optional[str],
    typer.Option(
        "--prologue",
        metavar="TEXT",
        help="What the avatar may open with, up to 2000 UTF-16 code units ('' clears it).",
    ),
]
PromptOpt = Annotated[
    Optional[str],
    typer.Option("--prompt", metavar="TEXT", help="Instructions, up to 10000 UTF-16 code units."),
]
PromptFileOpt = Annotated[
    Optional[str],
    typer.Option(
        "--prompt-file",
        metavar="FILE|-",
        help="The instructions, from a file or - for stdin (one trailing newline is "
        "not part of them).",
    ),
]
DocOpt = Annotated[
    Optional[List[str]],
    typer.Option(
        "--doc",
        metavar="URL",
        help="A document by its URL, ending in its file name (.pdf .doc .docx .txt .md "
        ".json .xml .csv); repeated for more.",
    ),
]
UrlOpt = Annotated[
    Optional[List[str]],
    typer.Option("--url", metavar="URL", help="A web page to draw on; repeated for more."),
]


def fields_of(
    name: Optional[str],
    prologue: Optional[str],
    prompt: Optional[str],
    prompt_file: Optional[str],
    docs: Optional[List[str]],
    urls: Optional[List[str]],
) -> "KnowledgeFields":
    from akool_cli.cli.commands.knowledge._fields import KnowledgeFields

    return KnowledgeFields(
        name=name,
        prologue=prologue,
        prompt=prompt,
        prompt_file=prompt_file,
        docs=tuple(docs or ()),
        urls=tuple(urls or ()),
    )


def _no_fields() -> "KnowledgeFields":
    return fields_of(None, None, None, None, None, None)


@dataclass(frozen=True)
class WriteOptions:
    """``create`` (no id) or ``update`` (the id)."""

    fields: "KnowledgeFields" = field(default_factory=_no_fields)
    knowledge_id: Optional[str] = None
    as_json: bool = False
    quiet: bool = False


def run_write(opts: WriteOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.knowledge._fields import (
        body,
        knowledge_id,
        require_v4,
        show_knowledge,
    )
    from akool_cli.cli.core.validate import check_output_flags

    check_output_flags(opts.as_json, opts.quiet)
    found_id = knowledge_id(opts.knowledge_id) if opts.knowledge_id is not None else None
    sent = body(opts.fields, creating=found_id is None, stdin=app_ctx.io.stdin)
    require_v4(app_ctx)
    knowledge = app_ctx.client().knowledge
    if found_id is None:
        item = knowledge.create(sent)
    else:
        item = knowledge.update(found_id, sent)
    if opts.as_json:
        app_ctx.io.json(item.raw)
    elif opts.quiet:
        from akool_cli._ids import is_word
        from akool_cli.api.errors import ProtocolError

        if item.id is None or not is_word(item.id):  # never print as an id what could reach a shell
            raise ProtocolError("the service answered without a usable knowledge base id")
        app_ctx.io.out(item.id)
    else:
        show_knowledge(app_ctx, item)
    return 0


def create(
    ctx: typer.Context,
    name: NameOpt = None,
    prologue: PrologueOpt = None,
    prompt: PromptOpt = None,
    prompt_file: PromptFileOpt = None,
    doc: DocOpt = None,
    url: UrlOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Create a knowledge base (v4); -q prints its id.

    Lengths are checked before anything is sent, counted as the service counts
    them (UTF-16 code units: most emoji count 2): --name up to 100, --prologue
    2000, --prompt (or --prompt-file) 10000. A name is one line; control
    characters are refused. A name already taken exits 6.

    [b]Examples[/b]

      $ akool knowledge create --name Support --prompt "Answer from the manual."
      $ KB=$(akool knowledge create --name FAQ --doc https://example.com/faq.pdf -q)
      $ akool session create --knowledge-id "$KB"
    """
    opts = WriteOptions(
        fields=fields_of(name, prologue, prompt, prompt_file, doc, url),
        as_json=as_json,
        quiet=quiet,
    )
    invoke(ctx, run_write, opts)
