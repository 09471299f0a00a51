"""While the chat prompt waits for a question: listen to the room and now and then check
the session, so that one closed elsewhere ends the chat then, not at the next question."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

IDLE_CHECK_SECONDS = 30.0  # between checks that the session still runs, while idle
LISTEN_SLICE = 0.2  # seconds the idle watch listens at a time (a question waits at most that)


class IdleWatch:
    """While the prompt waits: listen to the room (a late frame, its close) and, every
    ``every`` seconds or when the room closes, run ``check``, which raises when the
    session has ended. That error is kept in ``error`` and handed to ``interrupt`` (which
    ends the prompt with it). Any other failure of a check is ignored: the next question
    finds out. The room is touched by one thread at a time: leaving the block stops the
    listening before the caller may use the conversation again."""

    def __init__(
        self,
        conversation: Any,
        check: Optional[Callable[[], None]],
        interrupt: Optional[Callable[[BaseException], None]] = None,
        *,
        every: float = IDLE_CHECK_SECONDS,
        ended: tuple = (),
    ) -> None:
        self.conversation = conversation
        self.check = check
        self.interrupt = interrupt
        self.every = every
        self.ended = ended  # the error classes that mean the session is over
        self.error: Optional[BaseException] = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="akool-idle-watch", daemon=True)
        self._listening = threading.Lock()

    def __enter__(self) -> IdleWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        # Wait for the listening to stop; a check still on the network may go on alone
        # (it only reads the API), but never a read of the room.
        with self._listening:
            pass

    def _run(self) -> None:
        next_check = time.monotonic() + self.every
        while not self._stop.is_set():
            with self._listening:
                if self._stop.is_set():
                    return
                still_open = self.conversation.listen(LISTEN_SLICE)
            if not self.conversation.connected:
                self._stop.wait(LISTEN_SLICE)
            if self.check is None or (still_open and time.monotonic() < next_check):
                continue
            next_check = time.monotonic() + self.every
            try:
                self.check()
            except self.ended as exc:
                if not self._stop.is_set():
                    self.error = exc
                    if self.interrupt is not None:
                        self.interrupt(exc)
                return
            except Exception:  # the network, say: the next question will tell
                continue
