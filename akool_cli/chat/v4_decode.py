"""The v4 data channel, inbound: what the room sends, decoded (pure).

    chat      ``pld: {from: "bot" | "user", text}``, with ``idx`` and ``fin``: bot deltas
              form an answer; ``user`` is the service's transcript of what a person said
    command   an acknowledgement ``pld: {cmd, code, msg?}``; code 1000 is done
    event     ``pld: {event: "audio_start" | "audio_end"}``: the avatar started/stopped
              speaking

Anything else (not ``v: 2``, malformed, an unknown type, too large) is a FrameError.
``v4_frames`` re-exports all of this beside the outbound side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Union

from akool_cli._json import strict_json
from akool_cli.chat import MAX_FRAME_BYTES
from akool_cli.chat.protocol import FrameError

VERSION = 2
MAX_MID = 256  # characters; an id longer than this is not the service's
MAX_IDX = 1 << 20  # a delta index past this is not the service's either
ACK_OK = 1000
EVENTS = ("audio_start", "audio_end")


@dataclass(frozen=True)
class ChatDelta:
    """A piece of a chat message from the room: the bot's answer or, with
    ``from_user``, the service's transcript of what a person said."""

    mid: str
    idx: int
    fin: bool
    text: str
    from_user: bool = False


@dataclass(frozen=True)
class CommandAck:
    mid: str
    cmd: str
    code: int
    msg: str = ""

    @property
    def ok(self) -> bool:
        return self.code == ACK_OK


@dataclass(frozen=True)
class SpeakingEvent:
    mid: str
    event: str  # audio_start | audio_end

    @property
    def speaking(self) -> bool:
        return self.event == "audio_start"


Inbound = Union[ChatDelta, CommandAck, SpeakingEvent]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(text: str) -> str:
    """``text`` with any lone surrogate (JSON can escape one) as U+FFFD, so that what
    came can always be printed and stored."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _mid(message: Dict[str, Any]) -> str:
    mid = message.get("mid")
    if not isinstance(mid, str) or not mid or len(mid) > MAX_MID:
        raise FrameError("no usable mid")
    return _unicode(mid)


def decode(data: Union[bytes, str]) -> Inbound:
    """One message from the room as a ChatDelta, CommandAck or SpeakingEvent;
    FrameError (the message is dropped) for anything else: not UTF-8 JSON, larger than a
    message may be, not ``v: 2``, an unknown type, or a field of the wrong kind."""
    if isinstance(data, bytes):
        if len(data) > MAX_FRAME_BYTES:
            raise FrameError("message too large")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FrameError("not UTF-8") from None
    if not isinstance(data, str):
        raise FrameError("not text")
    if len(data) > MAX_FRAME_BYTES:
        raise FrameError("message too large")
    try:
        message = strict_json(data)
    except ValueError:
        raise FrameError("not JSON") from None
    if not isinstance(message, dict):
        raise FrameError("not a JSON object")
    version = message.get("v")
    if type(version) is not int or version != VERSION:
        raise FrameError(f"not v {VERSION}")
    pld = message.get("pld")
    if not isinstance(pld, dict):
        raise FrameError("pld is not an object")
    kind = message.get("type")
    if kind == "chat":
        return _decode_chat(message, pld)
    if kind == "command":
        cmd, code, msg = pld.get("cmd"), pld.get("code"), pld.get("msg", "")
        if not isinstance(cmd, str) or not cmd:
            raise FrameError("command without cmd")
        if not isinstance(code, int) or isinstance(code, bool):
            raise FrameError("command without a numeric code is not an acknowledgement")
        if msg is None:
            msg = ""
        if not isinstance(msg, str):
            raise FrameError("msg is not text")
        return CommandAck(mid=_mid(message), cmd=_unicode(cmd), code=code, msg=_unicode(msg))
    if kind == "event":
        event = pld.get("event")
        if event not in EVENTS:
            raise FrameError("unknown event")
        return SpeakingEvent(mid=_mid(message), event=event)
    raise FrameError("unknown type")


def _decode_chat(message: Dict[str, Any], pld: Dict[str, Any]) -> ChatDelta:
    idx = message.get("idx")
    if not isinstance(idx, int) or isinstance(idx, bool) or not 0 <= idx <= MAX_IDX:
        raise FrameError("chat without a usable idx")
    # The envelope carries fin (the notes, the vendor's web client); the vendor's guide
    # reads it inside pld, so a fin there counts when the envelope has none.
    fin = message["fin"] if "fin" in message else pld.get("fin", False)
    if not isinstance(fin, bool):
        raise FrameError("fin is not true or false")
    sender = pld.get("from")
    if sender not in ("bot", "user"):
        raise FrameError("chat from neither bot nor user")
    text = pld.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise FrameError("text is not text")
    return ChatDelta(
        mid=_mid(message), idx=idx, fin=fin, text=_unicode(text), from_user=sender == "user"
    )
