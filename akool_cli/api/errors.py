"""The errors the client raises. They carry data only — a one-line ``message``, the API's
business ``code`` when it gave one, and the HTTP ``response`` they came with — and no
advice: what to tell a person, and with what exit code, is the caller's business.

This module imports nothing heavy (no requests), so a caller can name the classes cheaply.
"""

from __future__ import annotations

from typing import Any, Optional


class AkoolError(Exception):
    """Base class of every error this library raises on purpose. ``retry_after``: the
    seconds the server asked to wait before calling again, when that was too long to wait."""

    retry_after: Optional[float] = None

    def __init__(self, message: str, *, code: Optional[int] = None, response: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.response = response

    def __str__(self) -> str:
        if self.code is not None:
            return f"{self.message} (code {self.code})"
        return self.message


# -- the API answered with a business code other than 1000 ----------------------------


class APIError(AkoolError):
    """A business code with no more specific class."""


class InvalidParameterError(APIError):
    """1003: a parameter is wrong or missing; 1233: a knowledge base's name is taken."""


class NotFoundError(APIError):
    """1008, 1014, 1216, 1232: no such content, resource, session or knowledge base."""


class PermissionDeniedError(APIError):
    """1009, 1010, 1200: no permission, cannot be operated, account banned."""


class AuthenticationError(APIError):
    """1101, 1102, 1109, 1004: bad or missing token, no such account, needs verification."""


class NoCredentialError(AuthenticationError):
    """No credential was given at all; nothing was sent."""


class PaymentRequiredError(APIError):
    """1006, 1103, 1104, 1213, 1221: the account cannot pay (quota, credit, subscription)."""


class SessionEndedError(APIError):
    """The session is over: code 1219, or a status of 3 where a live session was needed."""


class ServiceBusyError(APIError):
    """1005 ("Frequent operation") or 1215 (busy): the server refused and did nothing, so
    the call is retried whatever it is; raised once the retries are spent."""


# -- the service could not be reached, or did not speak the protocol ------------------


class TransportError(AkoolError):
    """Base class of the errors below: nothing usable came back."""


class APIConnectionError(TransportError):
    """The service could not be reached."""


class IncompleteResponseError(APIConnectionError):
    """The service was reached, but the answer did not arrive whole."""


class ProxyConnectionError(APIConnectionError):
    """The proxy the environment names (``proxy``) could not be reached or refused: the
    request never got to the service."""

    def __init__(self, message: str, *, proxy: str, response: Any = None) -> None:
        super().__init__(message, response=response)
        self.proxy = proxy


class CertificateError(APIConnectionError):
    """TLS failed: the server's certificate is not trusted here, or the handshake broke
    (``untrusted`` says which). Asking again gets the same answer."""

    def __init__(self, message: str, *, untrusted: bool, response: Any = None) -> None:
        super().__init__(message, response=response)
        self.untrusted = untrusted


class CABundleError(APIConnectionError):
    """The CA bundle the environment names (``variable``) cannot be used; nothing was sent."""

    def __init__(self, message: str, *, variable: str, response: Any = None) -> None:
        super().__init__(message, response=response)
        self.variable = variable


class APITimeoutError(TransportError):
    """No answer within the timeout."""


class ServerError(TransportError):
    """HTTP 5xx or 429 from the service (``status_code`` says which)."""

    def __init__(self, message: str, *, status_code: int, response: Any = None) -> None:
        super().__init__(message, response=response)
        self.status_code = status_code


class ProtocolError(TransportError):
    """A body that is not JSON, or JSON that is not what the contract describes."""


class RedirectError(ProtocolError):
    """The service answered with a redirect (``location``), which the API never does. It
    is not followed: a credential or a body must never reach another host."""

    def __init__(self, message: str, *, location: Optional[str], response: Any = None) -> None:
        super().__init__(message, response=response)
        self.location = location


class InsecureTransportError(AkoolError):
    """A credential would travel over plain HTTP to a host that is not this machine, or
    through a proxy that is not (``proxy_variable`` names where that proxy was set)."""

    def __init__(self, message: str, *, proxy_variable: Optional[str] = None) -> None:
        super().__init__(message)
        self.proxy_variable = proxy_variable


class InvalidCredentialError(AuthenticationError):
    """A credential that cannot be sent in an HTTP header (empty, a line break, a
    character outside printable ASCII); nothing was sent."""


class UnsupportedError(AkoolError):
    """What the client's API version lacks (a v4 session cannot be paused, a v3 create
    takes no duration); nothing was sent. ``api_version`` is the version that lacks it."""

    def __init__(self, message: str, *, api_version: str) -> None:
        super().__init__(message)
        self.api_version = api_version


# -- outcomes of waiting for a session ----------------------------------------------------


class SessionFailedError(AkoolError):
    """The session reached status 4 (failed)."""


class WaitTimeoutError(AkoolError):
    """What was waited for (a live session, a ready avatar) did not come in time."""


class AvatarFailedError(AkoolError):
    """An uploaded avatar reached status 4 (failed)."""


# Business codes -> classes (API-NOTES, "Business codes and what the CLI does with them").
_BY_CODE = {
    1003: InvalidParameterError,
    # 1232 (v4: no such knowledge base) and 1233 (its name is taken: a parameter to
    # change) are on the vendor's knowledge page, not in its error table.
    **dict.fromkeys((1008, 1014, 1216, 1232), NotFoundError),
    1233: InvalidParameterError,
    **dict.fromkeys((1009, 1010, 1200), PermissionDeniedError),
    **dict.fromkeys((1101, 1102, 1109, 1004), AuthenticationError),
    **dict.fromkeys((1006, 1103, 1104, 1213, 1221), PaymentRequiredError),
    **dict.fromkeys((1005, 1215), ServiceBusyError),
    1219: SessionEndedError,
}
TOKEN_REJECTED = 1101


def error_for_code(code: int, msg: Any, *, response: Any = None) -> APIError:
    """The error for a business code other than 1000, with the API's message."""
    cls = _BY_CODE.get(code, APIError)
    message = msg.strip() if isinstance(msg, str) and msg.strip() else "the API reported an error"
    return cls(message, code=code, response=response)
