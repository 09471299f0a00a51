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


class LoginRejected(CLIError):
    """The API rejected the credential given to ``auth login``; nothing was stored."""

    def __init__(self, message: str, *, code: Optional[int] = None) -> None:
        super().__init__(message, hint="nothing was stored; check the key or secret")
        self.code = code


class EmulatorError(CLIError):
    """The emulator cannot run (its extra is missing, its port is taken)."""


class NotAvailable(CLIError):
    """What was asked for does not exist here (no player, no pull URL to play)."""


class Interrupted(CLIError):
    """Raised in place of KeyboardInterrupt or a termination signal, so cleanup runs."""

    def __init__(self, message: str = "interrupted", exit_code: int = ExitCode.INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = ExitCode(exit_code)
