"""``akool knowledge``: the knowledge bases a v4 session answers from (--knowledge-id)."""

from akool_cli.cli.core.lazy import group

app = group(
    "Knowledge bases a v4 session answers from (--knowledge-id).",
    {
        "list": "akool_cli.cli.commands.knowledge.list:list_",
        "show": "akool_cli.cli.commands.knowledge.show:show",
        "create": "akool_cli.cli.commands.knowledge.create:create",
        "update": "akool_cli.cli.commands.knowledge.update:update",
        "delete": "akool_cli.cli.commands.knowledge.delete:delete",
    },
    no_args_is_help=True,
)
