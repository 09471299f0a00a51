"""Where files live, and reading and writing them safely.

- Every write is atomic (a temporary file renamed over the old one): a reader sees the
  old file or the new one, never half. Files are 0600, directories 0700, whatever the
  umask.
- Every read-modify-write of a shared file (``update_json``) holds a lock on it, so two
  processes at once never lose an update (fcntl on POSIX, msvcrt on Windows), waiting at
  most a deadline for it.
- Every read is of a regular file, opened without blocking and read within a cap
  (``read_regular_file``): a FIFO, a device or a link to /dev/zero is an error, never a
  hang or a flood.
- What another local user prepared is refused, and directories made private, in
  ``ownership.py``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar

from akool_cli._json import strict_json
from akool_cli.local.errors import CorruptFileError, LocalFileError, UnsafePathError
from akool_cli.local.ownership import (
    check_directory,
    check_owned,
    chosen_by,
    ensure_private_dir,
    refuse,
)

T = TypeVar("T")
LOCK_TIMEOUT = 10.0  # seconds to wait for another process to finish with a file
MAX_FILE_BYTES = 16 * 1024 * 1024  # a local JSON file: a few hundred KiB at the most
PRIVATE_FILE = 0o600

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def config_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_CONFIG_DIR")
    if override:
        found = Path(override).expanduser()
    else:
        import platformdirs  # only when a command needs it; keeps `akool --help` light

        found = Path(platformdirs.user_config_dir("akool"))
    chosen_by(found, "AKOOL_CONFIG_DIR")
    return found


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_STATE_DIR")
    if override:
        found = Path(override).expanduser()
    else:
        import platformdirs

        found = Path(platformdirs.user_state_dir("akool"))
    chosen_by(found, "AKOOL_STATE_DIR")
    return found


# -- reading ----------------------------------------------------------------------------


class NotRegularFile(OSError):
    """A path that is a device, a FIFO or a directory, where a file was expected."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _open_private(path: Path, flags: int) -> int:
    """``os.open`` that never follows a symbolic link at ``path`` (UnsafePathError)."""
    try:
        return os.open(str(path), flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, PRIVATE_FILE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) or os.path.islink(path):
            raise refuse(
                path, "it is a symbolic link, where a file should be", "remove the link"
            ) from None
        raise


def read_regular_file(path: Path, limit: int, *, private: bool = False) -> bytes:
    """At most ``limit + 1`` bytes of a regular file — counted while reading, so a device
    (/dev/zero) or a FIFO with no writer can neither flood nor block. OSError if it
    cannot be read; NotRegularFile if it is no regular file. ``private``: one of our
    own files, which must also be the user's and not a symbolic link (UnsafePathError)."""
    if private:
        fd = _open_private(path, os.O_RDONLY)
    else:
        fd = os.open(str(path), os.O_RDONLY | _NONBLOCK | _CLOEXEC)  # a FIFO: no wait
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(
                errno.EINVAL, f"not a regular file ({_kind(st.st_mode)})", str(path)
            )
        if private:
            check_owned(path, st)
        data = b""
        while len(data) <= limit:  # never more than one byte past the limit
            chunk = os.read(fd, limit + 1 - len(data))
            if not chunk:
                break
            data += chunk
        return data
    finally:
        os.close(fd)


def read_json(path: Path, default: Any) -> Any:
    """The JSON in ``path``, which must have the type of ``default``; ``default`` when the
    file does not exist. LocalFileError / CorruptFileError / UnsafePathError otherwise,
    naming the file. Read as every local file is: see ``read_regular_file``."""
    check_directory(path.parent)
    try:
        data = read_regular_file(path, MAX_FILE_BYTES, private=True)
    except FileNotFoundError:
        return default
    except NotRegularFile as exc:
        raise LocalFileError(f"cannot read {path}: {exc.strerror}", path=path) from None
    except OSError as exc:
        raise LocalFileError(f"cannot read {path}: {exc.strerror or exc}", path=path) from None
    if len(data) > MAX_FILE_BYTES:
        raise CorruptFileError(
            f"{path} is corrupt: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", path=path
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptFileError(f"{path} is corrupt: not UTF-8 text", path=path) from None
    try:
        parsed = strict_json(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else f" ({exc})"
        raise CorruptFileError(f"{path} is corrupt: not valid JSON{where}", path=path) from None
    if not isinstance(parsed, type(default)):
        raise CorruptFileError(
            f"{path} is corrupt: expected a JSON {type(default).__name__}", path=path
        )
    return parsed


# -- writing ----------------------------------------------------------------------------


def private_tempfile(path: Path) -> str:
    """A new temporary file beside ``path``, readable by its owner only (0600)."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, PRIVATE_FILE)  # mkstemp's 0600, less what the umask took
    finally:
        os.close(fd)
    return tmp


def replace_atomically(tmp: str, path: Path) -> None:
    """Move a finished temporary file over ``path`` (a link there is replaced, never
    followed); remove it if that fails."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise LocalFileError(f"cannot write {path}: {exc.strerror or exc}", path=path) from None


def atomic_write_text(path: Path, text: str, mode: int = PRIVATE_FILE) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never
    half; the file gets ``mode`` (0600 unless said otherwise), whatever the umask."""
    tmp = private_tempfile(path)
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != PRIVATE_FILE:
            os.chmod(tmp, mode)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise LocalFileError(f"cannot write {path}: {exc.strerror or exc}", path=path) from None
        raise
    replace_atomically(tmp, path)


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def lock_path(path: Path) -> Path:
    """The file through which ``path`` is locked: ``.<name>.lock`` beside it."""
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (through ``lock_path(path)``: a regular file of
    the user's, never a link followed), waiting at most ``timeout`` seconds."""
    ensure_private_dir(path.parent)
    lock_file = lock_path(path)
    try:
        try:
            fd = _open_private(lock_file, os.O_RDWR | os.O_CREAT | os.O_EXCL)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, PRIVATE_FILE)
        except FileExistsError:
            fd = _open_private(lock_file, os.O_RDWR)
    except UnsafePathError:
        raise
    except OSError as exc:
        raise LocalFileError(f"cannot lock {path}: {exc.strerror or exc}", path=path) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LocalFileError(
                f"cannot lock {path}: {lock_file} is {_kind(st.st_mode)}", path=lock_file
            )
        check_owned(lock_file, st)
        _acquire(fd, lock_file, path, timeout)
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


def update_json(
    path: Path, default: Any, change: Callable[[Any], T], *, timeout: float = LOCK_TIMEOUT
) -> T:
    """Read ``path`` (``default`` if missing), let ``change`` modify the data in place,
    write it back — all under the file's lock (waited for at most ``timeout`` seconds),
    so concurrent updates are never lost. Returns what ``change`` returned; if that is
    ``NO_CHANGE``, nothing is written."""
    with locked(path, timeout):
        data = read_json(path, default)
        result = change(data)
        if result is not NO_CHANGE:
            write_json(path, data)
        return result
