"""One question's answer while it is gathered: which pieces are its own, its text, how
it ended, and when the avatar said it. ``Conversation.ask`` drives it.

Which pieces belong to the answer: in a v3 room, those carrying the question's
``message_id``. In a v4 room an answer has an id of its own, so the answer is the first
answer id met after the question was sent that no earlier answer had (``Mids`` keeps
those: finished, interrupted, abandoned, or heard while nobody asked). Speaking events
count for the answer unless they carry such an earlier id: the avatar says one answer
at a time, and its ``audio_start`` comes before the answer's first delta.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Callable, Dict, Optional

from akool_cli.chat import ENDED_BY_QUIET
from akool_cli.chat.errors import ChatProtocolError
from akool_cli.chat.results import ANSWER_DELTA, ANSWER_END, ChatAnswer, CommandResult
from akool_cli.chat.transport import Assembly, Piece, Speaking, Transport

MAX_MIDS = 256  # earlier answers' ids remembered


class Mids:
    """The ids of answers that are over (bounded: the oldest are forgotten)."""

    def __init__(self) -> None:
        self._ids: Dict[str, None] = OrderedDict()

    def __contains__(self, mid: object) -> bool:
        return mid in self._ids

    def close(self, mid: Optional[str]) -> None:
        if mid is None or mid in self._ids:
            return
        self._ids[mid] = None
        while len(self._ids) > MAX_MIDS:
            self._ids.pop(next(iter(self._ids)))


class Turn:
    def __init__(
        self,
        transport: Transport,
        question: str,
        mid: str,
        *,
        started: float,
        max_bytes: int,
        over: Mids,
        on_text: Optional[Callable[[str], None]],
        emit: Callable[..., None],
    ) -> None:
        self.transport = transport
        self.question = question
        self.mid = mid
        self.started = started
        self.max_bytes = max_bytes
        self.over = over
        self.on_text = on_text
        self.emit = emit
        self.sent = False
        self.ended_by: Optional[str] = None  # once the text is complete
        self.answer_mid: Optional[str] = None if transport.own_answer_ids else mid
        self.assembly: Optional[Assembly] = None
        self.last_piece_at: Optional[float] = None
        self.audio_start: Optional[float] = None
        self.audio_end: Optional[float] = None

    @property
    def text(self) -> str:
        return self.assembly.text if self.assembly is not None else ""

    @property
    def spoken(self) -> bool:
        return self.audio_end is not None

    # pieces -------------------------------------------------------------------------

    def owns(self, piece: Piece) -> bool:
        if self.ended_by is not None or not self.sent:
            return False
        if self.answer_mid is None and piece.mid not in self.over:
            self.answer_mid = piece.mid
        return piece.mid == self.answer_mid

    def take(self, piece: Piece) -> None:
        """Add one of its pieces (``owns`` said so)."""
        now = time.monotonic()
        if self.assembly is None:
            self.assembly = self.transport.new_answer(piece.mid, self.max_bytes, now)
        try:
            new = self.assembly.add(piece, now)
        except ChatProtocolError:
            self.transport.close()  # what else it sends of it is not wanted
            raise ChatProtocolError(
                f"the answer went past {self.max_bytes} bytes "
                f"({self.max_bytes / 2**20:g} MiB), the most one answer may have"
            ) from None
        self.last_piece_at = now
        self._shown(new)
        if self.assembly.complete:
            self.end(self.transport.end_name)

    def _shown(self, new: str) -> None:
        if not new:
            return
        self.emit(ANSWER_DELTA, mid=self.answer_mid or "", text=new, question_mid=self.mid)
        if self.on_text is not None:
            self.on_text(new)

    def quiet_end(self, idle: float, room_marks: bool) -> Optional[float]:
        """When the quiet period ends this answer (a room that never marked one)."""
        if room_marks or self.ended_by is not None or self.last_piece_at is None:
            return None
        return self.last_piece_at + idle

    def finish_quietly(self) -> None:
        assert self.assembly is not None
        self._shown(self.assembly.finish())
        self.end(ENDED_BY_QUIET)

    def end(self, ended_by: str) -> None:
        self.ended_by = ended_by
        if self.transport.own_answer_ids:
            self.over.close(self.answer_mid)
        self.emit(
            ANSWER_END, mid=self.answer_mid or "", text=self.text, question_mid=self.mid,
            ended_by=ended_by,
        )  # fmt: skip

    def abandon(self) -> None:
        """Given up (a timeout, Ctrl-C): what comes of this answer later is no one's."""
        if self.transport.own_answer_ids:
            self.over.close(self.answer_mid)

    def restart(self, on_restart: Optional[Callable[[], None]]) -> None:
        """The answer is lost (a dropped connection, the avatar gone): start again."""
        if self.text and on_restart is not None:
            on_restart()
        if self.transport.own_answer_ids:
            self.over.close(self.answer_mid)
            self.answer_mid = None
        self.assembly = None
        self.last_piece_at = None
        self.audio_start = self.audio_end = None
        self.sent = False

    # speaking -----------------------------------------------------------------------

    def speaking(self, event: Speaking) -> None:
        if not self.sent or (event.mid in self.over and event.mid != self.answer_mid):
            return  # an earlier answer's
        if event.event == "audio_start" and self.audio_start is None:
            self.audio_start = event.received or time.monotonic()
        elif event.event == "audio_end" and (self.audio_start is not None or self.ended_by):
            self.audio_end = event.received or time.monotonic()

    # the result ---------------------------------------------------------------------

    def result(self, interrupt: Optional[CommandResult] = None) -> ChatAnswer:
        end = self.last_piece_at or time.monotonic()
        spoke = None
        if self.audio_start is not None and self.audio_end is not None:
            spoke = max(0, int((self.audio_end - self.audio_start) * 1000))
        payload: Dict[str, Any] = self.assembly.payload if self.assembly is not None else {}
        return ChatAnswer(
            message_id=self.mid,
            question=self.question,
            answer=self.text,
            elapsed_ms=int((end - self.started) * 1000),
            payload=payload,
            frames=self.assembly.pieces if self.assembly is not None else 0,
            ended_by=self.ended_by or ENDED_BY_QUIET,
            protocol=self.transport.name,
            answer_mid=self.answer_mid if self.transport.own_answer_ids else None,
            spoke_ms=spoke,
            interrupt=interrupt,
        )
