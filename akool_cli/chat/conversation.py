"""One conversation with a session's avatar, whatever room it talks through.

``Conversation.ask`` sends a question and gathers its answer (turn.py says which pieces
are its own). Once the room has shown it marks answers (v3: a frame carrying
``answer_ended``; v4: a ``fin``), an answer is complete at its marker and at nothing
else; in a room that never has, after ``idle`` seconds without a new piece. Either way
within ``timeout``, connecting (and waiting for a late avatar) included. Every answer
says which ended it (``ended_by``). A refused connection, a failed handshake or a
connection dropping mid-answer is retried a few times with backoff (re-sending the
pending question), as is an avatar that leaves and comes back; after that it raises
ChatConnectionError. Nothing here can wait forever, and nothing the room sends can grow
without a bound. The room is reached through a ``transport.Transport``:
``Conversation(url, server_id)`` is the v3 websocket room,
``Conversation.over(transport)`` any other (``v4_transport.v4_conversation``).
One thread at a time: ``on_text``, ``on_restart`` and ``on_event`` run on it.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

from akool_cli.chat import (
    CONNECT_TIMEOUT,
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_RECONNECTS,
    ENDED_BY_INTERRUPTED,
    MAX_ANSWER_BYTES,
    RECONNECT_FIRST_DELAY,
    RECONNECT_MAX_DELAY,
)
from akool_cli.chat import transport as seam
from akool_cli.chat.conversation_base import ConversationBase
from akool_cli.chat.errors import (
    AnswerTimeoutError,
    AvatarAbsentError,
    ChatConnectionError,
    RoomEndedError,
    SpeakingTimeoutError,
)
from akool_cli.chat.protocol import ChatSettings
from akool_cli.chat.results import ROOM_CLOSED, ChatAnswer, ChatEvent
from akool_cli.chat.turn import Turn

__all__ = ["AnswerTimeoutError", "ChatAnswer", "ChatConnectionError", "Conversation"]

DebugHook = Callable[[str], None]


class Conversation(ConversationBase):
    def __init__(
        self,
        url: str,
        server_id: str,
        *,
        settings: Optional[ChatSettings] = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        reconnects: int = DEFAULT_RECONNECTS,
        debug: Optional[DebugHook] = None,
        sleep: Callable[[float], None] = time.sleep,
        on_refused: Optional[Callable[[], None]] = None,
        on_event: Optional[Callable[[ChatEvent], None]] = None,
    ) -> None:
        """The v3 websocket room at ``url`` (the avatar is ``server_id`` there).
        ``on_refused`` is called when the room refuses the connection (a session that
        is not live refuses it); it may raise to stop, or return to retry as usual."""
        from akool_cli.chat.ws_transport import WebSocketTransport

        transport = WebSocketTransport(url, server_id, connect_timeout=connect_timeout, debug=debug)
        self._setup(transport, settings, reconnects, debug, sleep, on_refused, on_event)
        self.server_id = server_id

    @classmethod
    def over(
        cls,
        transport: seam.Transport,
        *,
        settings: Optional[ChatSettings] = None,
        reconnects: int = DEFAULT_RECONNECTS,
        debug: Optional[DebugHook] = None,
        sleep: Callable[[float], None] = time.sleep,
        on_refused: Optional[Callable[[], None]] = None,
        on_event: Optional[Callable[[ChatEvent], None]] = None,
    ) -> Conversation:
        """A conversation through ``transport`` (the same options as above)."""
        self = cls.__new__(cls)
        self._setup(transport, settings, reconnects, debug, sleep, on_refused, on_event)
        return self

    # -- connection -------------------------------------------------------------------

    def _reconnect(
        self,
        attempt: int,
        reason: str,
        deadline: Optional[float] = None,
        budget: Optional[float] = None,
    ) -> None:
        """Try to (re)connect; ChatConnectionError once the attempts are spent, and
        _OutOfTime at ``deadline``. With ``budget``, the deadline starts again that many
        seconds after ``on_refused`` returns (it may have waited for the session)."""
        while True:
            if attempt > self.reconnects:
                raise ChatConnectionError(f"cannot talk to the chat room {self.url}: {reason}")
            if attempt:
                delay = min(RECONNECT_MAX_DELAY, RECONNECT_FIRST_DELAY * 2 ** (attempt - 1))
                if deadline is not None and time.monotonic() + delay >= deadline:
                    raise _OutOfTime()
                self._log(
                    f"chat: {reason}; reconnecting in {delay:.1f} s ({attempt}/{self.reconnects})"
                )
                self._sleep(delay)
            try:
                self.transport.open(deadline)
                return
            except seam.LinkRefused as exc:
                reason = exc.reason
                attempt += 1
                if self._on_refused is not None:
                    self._on_refused()
                    if budget is not None:
                        deadline = time.monotonic() + budget
            except seam.LinkDown as exc:
                reason = exc.reason
                attempt += 1

    def connect(self, timeout: Optional[float] = None) -> None:
        """Connect (retrying as usual); within ``timeout`` seconds if given (then
        AnswerTimeoutError once it has passed), not counting a wait in ``on_refused``."""
        if timeout is None:
            self._reconnect(0, "not connected")
            return
        try:
            self._reconnect(0, "not connected", time.monotonic() + timeout, budget=timeout)
        except _OutOfTime:
            raise AnswerTimeoutError(
                f"could not reach the chat room within {timeout:g} s"
            ) from None

    # -- questions --------------------------------------------------------------------

    def send(self, question: str) -> str:
        """Send a question without waiting for its answer; its message id."""
        mid = self.transport.new_mid()
        attempt = 0
        if not self.transport.connected:
            self.connect()
        while True:
            try:
                if not self._wait_ready(time.monotonic() + self.connect_timeout, None):
                    raise AvatarAbsentError(
                        f"the avatar was not in the room within {self.connect_timeout:g} s"
                    )
                self.transport.send_chat(question, mid, self.settings, self.connect_timeout)
            except seam.LinkDown as exc:
                attempt += 1
                self._reconnect(attempt, exc.reason)
                continue
            self._log(f"chat: sent {mid}")
            return mid

    def ask(
        self,
        question: str,
        *,
        idle: float = DEFAULT_ANSWER_IDLE,
        timeout: float = DEFAULT_ANSWER_TIMEOUT,
        on_text: Optional[Callable[[str], None]] = None,
        on_restart: Optional[Callable[[], None]] = None,
        since: Optional[float] = None,
        until_spoken: bool = False,
        interruptible: bool = False,
    ) -> ChatAnswer:
        """Send a question and gather its answer, within ``timeout`` (connecting
        included) whatever the peer sends (pings, noise, a trickle, drops). ``idle`` is
        the quiet period that ends an answer in a room that has never marked one.
        ``since`` (a ``time.monotonic()``) starts the timeout earlier: when connecting
        for this question began. ``until_spoken`` (v4) also waits, within the same
        timeout, for the avatar to finish saying it (``audio_end``; else
        SpeakingTimeoutError with the answer). ``interruptible`` (v4): Ctrl-C sends
        ``interrupt`` and, once acknowledged (bounded), the answer so far is returned,
        ended_by "interrupted"; a second Ctrl-C, or a room that cannot, raises."""
        if until_spoken:
            self._require(seam.SPEAKING)
        t = self.transport
        started = time.monotonic()
        deadline = (started if since is None else min(since, started)) + timeout
        turn = Turn(
            t, question, t.new_mid(), started=started, max_bytes=MAX_ANSWER_BYTES,
            over=self._over, on_text=on_text, emit=self._emit,
        )  # fmt: skip

        def out_of_time() -> AnswerTimeoutError:
            if turn.ended_by is not None:  # the text came whole; its speaking did not end
                return SpeakingTimeoutError(
                    f"the avatar had not finished saying the answer within {timeout:g} s",
                    turn.result(),
                )
            if t.connected and not t.ready and not turn.sent:
                return AvatarAbsentError(
                    f"the avatar was not in the room within {timeout:g} s", turn.text
                )
            turn.abandon()
            t.abandon(cut=True)  # v3: whatever was half-read on it is lost: start afresh
            return AnswerTimeoutError(f"no complete answer within {timeout:g} s", turn.text)

        with t.watch(deadline - started) as watchdog:
            try:
                if not t.connected:
                    self._reconnect(0, "not connected", deadline)
            except _OutOfTime:
                raise out_of_time() from None
            try:
                self._gather(turn, idle, deadline, watchdog, until_spoken, on_restart, out_of_time)
            except KeyboardInterrupt:
                if interruptible and turn.sent and self.supports(seam.INTERRUPT):
                    return self._interrupted(turn)
                turn.abandon()
                t.abandon(cut=not turn.sent)
                raise
            except RoomEndedError as exc:
                self._emit(ROOM_CLOSED, reason=exc.reason)
                raise
        return turn.result()

    def _gather(
        self,
        turn: Turn,
        idle: float,
        deadline: float,
        watchdog: seam.Watch,
        until_spoken: bool,
        on_restart: Optional[Callable[[], None]],
        out_of_time: Callable[[], AnswerTimeoutError],
    ) -> None:
        """Send ``turn``'s question when the avatar can hear it, and read until its
        answer is complete (and said, ``until_spoken``), starting again after a drop."""
        t = self.transport
        attempt = 0
        while True:
            try:
                now = time.monotonic()
                quiet_end = turn.quiet_end(idle, self.marks_answers)
                if quiet_end is not None and now >= quiet_end:
                    turn.finish_quietly()
                if turn.ended_by is not None and (turn.spoken or not until_spoken):
                    return
                if now >= deadline or watchdog.fired:
                    raise out_of_time()
                if not turn.sent and t.ready:  # never once out of time
                    t.send_chat(turn.question, turn.mid, self.settings, deadline - now)
                    turn.sent = True
                    self._log(f"chat: sent {turn.mid}")
                wait = deadline - time.monotonic()
                if quiet_end is not None:
                    wait = min(wait, quiet_end - now)
                item = t.receive(wait)
            except seam.LinkDown as exc:
                if watchdog.fired or time.monotonic() >= deadline:
                    raise out_of_time() from None
                attempt += 1
                try:
                    self._reconnect(attempt, exc.reason, deadline)
                except _OutOfTime:
                    raise out_of_time() from None
                turn.restart(on_restart)
                continue
            if item is not None and self._take(item, turn) and turn.ended_by is None:
                turn.restart(on_restart)  # the avatar left, or the room is recovering

    def _interrupted(self, turn: Turn) -> ChatAnswer:
        """Ctrl-C during ``turn``: interrupt, wait for the ack (within ``ack_timeout``),
        end it there (an answer whose text was whole keeps its ended_by)."""
        if turn.ended_by is None:
            turn.end(ENDED_BY_INTERRUPTED)  # what comes of it from now on is not shown
        result = self._command(seam.INTERRUPT, {}, self.ack_timeout, interrupting=turn)
        return turn.result(interrupt=result)

    # -- idle -------------------------------------------------------------------------

    def listen(self, wait: float) -> bool:
        """While no question is pending: read what the room sends for up to ``wait``
        seconds (a late piece of an earlier answer, the avatar's speaking, an ack, a
        ping, its close), noting whether it marks answers. False when the room closed
        the connection (it is dropped then; ``ended`` holds the error if the session
        ended); True otherwise, and when there is no connection to listen to."""
        if not self.transport.connected:
            return True
        try:
            item = self.transport.receive(wait)
        except Exception as exc:  # a drop, a protocol error, the session's end
            self._closed_while_idle(exc)
            return False
        if item is not None:
            self._take(item, None)
        return True


class _OutOfTime(Exception):
    """No time is left before the answer's deadline to reconnect."""
