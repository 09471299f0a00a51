"""Where files live, and reading and writing them safely."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Mapping

from akool_cli.local.errors import CorruptFileError, LocalFileError


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
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            directory.chmod(0o700)
    except OSError as exc:
        raise LocalFileError(
            f"cannot create {directory}: {exc.strerror or exc}", path=directory
        ) from None


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise LocalFileError(f"cannot write {path}: {exc.strerror or exc}", path=path) from None
        raise


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
        data = json.loads(text)
    except ValueError as exc:
        raise CorruptFileError(
            f"{path} is corrupt: not valid JSON (line {getattr(exc, 'lineno', '?')})", path=path
        ) from None
    if not isinstance(data, type(default)):
        raise CorruptFileError(
            f"{path} is corrupt: expected a JSON {type(default).__name__}", path=path
        )
    return data
