"""The models of the API's answers: a session and its status (``session``, ``status``: the
one vocabulary of statuses), and the catalog's avatars, voices and languages
(``catalog``, loaded when first asked for: a session's commands never pay for it)."""

from typing import Any

from akool_cli.api.types.session import (
    STREAM_LABELS,
    Session,
    StreamUrls,
    is_secret_key,
    object_id_time,
)
from akool_cli.api.types.status import (
    ENDED,
    FAILED,
    LIVE,
    OVER,
    QUEUEING,
    STATUS_BY_NAME,
    STATUS_NAMES,
    STATUS_WORDS,
    parse_status,
    status_label,
    status_word,
)

__all__ = [
    "ENDED",
    "FAILED",
    "LIVE",
    "OVER",
    "QUEUEING",
    "STATUS_BY_NAME",
    "STATUS_NAMES",
    "STATUS_WORDS",
    "STREAM_LABELS",
    "Avatar",
    "Language",
    "Session",
    "StreamUrls",
    "Voice",
    "is_secret_key",
    "object_id_time",
    "parse_status",
    "status_label",
    "status_word",
]


def __getattr__(name: str) -> Any:
    if name in ("Avatar", "Voice", "Language"):
        from akool_cli.api.types import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
