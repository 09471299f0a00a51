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
EXIT_PAYMENT = 10
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


class PaymentRequiredError(APIError):
    """The account cannot pay for it: quota, credit, payment or subscription."""

    exit_code = EXIT_PAYMENT


class SessionEndedError(APIError):
    """The session is over (closed, timed out, or failed); code 1219 from the API."""

    exit_code = EXIT_SESSION_FAILED


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


class ServiceBusyError(TransportError):
    """The server refused the call and did nothing: 1005 ("Frequent operation") or 1215
    (busy). Retried on every endpoint; what is left after the retries exits 7."""


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


# Business codes -> error classes (the vendor's table; API-NOTES "Business codes").
_BY_CODE = {
    1003: InvalidParameterError,
    **dict.fromkeys((1008, 1014, 1216), NotFoundError),
    **dict.fromkeys((1009, 1010, 1200), PermissionDeniedError),
    **dict.fromkeys((1101, 1102, 1109, 1004), AuthenticationError),
    **dict.fromkeys((1006, 1103, 1104, 1213, 1221), PaymentRequiredError),
    **dict.fromkeys((1005, 1215), ServiceBusyError),
    1219: SessionEndedError,
}
RETRYABLE_CODES = frozenset((1005, 1215))

_HINTS = {
    1101: "log in again with `akool auth login`, or check AKOOL_TOKEN / AKOOL_API_KEY",
    1102: "log in with `akool auth login`, or set AKOOL_API_KEY",
    1109: "check the credential: the API knows no such account",
    1004: "the account needs verification on akool.com",
    1200: "contact Akool support about the account",
    1005: "the service is limiting calls; wait a moment and try again",
    1215: "the live avatar service is busy; try again in a moment",
    1006: "the account's quota is used up; top it up on akool.com",
    1104: "the account's credit is used up; top it up on akool.com",
    1103: "the account has an unpaid or overdue payment",
    1213: "this needs a subscription",
    1221: "this needs a subscription",
}


def error_for_code(code: int, msg: str, *, response: Any = None) -> AkoolError:
    """The error instance for a business code other than 1000."""
    cls = _BY_CODE.get(code, APIError)
    message = msg.strip() if isinstance(msg, str) and msg.strip() else "the API reported an error"
    return cls(message, code=code, hint=_HINTS.get(code), response=response)
