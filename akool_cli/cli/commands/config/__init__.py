"""``akool config``: per-profile settings and defaults."""

import typer

from akool_cli.cli.commands.config import config
from akool_cli.cli.core.options import MARKUP

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=MARKUP,
    help="Per-profile settings: defaults for avatar, voice, language, mode, URL, timeout.",
    no_args_is_help=True,
)
app.command("list")(config.list_)
app.command("get")(config.get)
app.command("set")(config.set_)
app.command("unset")(config.unset)
