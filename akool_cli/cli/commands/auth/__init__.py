"""``akool auth``: log in, show status, switch profiles, print the token, log out."""

from akool_cli.cli.core.lazy import group

app = group(
    "Log in to the API and manage the stored credential.",
    {
        "login": "akool_cli.cli.commands.auth.login:login",
        "status": "akool_cli.cli.commands.auth.status:status",
        "switch": "akool_cli.cli.commands.auth.switch:switch",
        "token": "akool_cli.cli.commands.auth.token:token",
        "logout": "akool_cli.cli.commands.auth.logout:logout",
    },
    no_args_is_help=True,
)
