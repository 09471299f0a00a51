"""Errors raised by the API client, each mapped to one of the CLI's exit codes.

This module imports nothing heavy (no requests), so the CLI can name the error
classes without paying for the HTTP stack.
"""

from __future__ import annotations

from typing import Any, Optional

# The exit-code contract, in one place.
EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_PERMISSION = 5
EXIT_INVALID_PARAMETER = 6
EXIT_NETWORK = 7
EXIT_SESSION_FAILED = 8
EXIT_TIMEOUT = 9
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class AkoolError(Exception):
    """Base class of every error this project raises on purpose.

    ``message`` is one line for a person; ``hint`` is an optional second line.
    ``code`` is the API's business code when the API gave one, and ``response``
    the HTTP response it came with (if any), for callers that want more.
    """

    exit_code: int = EXIT_API

    def __init__(
        self,
        message: str,
        *,
        code: Optional[int] = None,
        hint: Optional[str] = None,
        response: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.response = response

    def __str__(self) -> str:
        if self.code is not None:
            return f"{self.message} (code {self.code})"
        return self.message


class UsageError(AkoolError):
    """Bad input caught before any request was sent."""

    exit_code = EXIT_USAGE


class ConfigError(AkoolError):
    """A configuration or credential file that cannot be read or written."""

    exit_code = EXIT_API


class APIError(AkoolError):
    """The API answered with a business code other than 1000."""

    exit_code = EXIT_API


class InvalidParameterError(APIError):
    exit_code = EXIT_INVALID_PARAMETER


class NotFoundError(APIError):
    exit_code = EXIT_NOT_FOUND


class PermissionDeniedError(APIError):
    exit_code = EXIT_PERMISSION


class AuthenticationError(APIError):
    exit_code = EXIT_AUTH


class NoCredentialError(AuthenticationError):
    """No credential was found anywhere; nothing was sent."""


class TransportError(AkoolError):
    """The service could not be reached or did not speak the protocol."""

    exit_code = EXIT_NETWORK


class APIConnectionError(TransportError):
    pass


class APITimeoutError(TransportError):
    pass


class ServerError(TransportError):
    """HTTP 5xx or 429 from the service."""


class ProtocolError(TransportError):
    """A body that is not JSON, or JSON that is not what the contract describes."""


class SessionFailedError(AkoolError):
    exit_code = EXIT_SESSION_FAILED


class WaitTimeoutError(AkoolError):
    exit_code = EXIT_TIMEOUT


class Interrupted(AkoolError):
    """Raised in place of KeyboardInterrupt/SIGTERM so cleanup code runs."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, message: str = "interrupted", *, exit_code: int = EXIT_INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


_BY_CODE = {
    1003: InvalidParameterError,
    1008: NotFoundError,
    1009: PermissionDeniedError,
    1200: PermissionDeniedError,
    1101: AuthenticationError,
    1102: AuthenticationError,
}

_HINTS = {
    1101: "log in again with `akool auth login`, or check AKOOL_TOKEN / AKOOL_API_KEY",
    1102: "log in with `akool auth login`, or set AKOOL_API_KEY",
    1200: "contact Akool support about the account",
}


def error_for_code(code: int, msg: str, *, response: Any = None) -> APIError:
    """The error instance for a business code other than 1000."""
    cls = _BY_CODE.get(code, APIError)
    message = msg.strip() if isinstance(msg, str) and msg.strip() else "the API reported an error"
    return cls(message, code=code, hint=_HINTS.get(code), response=response)
