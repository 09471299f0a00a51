"""``akool say``: make the avatar say a text as it is (retelling mode)."""

import typer

from akool_cli.cli.commands.say import say

app = typer.Typer(add_completion=False)
app.command("say")(say.say)
