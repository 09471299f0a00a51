"""``akool config``: per-profile settings — the avatar, voice, language and mode commands
use when their option is left out, the base URL and the timeout."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Optional, Tuple

import typer

from akool_cli.api import redact_url
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import JsonOpt

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


def _complete_key(incomplete: str) -> list:
    from akool_cli.cli.core.settings import SETTINGS

    return [key for key in SETTINGS if key.startswith(incomplete)]


KeyArg = Annotated[
    str, typer.Argument(metavar="KEY", help="A setting's name.", autocompletion=_complete_key)
]


@dataclass(frozen=True)
class ConfigOptions:
    action: str  # get | set | unset | list
    key: Optional[str] = None
    value: Optional[str] = None
    as_json: bool = False


def _shown(key: str, value: Any) -> Any:
    """A value as it may be shown: a password in a URL never is."""
    if key == "base_url" and isinstance(value, str):
        return redact_url(value)
    return value


def _setting(app_ctx: "AppContext", key: str) -> Tuple[Any, str]:
    """(value to show, source); a stored value that cannot be used is shown as such."""

    try:
        value, source = app_ctx.setting(key)
    except UsageError:
        stored = app_ctx.store().profile(app_ctx.profile).get(key)
        return f"{_shown(key, str(stored))} (not valid)", "profile"
    return _shown(key, value), source


def _warn_unknown_avatar(app_ctx: "AppContext", avatar_id: str) -> None:
    """A warning (the value is kept: the list may be stale) for an avatar id that neither
    the built-ins nor the cached avatar list know."""
    from akool_cli.cli.core.avatar_hints import (
        builtin_version,
        cached_avatars,
        known_avatars,
        look_alikes,
    )

    known = known_avatars(app_ctx)
    if avatar_id in known:
        return
    version = builtin_version(avatar_id)
    if version is not None and version != app_ctx.api_version():
        app_ctx.io.warn(
            f"{avatar_id} is a {version} avatar and the API version in use is "
            f"{app_ctx.api_version()}: akool config set api_version {version}"
        )
        return
    alike = look_alikes(avatar_id, known)
    if not cached_avatars(app_ctx):
        where = "is not a built-in avatar, and no avatar list is cached to check it"
    else:
        where = "is not in the cached avatar list"
    advice = f"did you mean {' or '.join(alike)}? " if alike else ""
    app_ctx.io.warn(f"{avatar_id!r} {where}; {advice}akool avatar list shows (and caches) them")


def run_config(opts: ConfigOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.core.settings import SETTINGS, setting
    from akool_cli.cli.ui.table import Column, Table

    io = app_ctx.io
    if opts.action == "list":
        rows = [(key, *_setting(app_ctx, key)) for key in SETTINGS]
        if opts.as_json:
            data = {key: {"value": value, "source": source} for key, value, source in rows}
            io.json({"profile": app_ctx.profile, "settings": data})
        else:
            table = Table(Column("KEY", min_width=9), Column("VALUE"), Column("FROM"))
            for key, value, source in rows:
                table.add_row(key, "" if value is None else str(value), source)
            table.print(io)
        return 0
    assert opts.key is not None
    spec = setting(opts.key)
    store = app_ctx.store()
    if opts.action == "get":
        value, source = _setting(app_ctx, opts.key)
        if opts.as_json:
            io.json({"key": opts.key, "value": value, "source": source})
        elif value is not None:
            io.out(str(value))
        return 0
    if opts.action == "set":
        value = spec.check(opts.value)  # a bad value is refused before it is stored
        store.update_profile(app_ctx.profile, **{opts.key: value})
        if opts.key == "avatar_id":
            _warn_unknown_avatar(app_ctx, value)
        value = _shown(opts.key, value)
        message = f"Set {opts.key} to {value!r} for profile {app_ctx.profile!r}."
    else:
        store.update_profile(app_ctx.profile, **{opts.key: None})
        message = f"Unset {opts.key} for profile {app_ctx.profile!r}."
    if opts.as_json:
        io.json({"key": opts.key, "value": value if opts.action == "set" else None})
    else:
        io.info(message)
    return 0


def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every setting of the profile, its value and where that comes from.

    FROM is flag, env, profile or default: the first of them that gives a value.

    [b]Examples[/b]

      $ akool config list
      $ akool --profile staging config list --json
    """
    invoke(ctx, run_config, ConfigOptions(action="list", as_json=as_json))


def get(ctx: typer.Context, key: KeyArg, as_json: JsonOpt = False) -> None:
    """Print a setting's value (as commands would use it).

    [b]Examples[/b]

      $ akool config get voice_id
    """
    invoke(ctx, run_config, ConfigOptions(action="get", key=key, as_json=as_json))


def set_(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its value (checked).")],
    as_json: JsonOpt = False,
) -> None:
    """Set a setting for the profile; the value is checked first.

    Keys: avatar_id, voice_id, language, mode (dialogue or retell), api_version
    (v3 or v4), duration (a v4 session's seconds), base_url, timeout.

    [b]Examples[/b]

      $ akool config set avatar_id dvp_Tristan_cloth2_1080P
      $ akool config set voice_id 21m00Tcm4TlvDq8ikWAM
      $ akool --profile staging config set base_url http://127.0.0.1:8080
    """
    invoke(ctx, run_config, ConfigOptions(action="set", key=key, value=value, as_json=as_json))


def unset(ctx: typer.Context, key: KeyArg, as_json: JsonOpt = False) -> None:
    """Remove a setting from the profile (its default applies again).

    [b]Examples[/b]

      $ akool config unset language
    """
    invoke(ctx, run_config, ConfigOptions(action="unset", key=key, as_json=as_json))
