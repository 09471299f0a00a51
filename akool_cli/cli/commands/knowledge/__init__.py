"""``akool knowledge``: the knowledge bases a v4 session answers from (--knowledge-id)."""

from akool_cli.cli.commands.knowledge import create, delete, show, update
from akool_cli.cli.commands.knowledge import list as list_
from akool_cli.cli.core.lazy import group

app = group(
    "Knowledge bases a v4 session answers from (--knowledge-id).",
    {
        "list": list_.list_,
        "show": show.show,
        "create": create.create,
        "update": update.update,
        "delete": delete.delete,
    },
    no_args_is_help=True,
)
