"""The command line: Typer commands that parse, build an options value, and call a
``run_*`` function; output, exit codes and the one entry point, :func:`main`."""

import sys


def main() -> None:
    """The console script. ``akool --version`` answers without loading Typer."""
    try:
        _main()
    except KeyboardInterrupt:  # outside a command (e.g. while Typer loads or parses)
        _last_words("interrupted")
        sys.exit(130)


def _main() -> None:
    if sys.argv[1:] == ["--version"]:
        from akool_cli import __version__

        sys.stdout.write(f"akool {__version__}\n")
        return
    from akool_cli.cli import signals  # first: a signal from now on is handled

    signals.install()
    from akool_cli.cli.errors import Interrupted

    try:
        from akool_cli.cli.app import app

        app(prog_name="akool")
    except Interrupted as exc:
        _last_words(exc.message)
        sys.exit(exc.exit_code)
    except Exception as exc:  # outside any command: the last resort, never a traceback
        from akool_cli.cli.failures import internal_failure

        failure = internal_failure(exc)
        _last_words(f"error: {failure.message}\nhint: {failure.hint}")
        sys.exit(failure.exit_code)


def _last_words(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
    except (OSError, ValueError, AttributeError):  # no terminal left to tell
        pass
