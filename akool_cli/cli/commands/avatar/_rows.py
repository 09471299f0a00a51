"""Avatars as fields: their states, whose they are, and the rows ``detail`` and ``create``
show."""

from __future__ import annotations

from typing import Any

AVATAR_STATES = {1: "queueing", 2: "processing", 3: "ready", 4: "failed"}
AVATAR_STYLES = {1: "yellow", 2: "yellow", 3: "green", 4: "red"}
SOURCE_WORDS = {2: "official", 3: "mine", 4: "mine"}


def avatar_rows(avatar: Any) -> Any:
    if avatar.available is not None:  # a v4 avatar
        return [
            ("avatar id", avatar.avatar_id),
            ("name", avatar.name),
            ("from", SOURCE_WORDS.get(avatar.source or 0)),
            ("available", "yes" if avatar.available else "no"),
            ("voice id", avatar.voice_id),
            ("gender", avatar.gender),
            ("record id", avatar.record_id),
            ("preview", avatar.url),
        ]
    return [
        ("avatar id", avatar.avatar_id),
        ("name", avatar.name),
        (
            "status",
            f"{AVATAR_STATES.get(avatar.status, 'unknown')} ({avatar.status})"
            if avatar.status is not None
            else None,
        ),
        ("from", SOURCE_WORDS.get(avatar.source or 0)),
        ("record id", avatar.record_id),
        ("url", avatar.url),
    ]
