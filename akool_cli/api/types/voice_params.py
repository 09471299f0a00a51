"""A v4 session's ``voice_params`` as the API documents it (API-NOTES-v4, "session/create
body"): the keys it knows, each of its type and range. ``problem`` names the first thing
wrong, so that a client can refuse it before a billable create is sent. Pure."""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Optional, Tuple

# (what a value must be, as a person reads it; the test)
Rule = Tuple[str, Callable[[Any], bool]]


def _number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _between(low: float, high: float) -> Rule:
    return f"a number from {low:g} to {high:g}", lambda v: _number(v) and low <= v <= high


def _one_of(*values: str) -> Rule:
    return "one of " + ", ".join(values), lambda v: isinstance(v, str) and v in values


TEXT: Rule = ("a string", lambda v: isinstance(v, str))
WHOLE_MS: Rule = (
    "a whole number of milliseconds, 0 or more",
    lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
)
BOOLEAN: Rule = ("true or false", lambda v: isinstance(v, bool))
STRING_MAP: Rule = (
    'an object of strings, e.g. {"akool": "ai ku er"}',
    lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
)

# Nested objects are a dict of their own keys' rules.
Shape = Dict[str, Any]
TURN_DETECTION: Shape = {
    "type": _one_of("server_vad", "semantic_vad"),
    "threshold": _between(0, 1),
    "prefix_padding_ms": WHOLE_MS,
    "silence_duration_ms": WHOLE_MS,
}
ELEVENLABS_SETTINGS: Shape = {
    "api_key": TEXT,
    "model_id": TEXT,
    "stability": _between(0, 1),
    "similarity_boost": _between(0, 1),
    "style": _between(0, 1),
    "use_speaker_boost": BOOLEAN,
}
VOICE_PARAMS: Shape = {
    "speed": _between(0.8, 1.2),
    "pron_map": STRING_MAP,
    "stt_language": TEXT,
    "stt_type": _one_of("openai_realtime"),
    "turn_detection": TURN_DETECTION,
    "elevenlabs_settings": ELEVENLABS_SETTINGS,
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check(value: Any, shape: Shape, where: str) -> Optional[str]:
    if not isinstance(value, dict):
        return f"{where or 'it'} must be a JSON object"
    for key, item in value.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in shape:
            known = ", ".join(shape)
            return f"{name} is not a key the API documents (it knows {known})"
        rule = shape[key]
        if isinstance(rule, dict):
            found = _check(item, rule, name)
            if found:
                return found
            continue
        what, test = rule
        if not test(item):
            return f"{name} must be {what}, not {_shown(item)}"
    return None


def problem(value: Any) -> Optional[str]:
    """What is wrong with a ``voice_params`` object (its key path first), or None."""
    return _check(value, VOICE_PARAMS, "")
