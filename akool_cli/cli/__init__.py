"""The Typer command tree. Commands parse, call a ``run_*`` function, and render."""

import sys


def _raise_terminated(signum: int, frame: object) -> None:
    from akool_cli.api.errors import EXIT_TERMINATED, Interrupted

    raise Interrupted("terminated", exit_code=EXIT_TERMINATED)


def install_sigterm_handler() -> None:
    """Turn SIGTERM into an exception so ``finally`` blocks (closing sessions) run."""
    import signal

    try:
        signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (e.g. an embedding test runner)
        pass


def main() -> None:
    """Console-script entry point. ``akool --version`` answers without loading Typer."""
    if sys.argv[1:] == ["--version"]:
        from akool_cli import __version__

        sys.stdout.write(f"akool {__version__}\n")
        return
    from akool_cli.cli.app import main as run

    run()
