"""What a v4 session takes that a v3 one does not: the create options (a duration, the
stream type, the session's voice, language, mode, knowledge base, background and voice
parameters), each checked before anything billable is sent; and, for ``detail`` and
``list``, the time a v4 session has left of its duration."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from akool_cli._ids import is_word
from akool_cli._json import strict_json
from akool_cli.api.types.session import STREAM_TYPES
from akool_cli.api.types.voice_params import problem as voice_params_problem
from akool_cli.chat.modes import parse_mode
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.input import read_small_text
from akool_cli.cli.core.settings import duration as checked_duration
from akool_cli.cli.core.validate import http_url

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

MAX_VOICE_PARAMS = 64 * 1024  # bytes of --voice-params: a small JSON object
FLAGS = {
    "duration": "--duration",
    "stream_type": "--stream-type",
    "mode": "--mode",
    "voice_id": "--voice-id",
    "voice_url": "--voice-url",
    "language": "--language",
    "knowledge_id": "--knowledge-id",
    "background_url": "--background-url",
    "voice_params": "--voice-params",
}


@dataclass(frozen=True)
class V4Choices:
    """The v4 create options as typed (None: left out)."""

    duration: Optional[int] = None
    stream_type: Optional[str] = None
    mode: Optional[str] = None
    voice_id: Optional[str] = None
    voice_url: Optional[str] = None
    language: Optional[str] = None
    knowledge_id: Optional[str] = None
    background_url: Optional[str] = None
    voice_params: Optional[str] = None  # FILE, or - for stdin

    def given(self) -> Tuple[str, ...]:
        """The flags typed, as typed."""
        return tuple(FLAGS[f.name] for f in fields(self) if getattr(self, f.name) is not None)


def _word(value: str, flag: str) -> str:
    text = value.strip()
    if not is_word(text):
        raise UsageError(f"{flag} takes one word of printable characters, not {value!r}")
    return text


def _voice_params(source: str, stdin: Any) -> Dict[str, Any]:
    """The object of --voice-params, read as strictly as every JSON this tool takes and
    checked against what the API documents of it (API-NOTES-v4) before anything billable
    is sent: its keys, their types, speed 0.8-1.2."""
    text = read_small_text(source, stdin, MAX_VOICE_PARAMS, "--voice-params")
    try:
        value = strict_json(text)
    except ValueError as exc:
        raise UsageError(f"--voice-params is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError('--voice-params must be a JSON object, e.g. {"speed": 1.1}')
    wrong = voice_params_problem(value)
    if wrong:
        raise UsageError(f"--voice-params: {wrong}")
    return value


def v4_create(choices: V4Choices, app_ctx: AppContext) -> Tuple[int, str, Dict[str, Any]]:
    """(duration, stream type, the rest of the create body), every value checked; the
    duration is --duration, else the profile's ``duration``, else 600 s."""
    if choices.duration is None:
        duration = checked_duration(int(app_ctx.setting("duration")[0]))
    else:
        try:
            duration = checked_duration(choices.duration)
        except UsageError as exc:
            raise UsageError(f"--{exc}") from None
    stream_type = (choices.stream_type or "livekit").strip().lower()
    if stream_type not in STREAM_TYPES:
        raise UsageError(
            f"--stream-type is one of {', '.join(STREAM_TYPES)}, not {choices.stream_type!r}"
        )
    options: Dict[str, Any] = {}
    if choices.mode is not None:
        try:
            options["mode_type"] = parse_mode(choices.mode)
        except ValueError as exc:
            raise UsageError(f"--mode: {exc}") from None
    for key in ("voice_id", "language", "knowledge_id"):
        value = getattr(choices, key)
        if value is not None:
            options[key] = _word(value, FLAGS[key])
    for key in ("voice_url", "background_url"):
        value = getattr(choices, key)
        if value is not None:
            options[key] = http_url(value, FLAGS[key])
    if choices.voice_params is not None:
        options["voice_params"] = _voice_params(choices.voice_params, app_ctx.io.stdin)
    return duration, stream_type, options


def time_left(record: Optional[Dict[str, Any]], now: Optional[float] = None) -> Optional[float]:
    """Seconds a v4 session has left of the duration its record names (0 once it has run
    out); None when the record names no duration or time."""
    if not record:
        return None
    duration, created = record.get("duration"), record.get("created_at")
    numbers = (int, float)
    if not isinstance(duration, numbers) or not isinstance(created, numbers):
        return None
    if isinstance(duration, bool) or isinstance(created, bool):
        return None
    at = time.time() if now is None else now
    return max(0.0, float(created) + float(duration) - at)


def left_text(seconds: Optional[float], total: Any = None) -> Optional[str]:
    """``7m 12s of 10m``; None when unknown."""
    if seconds is None:
        return None
    text = _span(seconds)
    if isinstance(total, (int, float)) and not isinstance(total, bool):
        text += f" of {_span(total)}"
    return text


def _span(seconds: float) -> str:
    whole = int(round(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest}s"
    return f"{minutes}m {rest}s" if rest else f"{minutes}m"
