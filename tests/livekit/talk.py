"""Reading a v4 room through the CLI's transport (the real ``livekit`` SDK): what the
room tests share. Every wait is for a condition, bounded by ``WAIT``."""

from __future__ import annotations

import time
from typing import Callable, List, Optional, Tuple

from akool_cli.chat import v4_frames

WAIT = 10.0  # the bound on every wait; a passing test waits far less


def read(transport, until: Callable[[object], bool], wait: float = WAIT) -> List[object]:
    """The avatar's messages, decoded (raw bytes for what does not decode), up to and
    with the first that ``until`` takes; AssertionError when none does in time."""
    seen: List[object] = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        packet = transport.receive(deadline - time.monotonic())
        if packet is None:
            break
        assert packet.sender == transport.server_identity
        try:
            message: object = v4_frames.decode(packet.data)
        except v4_frames.FrameError:
            message = packet.data
        seen.append(message)
        if until(message):
            return seen
    raise AssertionError(f"not in time; seen {seen!r}")


def is_bot(message: object) -> bool:
    return isinstance(message, v4_frames.ChatDelta) and not message.from_user


def is_event(kind: str) -> Callable[[object], bool]:
    return lambda m: isinstance(m, v4_frames.SpeakingEvent) and m.event == kind


def answer(transport, wait: float = WAIT) -> Tuple[v4_frames.AnswerAssembler, List[object]]:
    """Read until an answer's fin: (its assembler, every message on the way)."""
    assembler: Optional[v4_frames.AnswerAssembler] = None

    def complete(message: object) -> bool:
        nonlocal assembler
        if not is_bot(message):
            return False
        assert isinstance(message, v4_frames.ChatDelta)
        if assembler is None:
            assembler = v4_frames.AnswerAssembler(message.mid)
        assembler.add(message)
        return assembler.complete

    seen = read(transport, complete, wait)
    assert assembler is not None
    return assembler, seen


def ask(transport, text: str, mid: str) -> None:
    for frame in v4_frames.encode_chat(text, mid):
        transport.send(frame)


def event(transport, kind: str, wait: float = WAIT):
    """The transport's next room event of ``kind`` (joined, left, disconnected…)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = transport.next_event(deadline - time.monotonic())
        if found is not None and found.kind == kind:
            return found
    raise AssertionError(f"no {kind} event in time")
