"""The models' old home, kept so that ``from akool_cli.api.models import Session`` goes on
working: they live in :mod:`akool_cli.api.types` now."""

from typing import Any

from akool_cli.api.types import (
    STATUS_BY_NAME,
    STREAM_LABELS,
    Session,
    StreamUrls,
    is_secret_key,
    object_id_time,
    parse_status,
    status_label,
    status_word,
)
from akool_cli.api.types._shape import expect_list, expect_object

__all__ = [
    "STATUS_BY_NAME",
    "STREAM_LABELS",
    "Session",
    "StreamUrls",
    "expect_list",
    "expect_object",
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
