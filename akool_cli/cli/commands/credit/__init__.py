"""``akool credit``: the account's credit balance."""

import typer

from akool_cli.cli.commands.credit import credit

app = typer.Typer(add_completion=False)
app.command("credit")(credit.credit)
