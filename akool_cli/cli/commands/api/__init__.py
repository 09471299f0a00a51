"""``akool api``: call any endpoint of the API."""

import typer

from akool_cli.cli.commands.api import api

app = typer.Typer(add_completion=False)
app.command("api")(api.api)
