"""``akool auth``: log in, show status, switch profiles, print the token, log out."""

import typer

from akool_cli.cli.commands.auth import login, logout, status, switch, token
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=MARKUP,
    help="Log in to the API and manage the stored credential.",
    no_args_is_help=True,
)
app.command("login")(login.login)
app.command("status")(status.status)
app.command("switch")(switch.switch)
app.command("token")(token.token)
app.command("logout")(logout.logout)
