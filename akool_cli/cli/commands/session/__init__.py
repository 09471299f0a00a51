"""``akool session``: create, inspect, list, watch, open, pause and close sessions."""

from akool_cli.cli.core.lazy import group

app = group(
    "Create, inspect, list, pause and close live avatar sessions.",
    {
        "create": "akool_cli.cli.commands.session.create:create",
        "detail": "akool_cli.cli.commands.session.detail:detail",
        "close": "akool_cli.cli.commands.session.close:close",
        "pause": "akool_cli.cli.commands.session.pause:pause",
        "list": "akool_cli.cli.commands.session.list:list_",
        "watch": "akool_cli.cli.commands.session.watch:watch",
        "open": "akool_cli.cli.commands.session.open:open_",
    },
    no_args_is_help=True,
)
