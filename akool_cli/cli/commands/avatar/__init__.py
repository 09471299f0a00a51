"""``akool avatar``: the avatars a session can stream — Akool's, and your own uploads."""

from akool_cli.cli.core.lazy import group

app = group(
    "The avatars a session can stream: list, inspect, upload your own.",
    {
        "list": "akool_cli.cli.commands.avatar.list:list_",
        "detail": "akool_cli.cli.commands.avatar.detail:detail",
        "create": "akool_cli.cli.commands.avatar.create:create",
    },
    no_args_is_help=True,
)
