"""``akool knowledge delete ID``: remove a knowledge base (v4)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from akool_cli.cli.commands.knowledge.show import KnowledgeIdArg
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt, QuietOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class DeleteOptions:
    knowledge_id: str
    as_json: bool = False
    quiet: bool = False


def run_delete(opts: DeleteOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.knowledge._fields import knowledge_id, require_v4
    from akool_cli.cli.core.validate import check_output_flags

    check_output_flags(opts.as_json, opts.quiet)
    found_id = knowledge_id(opts.knowledge_id)
    require_v4(app_ctx)
    app_ctx.client().knowledge.delete(found_id)
    if opts.as_json:
        app_ctx.io.json({"_id": found_id, "deleted": True})
    elif opts.quiet:
        app_ctx.io.out(found_id)
    else:
        app_ctx.io.info(f"Deleted knowledge base {found_id}.")
    return 0


def delete(
    ctx: typer.Context,
    knowledge_id: KnowledgeIdArg,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Delete a knowledge base. An id the API does not know exits 4.

    [b]Examples[/b]

      $ akool knowledge delete "$KB"
    """
    invoke(ctx, run_delete, DeleteOptions(knowledge_id=knowledge_id, as_json=as_json, quiet=quiet))
