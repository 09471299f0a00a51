"""``akool avatar``: the avatars a session can stream — Akool's, and your own uploads."""

from akool_cli.cli.commands.avatar import create, detail
from akool_cli.cli.commands.avatar import list as list_
from akool_cli.cli.core.lazy import group

app = group(
    "The avatars a session can stream: list, inspect, upload your own.",
    {
        "list": list_.list_,
        "detail": detail.detail,
        "create": create.create,
    },
    no_args_is_help=True,
)
