"""``akool knowledge show ID``: one knowledge base, every field (v4)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

KnowledgeIdArg = Annotated[str, typer.Argument(metavar="ID", help="The knowledge base's id.")]


@dataclass(frozen=True)
class ShowOptions:
    knowledge_id: str
    as_json: bool = False


def run_show(opts: ShowOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.knowledge._fields import knowledge_id, require_v4, show_knowledge

    found_id = knowledge_id(opts.knowledge_id)
    require_v4(app_ctx)
    item = app_ctx.client().knowledge.detail(found_id)
    if opts.as_json:
        app_ctx.io.json(item.raw)
    else:
        show_knowledge(app_ctx, item)
    return 0


def show(ctx: typer.Context, knowledge_id: KnowledgeIdArg, as_json: JsonOpt = False) -> None:
    """Show a knowledge base: name, prologue, prompt, documents and URLs.

    An id the API does not know exits 4.

    [b]Examples[/b]

      $ akool knowledge show 64f8a1b2c3d4e5f6a7b8c9d0
      $ akool knowledge show "$KB" --json | jq -r .prompt
    """
    invoke(ctx, run_show, ShowOptions(knowledge_id=knowledge_id, as_json=as_json))
