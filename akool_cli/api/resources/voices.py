"""``/voice/list``: the voices a chat can speak with."""

from __future__ import annotations

from typing import List, Optional

from akool_cli.api._resource import Resource
from akool_cli.api.types._shape import expect_list
from akool_cli.api.types.catalog import Voice

VOICE_SOURCES = {"official": 3, "mine": 4}  # voice/list ``from``


class Voices(Resource):
    """``/voice/list``."""

    def list(self, *, source: Optional[int] = None) -> List[Voice]:
        params = {"from": source} if source is not None else None
        data = self._client.request("GET", "/voice/list", params=params, retry=True).get("data")
        if isinstance(data, dict):  # a page shape, should a server send one
            data = data.get("result", data.get("data"))
        return [Voice.from_api(item) for item in expect_list(data, "the voice list")]
