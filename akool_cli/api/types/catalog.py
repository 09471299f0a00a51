"""The models of the catalog: avatars, voices, languages (what sessions and chats need)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

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


# Each model's fields and the keys of the API's object they are read from: the first key
# that holds text (or a number) wins; ``#`` marks a whole number.
_AVATAR = {
    "record_id": ("_id",),  # what avatar/detail takes
    "avatar_id": ("avatar_id",),  # what a session takes
    "name": ("name",),
    "status": ("#status",),
    "source": ("#from",),
    "url": ("thumbnailUrl", "url"),  # a preview
    "gender": ("gender",),
    "voice_id": ("voice_id",),  # v4: the avatar's own voice
    "available": ("?available",),  # v4: whether a session can stream it now
}
_VOICE = {
    "voice_id": ("voice_id",),
    "name": ("name",),
    "gender": ("gender",),
    "accent": ("accent", "language"),
    "description": ("description", "useCase"),
    "preview": ("preview",),
    "streams": ("?support_stream",),  # v4: whether a live session can use it
}
_LANGUAGE: Dict[str, Tuple[str, ...]] = {
    "code": ("lang_code",),
    "name": ("lang_name",),
    "icon": ("url",),
}


def _fields(data: Any, what: str, spec: Dict[str, Tuple[str, ...]]) -> Dict[str, Any]:
    """The model's fields from the API's object (``raw`` among them)."""
    found = expect_object(data, what)
    fields: Dict[str, Any] = {"raw": found}
    for name, keys in spec.items():
        if keys[0].startswith("#"):
            fields[name] = _number(found, keys[0][1:])
        elif keys[0].startswith("?"):
            value = found.get(keys[0][1:])
            fields[name] = value if isinstance(value, bool) else None
        else:
            fields[name] = _text(found, *keys)
    return fields


@dataclass(frozen=True)
class Avatar:
    record_id: Optional[str]
    avatar_id: Optional[str]
    name: Optional[str]
    status: Optional[int]
    source: Optional[int]  # ``from``
    url: Optional[str]
    gender: Optional[str]
    voice_id: Optional[str]
    available: Optional[bool]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Avatar:
        return cls(**_fields(data, "an avatar", _AVATAR))


@dataclass(frozen=True)
class Voice:
    voice_id: Optional[str]
    name: Optional[str]
    gender: Optional[str]
    accent: Optional[str]
    description: Optional[str]
    preview: Optional[str]
    streams: Optional[bool]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Voice:
        return cls(**_fields(data, "a voice", _VOICE))


@dataclass(frozen=True)
class Language:
    code: Optional[str]
    name: Optional[str]
    icon: Optional[str]
    raw: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Any) -> Language:
        return cls(**_fields(data, "a language", _LANGUAGE))
