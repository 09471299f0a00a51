"""``akool knowledge update ID``: change a knowledge base's fields (v4)."""

import typer

from akool_cli.cli.commands.knowledge.create import (
    DocOpt,
    NameOpt,
    PrologueOpt,
    PromptFileOpt,
    PromptOpt,
    UrlOpt,
    WriteOptions,
    fields_of,
    run_write,
)
from akool_cli.cli.commands.knowledge.show import KnowledgeIdArg
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt, QuietOpt


def update(
    ctx: typer.Context,
    knowledge_id: KnowledgeIdArg,
    name: NameOpt = None,
    prologue: PrologueOpt = None,
    prompt: PromptOpt = None,
    prompt_file: PromptFileOpt = None,
    doc: DocOpt = None,
    url: UrlOpt = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Change a knowledge base: the fields given replace the old ones.

    --doc and --url replace the lists; --prologue '' clears the prologue.
    Lengths and control characters are checked as create checks them.

    An id the API does not know exits 4; a name another one has exits 6.

    [b]Examples[/b]

      $ akool knowledge update "$KB" --prologue "Hi! Ask me about the manual."
      $ akool knowledge update "$KB" --prologue ''
    """
    opts = WriteOptions(
        fields=fields_of(name, prologue, prompt, prompt_file, doc, url),
        knowledge_id=knowledge_id,
        as_json=as_json,
        quiet=quiet,
    )
    invoke(ctx, run_write, opts)
