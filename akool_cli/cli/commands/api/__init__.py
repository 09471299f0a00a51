"""``akool api``: call any endpoint of the API."""

from akool_cli.cli.commands.api import api
from akool_cli.cli.core.lazy import group

app = group(
    None,
    {
        "api": api.api,
    },
)
