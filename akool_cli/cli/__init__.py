"""The command line: Typer commands that parse, build an options value, and call a
``run_*`` function; output, exit codes and the one entry point, :func:`main`."""

import sys


def _raise_terminated(signum: int, frame: object) -> None:
    from akool_cli.cli.errors import Interrupted
    from akool_cli.cli.exit_codes import ExitCode

    raise Interrupted("terminated", exit_code=ExitCode.TERMINATED)


def install_sigterm_handler() -> None:
    """Turn SIGTERM into an exception so ``finally`` blocks (closing sessions) run."""
    import signal

    try:
        signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (e.g. an embedding test runner)
        pass


def main() -> None:
    """The console script. ``akool --version`` answers without loading Typer."""
    if sys.argv[1:] == ["--version"]:
        from akool_cli import __version__

        sys.stdout.write(f"akool {__version__}\n")
        return
    from akool_cli.cli.app import app
    from akool_cli.cli.exit_codes import ExitCode

    install_sigterm_handler()
    try:
        app(prog_name="akool")
    except KeyboardInterrupt:  # outside a command (e.g. while Typer parses)
        sys.stderr.write("interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
