"""The retry policy, as named functions. The numbers are in :mod:`._constants`.

What is retried:
- on every call, codes 1005 and 1215: the server refused and did nothing;
- on calls that are safe to repeat (reads, the token exchange, ``close``, which answers
  1219 the second time), transport failures too: connection errors, timeouts, HTTP 5xx
  408, 425 and 429 (never another 3xx or 4xx: the same request gets the same answer).
``create`` and ``pause`` are never retried on a transport failure: once the request may
have reached the server, repeating it could start a second billable session.
"""

from __future__ import annotations

import math
import random
from typing import Any, Mapping, Optional

from akool_cli.api._constants import BACKOFF_BASE, BACKOFF_CAP
from akool_cli.api.errors import (
    AkoolError,
    CABundleError,
    CertificateError,
    ServiceBusyError,
    TransportError,
)


def backoff_delay(attempt: int, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP) -> float:
    """Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2**attempt)]."""
    return random.uniform(0, min(cap, base * (2**attempt)))


def retry_after(headers: Optional[Mapping[str, Any]]) -> Optional[float]:
    """A server's ``Retry-After`` in seconds, or None when absent or not a number. The
    caller decides whether to wait that long (the client: only within its timeout)."""
    value = headers.get("Retry-After") if headers is not None else None
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if math.isnan(seconds) or seconds < 0:
        return None
    return seconds


def should_retry(error: AkoolError, *, idempotent: bool) -> bool:
    """Whether a call that failed with ``error`` may be sent again."""
    if isinstance(error, ServiceBusyError):
        return True
    status = getattr(error.response, "status_code", None)
    if isinstance(status, int) and 300 <= status < 500 and status not in (408, 425, 429):
        return False  # a redirect, a wrong path: asking again gets the same answer
    if isinstance(error, (CertificateError, CABundleError)):
        return False  # this side's TLS set-up: the same answer every time
    return idempotent and isinstance(error, TransportError)


def delay_for(error: AkoolError, attempt: int) -> float:
    """How long to wait before retry number ``attempt + 1``: what the server asked for
    (``Retry-After``, uncapped: see ``Client._call``), else the backoff."""
    response = error.response
    hinted = retry_after(getattr(response, "headers", None))
    return hinted if hinted is not None else backoff_delay(attempt)
