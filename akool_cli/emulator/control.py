"""The emulator's control API under ``/_emulator/`` (no auth): fault switches, settings,
seeding, state. Tests and CI jobs drive the emulator through it; the real API has none.

No auth, so no web page may drive it (``guard``): a call that changes something must say
``Content-Type: application/json``, which a page cannot send to another site without
asking first (and the emulator never says yes); a request whose ``Origin`` is not the
emulator's own is refused. Bound to a loopback address, the emulator also refuses any
request — API, streams and chat rooms too — whose ``Host`` or ``Origin`` is not a loopback
name, so a page on a domain that resolves to 127.0.0.1 (DNS rebinding) gets nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import asdict
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from aiohttp import web

from akool_cli.emulator.codes import MESSAGES
from akool_cli.emulator.faults import Fault
from akool_cli.emulator.http_api import PREFIX, json_body
from akool_cli.emulator.http_v4 import PREFIX_V4
from akool_cli.emulator.session import VERSIONS
from akool_cli.emulator.state import State
from akool_cli.emulator.switches import apply_config

API_PREFIXES = ((PREFIX, "v3"), (PREFIX_V4, "v4"))


def api_version(path: str) -> Optional[str]:
    """``v3`` or ``v4`` for a path under that version's prefix, else None."""
    for prefix, version in API_PREFIXES:
        if path.startswith(prefix + "/"):
            return version
    return None


def endpoint_name(path: str) -> str:
    """How a fault names an endpoint: a session call by its last word (``list``), any
    other by its path under its version's prefix, without v4's ``liveAvatar/``
    (``avatar/list``, ``knowledge/create``)."""
    rest = path.split("/", 4)[-1].strip("/") if api_version(path) else path.strip("/")
    if rest.startswith("liveAvatar/session/"):
        return rest.rsplit("/", 1)[-1]
    if rest.startswith("liveAvatar/"):
        return rest[len("liveAvatar/") :]
    return rest


CONTROL = "/_emulator/"
READS = ("GET", "HEAD", "OPTIONS")


def is_loopback(host: str) -> bool:
    """A loopback address, or ``localhost`` itself (not a name that merely ends in it)."""
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_part(authority: str) -> str:
    """``host`` of ``host:port`` or ``[v6]:port``."""
    if authority.startswith("["):
        return authority[1 : authority.find("]")] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def refusal(request: web.Request, loopback_only: bool) -> Optional[web.Response]:
    """Why the emulator will not serve ``request`` (as the answer), or None to serve it."""
    host = request.headers.get("Host", "")
    origin = request.headers.get("Origin")
    origin_host = urlsplit(origin).netloc if origin and "://" in origin else None
    if loopback_only:
        if not is_loopback(_host_part(host)):
            return _refuse(403, f"Host {host!r} is not this machine's loopback")
        if origin is not None and not (origin_host and is_loopback(_host_part(origin_host))):
            return _refuse(403, f"Origin {origin!r} is not this machine's loopback")
    if not request.path.startswith(CONTROL):
        return None
    if origin is not None and origin_host != host:
        return _refuse(403, f"the control API takes no calls from another site ({origin!r})")
    if request.method not in READS and request.content_type != "application/json":
        return _refuse(415, "a call to the control API must be Content-Type: application/json")
    return None


def _refuse(status: int, why: str) -> web.Response:
    return web.json_response({"error": why}, status=status)


class Control:
    """The control routes. ``rooms`` (the v3 chat rooms) and ``livekit()`` (the v4
    sessions' LiveKit rooms, None while none are served) let a test make a person speak
    in a session's room."""

    def __init__(
        self,
        state: State,
        *,
        loopback_only: bool = True,
        rooms: Any = None,
        livekit: Optional[Callable[[], Any]] = None,
    ) -> None:
        self.state = state
        self.loopback_only = loopback_only
        self.rooms = rooms
        self.livekit = livekit

    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Refuse what a web page could send (see the module's doc); serve the rest."""
        refused = refusal(request, self.loopback_only)
        return refused if refused is not None else await handler(request)

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/_emulator/state", self.ctl_state)
        router.add_post("/_emulator/faults", self.ctl_add_fault)
        router.add_delete("/_emulator/faults", self.ctl_clear_faults)
        router.add_post("/_emulator/config", self.ctl_config)
        router.add_post("/_emulator/seed", self.ctl_seed)
        router.add_post("/_emulator/reset", self.ctl_reset)
        router.add_get("/_emulator/sessions/{session_id}/avatar", self.ctl_avatar)
        router.add_post("/_emulator/sessions/{session_id}/avatar", self.ctl_avatar)
        router.add_delete("/_emulator/sessions/{session_id}/avatar", self.ctl_avatar)
        router.add_post("/_emulator/sessions/{session_id}/hear", self.ctl_hear)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if api_version(request.path) is None:
            return await handler(request)
        state = self.state
        with state.lock:
            state.requests += 1
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            peer = request.transport.get_extra_info("peername") if request.transport else None
            if peer:
                state.peers.add(f"{peer[0]}:{peer[1]}")
            state.user_agents.add(request.headers.get("User-Agent", ""))
        try:
            if state.latency:
                await asyncio.sleep(state.latency)
            return await self._answer(request, handler)
        finally:
            with state.lock:
                state.in_flight -= 1

    async def _answer(self, request: web.Request, handler: Any) -> web.StreamResponse:
        endpoint = endpoint_name(request.path)
        fault = self.state.take_fault(endpoint, api_version(request.path))
        if fault is None:
            return await handler(request)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
        if fault.code is not None:
            return web.json_response(
                {"code": fault.code, "msg": fault.msg or MESSAGES.get(fault.code, "error")},
                headers=headers,
            )
        if fault.http_status is not None:
            body = fault.body
            if body is None:
                body = f"<html><body><h1>{fault.http_status}</h1>upstream error</body></html>"
            return web.Response(
                status=fault.http_status,
                text=body,
                content_type=fault.content_type,
                headers=headers,
            )
        if fault.not_envelope:
            return web.json_response({"ok": True, "items": []})
        if fault.reset or fault.truncate:
            part = b'{"code": 1000, "msg": "OK", "data": {"_id": "'
            response = web.StreamResponse(status=200)
            response.content_type = "application/json"
            response.content_length = len(part) + (1000 if fault.reset else 0)
            await response.prepare(request)
            await response.write(part)
            if fault.reset and request.transport is not None:
                request.transport.close()
            else:
                await response.write_eof()
            return response
        return await handler(request)

    async def ctl_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.state.snapshot())

    async def ctl_add_fault(self, request: web.Request) -> web.Response:
        try:
            raw = await request.json()
            faults = [Fault.from_json(f) for f in (raw if isinstance(raw, list) else [raw])]
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        with self.state.lock:
            self.state.faults.extend(faults)
        return web.json_response({"faults": len(self.state.faults)})

    async def ctl_clear_faults(self, request: web.Request) -> web.Response:
        with self.state.lock:
            self.state.faults.clear()
        return web.json_response({"faults": 0})

    async def ctl_config(self, request: web.Request) -> web.Response:
        try:
            raw = await request.json()
            apply_config(self.state, raw)
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"ok": True})

    async def ctl_avatar(self, request: web.Request) -> web.Response:
        """One session's avatar switches: GET reads them (its own, or the defaults), POST
        sets some (the session gets its own from then on), DELETE puts the session back
        on the defaults."""
        session = self.state.get(request.match_info["session_id"])
        if session is None:
            return web.json_response({"error": "no such session"}, status=404)
        if request.method == "POST":
            try:
                apply_config(self.state, await request.json(), session)
            except (ValueError, TypeError) as exc:
                return web.json_response({"error": str(exc)}, status=400)
        elif request.method == "DELETE":
            with self.state.lock:
                session.avatar = None
        with self.state.lock:
            own = session.avatar is not None
            settings = asdict(self.state.avatar_of(session))
        return web.json_response({"session_id": session.id, "own": own, "avatar": settings})

    async def ctl_hear(self, request: web.Request) -> web.Response:
        """A person says ``text`` by voice in a session's room: the avatar sends what it
        heard (a transcript, ``from: user`` on v4, ``type: user`` on v3) and answers it.
        ``heard`` is how many listeners the avatar had (0: nobody was in the room)."""
        session = self.state.get(request.match_info["session_id"])
        if session is None:
            return web.json_response({"error": "no such session"}, status=404)
        try:
            raw = await request.json()
        except ValueError:
            raw = None
        text = raw.get("text") if isinstance(raw, dict) and set(raw) == {"text"} else None
        if not isinstance(text, str) or not text:
            return web.json_response({"error": 'the body is {"text": "..."}'}, status=400)
        if session.version == "v3" and self.rooms is not None:
            heard = await self.rooms.hear(session, text)
        else:
            livekit = self.livekit() if self.livekit is not None else None
            heard = await livekit.hear(session, text) if livekit is not None else 0
        return web.json_response({"heard": heard})

    async def ctl_seed(self, request: web.Request) -> web.Response:
        raw = await json_body(request)
        count, status = raw.get("count", 1), raw.get("status")
        version = raw.get("version", "v3")
        if not isinstance(count, int) or count < 0 or status not in (None, 1, 2, 3, 4):
            return web.json_response({"error": "count >= 0, status 1..4"}, status=400)
        if version not in VERSIONS:
            return web.json_response({"error": "version is v3 or v4"}, status=400)
        self.state.seed(count, status, version=version)
        return web.json_response({"sessions": len(self.state.order)})

    async def ctl_reset(self, request: web.Request) -> web.Response:
        self.state.reset()
        return web.json_response({"ok": True})
