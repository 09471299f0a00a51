"""``akool auth``: log in, show status, switch profiles, print the token, log out."""

from akool_cli.cli.commands.auth import login, logout, status, switch, token
from akool_cli.cli.core.lazy import group

app = group(
    "Log in to the API and manage the stored credential.",
    {
        "login": login.login,
        "status": status.status,
        "switch": switch.switch,
        "token": token.token,
        "logout": logout.logout,
    },
    no_args_is_help=True,
)
