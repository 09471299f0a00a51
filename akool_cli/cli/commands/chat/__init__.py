"""``akool chat``: talk to an avatar over the session's websocket."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "chat": "akool_cli.cli.commands.chat.chat:chat",
    },
)
