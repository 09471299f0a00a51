"""``akool logs``: the chat log — every question `chat` and `say` sent, with its answer."""

import typer

from akool_cli.cli.commands.logs import list as list_
from akool_cli.cli.commands.logs import recording
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, invoke_without_command=True, rich_markup_mode=MARKUP)
app.command("list")(list_.list_)
app.callback()(list_.logs)
app.command("path")(recording.path)
app.command("status")(recording.status)
app.command("off")(recording.off)
app.command("on")(recording.on)
