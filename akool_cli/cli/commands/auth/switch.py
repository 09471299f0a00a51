"""``akool auth switch PROFILE``: the profile every command uses from now on."""

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from akool_cli.cli.core import validate
from akool_cli.cli.core.completers import complete_profile
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class SwitchOptions:
    profile: str
    as_json: bool = False


def run_switch(opts: SwitchOptions, app_ctx: "AppContext") -> int:
    name = validate.profile_name(opts.profile)
    store = app_ctx.store()
    known = store.profile_names()
    if name not in known:
        raise UsageError(
            f"no profile {name!r}",
            hint=f"log in to it first: akool --profile {shlex.quote(name)} auth login"
            + (f" (known: {', '.join(known)})" if known else ""),
        )
    store.set_current_profile(name)
    if opts.as_json:
        app_ctx.io.json({"profile": name})
    else:
        app_ctx.io.info(f"Profile {name!r} is now the one in use (--profile still overrides it).")
    return 0


def switch(
    ctx: typer.Context,
    name: Annotated[  # not "profile": that is the global option's parameter
        str,
        typer.Argument(
            metavar="PROFILE",
            help="The profile to use from now on.",
            autocompletion=complete_profile,
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Make a profile the one every command uses (unless --profile or AKOOL_PROFILE).

    [b]Examples[/b]

      $ akool auth switch staging
      $ akool auth switch default
    """
    invoke(ctx, run_switch, SwitchOptions(profile=name, as_json=as_json))
