"""A client library for Akool's Live Avatar API. It knows nothing of the command line.

    from akool_cli.api import Client, Credential

    with Client(credential=Credential("api_key", key)) as client:  # v4 unless api_version
        session = client.sessions.create("dvp_Tristan_cloth2_1080P", duration=600)
        client.sessions.wait_live(session.id, timeout=120)

Importing this package is cheap: the HTTP stack (requests) loads with :class:`Client`.
"""

from typing import Any

from akool_cli.api._constants import (
    API_PREFIX,
    API_VERSIONS,
    BUILTIN_AVATARS,
    CONNECT_TIMEOUT_CAP,
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    DEFAULT_DURATION,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    DURATION_RANGE,
    MAX_RETRIES_LIMIT,
    V4_AVATAR,
)
from akool_cli.api.types.status import (
    ENDED,
    FAILED,
    LIVE,
    OVER,
    QUEUEING,
    STATUS_NAMES,
    STATUS_WORDS,
)

__all__ = [
    "API_PREFIX",
    "API_VERSIONS",
    "BUILTIN_AVATARS",
    "CONNECT_TIMEOUT_CAP",
    "DEFAULT_API_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_DURATION",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
    "DURATION_RANGE",
    "ENDED",
    "FAILED",
    "LIVE",
    "MAX_RETRIES_LIMIT",
    "OVER",
    "QUEUEING",
    "STATUS_NAMES",
    "STATUS_WORDS",
    "V4_AVATAR",
    "Client",
    "ClientCredentials",
    "Credential",
    "backoff_delay",
    "redact_url",
]


def __getattr__(name: str) -> Any:
    if name == "Client":
        from akool_cli.api.client import Client

        return Client
    if name in ("Credential", "ClientCredentials"):
        from akool_cli.api import auth

        return getattr(auth, name)
    if name == "backoff_delay":
        from akool_cli.api._retry import backoff_delay

        return backoff_delay
    if name == "redact_url":
        from akool_cli._urls import redact_url

        return redact_url
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
