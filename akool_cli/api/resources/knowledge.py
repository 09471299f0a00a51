"""``/knowledge/*`` (v4): the knowledge bases a v4 session can answer from
(``knowledge_id`` in its create body). v3 has none: every call under v3 is an
UnsupportedError, and nothing is sent."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from akool_cli.api._resource import Resource
from akool_cli.api.errors import ProtocolError, UnsupportedError
from akool_cli.api.types._shape import expect_list
from akool_cli.api.types.knowledge import Knowledge

DEFAULT_SIZE, MAX_SIZE = 10, 100  # the list's page size: its default and its most


class KnowledgeBases(Resource):
    """``/knowledge/*``."""

    def _v4(self) -> None:
        if self.version == "v3":
            raise UnsupportedError("v3 has no knowledge bases", api_version="v3")

    def list(
        self, *, page: int = 1, size: int = DEFAULT_SIZE, name: Optional[str] = None
    ) -> List[Knowledge]:
        """One page. The vendor's page documents an array; its client reads
        ``{knowledge_list: [...]}``: both are read."""
        self._v4()
        params: Dict[str, Any] = {"page": page, "size": size}
        if name:
            params["name"] = name
        data = self._client.request("GET", "/knowledge/list", params=params, retry=True).get("data")
        if isinstance(data, dict):
            if "knowledge_list" not in data:
                raise ProtocolError("unexpected answer from the API: no 'knowledge_list'")
            data = data["knowledge_list"]
        return [Knowledge.from_api(item) for item in expect_list(data, "the knowledge list")]

    def detail(self, knowledge_id: str) -> Knowledge:
        self._v4()
        body = self._client.request(
            "GET", "/knowledge/detail", params={"id": knowledge_id}, retry=True
        )
        return Knowledge.from_api(body.get("data"))

    def create(self, fields: Dict[str, Any]) -> Knowledge:
        """``fields``: ``name``, ``prologue``, ``prompt``, ``docs`` (``{name, url,
        size}`` each), ``urls``, as the API names them. Not repeated on a lost answer:
        a second create would make a second knowledge base (or answer 1233)."""
        self._v4()
        body = self._client.request("POST", "/knowledge/create", json=fields)
        return Knowledge.from_api(body.get("data"))

    def update(self, knowledge_id: str, fields: Dict[str, Any]) -> Knowledge:
        """Replace the fields given (``prologue: ""`` clears it); safe to repeat."""
        self._v4()
        body = self._client.request(
            "POST", "/knowledge/update", json={"id": knowledge_id, **fields}, retry=True
        )
        return Knowledge.from_api(body.get("data"))

    def delete(self, knowledge_id: str) -> None:
        """Safe to repeat: a second delete answers 1232 (not found)."""
        self._v4()
        self._client.request("DELETE", "/knowledge/delete", json={"id": knowledge_id}, retry=True)
