"""The ``akool`` command: global options, and the command groups, loaded on use.

Only Typer (and click) are imported at start-up; a group's module is imported when the
group runs, and the HTTP client, websocket and emulator code when a command needs them.
A new group is one line in ``GROUPS`` (see docs/architecture.md).
"""

from dataclasses import dataclass
from typing import Annotated, Optional

import typer

from akool_cli import __version__
from akool_cli.api import DEFAULT_TIMEOUT
from akool_cli.cli.complete import complete_profile
from akool_cli.cli.lazy import Entry, LazyGroup
from akool_cli.cli.numbers import TIMEOUT_RANGE, seconds
from akool_cli.local import DEFAULT_PROFILE

CORE, PICK, MORE, DEV = "Core commands", "Choosing", "More", "Development"
GROUPS = {
    "auth": Entry("akool_cli.cli.auth", "Log in and manage the stored credential.", CORE),
    "session": Entry("akool_cli.cli.session", "Create, list, watch and close sessions.", CORE),
    "chat": Entry("akool_cli.cli.chat", "Chat with an avatar over the session's websocket.", CORE),
    "say": Entry("akool_cli.cli.say", "Make the avatar say a text as it is.", CORE),
    "avatar": Entry("akool_cli.cli.avatar", "The avatars a session can stream.", PICK),
    "voice": Entry("akool_cli.cli.voice", "The voices a chat can speak with.", PICK),
    "language": Entry("akool_cli.cli.language", "The language codes a chat can use.", PICK),
    "credit": Entry("akool_cli.cli.credit", "Show the account's credit balance.", MORE),
    "api": Entry("akool_cli.cli.api_call", "Call any endpoint of the API.", MORE),
    "emulator": Entry("akool_cli.cli.emulator", "Run an offline emulator of the API.", DEV),
}


@dataclass(frozen=True)
class GlobalOptions:
    """The root's options, as every command receives them."""

    base_url: Optional[str] = None
    profile: str = DEFAULT_PROFILE
    timeout: float = DEFAULT_TIMEOUT
    debug: bool = False
    insecure: bool = False


class RootGroup(LazyGroup):
    entries = GROUPS


app = typer.Typer(
    name="akool",
    cls=RootGroup,
    help="Work with Akool's Live Avatar API from the terminal: log in, start and manage "
    "sessions, chat with an avatar.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    epilog="[b]Examples[/b]\n\n"
    '  $ echo "$AKOOL_KEY" | akool auth login --with-api-key\n\n'
    "  $ ID=$(akool session create --avatar-id Kai_1080P_back --wait -q)\n\n"
    '  $ akool chat "$ID"\n\n'
    "Exit codes, environment variables and scripting recipes: see the README.",
)


def _is_http_url(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not one
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and url.isprintable()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"akool {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        Optional[bool],
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url",
            metavar="URL",
            envvar="AKOOL_BASE_URL",
            help="API base URL \\[default: the profile's, else https://openapi.akool.com].",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            metavar="NAME",
            envvar="AKOOL_PROFILE",
            help="Profile to use.",
            autocompletion=complete_profile,
        ),
    ] = DEFAULT_PROFILE,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            envvar="AKOOL_TIMEOUT",
            parser=seconds(*TIMEOUT_RANGE),
            help="HTTP timeout in seconds.",
        ),
    ] = DEFAULT_TIMEOUT,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="AKOOL_DEBUG", help="One stderr line per HTTP exchange."),
    ] = False,
    insecure: Annotated[
        bool,
        typer.Option(
            "--insecure",
            envvar="AKOOL_INSECURE",
            help="Allow sending the credential over plain http:// to a host that is not "
            "this machine.",
        ),
    ] = False,
) -> None:
    """Work with Akool's Live Avatar API from the terminal."""
    if not profile.strip():
        raise typer.BadParameter("the profile name cannot be empty", param_hint="--profile")
    if base_url is not None and not _is_http_url(base_url):
        raise typer.BadParameter(
            f"{base_url!r} is not an http(s) URL", param_hint="'--base-url' / AKOOL_BASE_URL"
        )
    # The machinery (streams, context) is built when a command runs, not for its --help.
    ctx.obj = GlobalOptions(
        base_url=base_url,
        profile=profile.strip(),
        timeout=timeout,
        debug=debug,
        insecure=insecure,
    )
