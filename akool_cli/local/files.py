"""Where files live, and reading and writing them safely.

- Every write is atomic (a temporary file renamed over the old one): a reader sees the
  old file or the new one, never half. Files are 0600.
- Every read-modify-write of a shared file (``update_json``) holds a lock on it, so two
  processes at once never lose an update (fcntl on POSIX, msvcrt on Windows, an
  exclusive lock file elsewhere).
- Only directories this tool creates are made private (0700); a directory the user
  pointed us at keeps its mode.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar

from akool_cli._json import strict_json
from akool_cli.local.errors import CorruptFileError, LocalFileError

T = TypeVar("T")
LOCK_TIMEOUT = 10.0  # seconds to wait for another process to finish with a file


def config_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when a command needs it; keeps `akool --help` light

    return Path(platformdirs.user_config_dir("akool"))


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_STATE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir("akool"))


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (0700) if it does not exist; leave an existing one alone."""
    if directory.is_dir():
        return
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        directory.mkdir(mode=0o700)
    except FileExistsError:
        if not directory.is_dir():
            raise LocalFileError(
                f"cannot create {directory}: a file is in the way", path=directory
            ) from None
    except OSError as exc:
        raise LocalFileError(
            f"cannot create {directory}: {exc.strerror or exc}", path=directory
        ) from None


def private_tempfile(path: Path) -> str:
    """A new temporary file beside ``path``, readable by its owner only (mkstemp: 0600)."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    os.close(fd)
    return tmp


def replace_atomically(tmp: str, path: Path) -> None:
    """Move a finished temporary file over ``path``; remove it if that fails."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise LocalFileError(f"cannot write {path}: {exc.strerror or exc}", path=path) from None


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half."""
    tmp = private_tempfile(path)
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise LocalFileError(f"cannot write {path}: {exc.strerror or exc}", path=path) from None
        raise
    replace_atomically(tmp, path)


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def read_json(path: Path, default: Any) -> Any:
    """The JSON in ``path``, which must have the type of ``default``; ``default`` when the
    file does not exist. LocalFileError / CorruptFileError otherwise, naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default
    except OSError as exc:
        raise LocalFileError(f"cannot read {path}: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise CorruptFileError(f"{path} is corrupt: not UTF-8 text", path=path) from None
    try:
        data = strict_json(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else f" ({exc})"
        raise CorruptFileError(f"{path} is corrupt: not valid JSON{where}", path=path) from None
    if not isinstance(data, type(default)):
        raise CorruptFileError(
            f"{path} is corrupt: expected a JSON {type(default).__name__}", path=path
        )
    return data


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (through ``.<name>.lock`` beside it)."""
    ensure_private_dir(path.parent)
    lock_path = path.parent / f".{path.name}.lock"
    try:
        fd = os.open(str(lock_path), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise LocalFileError(f"cannot lock {path}: {exc.strerror or exc}", path=path) from None
    try:
        _acquire(fd, lock_path, path, timeout)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, lock_path: Path, path: Path, timeout: float) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        fcntl = None  # type: ignore[assignment]
    deadline = time.monotonic() + timeout
    while True:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return
        except OSError:
            if time.monotonic() >= deadline:
                raise LocalFileError(
                    f"{path} is busy: another akool process holds it (see {lock_path})",
                    path=path,
                ) from None
            time.sleep(0.01)


NO_CHANGE: Any = object()  # what a change returns to leave the file as it is


def update_json(path: Path, default: Any, change: Callable[[Any], T]) -> T:
    """Read ``path`` (``default`` if missing), let ``change`` modify the data in place,
    write it back — all under the file's lock, so concurrent updates are never lost.
    Returns what ``change`` returned; if that is ``NO_CHANGE``, nothing is written."""
    with locked(path):
        data = read_json(path, default)
        result = change(data)
        if result is not NO_CHANGE:
            write_json(path, data)
        return result
