"""The session's time in the chat prompt (v4: a session has a duration): the time left
when the prompt starts, and one warning a minute before the end — shown above the prompt
if it is waiting, else after the answer being given."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Callable, Iterator, Optional

WARN_BEFORE = 60.0  # seconds before the end of the session's duration


def spell(seconds: float) -> str:
    """``9 min 58 s``, ``45 s``."""
    whole = max(0, int(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


class SessionClock:
    """``with clock:`` for the prompt's life; ``idle()`` while a question is read."""

    def __init__(
        self,
        io: Any,
        ends_at: Optional[float],
        show: Optional[Callable[[Callable[[], object]], None]] = None,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.io = io
        self.ends_at = ends_at
        self.show = show
        self._now = now
        self._timer: Optional[threading.Timer] = None
        self._lock = threading.Lock()
        self._idle = False
        self._pending: Optional[str] = None
        self.warned = False

    def __enter__(self) -> SessionClock:
        if self.ends_at is None:
            return self
        left = self.ends_at - self._now()
        self.io.info(f"Session time left: {spell(left)}.")
        if left > WARN_BEFORE:
            self._timer = threading.Timer(left - WARN_BEFORE, self._warn)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _warn(self) -> None:
        assert self.ends_at is not None
        line = f"the session ends in {spell(self.ends_at - self._now())}"
        with self._lock:
            self.warned = True
            if not (self._idle and self.show is not None):
                self._pending = line  # said after the answer being given
                return
        self.show(lambda: self.io.warn(line))

    @contextlib.contextmanager
    def idle(self) -> Iterator[None]:
        with self._lock:
            self._idle = True
            pending, self._pending = self._pending, None
        if pending is not None:
            self.io.warn(pending)
        try:
            yield
        finally:
            with self._lock:
                self._idle = False

    def after_answer(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            self.io.warn(pending)
