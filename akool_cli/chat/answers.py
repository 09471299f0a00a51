"""How each protocol joins an answer's pieces, behind ``transport.Assembly``.

``SequentialAnswer`` (v3): pieces in the order they come, each either the next piece or
the whole text so far; complete at the piece that says ``answer_ended``.
``IndexedAnswer`` (v4): deltas in ``idx`` order, gaps waited for, repeats ignored;
complete at ``fin`` (v4_frames.AnswerAssembler).
"""

from __future__ import annotations

from typing import Any, Dict

from akool_cli.chat.errors import ChatProtocolError
from akool_cli.chat.protocol import AnswerAssembler as _Frames
from akool_cli.chat.protocol import ChatFrame
from akool_cli.chat.transport import Piece
from akool_cli.chat.v4_frames import AnswerAssembler as _Deltas
from akool_cli.chat.v4_frames import ChatDelta


class SequentialAnswer:
    def __init__(self, mid: str, max_bytes: int, now: float = 0.0) -> None:
        self.mid = mid
        self.max_bytes = max_bytes
        self._frames = _Frames()
        self._complete = False

    @property
    def text(self) -> str:
        return self._frames.text

    @property
    def pieces(self) -> int:
        return self._frames.frames

    @property
    def payload(self) -> Dict[str, Any]:
        return self._frames.last_payload

    @property
    def complete(self) -> bool:
        return self._complete

    def add(self, piece: Piece, now: float) -> str:
        new = self._frames.add(ChatFrame(piece.mid, piece.text, piece.payload, ended=piece.end))
        if self._frames.size > self.max_bytes:
            raise ChatProtocolError(f"an answer larger than {self.max_bytes} bytes")
        if piece.end:
            self._complete = True
        return new

    def finish(self) -> str:
        return ""  # nothing is ever held back


class IndexedAnswer:
    def __init__(self, mid: str, max_bytes: int, now: float = 0.0) -> None:
        self._deltas = _Deltas(mid, max_bytes=max_bytes, now=now)

    @property
    def text(self) -> str:
        return self._deltas.text

    @property
    def pieces(self) -> int:
        return self._deltas.deltas

    @property
    def payload(self) -> Dict[str, Any]:
        return {}

    @property
    def complete(self) -> bool:
        return self._deltas.ended_by == "fin"

    def add(self, piece: Piece, now: float) -> str:
        delta = ChatDelta(piece.mid, piece.idx or 0, piece.end, piece.text)
        return self._deltas.add(delta, now)

    def finish(self) -> str:
        return self._deltas.finish_quietly()
