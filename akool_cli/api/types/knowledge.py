"""A v4 knowledge base (``/knowledge/*``): a name, a prologue the avatar may open with, a
prompt, documents and URLs. Keeps the raw object it came from, for ``--json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from akool_cli.api.types._shape import expect_object

# What a body may hold (the vendor's knowledge-base page), in characters as a JavaScript
# service counts them (UTF-16 code units): checked before anything is sent.
NAME_MAX, PROLOGUE_MAX, PROMPT_MAX = 100, 2000, 10_000
TEXT_LIMITS = {"name": NAME_MAX, "prologue": PROLOGUE_MAX, "prompt": PROMPT_MAX}
DOC_FORMATS = ("pdf", "doc", "docx", "txt", "md", "json", "xml", "csv")


def text_length(text: str) -> int:
    """A text's length as the service counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _text(data: Dict[str, Any], key: str) -> Optional[str]:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _time(data: Dict[str, Any], key: str) -> Optional[float]:
    """A time in seconds from the API's milliseconds."""
    value = data.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value) / 1000
    return None


@dataclass(frozen=True)
class Knowledge:
    id: Optional[str]
    name: Optional[str]
    prologue: Optional[str]
    prompt: Optional[str]
    docs: List[Dict[str, Any]]
    urls: List[str]
    created_at: Optional[float]  # seconds since the epoch
    updated_at: Optional[float]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Knowledge:
        """A field of the wrong shape is taken as missing."""
        found = expect_object(data, "a knowledge base")
        docs = found.get("docs")
        urls = found.get("urls")
        return cls(
            id=_text(found, "_id"),
            name=_text(found, "name"),
            prologue=_text(found, "prologue"),
            prompt=_text(found, "prompt"),
            docs=[d for d in docs if isinstance(d, dict)] if isinstance(docs, list) else [],
            urls=[u for u in urls if isinstance(u, str)] if isinstance(urls, list) else [],
            created_at=_time(found, "create_time"),
            updated_at=_time(found, "update_time"),
            raw=found,
        )
