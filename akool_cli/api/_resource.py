"""What every resource shares: the client it calls through, and the one polling loop that
waits for something to reach a state (a session live, an uploaded avatar ready)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable, Optional, TypeVar

from akool_cli.api._constants import WAIT_FIRST_DELAY, WAIT_GROWTH, WAIT_MAX_DELAY
from akool_cli.api.errors import (
    APIConnectionError,
    APITimeoutError,
    ServerError,
    ServiceBusyError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from akool_cli.api.client import Client

T = TypeVar("T")
# What a wait outlasts (each poll has already retried): the service unreachable, slow,
# failing or busy. A protocol error is not an outage: it is raised at once.
OUTAGES = (APIConnectionError, APITimeoutError, ServerError, ServiceBusyError)


class Resource:
    """A group of endpoints on ``client``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    @property
    def version(self) -> str:
        """The API version this resource speaks: its client's."""
        return self._client.api_version

    def _wait_for(
        self,
        look: Callable[[float], Optional[T]],
        arrived: Callable[[T], bool],
        *,
        timeout: float,
        late: str,
        on_status: Optional[Callable[[T, float], None]] = None,
        first_delay: float = WAIT_FIRST_DELAY,
        max_delay: float = WAIT_MAX_DELAY,
        clock: Callable[[], float] = time.monotonic,
        wait_first: bool = False,
        still: Optional[Callable[[T], str]] = None,
    ) -> T:
        """Poll ``look(deadline)`` with growing pauses until ``arrived(found)`` (which
        raises for a state that can never arrive); ``look`` may find nothing (None).
        WaitTimeoutError(``late``) once ``timeout`` seconds have passed — each poll's
        own timeout is cut to what is left, so a slow service cannot stretch the wait —
        saying, by ``still``, what was last seen (``: it was still queueing``), or the
        outage that hid it. ``wait_first``: the caller has just seen it, so the first
        poll waits."""
        started = clock()
        deadline = time.monotonic() + timeout
        delay = first_delay
        last: Optional[T] = None

        def too_late(outage: Optional[Exception] = None) -> WaitTimeoutError:
            # A poll the deadline cut short (no answer in the time left) hides nothing: what
            # was last seen is the news. Another outage is, when nothing was seen.
            cut_short = outage is None or isinstance(outage, APITimeoutError)
            if last is not None and still is not None and cut_short:
                return WaitTimeoutError(f"{late}: {still(last)}")
            return WaitTimeoutError(f"{late} ({outage})" if outage is not None else late)

        if wait_first:
            self._client._sleep(min(delay, timeout))
            delay = min(delay * WAIT_GROWTH, max_delay)
        while True:
            try:
                found = look(deadline)
            except OUTAGES as exc:
                if clock() - started >= timeout or time.monotonic() >= deadline:
                    raise too_late(exc) from None
                found = None
            elapsed = clock() - started
            if found is not None:
                last = found
                if on_status is not None:
                    on_status(found, elapsed)
                if arrived(found):
                    return found
            remaining = timeout - elapsed
            if remaining <= 0:
                raise too_late()
            self._client._sleep(min(delay, remaining))
            delay = min(delay * WAIT_GROWTH, max_delay)
