"""Signals: SIGTERM, SIGHUP (the terminal closed) and SIGQUIT are raised as
:class:`Interrupted`, like Ctrl-C (SIGINT) raises KeyboardInterrupt, so that the code
that closes a session a command created always runs. While that cleanup runs, a second
signal is held back (``shielded``) and raised once the cleanup is done."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Any, Iterator, List, Optional

from akool_cli.cli.core.errors import ExitCode, Interrupted

# name -> (message, exit code). SIGINT keeps Python's KeyboardInterrupt.
HANDLED = {
    "SIGTERM": ("terminated", ExitCode.TERMINATED),
    "SIGHUP": ("interrupted: the terminal closed (SIGHUP)", ExitCode.INTERRUPTED),
    "SIGQUIT": ("interrupted (SIGQUIT)", ExitCode.INTERRUPTED),
}


class _Shield:
    depth = 0
    pending: List[int] = []
    leaving = False  # the command is over: the process is on its way out


def _interrupted(signum: int) -> Interrupted:
    for name, (message, code) in HANDLED.items():
        if getattr(signal, name, None) == signum:
            return Interrupted(message, exit_code=code)
    return Interrupted()


def _in_import_machinery(frame: Any) -> bool:
    """Whether ``frame`` is code whose exceptions Python swallows — the import system's
    own (a module lock's weakref callback, say) or a weakref finalizer's call: an
    exception raised there is printed as "Exception ignored" and lost, and the signal
    with it."""
    if frame is None:
        return False
    return frame.f_code.co_filename.startswith("<frozen ") or (
        frame.f_globals.get("__name__") == "weakref"
    )


def _handler(signum: int, frame: Any) -> None:
    if _Shield.leaving:
        _exit_now(signum)
    if _Shield.depth:
        _Shield.pending.append(signum)
        return
    if _in_import_machinery(frame):  # deliver it again a moment later, outside of it
        threading.Timer(0.02, os.kill, (os.getpid(), signum)).start()
        return
    raise _interrupted(signum)


def exit_now(status: int) -> None:
    """End the process at once with ``status``, what was written flushed: no exit handler
    and no part of Python's shutdown runs."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


def _exit_now(signum: int) -> None:
    """End the process at once with the signal's exit code."""
    code = ExitCode.INTERRUPTED if signum == signal.SIGINT else _interrupted(signum).exit_code
    exit_now(int(code))


def leaving() -> None:
    """From now on the process is on its way out (the command's outcome is decided): a
    signal ends it at once with its exit code, and is never raised into the interpreter's
    shutdown, where Python would print it as "Exception ignored …" with a traceback (a
    burst of SIGTERMs while a v4 chat's SDK threads were being joined did)."""
    _Shield.leaving = True
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGINT, _handler)


def quiet_wakeup_fd(*_: Any) -> None:
    """Let the event loop's signal wakeup fd drop what it cannot take, silently.

    asyncio points the wakeup fd at a socket each time it adds a signal handler (the
    prompt's SIGWINCH), asking Python to warn when the socket is full; a burst of resizes
    fills it, and each signal that finds it full printed "Exception ignored … signal
    wakeup fd" over the prompt. A full socket already holds a wakeup, so nothing is lost
    by dropping the rest. Call it after the handler is added (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    with contextlib.suppress(ValueError, OSError):
        fd = signal.set_wakeup_fd(-1)
        if fd != -1:
            signal.set_wakeup_fd(fd, warn_on_full_buffer=False)


def install() -> None:
    """Turn the termination signals into Interrupted (main thread only)."""
    for name in HANDLED:
        number = getattr(signal, name, None)  # not every platform has every signal
        if number is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, _handler)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Hold back Ctrl-C and the termination signals for the duration; raise the first of
    them afterwards (unless something else is already being raised)."""
    in_main = threading.current_thread() is threading.main_thread()
    previous: Optional[Any] = None
    if in_main:
        previous = signal.signal(signal.SIGINT, _handler)
    _Shield.depth += 1
    held: List[int] = []
    try:
        yield
    finally:
        _Shield.depth -= 1
        if in_main:
            signal.signal(signal.SIGINT, previous)
        if not _Shield.depth:
            held, _Shield.pending = _Shield.pending, []
    if held:  # reached only when the body did not raise (else that error goes on)
        if held[0] == signal.SIGINT:
            raise KeyboardInterrupt
        raise _interrupted(held[0])
