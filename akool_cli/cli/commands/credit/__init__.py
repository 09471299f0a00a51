"""``akool credit``: the account's credit balance."""

import typer

from akool_cli.cli.commands.credit import credit
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
app.command("credit")(credit.credit)
