"""The seam between a conversation and the room it talks through.

``Conversation`` (conversation.py) is written once against ``Transport``: it asks,
interrupts, sets, listens, keeps the deadlines and reconnects; a transport only carries
what is said, decoded, and says what its room can do. Three implement it: the v3
websocket room (``ws_transport.WebSocketTransport``), the v4 LiveKit room
(``v4_transport.V4Transport``), and an in-memory one in the tests.

A transport hands back, from ``receive``, one of:

    Piece       a piece of an answer (v3 frame, v4 bot delta)
    Transcript  what a person said, as the service heard it: never part of an answer
    Ack         a command's acknowledgement (v4)
    Speaking    the avatar started or stopped saying an answer (v4)
    Presence    someone joined or left the room; the room reconnecting (v4)

and raises ``LinkDown`` for a connection that failed or dropped (the conversation
reconnects), ``LinkRefused`` for a room that refused the connection (the conversation
asks its ``on_refused`` first), or a ChatError for what no retry can mend (a refused
token, an ended session, a protocol error, a missing package).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ContextManager, Dict, FrozenSet, Optional, Protocol, Union

from akool_cli.chat.protocol import ChatSettings

# What a room can do beyond asking (``Transport.features``, ``Conversation.supports``).
INTERRUPT = "interrupt"
SET_PARAMS = "set-params"
SET_ACTION = "set-action"
SPEAKING = "speaking"  # audio_start / audio_end
PRESENCE = "presence"  # the avatar is a participant that joins and leaves
V4_FEATURES = frozenset({INTERRUPT, SET_PARAMS, SET_ACTION, SPEAKING, PRESENCE})


@dataclass(frozen=True)
class Piece:
    mid: str  # the answer's id: v3, the question's message_id; v4, the answer's own
    text: str
    idx: Optional[int] = None  # v4: its place in the answer; v3: arrival order
    end: bool = False  # it ends its answer (v3 answer_ended true, v4 fin)
    marked: bool = False  # it shows the room marks answers' ends (v3 answer_ended, v4 fin)
    payload: Dict[str, Any] = field(default_factory=dict, repr=False)  # v3: the frame's
    received: float = 0.0  # time.monotonic() when it arrived


@dataclass(frozen=True)
class Transcript:
    mid: str
    text: str
    idx: Optional[int] = None  # None: whole (v3); else a delta, complete at ``end``
    end: bool = True
    received: float = 0.0


@dataclass(frozen=True)
class Ack:
    mid: str
    cmd: str
    code: int
    msg: str = ""
    received: float = 0.0


@dataclass(frozen=True)
class Speaking:
    mid: str
    event: str  # "audio_start" | "audio_end"
    received: float = 0.0


@dataclass(frozen=True)
class Presence:
    kind: str  # "joined" | "left" | "reconnecting" | "reconnected"
    identity: str = ""
    reason: str = ""
    avatar: bool = False  # the participant is the avatar
    received: float = 0.0


Inbound = Union[Piece, Transcript, Ack, Speaking, Presence]


class LinkDown(Exception):
    """The connection could not be made or dropped; ``reason`` says how (one line)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LinkRefused(LinkDown):
    """The room refused the connection (a v3 room refuses a session not live yet)."""


class Watch(Protocol):
    fired: bool  # the deadline passed (and the transport cut what was in progress)


class Assembly(Protocol):
    """One answer being joined from its pieces, as its protocol joins them."""

    @property
    def text(self) -> str:
        """What is contiguous so far."""

    @property
    def pieces(self) -> int:
        """Pieces that counted."""

    @property
    def payload(self) -> Dict[str, Any]:
        """v3: the last frame's payload; v4: empty."""

    @property
    def complete(self) -> bool:
        """Ended by its room's marker (v3 answer_ended, v4 fin)."""

    def add(self, piece: Piece, now: float) -> str:
        """The text newly made contiguous; ChatProtocolError past its byte cap."""

    def finish(self) -> str:
        """End it without the marker (the quiet period): the text held after any gap."""


class Transport(Protocol):
    name: str  # "v3" | "v4"
    where: str  # the room's URL, for messages
    features: FrozenSet[str]
    end_name: str  # ended_by of an answer its room ended: "marker" | "fin"
    own_answer_ids: bool  # answers have ids of their own (v4), not the question's (v3)

    @property
    def connected(self) -> bool: ...

    @property
    def ready(self) -> bool:
        """Connected, and the avatar is there to hear (v4: in the room, not reconnecting)."""

    def open(self, deadline: Optional[float]) -> None:
        """Connect once, within ``deadline`` (a time.monotonic()) and the transport's
        own connect timeout. LinkRefused, LinkDown, or a ChatError that is final."""

    def close(self) -> None: ...

    def new_mid(self) -> str: ...

    def new_answer(self, mid: str, max_bytes: int, now: float) -> Assembly: ...

    def send_chat(
        self, text: str, mid: str, settings: ChatSettings, timeout: Optional[float]
    ) -> None:
        """Send a question (v3: ``settings`` go in its payload; v4: they do not)."""

    def check_command(self, cmd: str, mid: str, data: Dict[str, Any]) -> bytes:
        """The command encoded; ValueError for one that is not valid (nothing sent)."""

    def send_command(self, frame: bytes, timeout: Optional[float]) -> None: ...

    def receive(self, timeout: float) -> Optional[Inbound]:
        """What came next, or None: nothing within ``timeout``, or something skipped."""

    def watch(self, seconds: float) -> ContextManager[Watch]:
        """A deadline held whatever the peer does (v3: the socket is shut at it)."""

    def abandon(self, cut: bool) -> None:
        """The conversation gave up on an answer (Ctrl-C, its deadline); ``cut``: it may
        have stopped inside a frame it was sending or reading. Drop a connection left
        half-way through a frame (v3); a room whose packets come whole stays (v4)."""
