"""The fault switches of the emulator's API routes: which endpoint, what happens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from akool_cli.emulator.session import VERSIONS

# Fault targets: a session call by its last word, anything else by its path.
ENDPOINTS = (
    "getToken",
    "create",
    "detail",
    "close",
    "pause",
    "list",
    "avatar/list",
    "avatar/detail",
    "avatar/create",
    "voice/list",
    "language/list",
    "faceswap/quota/info",
    "knowledge/list",
    "knowledge/detail",
    "knowledge/create",
    "knowledge/update",
    "knowledge/delete",
)


@dataclass
class Fault:
    """One fault switch. ``endpoint`` None means every API endpoint; an endpoint both
    versions have (``create``, ``list``, ``avatar/list``…) is hit in either, unless
    ``version`` (``v3`` or ``v4``) names one.

    Exactly what happens, in order: wait ``delay`` seconds; then, if ``code`` is
    set, answer that business code with HTTP 200; if ``http_status`` is set, answer
    that status with ``body`` (HTML by default); if ``reset``, start a JSON body and
    drop the connection; if ``truncate``, send a complete response whose JSON is
    cut short; otherwise answer normally. ``retry_after`` adds that header to a code's or
    a status's answer. ``times`` limits how often it fires.
    """

    endpoint: Optional[str] = None
    code: Optional[int] = None
    msg: Optional[str] = None
    http_status: Optional[int] = None
    body: Optional[str] = None
    content_type: str = "text/html"
    delay: float = 0.0
    reset: bool = False
    truncate: bool = False
    not_envelope: bool = False
    retry_after: Optional[str] = None  # a Retry-After header on the answer (HTTP error or code)
    times: Optional[int] = None
    version: Optional[str] = None

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        if not isinstance(data, dict):
            raise ValueError("a fault is a JSON object")
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        fault = cls(**data)
        if fault.endpoint is not None and fault.endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {fault.endpoint!r}; one of {', '.join(ENDPOINTS)}")
        if fault.version not in (None, *VERSIONS):
            raise ValueError(f"unknown version {fault.version!r}; one of {', '.join(VERSIONS)}")
        return fault
