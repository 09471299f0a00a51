"""``akool config``: per-profile settings and defaults."""

from akool_cli.cli.core.lazy import group

app = group(
    "Per-profile settings: defaults for avatar, voice, language, mode, URL, timeout.",
    {
        "list": "akool_cli.cli.commands.config.config:list_",
        "get": "akool_cli.cli.commands.config.config:get",
        "set": "akool_cli.cli.commands.config.config:set_",
        "unset": "akool_cli.cli.commands.config.config:unset",
    },
    no_args_is_help=True,
)
