"""The ``akool`` command: global options and the command tree.

Only Typer (and click) are imported at start-up; each command imports the HTTP
client, websocket or emulator code when it runs, so ``akool --help`` stays fast.
"""

import sys
from typing import Annotated, Optional

import typer

from akool_cli import __version__
from akool_cli.api import DEFAULT_TIMEOUT
from akool_cli.cli import auth, chat, emulator, say, session
from akool_cli.cli.complete import complete_profile

app = typer.Typer(
    name="akool",
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
app.add_typer(auth.app, name="auth", rich_help_panel="Core commands")
app.add_typer(session.app, name="session", rich_help_panel="Core commands")
app.command("chat", rich_help_panel="Core commands")(chat.chat)
app.command("say", rich_help_panel="Core commands")(say.say)
app.command("emulator", rich_help_panel="Development")(emulator.emulator)


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
            envvar="AKOOL_BASE_URL",
            help="API base URL \\[default: the profile's, else https://openapi.akool.com].",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            envvar="AKOOL_PROFILE",
            help="Profile to use.",
            autocompletion=complete_profile,
        ),
    ] = "default",
    timeout: Annotated[
        float,
        typer.Option("--timeout", envvar="AKOOL_TIMEOUT", min=0.1, help="HTTP timeout in seconds."),
    ] = DEFAULT_TIMEOUT,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="AKOOL_DEBUG", help="One stderr line per HTTP exchange."),
    ] = False,
) -> None:
    """Work with Akool's Live Avatar API from the terminal."""
    if not profile.strip():
        raise typer.BadParameter("the profile name cannot be empty", param_hint="--profile")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise typer.BadParameter(
            f"{base_url!r} is not an http(s) URL", param_hint="'--base-url' / AKOOL_BASE_URL"
        )
    from akool_cli.cli.context import AppContext
    from akool_cli.output import IOStreams

    ctx.obj = AppContext(
        io=IOStreams.system(),
        base_url_option=base_url,
        profile=profile.strip(),
        timeout=timeout,
        debug=debug,
    )


def main() -> None:
    """Run the app with SIGTERM turned into an exception, so cleanup code runs."""
    from akool_cli.cli import install_sigterm_handler

    install_sigterm_handler()
    try:
        app(prog_name="akool")
    except KeyboardInterrupt:  # outside a command (e.g. while Typer parses)
        sys.stderr.write("interrupted\n")
        sys.exit(130)
