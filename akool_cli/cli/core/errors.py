"""The exit-code contract (documented in the README and `akool help exit-codes`) and the
errors the CLI raises itself. Importing it costs nothing."""

from __future__ import annotations

from enum import IntEnum
from typing import Optional


class ExitCode(IntEnum):
    OK = 0
    API = 1  # another API error, an unreadable local file, an internal error
    USAGE = 2  # bad options or input, refused before any request
    AUTH = 3  # no credential, or the API rejected it
    NOT_FOUND = 4
    PERMISSION = 5  # no permission, cannot be operated, account banned
    INVALID_PARAMETER = 6  # the API said a parameter is wrong (1003)
    NETWORK = 7  # unreachable, timed out, 5xx/429, not the API's JSON, still busy
    SESSION = 8  # the session failed or ended
    TIMEOUT = 9  # a wait or an answer took longer than allowed
    PAYMENT = 10  # the account cannot pay: quota, credit, subscription
    INTERRUPTED = 130  # Ctrl-C (SIGINT), SIGHUP, SIGQUIT
    TERMINATED = 143  # SIGTERM


# What each code means, for `akool help exit-codes` (the README's table says the same).
MEANINGS = {
    ExitCode.OK: "success",
    ExitCode.API: "another API error (any other business code), an unreadable local file, "
    "stdout that cannot be written, or an internal error (a bug; --debug shows the trace)",
    ExitCode.USAGE: "usage: bad options or input, refused before any request",
    ExitCode.AUTH: "authentication: no credential, invalid or expired, no such account, "
    "needs verification (codes 1101, 1102, 1109, 1004)",
    ExitCode.NOT_FOUND: "not found (codes 1008, 1014, 1216)",
    ExitCode.PERMISSION: "permission denied, cannot be operated, or account banned "
    "(codes 1009, 1010, 1200)",
    ExitCode.INVALID_PARAMETER: "invalid parameter (code 1003)",
    ExitCode.NETWORK: "network, server or protocol: unreachable, timed out, HTTP 5xx/429, "
    "a body that is not the API's JSON, or the service still refusing after retries "
    "(codes 1005, 1215)",
    ExitCode.SESSION: "the session failed or ended: status 4, or 3 before it was live, "
    "or code 1219 (closing an ended session is not an error)",
    ExitCode.TIMEOUT: "timed out waiting: --wait-timeout, or a chat answer past --answer-timeout",
    ExitCode.PAYMENT: "the account cannot pay: quota, credit, payment or subscription "
    "(codes 1006, 1103, 1104, 1213, 1221)",
    ExitCode.INTERRUPTED: "interrupted: Ctrl-C, the terminal closed (SIGHUP), SIGQUIT",
    ExitCode.TERMINATED: "terminated: SIGTERM",
}


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
