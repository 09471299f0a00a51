"""``/voice/list``: the voices a chat can speak with (v3), or a v4 session (v4: cloned
or Akool's, paged, and whether each can stream: only those can be used live)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from akool_cli.api._resource import Resource
from akool_cli.api.pagination import Page
from akool_cli.api.types._shape import expect_list
from akool_cli.api.types.catalog import Voice

VOICE_SOURCES = {"official": 3, "mine": 4}  # voice/list ``from``
V4_TYPES = {"cloned": 1, "akool": 2}  # v4 voice/list ``type``


class Voices(Resource):
    """``/voice/list``."""

    def list(self, *, source: Optional[int] = None) -> List[Voice]:
        params = {"from": source} if source is not None else None
        data = self._client.request("GET", "/voice/list", params=params, retry=True).get("data")
        if isinstance(data, dict):  # a page shape, should a server send one
            data = data.get("result", data.get("data"))
        return [Voice.from_api(item) for item in expect_list(data, "the voice list")]

    def page(
        self,
        *,
        kind: int = V4_TYPES["akool"],
        streaming: bool = False,
        page: int = 1,
        size: int = 100,
    ) -> Page[Voice]:
        """One page of v4's list: ``kind`` 1 cloned, 2 Akool's; ``streaming``: only the
        voices that can stream."""
        params: Dict[str, Any] = {"type": kind, "page": page, "size": size}
        if streaming:
            params["support_stream"] = 1
        body = self._client.request("GET", "/voice/list", params=params, retry=True)
        return Page.from_api(body.get("data"), Voice.from_api)
