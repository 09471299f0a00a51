"""``akool chat``: talk to an avatar in the session's room (v4: LiveKit; v3: a websocket)."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "chat": "akool_cli.cli.commands.chat.chat:chat",
    },
)
