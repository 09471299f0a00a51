"""The command line: Typer commands that parse, build an options value, and call a
``run_*`` function; output, exit codes and the one entry point, :func:`main`."""

import errno
import sys

# what writing to a standard output that cannot take it raises: closed, full, broken
_OUTPUT_ERRNOS = (errno.EPIPE, errno.EBADF, errno.ENOSPC, errno.EIO)


def main() -> None:
    """The console script. ``akool --version`` answers without loading Typer."""
    try:
        _main()
    except KeyboardInterrupt:  # outside a command (e.g. while Typer loads or parses)
        _last_words("interrupted")
        sys.exit(130)


def _main() -> None:
    if sys.stdout is None:  # closed before we started: writing to it fails like any OSError
        from akool_cli.cli.output import ClosedStream

        sys.stdout = ClosedStream("output")  # type: ignore[assignment]
    if sys.argv[1:] == ["--version"]:
        from akool_cli import __version__

        try:
            sys.stdout.write(f"akool {__version__}\n")
            sys.stdout.flush()
        except OSError as exc:
            sys.exit(_stdout_failed(exc))
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
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:
            sys.exit(_stdout_failed(exc))  # help or completions that stdout could not take
        from akool_cli.cli.failures import internal_failure

        failure = internal_failure(exc)
        _last_words(f"error: {failure.message}\nhint: {failure.hint}")
        sys.exit(failure.exit_code)


def _stdout_failed(exc: OSError) -> int:
    """The exit code, and one line, for a standard output that cannot be written: a
    reader that left (a closed pipe) is not an error."""
    import os

    try:  # nothing more may reach it, not even the interpreter's last flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
    if isinstance(exc, BrokenPipeError):
        return 0
    _last_words(f"error: cannot write to standard output: {exc.strerror or exc}")
    return 1


def _last_words(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
    except (OSError, ValueError, AttributeError):  # no terminal left to tell
        pass
