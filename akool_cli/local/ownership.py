"""What another local user could have prepared, and the directories this tool makes.

- Nothing another local user prepared is used (``check_directory``): a directory must be
  ours and writable by no one else (unless sticky, like /tmp), the one above it ours or
  root's on the same terms; a file in it must be ours and not a symbolic link
  (``check_own_file``, ``check_owned``).
- Only directories this tool creates are made private (0700, ``ensure_private_dir``); a
  directory the user pointed us at keeps its mode: the user is told what to change, it
  is never changed — and which variable moves it (``chosen_by``).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Dict, Optional

from akool_cli.local.errors import LocalFileError, UnsafePathError

PRIVATE_DIR = 0o700

_SETTINGS: Dict[str, str] = {}  # a directory chosen here -> the variable that moves it


def chosen_by(directory: Path, variable: str) -> None:
    """Remember that ``variable`` moves ``directory`` (and what is inside it), for the
    advice of a refusal."""
    _SETTINGS[os.path.abspath(directory)] = variable


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


def refuse(path: Path, why: str, fix: str) -> UnsafePathError:
    """The error refusing ``path``: why, and what the user may do."""
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
            raise refuse(
                directory,
                f"it belongs to another user (uid {st.st_uid})",
                _moved_by(directory),
            )
        if _writable_by_others(st):
            raise refuse(
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
        raise refuse(
            directory,
            f"{above}, the directory above it, belongs to another user (uid {up.st_uid})",
            _moved_by(directory),
        )
    if _writable_by_others(up):
        raise refuse(
            directory,
            f"other users can write to {above}, the directory above it "
            f"(mode {stat.S_IMODE(up.st_mode):04o})",
            f"make it yours alone (chmod go-w {above}) or {_moved_by(directory)}",
        )


def check_owned(path: Path, st: os.stat_result) -> None:
    """Refuse (UnsafePathError) a file another user owns, from its ``stat``."""
    euid = _euid()
    if euid is not None and st.st_uid != euid:
        raise refuse(path, f"it belongs to another user (uid {st.st_uid})", "remove it")


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
        raise refuse(path, "it is a symbolic link, where a file should be", "remove the link")
    check_owned(path, st)


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
