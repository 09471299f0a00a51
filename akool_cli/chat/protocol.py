"""The chat protocol as pure functions: frames, ids, URLs and answer assembly.

Sent frame:     {"type": "chat", "to": "<server id>", "payload": "<JSON string>"}
Received frame: {"type": "chat", "from": ..., "to": ..., "payload": "<JSON string>" | {...}}
Frames sharing a ``message_id`` form one answer; each frame's ``answer`` is either the
next piece (delta) or the whole text so far (cumulative). A payload with
``answer_ended: true`` completes the answer; a payload whose ``type`` is ``user`` is the
service's transcript of what a person said, never part of an answer.

``mode_type`` 1 is retelling (the avatar speaks the text it is sent), 2 is dialogue (the
avatar answers it). The server's default is 1; this client sends 2 unless told otherwise.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

from akool_cli._json import strict_json
from akool_cli.chat.errors import BadRoomURL
from akool_cli.chat.modes import DIALOGUE
from akool_cli.chat.modes import MODES as MODES  # re-exported: the vocabulary is modes.py
from akool_cli.chat.modes import parse_mode as parse_mode


class FrameError(ValueError):
    """A frame that is not a chat frame; the reason says why (for --debug)."""


@dataclass
class ChatSettings:
    """What goes into every question's payload besides the question itself."""

    voice_id: Optional[str] = None
    language: Optional[str] = None
    mode_type: int = DIALOGUE
    prompt_from: Optional[str] = None  # "text" | "url"
    prompt_content: Optional[str] = None

    def payload(self, question: str, message_id: str) -> Dict[str, Any]:
        payload: Dict[str, Any] = {"message_id": message_id}
        if self.voice_id:
            payload["voice_id"] = self.voice_id
        if self.language:
            payload["language"] = self.language
        payload["mode_type"] = self.mode_type
        if self.prompt_from:
            payload["prompt"] = {"from": self.prompt_from, "content": self.prompt_content or ""}
        payload["question"] = question
        return payload


def new_message_id() -> str:
    return f"msg-{int(time.time() * 1000)}-{secrets.token_hex(3)}"


def room_member_id(url: str) -> str:
    """``server_8898`` from ``wss://host/final_x_8898/server_8898.chat``."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing it is the check: a port out of range raises
    except ValueError as exc:
        raise BadRoomURL(f"not a chat room URL: {url} ({exc})") from None
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise BadRoomURL(f"not a ws:// or wss:// chat room URL: {url}")
    path = parts.path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if not last.endswith(".chat") or len(last) <= len(".chat"):
        raise BadRoomURL(f"not a chat room URL: {url}")
    return last[: -len(".chat")]


def server_url_for(client_url: str) -> str:
    """The server room beside a client room (``client_8898.chat`` -> ``server_8898.chat``)."""
    member = room_member_id(client_url)
    if not member.startswith("client_"):
        raise BadRoomURL(f"not a client chat room URL: {client_url}")
    head, _, _ = client_url.rpartition(member)
    return f"{head}server_{member[len('client_') :]}.chat"


def derive_chat_urls(pull_url: str) -> Tuple[str, str]:
    """Chat URLs guessed from the pull URL, following the pattern of the vendor's page:

    ``https://h:8443/final_openapi_live/<stream>.flv`` ->
    ``wss://h:8443/final_<stream>/client_<n>.chat`` (and ``server_<n>.chat``),
    where ``<n>`` is the stream name's suffix after the last ``_``.
    """
    parts = urlsplit(pull_url)
    name = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if not name.endswith(".flv"):
        raise ValueError(f"cannot derive chat URLs from {pull_url}")
    stream = name[: -len(".flv")]
    number = stream.rsplit("_", 1)[-1]
    if not stream or "_" not in stream or not number.isdigit():
        raise ValueError(f"cannot derive chat URLs from {pull_url}")
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    base = f"/final_{stream}/"
    client = urlunsplit((scheme, parts.netloc, f"{base}client_{number}.chat", "", ""))
    server = urlunsplit((scheme, parts.netloc, f"{base}server_{number}.chat", "", ""))
    return client, server


def encode_question(question: str, *, to: str, message_id: str, settings: ChatSettings) -> str:
    payload = settings.payload(question, message_id)
    return json.dumps(
        {"type": "chat", "to": to, "payload": json.dumps(payload, ensure_ascii=False)},
        ensure_ascii=False,
    )


@dataclass(frozen=True)
class ChatFrame:
    message_id: str
    answer: str
    payload: Dict[str, Any] = field(repr=False)
    ended: bool = False  # the payload said answer_ended: true
    marked: bool = False  # the payload carried answer_ended at all (true or false)
    from_user: bool = False  # a transcript of what a person said, not an answer


def _json(text: str, reason: str) -> Any:
    """Strict JSON (no NaN or Infinity, no absurd nesting), or FrameError(reason)."""
    try:
        return strict_json(text)
    except ValueError:
        raise FrameError(reason) from None


def decode_frame(data: Any) -> ChatFrame:
    """A received frame as a ChatFrame; FrameError for anything that is not one."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FrameError("binary frame") from None
    if not isinstance(data, str):
        raise FrameError("not text")
    frame = _json(data, "not JSON")
    if not isinstance(frame, dict):
        raise FrameError("not a JSON object")
    if frame.get("type") != "chat":
        raise FrameError(f"type {frame.get('type')!r}")
    payload = frame.get("payload")
    if isinstance(payload, str):
        payload = _json(payload, "payload is not JSON")
    if not isinstance(payload, dict):
        raise FrameError("payload is not an object")
    message_id = payload.get("message_id")
    if not isinstance(message_id, str):
        raise FrameError("no message_id")
    answer = payload.get("answer", "")
    if answer is None:
        answer = ""
    if not isinstance(answer, str):
        raise FrameError("answer is not text")
    return ChatFrame(
        message_id=message_id,
        answer=answer,
        payload=payload,
        ended=payload.get("answer_ended") is True,
        marked="answer_ended" in payload,
        from_user=payload.get("type") == "user",
    )


def utf8_size(text: str) -> int:
    """How many bytes ``text`` takes in UTF-8 (a lone surrogate counted as three)."""
    return len(text.encode("utf-8", "surrogatepass"))


class AnswerAssembler:
    """Joins the frames of one answer. ``add`` returns only the text not yet seen:
    a frame that starts with everything so far is cumulative, otherwise a delta.
    ``size`` is the answer's size in UTF-8 bytes, kept as it grows."""

    def __init__(self) -> None:
        self.text = ""
        self.size = 0
        self.frames = 0
        self.last_payload: Dict[str, Any] = {}

    def add(self, frame: ChatFrame) -> str:
        self.frames += 1
        self.last_payload = frame.payload
        if frame.answer.startswith(self.text):
            new = frame.answer[len(self.text) :]
            self.text = frame.answer
        else:
            new = frame.answer
            self.text += frame.answer
        self.size += utf8_size(new)
        return new
