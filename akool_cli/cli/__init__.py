"""The command line: Typer commands that parse, build an options value, and call a
``run_*`` function (``commands/``), over the machinery every command shares (``core/``)
and how output looks (``ui/``). This module is the console script, :func:`main`."""

import sys


def main() -> None:
    """The console script. ``akool --version`` answers without loading Typer; anything
    raised outside a command ends in the error boundary's last resort (no traceback)."""
    try:
        _main()
    except SystemExit as exc:
        if "livekit.rtc" in sys.modules:  # a v4 chat ran: leave before Python's shutdown
            _exit_now(exc.code)
        raise
    except KeyboardInterrupt:  # outside a command (e.g. while Typer loads or parses)
        _leave("interrupted", 130)
    except Exception as exc:  # a signal (Interrupted) while the last resort itself loaded
        _leave(getattr(exc, "message", "interrupted"), int(getattr(exc, "exit_code", 130)))
    finally:  # a signal from now on ends the process at once, never in Python's shutdown
        signals = sys.modules.get("akool_cli.cli.core.signals")
        if signals is not None:
            signals.leaving()


def _main() -> None:
    if sys.stdout is None:  # closed before we started: writing to it fails like any OSError
        from akool_cli.cli.ui.iostreams import ClosedStream

        sys.stdout = ClosedStream("output")  # type: ignore[assignment, unused-ignore]  # a stand-in for a stream
    if sys.argv[1:] == ["--version"]:
        from akool_cli import __version__

        try:
            sys.stdout.write(f"akool {__version__}\n")
            sys.stdout.flush()
        except OSError as exc:
            from akool_cli.cli.ui.iostreams import stdout_failed

            sys.exit(stdout_failed(exc))
        return
    from akool_cli.cli.core import signals  # first: a signal from now on is handled

    signals.install()
    try:
        from akool_cli.cli.app import app

        app(prog_name="akool")
    except Exception as exc:  # Interrupted included: outside any command, the last resort
        from akool_cli.cli.core.boundary import last_resort

        sys.exit(last_resort(exc))


def _exit_now(code: object) -> None:
    """End the process at once with the exit code of ``sys.exit(code)``: after the LiveKit
    SDK was loaded, Python's own shutdown can make the SDK's runtime threads call into a
    dying interpreter, and the SDK then aborts the process ("panic in a function that
    cannot unwind", SIGABRT) after the command had succeeded. Everything a command keeps
    is written by then."""
    from akool_cli.cli.core.signals import exit_now

    if code is None or isinstance(code, int):
        exit_now(code or 0)
    try:  # sys.exit("message")
        sys.stderr.write(f"{code}\n")
    except (OSError, ValueError, AttributeError):
        pass
    exit_now(1)


def _leave(message: str, code: int) -> None:
    try:
        sys.stderr.write(message + "\n")
    except (OSError, ValueError, AttributeError):  # no terminal left to tell
        pass
    sys.exit(code)
