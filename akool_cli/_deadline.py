"""A deadline that holds whatever a peer does: when it passes, the socket in use is shut,
so a blocked read wakes up with an error. Shared by the HTTP transport and the chat; it
imports nothing of ours."""

from __future__ import annotations

import socket
import threading
from typing import Any, Callable


class SocketDeadline:
    """Shuts ``get_socket()`` (if any) ``seconds`` after ``__enter__``; ``fired`` says
    whether it did. Leaving the block first disarms it."""

    def __init__(self, seconds: float, get_socket: Callable[[], Any]) -> None:
        self.fired = False
        self._get_socket = get_socket
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            sock = self._get_socket()
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def __enter__(self) -> SocketDeadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()
