"""``akool session``: create, inspect, list, watch, open, pause and close sessions."""

from akool_cli.cli.commands.session import close, create, detail, open, pause, watch
from akool_cli.cli.commands.session import list as list_
from akool_cli.cli.core.lazy import group

app = group(
    "Create, inspect, list, pause and close live avatar sessions.",
    {
        "create": create.create,
        "detail": detail.detail,
        "close": close.close,
        "pause": pause.pause,
        "list": list_.list_,
        "watch": watch.watch,
        "open": open.open_,
    },
    no_args_is_help=True,
)
