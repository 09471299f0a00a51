"""aiohttp apps served from an event loop on a thread of its own: the one runner behind the
emulator (``runner.Emulator``) and the bare LiveKit room (``livekit.runner``).

A subclass says what to serve in ``_serve`` (awaiting ``self.site(app, host, port)`` for
each app, which answers the address bound); ``start`` returns once every site listens,
or raises what stopped one (a port taken, an address the machine does not have);
``stop`` cleans the apps up (their shutdown hooks run) and ends the loop.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, List, Optional, Tuple, TypeVar

from aiohttp import web


def ws_host(host: str) -> str:
    """``host`` as a URL writes it (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host


S = TypeVar("S", bound="Served")


class Served:
    """The loop, the thread, the sites. ``call`` runs a coroutine on the loop."""

    thread_name = "akool-emulator"

    def __init__(self) -> None:
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runners: List[web.AppRunner] = []
        self._started = threading.Event()
        self._error: Optional[BaseException] = None

    async def _serve(self) -> None:
        """Start the sites (a subclass's)."""
        raise NotImplementedError

    async def site(self, app: web.Application, host: str, port: int) -> Tuple[str, int]:
        """Serve ``app`` on ``host``:``port``; the address bound (the port, when 0 was
        asked for)."""
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, host, port)
        await site.start()
        sockname = site._server.sockets[0].getsockname()  # type: ignore[union-attr]
        return sockname[0], sockname[1]

    def start(self: S) -> S:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._error is not None:
            raise self._error
        if not self._started.is_set():
            raise RuntimeError(f"{self.thread_name} did not start")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported by start(): the port is taken, no address
            self._error = exc
            loop.run_until_complete(self._cleanup())
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._cleanup())
            loop.close()

    async def _cleanup(self) -> None:
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()

    def call(self, coroutine: Any, timeout: float = 10.0) -> Any:
        """Run a coroutine on the loop from another thread; its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self: S) -> S:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
