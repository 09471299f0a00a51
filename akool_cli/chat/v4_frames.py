"""The v4 data-channel protocol as pure functions: frames out, frames in, answers joined.

Every message is UTF-8 JSON ``{"v": 2, "type", "mid", "idx"?, "fin"?, "pld"}``; the same
JSON travels on every room transport (LiveKit, Agora, TRTC).

Out (client to avatar):
    chat      a text cut into chunks: one ``mid``, ``idx`` 0, 1, 2, ..., ``fin`` true on
              the last only, each encoded chunk within a byte budget (960 by default, the
              vendor client's figure, under Agora's 1 KB a message)
    command   ``set-params`` (empty values left out), ``interrupt``, ``set-action``

In (avatar to client): ``decode`` (in ``v4_decode``, re-exported here) makes a
``ChatDelta``, ``CommandAck`` or ``SpeakingEvent`` of each message, anything else dropped;
``AnswerAssembler`` joins bot deltas by ``mid`` in ``idx`` order and ends the answer at
``fin``.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any, Dict, List, Optional

from akool_cli.chat import DIALOGUE, RETELL
from akool_cli.chat.errors import ChatProtocolError
from akool_cli.chat.protocol import FrameError
from akool_cli.chat.v4_decode import (
    ACK_OK,
    EVENTS,
    MAX_IDX,
    MAX_MID,
    VERSION,
    ChatDelta,
    CommandAck,
    Inbound,
    SpeakingEvent,
    decode,
)

__all__ = [
    "ACK_OK",
    "ACTIONS",
    "DEFAULT_CHUNK_BYTES",
    "EVENTS",
    "EXPRESSIONS",
    "MAX_ANSWER_BYTES",
    "MAX_IDX",
    "MAX_MID",
    "VERSION",
    "VPARAMS",
    "AnswerAssembler",
    "ChatDelta",
    "CommandAck",
    "FrameError",
    "Inbound",
    "SpeakingEvent",
    "decode",
    "encode_chat",
    "encode_interrupt",
    "encode_set_action",
    "encode_set_params",
    "new_mid",
    "split_text",
]

DEFAULT_CHUNK_BYTES = 960  # what the vendor's client keeps every encoded chunk within
MAX_ANSWER_BYTES = 1024 * 1024  # an answer larger than this is not the service

ACTIONS = (
    "hand_wave",
    "cheer",
    "thumbs_up",
    "pump_fists",
    "nod",
    "shake",
    "waft_left",
    "waft_right",
)
EXPRESSIONS = ("angry", "disgust", "fear", "happiness", "sadness", "surprise", "contempt")
# set-params: the top level and the voice parameters (``data.vid``/``data.vurl`` are
# deprecated in favour of ``vparams.vid``/``vparams.vurl``, so only the latter are sent).
VPARAMS = ("vid", "vurl", "speed", "stt_language", "pron_map", "turn_detection")
SPEED_RANGE = (0.8, 1.2)


def new_mid() -> str:
    """A message id: the time in milliseconds and a random suffix."""
    return f"msg-{int(time.time() * 1000)}-{secrets.token_hex(3)}"


def _dumps(message: Dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _check_mid(mid: str) -> None:
    if not isinstance(mid, str) or not mid or len(mid) > MAX_MID:
        raise ValueError(f"a message id is 1-{MAX_MID} characters")


# -- out: chat ------------------------------------------------------------------------


def _char_cost(char: str) -> int:
    """Bytes ``char`` takes inside a JSON string as ``_dumps`` writes it."""
    code = ord(char)
    if char in '"\\' or char in "\b\f\n\r\t":
        return 2
    if code < 0x20:
        return 6  # \u00XX
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if 0xD800 <= code <= 0xDFFF:
        raise ValueError("the text has a lone surrogate: it is not valid Unicode")
    if code < 0x10000:
        return 3
    return 4


def _chat(mid: str, idx: int, fin: bool, text: str) -> Dict[str, Any]:
    return {"v": VERSION, "type": "chat", "mid": mid, "idx": idx, "fin": fin, "pld": {"text": text}}


def _room(mid: str, idx: int, budget: int) -> int:
    """Bytes left for text in chunk ``idx`` (the envelope's fin false is its longer form)."""
    room = budget - len(_dumps(_chat(mid, idx, False, "")))
    if room < 6:  # the widest escape of one character must fit
        raise ValueError(f"a {budget}-byte budget cannot carry a chat frame")
    return room


def split_text(text: str, mid: str, budget: int = DEFAULT_CHUNK_BYTES) -> List[str]:
    """The pieces of ``text`` whose chat frames each fit in ``budget`` bytes, cut only
    between characters (never inside one UTF-8 sequence). ValueError for an empty text,
    one that is not valid Unicode, or a budget too small for a frame of one character."""
    _check_mid(mid)
    if not isinstance(text, str) or not text:
        raise ValueError("a chat text cannot be empty")
    pieces: List[str] = []
    start = 0
    size = 0
    room = _room(mid, 0, budget)
    for position, char in enumerate(text):
        cost = _char_cost(char)
        if size + cost > room:
            pieces.append(text[start:position])
            start, size = position, 0
            room = _room(mid, len(pieces), budget)
        size += cost
    pieces.append(text[start:])
    return pieces


def encode_chat(text: str, mid: str, budget: int = DEFAULT_CHUNK_BYTES) -> List[bytes]:
    """The chat frames that carry ``text``: one ``mid``, ``idx`` from 0 without a gap,
    ``fin`` true on the last frame only, each within ``budget`` bytes."""
    pieces = split_text(text, mid, budget)
    last = len(pieces) - 1
    return [_dumps(_chat(mid, i, i == last, piece)) for i, piece in enumerate(pieces)]


# -- out: commands --------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


def _command(mid: str, cmd: str, data: Optional[Dict[str, Any]] = None) -> bytes:
    _check_mid(mid)
    pld: Dict[str, Any] = {"cmd": cmd}
    if data is not None:
        pld["data"] = data
    return _dumps({"v": VERSION, "type": "command", "mid": mid, "pld": pld})


def encode_set_params(
    mid: str,
    *,
    lang: Optional[str] = None,
    mode: Optional[int] = None,
    bgurl: Optional[str] = None,
    vparams: Optional[Dict[str, Any]] = None,
) -> bytes:
    """``set-params`` with only the values given: None, empty strings and empty objects
    are left out, as the vendor's client does. ValueError for a mode that is not 1
    (retell) or 2 (dialogue), an unknown voice parameter, a speed outside 0.8-1.2, or
    nothing left to set."""
    data: Dict[str, Any] = {}
    if not _empty(lang):
        data["lang"] = lang
    if mode is not None:
        if mode not in (RETELL, DIALOGUE) or isinstance(mode, bool):
            raise ValueError("mode is 1 (retell) or 2 (dialogue)")
        data["mode"] = mode
    if not _empty(bgurl):
        data["bgurl"] = bgurl
    voice = {k: v for k, v in (vparams or {}).items() if not _empty(v)}
    unknown = sorted(set(voice) - set(VPARAMS))
    if unknown:
        raise ValueError(f"unknown voice parameter {unknown[0]!r}; known: {', '.join(VPARAMS)}")
    if "speed" in voice:
        speed = voice["speed"]
        low, high = SPEED_RANGE
        if isinstance(speed, bool) or not isinstance(speed, (int, float)):
            raise ValueError("speed is a number")
        if not low <= speed <= high:
            raise ValueError(f"speed is {low}-{high}")
    if voice:
        data["vparams"] = voice
    if not data:
        raise ValueError("set-params needs at least one value to set")
    return _command(mid, "set-params", data)


def encode_interrupt(mid: str) -> bytes:
    """``interrupt``: stop the answer being given."""
    return _command(mid, "interrupt")


def encode_set_action(
    mid: str, action: Optional[str] = None, expression: Optional[str] = None
) -> bytes:
    """``set-action`` with a gesture, a facial expression, or both (only some avatars
    have them). ValueError for a name outside the documented vocabularies."""
    data: Dict[str, Any] = {}
    if action is not None:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        data["action"] = action
    if expression is not None:
        if expression not in EXPRESSIONS:
            raise ValueError(f"unknown expression {expression!r}; one of {', '.join(EXPRESSIONS)}")
        data["expression"] = expression
    if not data:
        raise ValueError("set-action needs an action, an expression or both")
    return _command(mid, "set-action", data)


# -- answers --------------------------------------------------------------------------


class AnswerAssembler:
    """Joins the bot's deltas of one answer (one ``mid``) in ``idx`` order.

    ``add`` returns the text that has become contiguous (what can be shown now): a
    delta after a gap is held until the gap fills, a repeated ``idx`` is ignored, and
    nothing past the ``fin`` delta counts. The answer is ``complete`` once the ``fin``
    delta and every delta before it came; the ``fin`` delta's own text is part of it.

    ``quiet_over`` is the fallback for a room that never sends ``fin``: the caller
    passes whether this room has ever sent one, and a room that has is always waited
    for. ``finish_quietly`` then ends the answer with what came, in order.

    Nothing here reads a clock: the caller passes ``now``.
    """

    def __init__(self, mid: str, *, max_bytes: int = MAX_ANSWER_BYTES, now: float = 0.0) -> None:
        self.mid = mid
        self.max_bytes = max_bytes
        self.text = ""
        self.deltas = 0  # deltas that counted (not repeated, not past fin)
        self.ended_by: Optional[str] = None  # "fin" | "quiet"
        self.last_activity = now
        self._pending: Dict[int, str] = {}
        self._next = 0
        self._fin: Optional[int] = None
        self._bytes = 0

    @property
    def complete(self) -> bool:
        return self.ended_by is not None

    @property
    def waiting_for(self) -> Optional[int]:
        """The idx of a gap (a delta after it came, or the fin delta), else None."""
        if self.complete or (self._fin is None and not self._pending):
            return None
        return self._next

    def add(self, delta: ChatDelta, now: float = 0.0) -> str:
        """The text newly made contiguous by ``delta``. ValueError for a delta of
        another answer or a transcript; ChatProtocolError once the answer passes
        ``max_bytes``."""
        if delta.mid != self.mid or delta.from_user:
            raise ValueError("not a delta of this answer")
        if self.complete:
            return ""
        if delta.idx < self._next or delta.idx in self._pending:
            return ""  # a repeat
        if self._fin is not None and delta.idx > self._fin:
            return ""  # past the end
        size = len(delta.text.encode("utf-8"))
        if self._bytes + size > self.max_bytes:
            raise ChatProtocolError(f"an answer larger than {self.max_bytes} bytes")
        self._bytes += size
        self.deltas += 1
        self.last_activity = now
        self._pending[delta.idx] = delta.text
        if delta.fin and self._fin is None:
            self._fin = delta.idx
            for idx in [i for i in self._pending if i > delta.idx]:
                self._bytes -= len(self._pending.pop(idx).encode("utf-8"))
        new = []
        while self._next in self._pending:
            new.append(self._pending.pop(self._next))
            self._next += 1
        joined = "".join(new)
        self.text += joined
        if self._fin is not None and self._next > self._fin:
            self.ended_by = "fin"
        return joined

    def quiet_over(self, now: float, quiet: float, *, room_sends_fin: bool) -> bool:
        """True when the quiet-period fallback should end this answer: the room has
        never sent ``fin``, something came, and nothing more for ``quiet`` seconds."""
        if self.complete or room_sends_fin or self.deltas == 0:
            return False
        return now - self.last_activity >= quiet

    def finish_quietly(self) -> str:
        """End the answer without ``fin``: the held deltas after any gap, in ``idx``
        order (the text not yet returned)."""
        if self.complete:
            return ""
        rest = "".join(self._pending[i] for i in sorted(self._pending))
        self._pending.clear()
        self.text += rest
        self.ended_by = "quiet"
        return rest
