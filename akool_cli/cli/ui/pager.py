"""Long output on a terminal goes through a pager: ``$AKOOL_PAGER``, else ``$PAGER``,
else ``less -FRX`` if installed (it prints directly what fits on one screen). Never when
stdout is not a terminal, nor with ``--no-pager``; an empty value or ``cat`` means none.

On a dumb terminal (``TERM=dumb``: an Emacs shell, some CI consoles) only
``$AKOOL_PAGER`` pages: ``less`` there stops at "Press RETURN to continue" even for two
lines. A ``$PAGER`` that is not installed is no pager, quietly (it is a setting shared
with every other program); an ``$AKOOL_PAGER`` that cannot start is a warning."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
from typing import Any, Iterator, List, Mapping, Optional

DEFAULT_PAGER = "less -FRX"


def pager_command(env: Mapping[str, str]) -> Optional[List[str]]:
    """The pager to run, as argv; None for none. A command that cannot be read (an
    unclosed quote) is no pager; so is the default when ``less`` is not installed."""

    ours = env.get("AKOOL_PAGER")
    if ours is None and env.get("TERM") == "dumb":
        return None
    value = ours if ours is not None else env.get("PAGER")
    if value is None:
        return DEFAULT_PAGER.split() if shutil.which("less") else None
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    if not words or words == ["cat"]:
        return None
    if ours is None and shutil.which(words[0]) is None:
        return None  # PAGER names a program this machine does not have
    return words


@contextlib.contextmanager
def paged(io: Any, env: Mapping[str, str], *, enabled: bool = True) -> Iterator[None]:
    """Within the block, ``io``'s stdout is the pager's input (when there is one to use).
    The pager is waited for at the end; quitting it early ends the output quietly."""
    command = pager_command(env) if enabled and _terminal(io.stdout) else None
    if command is None:
        yield
        return
    child_env = {**os.environ, **env}
    child_env.setdefault("LESS", "FRX")  # what `less` needs to show colour, if it was named bare
    child_env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            env=child_env,
            text=True,
            encoding=getattr(io.stdout, "encoding", None) or "utf-8",
            errors="replace",
        )
    except OSError as exc:
        io.warn(f"cannot start the pager {command[0]!r} ({exc.strerror or exc}); not paging")
        yield
        return
    original = io.stdout
    io.use_stdout(proc.stdin)
    try:
        yield
    except BrokenPipeError:
        pass  # the pager was quit before the end: nobody is reading any more
    finally:
        io.use_stdout(original)
        with contextlib.suppress(OSError, ValueError):
            proc.stdin.close()  # type: ignore[union-attr]
        _wait(proc)
        if proc.returncode > 0:  # it failed (a signal is negative)
            io.warn(
                f"the pager {command[0]!r} exited with {proc.returncode}: the output may not "
                "have been shown (--no-pager, or set AKOOL_PAGER)"
            )


def _terminal(stream: Any) -> bool:
    """Whether ``stream`` is a real terminal (not merely treated as one, as in tests)."""
    try:
        return os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False


def _wait(proc: subprocess.Popen) -> None:
    """Wait for the pager; Ctrl-C reaches it too, and it decides when it is done."""
    while True:
        try:
            proc.wait()
            return
        except KeyboardInterrupt:
            continue
