"""The emulated catalog endpoints: ``/avatar/*``, ``/voice/list``, ``/language/list`` and
``/faceswap/quota/info``, answered as the vendor's pages document them (the avatar list
as ``{count, result}``, the avatar detail and the voice list as arrays, the languages
under ``lang_list``)."""

from __future__ import annotations

import time
from typing import Any, Dict, Optional

from aiohttp import web

from akool_cli.emulator.catalog import LANGUAGES
from akool_cli.emulator.http_api import PREFIX, auth_refusal, envelope, json_body
from akool_cli.emulator.state import State


def _query_int(request: web.Request, name: str, default: Optional[int]) -> Optional[int]:
    """A whole-number query parameter; ValueError for anything else."""
    raw = request.query.get(name)
    if raw is None:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(name)
    return value


class CatalogAPI:
    def __init__(self, state: State) -> None:
        self.state = state

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get(f"{PREFIX}/avatar/list", self.avatar_list)
        router.add_get(f"{PREFIX}/avatar/detail", self.avatar_detail)
        router.add_post(f"{PREFIX}/avatar/create", self.avatar_create)
        router.add_get(f"{PREFIX}/voice/list", self.voice_list)
        router.add_get(f"{PREFIX}/language/list", self.language_list)
        router.add_get(f"{PREFIX}/faceswap/quota/info", self.credit)

    def _auth(self, request: web.Request) -> Optional[web.Response]:
        return auth_refusal(self.state, request)

    async def avatar_list(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        if refused:
            return refused
        try:
            source = _query_int(request, "from", None)
            page = _query_int(request, "page", 1)
            size = _query_int(request, "size", 100)
            _query_int(request, "type", None)
        except ValueError:
            return envelope(1003)
        if source not in (None, 2, 3) or page is None or size is None:
            return envelope(1003)
        with self.state.lock:
            items = self.state.catalog.avatar_list(source, time.monotonic())
        start = (page - 1) * size
        return envelope(1000, {"count": len(items), "result": items[start : start + size]})

    async def avatar_detail(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        if refused:
            return refused
        record_id = request.query.get("id", "")
        if not record_id:
            return envelope(1003)
        with self.state.lock:
            avatar = self.state.catalog.avatars.get(record_id)
            data = avatar.data(time.monotonic()) if avatar is not None else None
        if data is None:
            return envelope(1008)
        return envelope(1000, [data])  # an array of one, as the vendor answers

    async def avatar_create(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        if refused:
            return refused
        body: Dict[str, Any] = await json_body(request)
        with self.state.lock:
            code, avatar = self.state.catalog.upload(body, time.monotonic(), self.state.ready_after)
            data = avatar.data(time.monotonic()) if avatar is not None else None
        return envelope(code, data)

    async def voice_list(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        if refused:
            return refused
        try:
            source = _query_int(request, "from", None)
        except ValueError:
            return envelope(1003)
        if source not in (None, 3, 4):
            return envelope(1003)
        return envelope(1000, self.state.catalog.voice_list(source))

    async def language_list(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        return refused or envelope(1000, {"lang_list": LANGUAGES})

    async def credit(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        if refused:
            return refused
        with self.state.lock:
            return envelope(1000, {"credit": self.state.catalog.credit})
