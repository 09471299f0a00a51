"""The emulator's settings as ``/_emulator/config`` (and a session's
``/_emulator/sessions/<id>/avatar``) take them: each key, what it sets and how its value
is checked. Pure: no sockets.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

from akool_cli.emulator.avatar import ANSWER_MARKS, ANSWER_MIDS, ANSWER_MODES, FAULTS
from akool_cli.emulator.session import EmuSession
from akool_cli.emulator.state import State


def _one_of(choices: Tuple[Any, ...], name: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in choices:
            raise ValueError(f"{name} is one of {', '.join(map(str, choices))}")
        return value

    return check


def _script(value: Any) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("script maps questions to answers")
    return {str(k): str(v) for k, v in value.items()}


def _seconds(value: Any) -> float:
    return max(0.0, float(value))


def _duration(value: Any) -> float:
    seconds = float(value)
    if not 1 <= seconds <= 3600:
        raise ValueError("default_duration is 1..3600 seconds")
    return seconds


def _ws_url(value: Any) -> str:
    if not isinstance(value, str) or not (value == "" or value.startswith(("ws://", "wss://"))):
        raise ValueError("livekit_url is a ws:// or wss:// URL ('' for the emulator's own)")
    return value


def _flag(value: Any) -> bool:
    if value is not True and value is not False:
        raise ValueError("a switch is true or false")
    return value


def _late(value: Any) -> float:
    seconds = float(value)
    if not 0 <= seconds <= 3600:
        raise ValueError("avatar_late is 0..3600 seconds")
    return seconds


def _marks(value: Any) -> str:
    """``answer_ended``: true (the last frame), false (none), or one of ANSWER_MARKS."""
    if value is True or value is False:
        return "last" if value else "never"
    return _one_of(ANSWER_MARKS, "answer_ended")(value)


# ``/_emulator/config`` keys: (on the state or its chat settings, attribute, converter).
SETTINGS: Dict[str, Tuple[str, str, Callable[[Any], Any]]] = {
    "ready_after": ("state", "ready_after", _seconds),
    "idle_timeout": ("state", "idle_timeout", _seconds),
    "fail_sessions": ("state", "fail_sessions", bool),
    "latency": ("state", "latency", _seconds),
    "default_duration": ("state", "default_duration", _duration),
    "livekit_url": ("state", "livekit_url", _ws_url),
    "chat_refuse_queueing": ("chat", "refuse_queueing", bool),
    "answer_ended": ("chat", "answer_ended", _marks),
    "pause": ("chat", "pause", _seconds),
    "pause_after": ("chat", "pause_after", lambda v: max(1, int(v))),
    "user_transcript": ("chat", "user_transcript", bool),
    "answer_mode": ("chat", "answer_mode", _one_of(ANSWER_MODES, "answer_mode")),
    "chunks": ("chat", "chunks", lambda v: max(1, int(v))),
    "chunk_delay": ("chat", "chunk_delay", _seconds),
    "chat_fault": ("chat", "fault", _one_of((None, *FAULTS), "chat_fault")),
    "chat_fault_times": ("chat", "fault_times", lambda v: None if v is None else int(v)),
    "script": ("chat", "script", _script),
    "slow_delay": ("chat", "slow_delay", _seconds),
    "fin": ("chat", "fin", _flag),
    "fin_carries_text": ("chat", "fin_carries_text", _flag),
    "shuffle": ("chat", "shuffle", _flag),
    "answer_mid": ("chat", "answer_mid", _one_of(ANSWER_MIDS, "answer_mid")),
    "audio_events": ("chat", "audio_events", _flag),
    "speaking_ms_per_char": ("chat", "speaking_ms_per_char", _seconds),
    "avatar_late": ("chat", "avatar_late", _late),
    "credit": ("catalog", "credit", lambda v: max(0.0, float(v))),
    "session_cost": ("catalog", "session_cost", lambda v: max(0.0, float(v))),
    "minute_cost": ("catalog", "minute_cost", lambda v: max(0.0, float(v))),
    "fail_avatars": ("catalog", "fail_avatars", bool),
}


AVATAR_KEYS = tuple(key for key, (target, _, _) in SETTINGS.items() if target == "chat")


def apply_config(state: State, raw: Any, session: Optional[EmuSession] = None) -> None:
    """Apply a ``/_emulator/config`` body (or, for ``session``, a body of avatar switches
    for that session alone); ValueError for anything unknown or out of range. Every
    value is checked before any is applied."""
    if not isinstance(raw, dict):
        raise ValueError("config is a JSON object")
    known = AVATAR_KEYS if session is not None else tuple(SETTINGS)
    unknown = set(raw) - set(known)
    if unknown:
        raise ValueError(f"unknown config fields: {', '.join(sorted(unknown))}")
    values = {key: SETTINGS[key][2](value) for key, value in raw.items()}
    if "chat_fault" in raw and "chat_fault_times" not in raw:
        values["chat_fault_times"] = None  # a new fault fires until told otherwise
    with state.lock:
        avatar = state.own_avatar(session) if session is not None else state.chat
        targets = {"state": state, "chat": avatar, "catalog": state.catalog}
        for key, value in values.items():
            target, attribute, _ = SETTINGS[key]
            setattr(targets[target], attribute, value)
