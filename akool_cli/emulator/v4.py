"""The rules of a v4 ``session/create`` body and of the ``credentials`` a v4 session
answers with (API-NOTES-v4, "session/create body" and "credentials in the answer"). Pure:
no sockets, no state.

The body is checked as strictly as the v3 routes are, and a little more: every field must
be one the vendor documents, of its documented type and range, or the answer is 1003.
An empty string stands for an absent optional text (the vendor's web client sends ``""``
for what its user left empty); ``null`` is refused.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Tuple

from akool_cli.emulator.catalog import LANGUAGE_NAMES, Catalog

STREAM_TYPES = ("agora", "livekit", "trtc")
DEFAULT_STREAM_TYPE = "agora"  # the server's default when a body names none
DURATION_RANGE = (1, 3600)
MODE_TYPES = (1, 2)  # 1 retelling, 2 dialogue
OPTIONAL_TEXTS = ("knowledge_id", "voice_id", "voice_url", "language", "background_url")
URL_TEXTS = ("voice_url", "background_url")
CREATE_FIELDS = (
    "avatar_id",
    "duration",
    "mode_type",
    "scene_mode",
    "e2e_type",
    "voice_params",
    "stream_type",
    "credentials",
    *OPTIONAL_TEXTS,
)
# The preset voices of ``scene_mode: fast_dialogue`` (its voice_params name one of them).
FAST_DIALOGUE_VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar",
)  # fmt: skip
# Keys of the answer's credentials that are secrets: only create's answer carries them
# (detail and list leave them out; a client keeps them from create).
SECRET_KEYS = ("agora_token", "livekit_token", "trtc_user_sig")


def _number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _in(low: float, high: float) -> Callable[[Any], bool]:
    return lambda v: _number(v) and low <= v <= high


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _non_negative_whole(value: Any) -> bool:
    return _whole(value) and value >= 0


def _url(value: Any, schemes: Tuple[str, ...] = ("http://", "https://")) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(schemes)
        and len(value) > max(len(s) for s in schemes)
        and not any(c.isspace() or ord(c) < 0x20 for c in value)
    )


def _object_of(rules: Dict[str, Callable[[Any], bool]]) -> Callable[[Any], bool]:
    """An object whose keys are all among ``rules`` and whose values pass them."""

    def check(value: Any) -> bool:
        return isinstance(value, dict) and all(
            key in rules and rules[key](item) for key, item in value.items()
        )

    return check


def _string_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


TURN_DETECTION = _object_of(
    {
        "type": lambda v: v in ("server_vad", "semantic_vad"),
        "threshold": _in(0, 1),
        "prefix_padding_ms": _non_negative_whole,
        "silence_duration_ms": _non_negative_whole,
    }
)
ELEVENLABS_SETTINGS = _object_of(
    {
        "api_key": _text,
        "model_id": _text,
        "stability": _in(0, 1),
        "similarity_boost": _in(0, 1),
        "style": _in(0, 1),
        "use_speaker_boost": lambda v: isinstance(v, bool),
    }
)
VOICE_PARAMS = _object_of(
    {
        "speed": _in(0.8, 1.2),
        "pron_map": _string_map,
        "stt_language": _text,
        "stt_type": lambda v: v == "openai_realtime",
        "turn_detection": TURN_DETECTION,
        "elevenlabs_settings": ELEVENLABS_SETTINGS,
    }
)
FAST_DIALOGUE_VOICE_PARAMS = _object_of(
    {
        "voice_id": lambda v: v in FAST_DIALOGUE_VOICES,
        "stt_language": _text,
        "turn_detection": TURN_DETECTION,
        "elevenlabs_settings": ELEVENLABS_SETTINGS,
    }
)

# Credentials a caller may bring (its own room), by stream type: (key, rule, required).
# TRTC's keys are spelled ``trtc_sdk_*`` in the vendor's spec and ``trtc_*`` in its web
# client's answers: both are accepted here, and the answer uses the web client's.
_TEXT_OK = lambda v: isinstance(v, str) and v != ""  # noqa: E731
BROUGHT: Dict[str, Tuple[Tuple[str, Callable[[Any], bool], bool], ...]] = {
    "agora": (
        ("agora_uid", lambda v: _whole(v) and 0 <= v < 2**32, True),
        ("agora_app_id", _TEXT_OK, False),
        ("agora_channel", _TEXT_OK, True),
        ("agora_token", _TEXT_OK, True),
    ),
    "livekit": (
        ("livekit_url", lambda v: _url(v, ("ws://", "wss://")), True),
        ("livekit_token", _TEXT_OK, True),
        ("livekit_room_name", _TEXT_OK, False),
        ("livekit_server_identity", _TEXT_OK, False),
        ("livekit_client_identity", _TEXT_OK, False),
    ),
    "trtc": (
        ("trtc_app_id", lambda v: _whole(v) and v > 0, True),
        ("trtc_room_id", _TEXT_OK, True),
        ("trtc_user_id", _TEXT_OK, True),
        ("trtc_user_sig", _TEXT_OK, True),
    ),
}
TRTC_SPEC_SPELLING = {
    "trtc_sdk_app_id": "trtc_app_id",
    "trtc_sdk_room_id": "trtc_room_id",
    "trtc_sdk_user_id": "trtc_user_id",
    "trtc_sdk_user_sig": "trtc_user_sig",
}


def brought_credentials(stream_type: str, raw: Any) -> Optional[Dict[str, Any]]:
    """The caller's own room credentials in the answer's key names; None if they are not
    an object of this stream type's keys with every required one."""
    if not isinstance(raw, dict):
        return None
    given: Dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key)
        if stream_type == "trtc":
            name = TRTC_SPEC_SPELLING.get(name, name)
        if name in given:  # both spellings of one key
            return None
        given[name] = value
    rules = BROUGHT[stream_type]
    if set(given) - {key for key, _, _ in rules}:
        return None
    for key, rule, required in rules:
        if key in given and not rule(given[key]):
            return None
        if required and key not in given:
            return None
    return given


@dataclass
class CreateRequest:
    """A v4 create body that passed its checks."""

    avatar_id: str
    duration: Optional[float]
    stream_type: str
    credentials: Optional[Dict[str, Any]]  # brought by the caller (answer's key names)
    params: Dict[str, Any] = field(default_factory=dict)  # the rest, non-empty values only


def check_create(body: Any) -> Optional[CreateRequest]:
    """The checked body, or None for a parameter error (1003)."""
    if not isinstance(body, dict) or set(body) - set(CREATE_FIELDS):
        return None
    avatar_id = body.get("avatar_id")
    if not isinstance(avatar_id, str) or not avatar_id.strip():
        return None
    duration = body.get("duration")
    if "duration" in body and not _in(*DURATION_RANGE)(duration):
        return None
    params: Dict[str, Any] = {}
    for key in OPTIONAL_TEXTS:
        if key not in body:
            continue
        value = body[key]
        if not isinstance(value, str):
            return None
        if value == "":
            continue  # what the vendor's web client sends for "not set"
        if key in URL_TEXTS and not _url(value):
            return None
        params[key] = value
    if "language" in params and params["language"] not in LANGUAGE_NAMES:
        return None
    if "mode_type" in body:
        if not _whole(body["mode_type"]) or body["mode_type"] not in MODE_TYPES:
            return None
        params["mode_type"] = body["mode_type"]
    scene_mode, e2e_type = body.get("scene_mode"), body.get("e2e_type")
    if "scene_mode" in body and scene_mode != "fast_dialogue":
        return None
    if "e2e_type" in body and (e2e_type != "openai" or scene_mode != "fast_dialogue"):
        return None  # e2e_type applies only to fast_dialogue
    if scene_mode:
        params["scene_mode"] = scene_mode
    if e2e_type:
        params["e2e_type"] = e2e_type
    if "voice_params" in body:
        rule = FAST_DIALOGUE_VOICE_PARAMS if scene_mode else VOICE_PARAMS
        if not rule(body["voice_params"]):
            return None
        params["voice_params"] = body["voice_params"]
    if not _voice_ok(params):
        return None
    stream_type = body.get("stream_type", DEFAULT_STREAM_TYPE)
    if stream_type not in STREAM_TYPES:
        return None
    credentials = None
    if "credentials" in body:
        credentials = brought_credentials(stream_type, body["credentials"])
        if credentials is None:
            return None
    return CreateRequest(
        avatar_id=avatar_id,
        duration=float(duration) if duration is not None else None,
        stream_type=stream_type,
        credentials=credentials,
        params=params,
    )


def _voice_ok(params: Dict[str, Any]) -> bool:
    """A ``voice_id`` must be a voice of the v4 list that can stream, unless the session
    brings its own ElevenLabs settings (then it is an ElevenLabs voice id) or is a
    fast_dialogue one (whose voice is a preset in voice_params)."""
    voice_id = params.get("voice_id")
    if voice_id is None or params.get("scene_mode"):
        return True
    if "elevenlabs_settings" in params.get("voice_params", {}):
        return True
    voice = Catalog.v4_voice(voice_id)
    return voice is not None and voice["support_stream"] is True


# Credentials the emulator makes for a room it hosts. An Agora app id is the account's,
# the same for every session.
AGORA_APP_ID = "e3a1c0de5e55104a9e0a71a5b0c4d2f6"


def agora_credentials(number: int, channel: str) -> Dict[str, Any]:
    """Agora credentials in the shape v4 answers with. The emulator hosts no Agora
    channel: a client can read them, not join with them."""
    return {
        "agora_uid": 100000 + number % 100000,
        "agora_app_id": AGORA_APP_ID,
        "agora_channel": channel,
        "agora_token": "007eJx" + secrets.token_urlsafe(96),
    }


def trtc_credentials(number: int) -> Dict[str, Any]:
    """TRTC credentials in the vendor's web client's key names (no TRTC room here either)."""
    return {
        "trtc_app_id": 1400000000 + number % 100000,
        "trtc_room_id": str(number),
        "trtc_user_id": f"client_{number}",
        "trtc_user_sig": "eJw" + secrets.token_urlsafe(120),
    }


def livekit_identities(number: int) -> Tuple[str, str]:
    """(client identity, server identity): the person's participant and the avatar's."""
    return f"client_{number}", f"server_{number}"


def public_credentials(credentials: Dict[str, Any]) -> Dict[str, Any]:
    """The credentials as detail and list show them: without the secrets."""
    return {k: v for k, v in credentials.items() if k not in SECRET_KEYS}
