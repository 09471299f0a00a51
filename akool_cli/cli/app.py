"""The ``akool`` command: global options, and the command groups, loaded on use.

Only Typer (and click) are imported at start-up; a group's module is imported when the
group runs, and the HTTP client, websocket and emulator code when a command needs them.
A new group is one line in ``GROUPS`` (see docs/architecture.md).
"""

from typing import Annotated, Any, Optional

import typer

from akool_cli import __version__
from akool_cli.cli.core import click_compat as click
from akool_cli.cli.core.globals import attach
from akool_cli.cli.core.lazy import Entry, LazyGroup

CORE, PICK, MORE, DEV = "Core commands", "Choosing", "More", "Development"
PANELS = (CORE, PICK, MORE, DEV)
GROUPS = {
    "auth": Entry("akool_cli.cli.commands.auth", "Log in and manage the stored credential.", CORE),
    "session": Entry(
        "akool_cli.cli.commands.session", "Create, list, watch and close sessions.", CORE
    ),
    "chat": Entry(
        "akool_cli.cli.commands.chat", "Chat with an avatar in the session's room.", CORE
    ),
    "say": Entry("akool_cli.cli.commands.say", "Make the avatar say a text as it is.", CORE),
    "avatar": Entry("akool_cli.cli.commands.avatar", "The avatars a session can stream.", PICK),
    "voice": Entry("akool_cli.cli.commands.voice", "The voices a chat can speak with.", PICK),
    "language": Entry(
        "akool_cli.cli.commands.language", "The language codes a chat can use.", PICK
    ),
    "knowledge": Entry(
        "akool_cli.cli.commands.knowledge", "Knowledge bases a v4 session answers from.", PICK
    ),
    "config": Entry("akool_cli.cli.commands.config", "Per-profile settings and defaults.", MORE),
    "logs": Entry("akool_cli.cli.commands.logs", "The chat log: every question and answer.", MORE),
    "credit": Entry("akool_cli.cli.commands.credit", "Show the account's credit balance.", MORE),
    "api": Entry("akool_cli.cli.commands.api", "Call any endpoint of the API.", MORE),
    "completion": Entry(
        "akool_cli.cli.commands.completion", "Print or install shell completion.", MORE
    ),
    "emulator": Entry(
        "akool_cli.cli.commands.emulator",
        "Run an offline emulator of the API.",
        DEV,
        global_options=False,
    ),
    "help": Entry(
        "akool_cli.cli.commands.help", "Help topics: api-versions, environment, exit-codes.", MORE
    ),
}


class RootGroup(LazyGroup):
    entries = GROUPS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attach(self, root=True)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """``akool --help``: plain and quick, the same cost for any number of groups."""
        from akool_cli.cli.ui import root_help  # not rich: plain text, quick

        formatter.write(
            root_help.render(
                self.help or "",
                self.entries,
                PANELS,
                self.get_params(ctx),
                bold=root_help.wants_bold(),
                columns=root_help.columns(),
            )
        )

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Typer's main, except that a usage error is one plain line (and a hint) when
        stderr is not a terminal — and one line of JSON when --json was asked for —
        and a prompt given up on (Ctrl-C, Ctrl-D) exits 130."""
        import os
        import sys

        if os.environ.get("_AKOOL_COMPLETE"):  # a completion script asking (completion_scripts)
            from akool_cli.cli.core.completion_scripts import answer

            sys.stdout.write(answer(self) or "")
            sys.exit(0)
        if not kwargs.get("standalone_mode", True):
            return super().main(args, *rest, **kwargs)
        argv = list(sys.argv[1:] if args is None else args)
        kwargs["standalone_mode"] = False
        try:
            code = super().main(argv, *rest, **kwargs)
        except click.ClickException as exc:
            if click.is_no_args_help(exc):
                # `akool` or `akool session` alone: its help, as a request for it (exit 0)
                sys.stdout.write(exc.ctx.get_help().rstrip("\n") + "\n")  # type: ignore[attr-defined]
                sys.stdout.flush()
                sys.exit(0)
            from akool_cli.cli.core.boundary import usage_error  # only when there is one

            sys.exit(usage_error(exc, argv))
        except typer.Abort:
            sys.stderr.write("interrupted\n")
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="akool",
    cls=RootGroup,
    help="Work with Akool's Live Avatar API from the terminal: log in, start and manage "
    "sessions, chat with an avatar.",
    no_args_is_help=True,
    add_completion=False,  # --install-completion and --show-completion are ours (below)
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"akool {__version__}")
        raise typer.Exit()


def _completion(install: bool) -> Any:
    def callback(value: bool) -> None:
        if not value:
            return
        import sys

        from akool_cli.cli.core.completion_scripts import (
            detect_shell,
            install_for,
            install_problem,
            script,
        )

        shell = detect_shell()
        if shell is None:
            sys.stderr.write(
                "error: $SHELL is not bash, zsh or fish\nhint: akool completion SHELL --install\n"
            )
            raise typer.Exit(2)
        if install:
            try:
                install_for(shell, lambda line: sys.stderr.write(line + "\n"))
            except OSError as exc:
                sys.stderr.write(f"error: cannot install completion: {install_problem(exc)}\n")
                raise typer.Exit(1) from None
            raise typer.Exit()
        sys.stdout.write(script(shell))
        raise typer.Exit()

    return callback


def _completion_option(verb: str, help: str) -> Any:
    """``--install-completion`` or ``--show-completion``: acted on as soon as it is read."""
    install = verb == "--install"
    return typer.Option(
        f"{verb}-completion",
        callback=_completion(install=install),
        is_eager=True,
        expose_value=False,
        help=help,
    )


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        Optional[bool],
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
    install_completion: Annotated[
        bool, _completion_option("--install", "Install completion for the shell in $SHELL.")
    ] = False,
    show_completion: Annotated[
        bool, _completion_option("--show", "Print the completion script for the shell in $SHELL.")
    ] = False,
) -> None:
    """Work with Akool's Live Avatar API from the terminal.

    Global options (--base-url, --profile, --timeout, --debug, --insecure,
    --no-pager) work anywhere on the line.
    """
