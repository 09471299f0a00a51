"""The emulator's knowledge bases (v4 ``/knowledge/*``): the records and their rules, pure.

A knowledge base has a name (unique among the user's, when not empty), a prologue the
avatar may open with, a prompt, documents (``{name, url, size}``) and URLs. What a body may
hold, as API-NOTES-v4 and the vendor's knowledge-base page have it:

- ``name`` ≤ 100 characters, ``prologue`` ≤ 2000, ``prompt`` ≤ 10000. Characters are
  counted as a JavaScript service counts them (UTF-16 code units, so a character outside
  the Basic Multilingual Plane counts twice): the stricter of the two readings.
- ``docs``: objects of exactly ``name`` (one of the supported formats by its extension),
  ``url`` (http or https) and ``size`` (bytes, a whole number, at most 100 MiB each and
  500 MiB together); ``urls``: http or https URLs.
- Nothing else: an unknown field is a parameter error (1003), not silently dropped.

Codes: 1003 for a bad body, 1232 for an unknown id, 1233 for a name already taken.
Lists are newest first; ``from`` 2 is the user's own (the only kind the emulator holds).
"""

from __future__ import annotations

import copy
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

NAME_MAX, PROLOGUE_MAX, PROMPT_MAX = 100, 2000, 10_000
DOC_MAX_BYTES = 100 * 1024 * 1024
DOCS_MAX_BYTES = 500 * 1024 * 1024
DOC_FORMATS = ("pdf", "doc", "docx", "txt", "md", "json", "xml", "csv")
TEXT_LIMITS = {"name": NAME_MAX, "prologue": PROLOGUE_MAX, "prompt": PROMPT_MAX}
BODY_FIELDS = ("name", "prologue", "prompt", "docs", "urls")
USER, SYSTEM = 2, 1
# What a list item leaves out of the full record (the vendor's list example shows none of
# these: read the detail for them).
LIST_OMITS = ("team_id", "user_type", "from", "prologue")


def text_length(text: str) -> int:
    """The length a JavaScript service sees: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _is_url(value: Any) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(("http://", "https://"))
        and len(value) > len("https://")
        and not any(c.isspace() for c in value)
    )


def _doc_ok(doc: Any) -> bool:
    if not isinstance(doc, dict) or set(doc) != {"name", "url", "size"}:
        return False
    name, size = doc["name"], doc["size"]
    if not isinstance(name, str) or "." not in name or not _is_url(doc["url"]):
        return False
    if name.rsplit(".", 1)[1].lower() not in DOC_FORMATS:
        return False
    return isinstance(size, int) and not isinstance(size, bool) and 0 <= size <= DOC_MAX_BYTES


def check_fields(body: Dict[str, Any], allowed: Tuple[str, ...]) -> bool:
    """Whether every field of ``body`` is one of ``allowed`` and within its rules."""
    if set(body) - set(allowed):
        return False
    for key, limit in TEXT_LIMITS.items():
        if key in body:
            value = body[key]
            if not isinstance(value, str) or text_length(value) > limit:
                return False
    if "docs" in body:
        docs = body["docs"]
        if not isinstance(docs, list) or not all(_doc_ok(d) for d in docs):
            return False
        if sum(d["size"] for d in docs) > DOCS_MAX_BYTES:
            return False
    if "urls" in body:
        urls = body["urls"]
        if not isinstance(urls, list) or not all(_is_url(u) for u in urls):
            return False
    return True


def _object_id() -> str:
    return f"{int(time.time()):08x}{secrets.token_hex(8)}"


@dataclass
class KnowledgeStore:
    """The user's knowledge bases by id (the State's lock guards it)."""

    records_by_id: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    team_id: str = "team_emulator"
    uid: int = 100010
    made: int = 0  # how many were created: orders two made in the same millisecond

    def _name_taken(self, name: str, other_than: Optional[str] = None) -> bool:
        return bool(name) and any(
            r["name"] == name and r["_id"] != other_than for r in self.records_by_id.values()
        )

    def create(self, body: Any, now_ms: int) -> Tuple[int, Optional[Dict[str, Any]]]:
        if not isinstance(body, dict) or not check_fields(body, BODY_FIELDS):
            return 1003, None
        if self._name_taken(body.get("name", "")):
            return 1233, None
        record: Dict[str, Any] = {
            "_id": _object_id(),
            "team_id": self.team_id,
            "uid": self.uid,
            "user_type": 2,
            "from": USER,
            "name": body.get("name", ""),
            "prologue": body.get("prologue", ""),
            "prompt": body.get("prompt", ""),
            "docs": copy.deepcopy(body.get("docs", [])),
            "urls": list(body.get("urls", [])),
            "create_time": now_ms,
            "update_time": now_ms,
        }
        self.made += 1
        record["_seq"] = self.made
        self.records_by_id[record["_id"]] = record
        return 1000, self._public(record)

    def update(self, body: Any, now_ms: int) -> Tuple[int, Optional[Dict[str, Any]]]:
        """Replace the fields the body names (``prologue: ""`` clears the prologue)."""
        if not isinstance(body, dict) or not isinstance(body.get("id"), str) or not body["id"]:
            return 1003, None
        changes = {k: v for k, v in body.items() if k != "id"}
        if not check_fields(changes, BODY_FIELDS):
            return 1003, None
        record = self.records_by_id.get(body["id"])
        if record is None:
            return 1232, None
        if "name" in changes and self._name_taken(changes["name"], other_than=record["_id"]):
            return 1233, None
        record.update(copy.deepcopy(changes))
        record["update_time"] = max(now_ms, record["create_time"])
        return 1000, self._public(record)

    def delete(self, body: Any) -> int:
        if not isinstance(body, dict) or not isinstance(body.get("id"), str) or not body["id"]:
            return 1003
        if set(body) != {"id"}:
            return 1003
        if self.records_by_id.pop(body["id"], None) is None:
            return 1232
        return 1000

    def get(self, knowledge_id: str) -> Optional[Dict[str, Any]]:
        record = self.records_by_id.get(knowledge_id)
        return self._public(record) if record is not None else None

    def page(
        self, page: int, size: int, name: Optional[str] = None, source: int = USER
    ) -> List[Dict[str, Any]]:
        """One page of list items, newest first; ``name`` matches part of a name, any case."""
        found = [
            r
            for r in self.records_by_id.values()
            if r["from"] == source and (not name or name.casefold() in r["name"].casefold())
        ]
        found.sort(key=lambda r: (r["create_time"], r["_seq"]), reverse=True)
        start = (page - 1) * size
        return [
            {k: v for k, v in self._public(r).items() if k not in LIST_OMITS}
            for r in found[start : start + size]
        ]

    def records(self) -> List[Dict[str, Any]]:
        return [self._public(r) for r in self.records_by_id.values()]

    @staticmethod
    def _public(record: Dict[str, Any]) -> Dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in record.items() if k != "_seq"}
