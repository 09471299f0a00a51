"""``akool completion [SHELL]``: print the shell completion script, or install it."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from akool_cli.cli.core.completion_scripts import SHELLS
from akool_cli.cli.core.invoke import invoke

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class CompletionOptions:
    shell: Optional[str] = None
    install: bool = False


def run_completion(opts: CompletionOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.core.completion_scripts import (
        SHELLS,
        detect_shell,
        install_for,
        install_problem,
        script,
    )
    from akool_cli.cli.core.errors import UsageError

    shell, do_install = opts.shell, opts.install
    if shell is None:
        shell = detect_shell(app_ctx.env)
        if shell is None:
            raise UsageError(
                "which shell? $SHELL is not bash, zsh or fish", hint="akool completion zsh"
            )
    if shell not in SHELLS:
        raise UsageError(f"no completion for {shell!r}", hint="one of: bash, zsh, fish")
    if not do_install:
        app_ctx.io.write(script(shell))
        return 0
    try:
        install_for(shell, app_ctx.io.info, app_ctx.env)
    except OSError as exc:
        from akool_cli.local.errors import LocalError

        raise LocalError(f"cannot install completion: {install_problem(exc)}") from None
    return 0


def completion(
    ctx: typer.Context,
    shell: Annotated[
        Optional[str],
        typer.Argument(
            metavar="SHELL",
            help="bash, zsh or fish \\[default: from $SHELL].",
            autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)],
        ),
    ] = None,
    do_install: Annotated[
        bool,
        typer.Option("--install", help="Install it for SHELL instead of printing it (see below)."),
    ] = False,
) -> None:
    """Print the shell completion script (or --install it).

    --install writes the script where the shell finds it (bash:
    ~/.local/share/bash-completion/completions/akool, zsh: ~/.zfunc/_akool, fish:
    ~/.config/fish/completions/akool.fish) and adds to ~/.bashrc or ~/.zshrc only
    the lines that load it, once. `akool --install-completion` does the same for
    the shell in $SHELL.

    [b]Examples[/b]

      $ source <(akool completion bash)
      $ akool completion zsh > "${fpath[1]}/_akool"
      $ akool completion fish > ~/.config/fish/completions/akool.fish
      $ akool completion zsh --install
    """
    invoke(ctx, run_completion, CompletionOptions(shell=shell, install=do_install))
