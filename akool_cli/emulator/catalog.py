"""The emulator's catalog: the avatars a session can stream (four official v3 ones, one
official v4 one, and those a user uploads, which serve both versions), the voices and
languages a chat can use (v3 and v4 lists apart), and the account's credit.

Pure data and rules; the HTTP side is in ``http_api.py``. Ids look like the service's:
Mongo-style record ids, ElevenLabs-style voice ids.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

IMAGES = "https://static.emulator.invalid/avatars"
VOICES = "https://static.emulator.invalid/voices"


def _avatar(record_id: str, avatar_id: str, name: str, gender: str) -> Dict[str, Any]:
    return {
        "_id": record_id,
        "uid": 1,
        "type": 2,
        "from": 2,
        "status": 3,
        "name": name,
        "avatar_id": avatar_id,
        "gender": gender,
        "url": f"{IMAGES}/{avatar_id}.mp4",
        "thumbnailUrl": f"{IMAGES}/{avatar_id}.png",
    }


OFFICIAL_AVATARS = [
    _avatar("6698c9d69cf7b0d61d1b6001", "Kai_1080P_back", "Kai", "male"),
    _avatar("6698c9d69cf7b0d61d1b6002", "Katha_1080P_back", "Katha", "female"),
    _avatar("6698c9d69cf7b0d61d1b6003", "Olivia_1080P_back", "Olivia", "female"),
    _avatar("6698c9d69cf7b0d61d1b6004", "who_1080P_back", "Who", "male"),
]


def _voice(voice_id: str, name: str, gender: str, accent: str, use: str, source: int) -> Dict:
    return {
        "_id": secrets.token_hex(12),
        "uid": 1,
        "from": source,
        "voice_id": voice_id,
        "gender": gender,
        "accent": accent,
        "name": name,
        "description": use,
        "useCase": use,
        "type": 1,
        "preview": f"{VOICES}/{voice_id}.mp3",
    }


OFFICIAL_VOICES = [
    _voice("21m00Tcm4TlvDq8ikWAM", "Rachel", "Female", "american", "narration", 3),
    _voice("piTKgcLEGmPE4e6mEKli", "Nicole", "Female", "american", "audiobook", 3),
    _voice("ErXwobaYiN019PkySvjV", "Antoni", "Male", "american", "conversational", 3),
    _voice("onwK4e9ZLuTAKqWW03F9", "Daniel", "Male", "british", "news", 3),
    _voice("XrExE9yKIg1WjnnlVkGX", "Matilda", "Female", "american", "audiobook", 3),
]
MY_VOICES = [_voice("cl0nEdV01ceMyOwn1234", "My voice", "Female", "neutral", "clone", 4)]

LANGUAGES = [
    {"lang_code": code, "lang_name": name, "url": f"{IMAGES}/flags/{code}.png"}
    for code, name in (
        ("en", "English"),
        ("zh", "Chinese (Simplified)"),
        ("es", "Spanish"),
        ("fr", "French"),
        ("de", "German"),
        ("ja", "Japanese"),
        ("ko", "Korean"),
        ("pt", "Portuguese"),
        ("it", "Italian"),
    )
]
LANGUAGE_NAMES = {item["lang_code"]: item["lang_name"] for item in LANGUAGES}


# v4 (API-NOTES-v4): one official avatar; voices of type 2 (Akool's) and 1 (the user's
# clones), each saying whether it can stream (only those can be used live).
def _v4_voice(
    voice_id: str, name: str, gender: str, locale: str, stream: bool, model: str
) -> Dict[str, Any]:
    return {
        "_id": secrets.token_hex(12),
        "voice_id": voice_id,
        "support_stream": stream,
        "style": ["calm"] if gender == "Male" else ["warm"],
        "scenario": ["conversation"],
        "age": ["adult"],
        "gender": gender,
        "name": name,
        "preview": f"{VOICES}/v4/{voice_id}.mp3",
        "text": f"Hello, I am {name}.",
        "locale": locale,
        "language": LANGUAGE_NAMES.get(locale.split("-")[0], locale),
        "voice_model_name": model,
    }


V4_AKOOL_VOICES = [
    _v4_voice("onwK4e9ZLuTAKqWW03F9", "Daniel", "Male", "en-GB", True, "Akool Multilingual 1"),
    _v4_voice("21m00Tcm4TlvDq8ikWAM", "Rachel", "Female", "en-US", True, "Akool Multilingual 1"),
    _v4_voice("ErXwobaYiN019PkySvjV", "Antoni", "Male", "en-US", True, "Akool Multilingual 1"),
    _v4_voice("XrExE9yKIg1WjnnlVkGX", "Matilda", "Female", "en-US", True, "Akool Multilingual 1"),
    _v4_voice("Lq2mEsp4n1shVo1ce0Es", "Lucía", "Female", "es-ES", True, "Akool Multilingual 1"),
    _v4_voice("piTKgcLEGmPE4e6mEKli", "Nicole", "Female", "en-US", False, "Akool Multilingual 2"),
    _v4_voice("Fr4nc0isVo1ceM2n0St1", "François", "Male", "fr-FR", False, "Akool Multilingual 2"),
]


def _v4_clone(voice_id: str, name: str, stream: bool, status: int) -> Dict[str, Any]:
    voice = _v4_voice(voice_id, name, "Female", "en-US", stream, "Akool Voice Clone")
    voice.update(
        {"uid": 100010, "create_time": 1_760_000_000_000, "duration": 62, "status": status}
    )
    return voice


V4_CLONED_VOICES = [
    _v4_clone("cl0nEdV01ceMyOwn1234", "My voice", True, 3),
    _v4_clone("cl0nEdV01ceNotReady9", "My new voice", False, 1),
]

V4_AVATARS = [
    {
        "_id": "6698c9d69cf7b0d61d1b6101",
        "uid": 1,
        "type": 2,
        "from": 2,
        "avatar_id": "dvp_Tristan_cloth2_1080P",
        "voice_id": "onwK4e9ZLuTAKqWW03F9",  # Daniel, an Akool voice that streams
        "name": "Tristan",
        "url": f"{IMAGES}/dvp_Tristan_cloth2_1080P.mp4",
        "thumbnailUrl": f"{IMAGES}/dvp_Tristan_cloth2_1080P.png",
        "gender": "male",
        "available": True,
    }
]
PLATFORMS = ("open", "aigc")

AVATAR_ID = re.compile(r"[A-Za-z0-9]+")  # the vendor: "Can only contain /^a-zA-Z0-9/"
DEFAULT_CREDIT = 10_000.0
SESSION_COST = 10.0  # credits a new v3 session costs, so `akool credit` shows change
MINUTE_COST = 1.0  # credits a minute of a v4 session's duration costs (charged up front)


@dataclass
class CustomAvatar:
    """An uploaded avatar: queueing (1), then processing (2), then ready (3) — or
    failed (4) — over ``ready_after`` seconds."""

    record_id: str
    avatar_id: str
    name: str
    url: str
    url_from: Optional[int]
    created: float
    ready_after: float
    fail: bool = False

    def status(self, now: float) -> int:
        elapsed = now - self.created
        if elapsed >= self.ready_after:
            return 4 if self.fail else 3
        return 1 if elapsed < self.ready_after / 2 else 2

    def data(self, now: float) -> Dict[str, Any]:
        record = {
            "_id": self.record_id,
            "uid": 100010,
            "type": 2,
            "from": 3,
            "status": self.status(now),
            "name": self.name,
            "avatar_id": self.avatar_id,
            "url": self.url,
        }
        if self.url_from is not None:
            record["url_from"] = self.url_from
        return record

    def v4_data(self, now: float) -> Dict[str, Any]:
        """The upload as the v4 avatar routes show it (``from`` 3: the user's)."""
        return {
            "_id": self.record_id,
            "uid": 100010,
            "type": 2,
            "from": 3,
            "avatar_id": self.avatar_id,
            "voice_id": "",
            "name": self.name,
            "url": self.url,
            "thumbnailUrl": "",
            "gender": "",
            "available": self.status(now) == 3,
        }


class Catalog:
    """Uploaded avatars and the credit balance. The State's lock guards it."""

    def __init__(self) -> None:
        self.avatars: Dict[str, CustomAvatar] = {}  # by record id
        self.credit = DEFAULT_CREDIT
        self.session_cost = SESSION_COST
        self.minute_cost = MINUTE_COST
        self.fail_avatars = False

    def usable(self, avatar_id: str, now: float, version: str = "v3") -> bool:
        """Whether a session of ``version`` may stream ``avatar_id``: an official one of
        that version, or an upload that is ready (uploads serve both)."""
        official = OFFICIAL_AVATARS if version == "v3" else V4_AVATARS
        if any(a["avatar_id"] == avatar_id for a in official):
            return True
        return any(a.avatar_id == avatar_id and a.status(now) == 3 for a in self.avatars.values())

    def upload(
        self, body: Dict[str, Any], now: float, ready_after: float
    ) -> Tuple[int, Optional[CustomAvatar]]:
        """``avatar/create``: 1003 for a missing or bad field, 1222 for a taken id."""
        url, avatar_id = body.get("url"), body.get("avatar_id")
        name, url_from = body.get("name", ""), body.get("url_from")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return 1003, None
        if not isinstance(avatar_id, str) or not AVATAR_ID.fullmatch(avatar_id):
            return 1003, None
        if not isinstance(name, str) or url_from not in (None, 1, 2):
            return 1003, None
        if body.get("type", 2) not in (1, 2, "1", "2"):
            return 1003, None
        taken = {a["avatar_id"] for a in OFFICIAL_AVATARS + V4_AVATARS} | {
            a.avatar_id for a in self.avatars.values()
        }
        if avatar_id in taken:
            return 1222, None
        avatar = CustomAvatar(
            record_id=secrets.token_hex(12),
            avatar_id=avatar_id,
            name=name or avatar_id,
            url=url,
            url_from=url_from,
            created=now,
            ready_after=ready_after,
            fail=self.fail_avatars,
        )
        self.avatars[avatar.record_id] = avatar
        return 1000, avatar

    def avatar_list(self, source: Optional[int], now: float) -> List[Dict[str, Any]]:
        """Official (``from`` 2), uploaded (3) or both, newest upload first."""
        found: List[Dict[str, Any]] = []
        if source in (None, 2):
            found += [dict(a) for a in OFFICIAL_AVATARS]
        if source in (None, 3):
            found += [a.data(now) for a in reversed(list(self.avatars.values()))]
        return found

    def voice_list(self, source: Optional[int]) -> List[Dict[str, Any]]:
        found: List[Dict[str, Any]] = []
        if source in (None, 3):
            found += OFFICIAL_VOICES
        if source in (None, 4):
            found += MY_VOICES
        return found

    def v4_avatar_list(self, platform: str, now: float) -> List[Dict[str, Any]]:
        """The v4 list: the official avatar on either platform, then (``open``, the API's
        platform) the uploads, newest first. Nothing was made in the web app (``aigc``)."""
        found = [dict(a) for a in V4_AVATARS]
        if platform == "open":
            found += [a.v4_data(now) for a in reversed(list(self.avatars.values()))]
        return found

    def v4_avatar(self, avatar_id: str, now: float) -> Optional[Dict[str, Any]]:
        """One avatar as the v4 detail shows it: a list item and its ``platform``."""
        for avatar in self.v4_avatar_list("open", now):
            if avatar["avatar_id"] == avatar_id:
                return {**avatar, "platform": "open"}
        return None

    @staticmethod
    def v4_voice_list(kind: int, support_stream: Optional[bool]) -> List[Dict[str, Any]]:
        """Voices of a type (1 cloned, 2 Akool's), all or only those whose streaming
        support is ``support_stream``."""
        voices = V4_CLONED_VOICES if kind == 1 else V4_AKOOL_VOICES
        if support_stream is None:
            return [dict(v) for v in voices]
        return [dict(v) for v in voices if v["support_stream"] is support_stream]

    @staticmethod
    def v4_voice(voice_id: str) -> Optional[Dict[str, Any]]:
        for voice in V4_AKOOL_VOICES + V4_CLONED_VOICES:
            if voice["voice_id"] == voice_id:
                return voice
        return None
