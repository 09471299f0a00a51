"""The global options — ``--base-url``, ``--profile``, ``--api-version``, ``--timeout``,
``--debug``, ``--insecure``, ``--no-pager`` — accepted anywhere on the line, like gh's
persistent flags: ``akool session list --debug --profile staging`` is ``akool --debug
--profile staging session list``.

The root command declares them (with their environment variables and defaults); every
group and command gets a copy (``attach``) that only records what was typed there. What
a command runs with is the root's values, overridden by whatever was typed closest to it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from akool_cli.api import API_VERSIONS, DEFAULT_TIMEOUT
from akool_cli.cli.core import click_compat as click
from akool_cli.cli.core.click_compat import TyperOption
from akool_cli.cli.core.numbers import TIMEOUT_RANGE, seconds

PANEL = "Global options"
ROOT_KEY = "akool.globals"  # ctx.meta: the root's values (environment and defaults too)
SOURCES_KEY = "akool.globals.sources"  # ctx.meta: where each of the root's values came from
TYPED_KEY = "akool.globals.typed"  # ctx.meta: what was typed after a group or command


class Spec(NamedTuple):  # a NamedTuple: made at every start-up, and cheaper than a dataclass
    name: str
    flag: str
    help: str
    envvar: str
    default: Any = None
    metavar: Optional[str] = None
    is_flag: bool = False
    parse: Optional[Callable[[Any], Any]] = None
    complete: Optional[Callable[[Any, Any, str], List[str]]] = None  # click's signature


def _api_version(value: Any) -> str:
    from typer import BadParameter

    text = str(value).strip().lower()
    if text not in API_VERSIONS:
        raise BadParameter(f"{value!r} is not an API version; use v3 or v4")
    return text


_api_version.__name__ = "VERSION"


def _complete_version(ctx: Any, param: Any, incomplete: str) -> List[str]:
    return [v for v in API_VERSIONS if v.startswith(incomplete)]


def _complete_profile(ctx: Any, param: Any, incomplete: str) -> List[str]:
    from akool_cli.cli.core.completers import complete_profile

    return complete_profile(incomplete)


SPECS: Sequence[Spec] = (
    Spec(
        "base_url",
        "--base-url",
        "API base URL \\[default: the profile's, else https://openapi.akool.com].",
        "AKOOL_BASE_URL",
        metavar="URL",
    ),
    Spec(
        "profile",
        "--profile",
        "Profile to use \\[default: the one `auth switch` chose, else default].",
        "AKOOL_PROFILE",
        metavar="NAME",
        complete=_complete_profile,
    ),
    Spec(
        "api_version",
        "--api-version",
        "API version: v3 or v4 \\[default: the profile's, else v4]. A session's "
        "record keeps the version that created it.",
        "AKOOL_API_VERSION",
        metavar="v3|v4",
        parse=_api_version,
        complete=_complete_version,
    ),
    Spec(
        "timeout",
        "--timeout",
        f"Seconds one HTTP request may take, all of it \\[default: {DEFAULT_TIMEOUT:g}].",
        "AKOOL_TIMEOUT",
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        parse=seconds(*TIMEOUT_RANGE),
    ),
    Spec("debug", "--debug", "One stderr line per HTTP exchange.", "AKOOL_DEBUG", is_flag=True),
    Spec(
        "insecure",
        "--insecure",
        "Allow a credential over plain http:// to a host that is not this machine.",
        "AKOOL_INSECURE",
        is_flag=True,
    ),
    Spec("no_pager", "--no-pager", "Never page long output.", "AKOOL_NO_PAGER", is_flag=True),
)
NAMES = tuple(spec.name for spec in SPECS)


def _option(spec: Spec, root: bool) -> TyperOption:
    """The root's option (environment, default, shown in its help), or a command's copy
    (only what was typed there; shown in its own panel)."""
    kw: Dict[str, Any] = {
        "param_decls": [spec.flag, spec.name],
        "help": spec.help,
        "rich_help_panel": None if root else PANEL,
        "show_envvar": root,
    }
    if spec.is_flag:
        kw.update(is_flag=True, default=False)
    else:
        kw.update(metavar=spec.metavar, default=spec.default if root else None)
        if spec.parse is not None:
            kw["type"] = click.FuncParamType(spec.parse)
    if root:
        kw["envvar"] = spec.envvar
    if spec.complete is not None:
        kw["autocompletion"] = spec.complete
    return TyperOption(**kw)


EMPTY_MARKUP = "[i][/i]"  # renders as nothing; keeps a line's leading spaces its own


def keep_example_indent(help_text: Optional[str]) -> Optional[str]:
    """Typer dedents a help's paragraphs after the first as one block, measuring from its
    second line: when the examples' heading comes first, the examples lose their indent
    (and keep it otherwise). An empty markup tag before each example's indent makes it the
    same in every --help."""
    if not help_text:
        return help_text
    import inspect
    import re

    text = inspect.cleandoc(help_text)
    return re.sub(r"^( +)\$ ", lambda m: f"{EMPTY_MARKUP}{m.group(1)}$ ", text, flags=re.M)


def attach(command: Any, *, root: bool = False) -> None:
    """Give ``command`` (and, for a group, every command under it) the global options,
    and record their values in the context's shared ``meta`` instead of passing them to
    its function."""
    if getattr(command, "_akool_globals", False):
        return
    command._akool_globals = True
    taken = [p.name for p in command.params if p.name in NAMES]
    if taken:  # its value would be taken for the global option's
        raise RuntimeError(f"{command.name}: a parameter may not be called {taken[0]!r}")
    command.params.extend(_option(spec, root) for spec in SPECS)
    command.help = keep_example_indent(command.help)
    original = command.callback

    def callback(**kwargs: Any) -> Any:
        ctx = click.get_current_context()
        values = {name: kwargs.pop(name) for name in NAMES if name in kwargs}
        if root:
            ctx.meta[ROOT_KEY] = values
            ctx.meta[SOURCES_KEY] = {name: _source(ctx, name) for name in values}
        else:
            typed = ctx.meta.setdefault(TYPED_KEY, {})
            for name, value in values.items():
                if _source(ctx, name) == "flag":
                    typed[name] = value
        return original(**kwargs) if original is not None else None

    command.callback = callback
    for sub in getattr(command, "commands", {}).values():
        attach(sub)


def _source(ctx: Any, name: str) -> str:
    """ "flag", "env" or "default": where a value came from."""
    source = ctx.get_parameter_source(name)
    if source == click.ParameterSource.COMMANDLINE:
        return "flag"
    if source == click.ParameterSource.ENVIRONMENT:
        return "env"
    return "default"


def values(ctx: Any) -> Dict[str, Tuple[Any, str]]:
    """The global options a command runs with, each with where it came from: the root's,
    overridden by what was typed after a group or the command itself."""
    merged: Dict[str, Tuple[Any, str]] = {spec.name: (spec.default, "default") for spec in SPECS}
    sources = ctx.meta.get(SOURCES_KEY, {})
    for name, value in ctx.meta.get(ROOT_KEY, {}).items():
        merged[name] = (value, sources.get(name, "default"))
    for name, value in ctx.meta.get(TYPED_KEY, {}).items():
        merged[name] = (value, "flag")
    return merged
