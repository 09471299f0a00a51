"""``akool api``: call any endpoint of the API."""

from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "api": "akool_cli.cli.commands.api.api:api",
    },
)
