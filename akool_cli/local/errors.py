"""Errors of local files and settings. Data only: what to advise is the caller's choice."""

from __future__ import annotations

from pathlib import Path
from typing import Optional


class LocalError(Exception):
    def __init__(self, message: str, *, path: Optional[Path] = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class LocalFileError(LocalError):
    """A file or directory that cannot be read or written."""


class CorruptFileError(LocalFileError):
    """A file that can be read but is not what it should be."""


class ForeignFileError(LocalFileError):
    """A file in our place that is not ours (a symbolic link, another application's
    database): refused, and left as it is."""


class SettingError(LocalError):
    """A setting (an environment variable) with a value that cannot be used."""


class UnsafePathError(LocalFileError):
    """A directory or file another local user prepared or could change (not the user's,
    writable by others, a symbolic link where a file should be): refused, never used."""
