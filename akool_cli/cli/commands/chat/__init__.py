"""``akool chat``: talk to an avatar over the session's websocket."""

import typer

from akool_cli.cli.commands.chat import chat
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("chat")(chat.chat)
