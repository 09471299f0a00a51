"""Errors the CLI raises itself."""

from __future__ import annotations

from typing import Optional

from akool_cli.cli.exit_codes import ExitCode


class CLIError(Exception):
    def __init__(self, message: str, *, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CLIError):
    """Bad input, caught before any request was sent (exit 2)."""


class CommandError(CLIError):
    """A failure a command describes itself, with its exit code (and the API's code)."""

    def __init__(
        self,
        message: str,
        *,
        exit_code: int,
        hint: Optional[str] = None,
        code: Optional[int] = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.exit_code = ExitCode(exit_code)
        self.code = code


class Interrupted(CLIError):
    """Raised in place of KeyboardInterrupt or a termination signal, so cleanup runs."""

    def __init__(self, message: str = "interrupted", exit_code: int = ExitCode.INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = ExitCode(exit_code)
