"""The models of the catalog: avatars, voices, languages (what sessions and chats need)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from akool_cli.api.types._shape import expect_object


def _text(data: Dict[str, Any], *keys: str) -> Optional[str]:
    """The first of ``keys`` that holds text (or a number), as text."""
    for key in keys:
        value = data.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value != "":
            return str(value)
    return None


def _number(data: Dict[str, Any], key: str) -> Optional[int]:
    value = data.get(key)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Avatar:
    record_id: Optional[str]  # ``_id``: what avatar/detail takes
    avatar_id: Optional[str]  # what a session takes
    name: Optional[str]
    status: Optional[int]
    source: Optional[int]  # ``from``
    url: Optional[str]  # a preview
    gender: Optional[str]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Avatar:
        data = expect_object(data, "an avatar")
        return cls(
            record_id=_text(data, "_id"),
            avatar_id=_text(data, "avatar_id"),
            name=_text(data, "name"),
            status=_number(data, "status"),
            source=_number(data, "from"),
            url=_text(data, "thumbnailUrl", "url"),
            gender=_text(data, "gender"),
            raw=data,
        )


@dataclass(frozen=True)
class Voice:
    voice_id: Optional[str]
    name: Optional[str]
    gender: Optional[str]
    accent: Optional[str]
    description: Optional[str]
    preview: Optional[str]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Voice:
        data = expect_object(data, "a voice")
        return cls(
            voice_id=_text(data, "voice_id"),
            name=_text(data, "name"),
            gender=_text(data, "gender"),
            accent=_text(data, "accent", "language"),
            description=_text(data, "description", "useCase"),
            preview=_text(data, "preview"),
            raw=data,
        )


@dataclass(frozen=True)
class Language:
    code: Optional[str]
    name: Optional[str]
    icon: Optional[str]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Language:
        data = expect_object(data, "a language")
        return cls(
            code=_text(data, "lang_code"),
            name=_text(data, "lang_name"),
            icon=_text(data, "url"),
            raw=data,
        )
