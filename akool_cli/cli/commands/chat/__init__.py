"""``akool chat``: talk to an avatar over the session's websocket."""

import typer

from akool_cli.cli.commands.chat import chat

app = typer.Typer(add_completion=False)
app.command("chat")(chat.chat)
