"""``akool api``: call any endpoint of the API."""

import typer

from akool_cli.cli.commands.api import api
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("api")(api.api)
