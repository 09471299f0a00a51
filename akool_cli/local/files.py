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
- Nothing another local user prepared is used (``check_directory``): a directory must be
  ours and writable by no one else (unless sticky, like /tmp), the one above it ours or
  root's on the same terms; a file in it must be ours and not a symbolic link.
- Only directories this tool creates are made private (0700); a directory the user
  pointed us at keeps its mode: the user is told what to change, it is never changed.
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
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, TypeVar

from akool_cli._json import strict_json
from akool_cli.local.errors import CorruptFileError, LocalFileError, UnsafePathError

T = TypeVar("T")
LOCK_TIMEOUT = 10.0  # seconds to wait for another process to finish with a file
MAX_FILE_BYTES = 16 * 1024 * 1024  # a local JSON file: a few hundred KiB at the most
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

_SETTINGS: Dict[str, str] = {}  # a directory chosen here -> the variable that moves it


def config_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_CONFIG_DIR")
    if override:
        found = Path(override).expanduser()
    else:
        import platformdirs  # only when a command needs it; keeps `akool --help` light

        found = Path(platformdirs.user_config_dir("akool"))
    _SETTINGS[os.path.abspath(found)] = "AKOOL_CONFIG_DIR"
    return found


def state_dir(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("AKOOL_STATE_DIR")
    if override:
        found = Path(override).expanduser()
    else:
        import platformdirs

        found = Path(platformdirs.user_state_dir("akool"))
    _SETTINGS[os.path.abspath(found)] = "AKOOL_STATE_DIR"
    return found


# -- what another local user could have prepared ------------------------------------------


def _euid() -> Optional[int]:
    return os.geteuid() if hasattr(os, "geteuid") else None  # no owners to compare: Windows


def _own_group(gid: int) -> bool:
    """A user's private group (named after the user, the user's primary group, no one
    else in it): writable by it is writable by the user alone, as Debian's OpenSSH
    holds. Common where the umask is 002."""
    try:
        import grp
        import pwd

        user = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(gid)
    except (ImportError, KeyError, OSError):
        return False
    return (
        gid == user.pw_gid and group.gr_name == user.pw_name and set(group.gr_mem) <= {user.pw_name}
    )


def _writable_by_others(st: os.stat_result) -> bool:
    if st.st_mode & stat.S_ISVTX:  # sticky, like /tmp: no one else may rename what is ours
        return False
    if st.st_mode & stat.S_IWOTH:
        return True
    return bool(st.st_mode & stat.S_IWGRP) and not _own_group(st.st_gid)


def _moved_by(directory: Path) -> str:
    """How to use another directory instead of ``directory`` (one ``config_dir`` or
    ``state_dir`` chose, or one inside it): the variable that moves it."""
    where = os.path.abspath(directory)
    for root, name in _SETTINGS.items():
        if where == root or where.startswith(root.rstrip(os.sep) + os.sep):
            return f"set {name} to a directory of your own"
    return "use a directory of your own"


def _refuse(path: Path, why: str, fix: str) -> UnsafePathError:
    return UnsafePathError(f"refusing to use {path}: {why}; {fix}", path=path)


def check_directory(directory: Path) -> None:
    """Refuse (UnsafePathError) a directory another local user prepared or can change:
    ``directory``, if it exists, must be ours and writable by no one else (or sticky);
    the directory above it (the nearest that exists) ours or root's, on the same terms.
    Never changes a mode: the error says what the user may do."""
    euid = _euid()
    if euid is None:
        return
    directory = Path(os.path.abspath(directory))
    try:
        st: Optional[os.stat_result] = os.stat(directory)  # a link: what it names counts
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise LocalFileError(
            f"cannot use {directory}: {exc.strerror or exc}", path=directory
        ) from None
    if st is not None:
        if not stat.S_ISDIR(st.st_mode):
            raise LocalFileError(f"cannot use {directory}: not a directory", path=directory)
        if st.st_uid != euid:
            raise _refuse(
                directory,
                f"it belongs to another user (uid {st.st_uid})",
                _moved_by(directory),
            )
        if _writable_by_others(st):
            raise _refuse(
                directory,
                f"other users can write to it (mode {stat.S_IMODE(st.st_mode):04o})",
                f"make it yours alone (chmod go-w {directory}) or {_moved_by(directory)}",
            )
    above = directory.parent
    while True:
        try:
            up = os.stat(above)
            break
        except FileNotFoundError:
            if above.parent == above:
                return
            above = above.parent
        except OSError:
            return  # cannot look: creating or reading below it will say why
    if up.st_uid not in (euid, 0):
        raise _refuse(
            directory,
            f"{above}, the directory above it, belongs to another user (uid {up.st_uid})",
            _moved_by(directory),
        )
    if _writable_by_others(up):
        raise _refuse(
            directory,
            f"other users can write to {above}, the directory above it "
            f"(mode {stat.S_IMODE(up.st_mode):04o})",
            f"make it yours alone (chmod go-w {above}) or {_moved_by(directory)}",
        )


def _check_owned(path: Path, st: os.stat_result) -> None:
    euid = _euid()
    if euid is not None and st.st_uid != euid:
        raise _refuse(path, f"it belongs to another user (uid {st.st_uid})", "remove it")


def check_own_file(path: Path) -> None:
    """Refuse (UnsafePathError) a symbolic link at ``path``, or a file another user owns;
    a missing file is fine. For files opened by others' code (SQLite)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LocalFileError(f"cannot use {path}: {exc.strerror or exc}", path=path) from None
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(path, "it is a symbolic link, where a file should be", "remove the link")
    _check_owned(path, st)


def ensure_private_dir(directory: Path) -> None:
    """Check ``directory`` (see ``check_directory``), then create it and every missing
    directory above it, each 0700 whatever the umask; an existing one keeps its mode."""
    check_directory(directory)
    if directory.is_dir():
        return
    missing = []
    here = Path(os.path.abspath(directory))
    while not here.exists() and here.parent != here:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, PRIVATE_DIR)
        except FileExistsError:
            if not path.is_dir():
                raise LocalFileError(
                    f"cannot create {path}: a file is in the way", path=path
                ) from None
            continue  # another process made it a moment ago
        except OSError as exc:
            raise LocalFileError(
                f"cannot create {path}: {exc.strerror or exc}", path=path
            ) from None
        with contextlib.suppress(OSError):
            os.chmod(path, PRIVATE_DIR)  # ours: the umask may have taken bits away


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
            raise _refuse(
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
            _check_owned(path, st)
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
        _check_owned(lock_file, st)
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
