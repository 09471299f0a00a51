"""``akool config``: per-profile settings and defaults."""

from akool_cli.cli.commands.config import config
from akool_cli.cli.core.lazy import group

app = group(
    "Per-profile settings: defaults for avatar, voice, language, mode, URL, timeout.",
    {
        "list": config.list_,
        "get": config.get,
        "set": config.set_,
        "unset": config.unset,
    },
    no_args_is_help=True,
)
