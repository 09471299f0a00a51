"""What a conversation hands its caller: answers, command results and events."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from akool_cli.chat import ENDED_BY_QUIET
from akool_cli.chat.v4_decode import ACK_OK

# ChatEvent.kind
ANSWER_DELTA = "answer_delta"  # text newly shown of the answer being given
ANSWER_END = "answer_end"  # the answer's text is complete (ended_by says how)
AUDIO_START, AUDIO_END = "audio_start", "audio_end"  # the avatar started/stopped saying it
ACK = "ack"  # a command's acknowledgement (code 1000: done)
TRANSCRIPT = "transcript"  # what a person said, as the service heard it
JOINED, LEFT = "joined", "left"  # a participant (the avatar: ``avatar`` true)
RECONNECTING, RECONNECTED = "reconnecting", "reconnected"  # the room's own recovery
ROOM_CLOSED = "room_closed"  # the connection is gone: the session ended or it dropped
EVENT_KINDS = (
    ANSWER_DELTA, ANSWER_END, AUDIO_START, AUDIO_END, ACK, TRANSCRIPT,
    JOINED, LEFT, RECONNECTING, RECONNECTED, ROOM_CLOSED,
)  # fmt: skip


def wall_clock(monotonic: float) -> float:
    """The time.time() of a time.monotonic() reading (0: now)."""
    now = time.time()
    return now if not monotonic else now - (time.monotonic() - monotonic)


@dataclass(frozen=True)
class ChatEvent:
    """Something that happened in the room, for ``on_event``. ``at`` is the wall clock
    (seconds since the epoch) when it arrived; only the fields of its kind are set."""

    kind: str
    at: float
    mid: str = ""  # the answer's, the command's or the transcript's id
    text: str = ""  # answer_delta: the new text; answer_end, transcript: the whole text
    question_mid: str = ""  # answer_delta, answer_end: the question it answers
    ended_by: str = ""  # answer_end
    cmd: str = ""  # ack
    code: Optional[int] = None  # ack
    msg: str = ""  # ack
    identity: str = ""  # joined, left
    avatar: bool = False  # joined, left: the participant is the avatar
    reason: str = ""  # left, room_closed

    def as_json(self) -> Dict[str, Any]:
        """``{"event": kind, "at": …}`` and the fields of its kind that are set."""
        data: Dict[str, Any] = {"event": self.kind, "at": round(self.at, 3)}
        for key in ("mid", "question_mid", "text", "ended_by", "cmd", "code", "msg"):
            value = getattr(self, key)
            if value not in ("", None):
                data[key] = value
        if self.kind in (JOINED, LEFT):
            data["identity"] = self.identity
            data["avatar"] = self.avatar
        if self.reason:
            data["reason"] = self.reason
        return data


# CommandResult.status
OK, REFUSED, UNACKED, NOT_SENT = "ok", "refused", "unacked", "not_sent"


@dataclass(frozen=True)
class CommandResult:
    """How a command went: ``ok`` (acknowledged with 1000), ``refused`` (acknowledged
    with another code: a warning, the chat goes on), ``unacked`` (sent, no
    acknowledgement in time) or ``not_sent`` (the avatar was not in the room)."""

    cmd: str
    mid: str
    status: str
    code: Optional[int] = None
    msg: str = ""
    waited_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def refused(self) -> bool:
        return self.status == REFUSED

    def describe(self) -> str:
        """One line for a person (a warning unless ok)."""
        if self.status == OK:
            return f"{self.cmd}: done"
        if self.status == REFUSED:
            detail = f"{self.code}: {self.msg}" if self.msg else str(self.code)
            return f"the avatar refused {self.cmd} ({detail})"
        if self.status == UNACKED:
            return f"no acknowledgement of {self.cmd} within {self.waited_ms / 1000:g} s"
        return f"{self.cmd} not sent: the avatar is not in the room"

    def as_json(self) -> Dict[str, Any]:
        return {"cmd": self.cmd, "mid": self.mid, "status": self.status,
                "code": self.code, "msg": self.msg}  # fmt: skip

    @staticmethod
    def from_ack(cmd: str, mid: str, code: int, msg: str, waited_ms: int) -> CommandResult:
        status = OK if code == ACK_OK else REFUSED
        return CommandResult(cmd, mid, status, code, msg, waited_ms)


@dataclass
class ChatAnswer:
    message_id: str  # the question's id (v3 message_id, v4 mid)
    question: str
    answer: str
    elapsed_ms: int  # question sent (or connecting begun) to the answer's last piece
    payload: Dict[str, Any]
    frames: int = 0  # how many frames made the answer
    # "marker": v3 answer_ended; "fin": v4 fin; "quiet": the idle period; "interrupted"
    ended_by: str = ENDED_BY_QUIET
    protocol: str = "v3"
    answer_mid: Optional[str] = None  # v4: the answer's own id
    spoke_ms: Optional[int] = None  # v4: audio_start to audio_end, when both came
    interrupt: Optional[CommandResult] = field(default=None)  # ended_by "interrupted"

    def as_json(self) -> Dict[str, Any]:
        """The answer's fields first, then (v3) the payload's other fields."""
        if self.protocol != "v3":
            data: Dict[str, Any] = {
                "mid": self.message_id,
                "question": self.question,
                "answer": self.answer,
                "answer_mid": self.answer_mid,
                "elapsed_ms": self.elapsed_ms,
                "ended_by": self.ended_by,
                "spoke_ms": self.spoke_ms,
            }
            if self.interrupt is not None:
                data["interrupt"] = self.interrupt.as_json()
            return data
        data = {
            "message_id": self.message_id,
            "question": self.question,
            "answer": self.answer,
            "elapsed_ms": self.elapsed_ms,
            "ended_by": self.ended_by,
        }
        for key, value in self.payload.items():
            data.setdefault(key, value)
        return data
