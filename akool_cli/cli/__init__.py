"""The Typer command tree. Commands parse, call a ``run_*`` function, and render."""

import sys


def main() -> None:
    """Console-script entry point. ``akool --version`` answers without loading Typer."""
    if sys.argv[1:] == ["--version"]:
        from akool_cli import __version__

        sys.stdout.write(f"akool {__version__}\n")
        return
    from akool_cli.cli.app import main as run

    run()
