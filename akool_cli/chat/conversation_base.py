"""What a conversation does besides asking: its state, the commands (interrupt,
set-params, set-action, each acknowledged within a bound), the events it tells its
caller about, and what it makes of everything the room says. ``Conversation``
(conversation.py) adds connecting, asking and listening.

Acknowledgements name the command's ``mid`` (the notes, the emulator); one naming
another ``mid`` is taken for the command of its ``cmd`` being waited for.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Callable, Dict, FrozenSet, Optional, TypeVar

from akool_cli.chat import ACK_TIMEOUT, CONNECT_TIMEOUT
from akool_cli.chat import results as ev
from akool_cli.chat import transport as seam
from akool_cli.chat.answers import IndexedAnswer
from akool_cli.chat.errors import (
    ChatConnectionError,
    ChatError,
    RoomEndedError,
    UnsupportedError,
)
from akool_cli.chat.protocol import ChatSettings
from akool_cli.chat.results import ChatEvent, CommandResult, wall_clock
from akool_cli.chat.turn import Mids, Turn

MAX_TRANSCRIPTS = 8  # transcripts being received at once
MAX_TRANSCRIPT_BYTES = 64 * 1024
_PRESENCE_EVENTS = {"joined": ev.JOINED, "left": ev.LEFT}
_Self = TypeVar("_Self", bound="ConversationBase")


class ConversationBase:
    transport: seam.Transport

    def _setup(
        self,
        transport: seam.Transport,
        settings: Optional[ChatSettings],
        reconnects: int,
        debug: Optional[Callable[[str], None]],
        sleep: Callable[[float], None],
        on_refused: Optional[Callable[[], None]],
        on_event: Optional[Callable[[ChatEvent], None]],
    ) -> None:
        self.transport = transport
        self.url = transport.where
        self.settings = settings or ChatSettings()
        self.connect_timeout: float = getattr(transport, "connect_timeout", CONNECT_TIMEOUT)
        self.reconnects = max(0, reconnects)
        self.on_event = on_event  # called with each ChatEvent; may be set at any time
        self.ack_timeout = ACK_TIMEOUT  # for the interrupt of Ctrl-C during an answer
        self._debug = debug
        self._sleep = sleep
        self._on_refused = on_refused
        # The room has shown it marks its answers' ends (v3 answer_ended, v4 fin): from
        # then on an answer ends at its marker, never at a quiet period.
        self.marks_answers = False
        self._over = Mids()
        self._recovering = False  # between the room's reconnecting and reconnected
        self._transcripts: Dict[str, IndexedAnswer] = OrderedDict()

    # -- state ------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self.transport.connected

    @property
    def features(self) -> FrozenSet[str]:
        return self.transport.features

    def supports(self, feature: str) -> bool:
        """Whether the room can do ``feature`` (transport.INTERRUPT, SET_PARAMS, ...)."""
        return feature in self.transport.features

    @property
    def ended(self) -> Optional[ChatError]:
        """RoomEndedError once the room was closed server-side (the session ended)."""
        return getattr(self.transport, "ended", None)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self, timeout: Optional[float] = None) -> None:
        raise NotImplementedError

    # -- commands ---------------------------------------------------------------------

    def interrupt(self, timeout: float = ACK_TIMEOUT) -> CommandResult:
        """Stop the avatar (the answer it gives or says); the ack within ``timeout``."""
        return self._command(seam.INTERRUPT, {}, timeout)

    def set_params(
        self,
        *,
        lang: Optional[str] = None,
        mode: Optional[int] = None,
        bgurl: Optional[str] = None,
        vparams: Optional[Dict[str, Any]] = None,
        timeout: float = ACK_TIMEOUT,
    ) -> CommandResult:
        """Change the avatar's language, mode (1 retell, 2 dialogue), background or
        voice (``vparams``: vid, vurl, speed, stt_language, pron_map, turn_detection).
        ValueError, before anything is sent, for a value the protocol does not take;
        what an ok one changed is kept in ``settings``."""
        data = {"lang": lang, "mode": mode, "bgurl": bgurl, "vparams": vparams}
        return self._command(seam.SET_PARAMS, data, timeout)

    def set_action(
        self,
        action: Optional[str] = None,
        expression: Optional[str] = None,
        timeout: float = ACK_TIMEOUT,
    ) -> CommandResult:
        """A gesture (v4_frames.ACTIONS) and/or a facial expression (EXPRESSIONS)."""
        return self._command(seam.SET_ACTION, {"action": action, "expression": expression}, timeout)

    def _command(
        self, cmd: str, data: Dict[str, Any], timeout: float, interrupting: Optional[Turn] = None
    ) -> CommandResult:
        self._require(cmd)
        t = self.transport
        mid = t.new_mid()
        frame = t.check_command(cmd, mid, data)  # ValueError: nothing is sent
        started = time.monotonic()
        deadline = started + timeout

        def waited() -> int:
            return int((time.monotonic() - started) * 1000)

        if not t.connected:
            self.connect(timeout)
        try:
            if not self._wait_ready(deadline, interrupting):
                return CommandResult(cmd, mid, ev.NOT_SENT, waited_ms=waited())
            t.send_command(frame, deadline - time.monotonic())
            self._log(f"chat: sent {cmd} {mid}")
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return CommandResult(cmd, mid, ev.UNACKED, waited_ms=waited())
                item = t.receive(left)
                if item is None:
                    continue
                self._take(item, interrupting)
                if isinstance(item, seam.Ack) and (item.mid == mid or item.cmd == cmd):
                    result = CommandResult.from_ack(cmd, mid, item.code, item.msg, waited())
                    if result.ok and cmd == seam.SET_PARAMS:
                        self._settings_after(data)
                    return result
        except seam.LinkDown as exc:
            t.close()
            raise ChatConnectionError(f"the chat room dropped: {exc.reason}") from None
        except RoomEndedError as exc:
            self._emit(ev.ROOM_CLOSED, reason=exc.reason)
            raise

    # -- what the room said -----------------------------------------------------------

    def _take(self, item: seam.Inbound, turn: Optional[Turn]) -> bool:
        """Make what the room said known (events, the answer being gathered); True when
        the answer being gathered is lost: the avatar left, or the room is recovering."""
        if isinstance(item, seam.Piece):
            if item.marked and not self.marks_answers:
                self.marks_answers = True
                marker = "fin" if self.transport.own_answer_ids else "answer_ended"
                self._log(f"chat: the room marks its answers ({marker}): waiting for its marker")
            if turn is not None and turn.owns(item):
                turn.take(item)
                return False
            where = "while idle, a frame" if turn is None else "skipped a frame"
            self._log(f"chat: {where} for {item.mid!r}")
            if self.transport.own_answer_ids:  # an answer nobody waits for: over
                self._over.close(item.mid)
        elif isinstance(item, seam.Transcript):
            self._transcript(item)
        elif isinstance(item, seam.Ack):
            self._log(f"chat: {item.cmd} acknowledged ({item.code} {item.msg})")
            self._emit(ev.ACK, item.received, mid=item.mid, cmd=item.cmd, code=item.code,
                       msg=item.msg)  # fmt: skip
        elif isinstance(item, seam.Speaking):
            self._emit(item.event, item.received, mid=item.mid)
            if turn is not None:
                turn.speaking(item)
        elif isinstance(item, seam.Presence):
            kind = _PRESENCE_EVENTS.get(item.kind, item.kind)
            self._log(f"chat: {item.kind} {item.identity} {item.reason}".rstrip())
            self._emit(kind, item.received, identity=item.identity, avatar=item.avatar,
                       reason=item.reason)  # fmt: skip
            if item.kind in ("reconnecting", "reconnected"):
                self._recovering = item.kind == "reconnecting"
            elif item.kind == "joined" and item.avatar and not self._recovering:
                self._over = Mids()  # an avatar anew: its answers' ids may start again
                if turn is not None:
                    turn.over = self._over
            lost = (item.kind == "left" and item.avatar) or item.kind == "reconnecting"
            return bool(lost and turn is not None and turn.sent)
        return False

    def _transcript(self, item: seam.Transcript) -> None:
        text: Optional[str] = item.text
        if item.idx is not None:  # v4: deltas, whole at fin
            joined = self._transcripts.pop(item.mid, None)
            if joined is None:
                joined = IndexedAnswer(item.mid, MAX_TRANSCRIPT_BYTES)
            try:
                joined.add(seam.Piece(item.mid, item.text, item.idx, item.end), 0.0)
            except ChatError:
                return  # past its cap: not a person talking
            text = joined.text if joined.complete else None
            if text is None:
                self._transcripts[item.mid] = joined
                while len(self._transcripts) > MAX_TRANSCRIPTS:
                    self._transcripts.pop(next(iter(self._transcripts)))
        if text is not None:
            self._log(f"chat: a person said {text[:200]!r}")
            self._emit(ev.TRANSCRIPT, item.received, mid=item.mid, text=text)

    def _closed_while_idle(self, exc: Exception) -> None:
        if not isinstance(exc, (seam.LinkDown, ChatError)):
            raise exc
        reason = exc.reason if isinstance(exc, seam.LinkDown) else exc.message
        self._log(f"chat: while idle: {reason}")
        self.transport.close()
        self._emit(ev.ROOM_CLOSED, reason=getattr(exc, "reason", "") or reason)

    def _emit(self, kind: str, received: float = 0.0, **fields: Any) -> None:
        if self.on_event is not None:
            self.on_event(ChatEvent(kind, wall_clock(received), **fields))

    def _require(self, feature: str) -> None:
        if not self.supports(feature):
            raise UnsupportedError(
                f"a {self.transport.name} chat room cannot do {feature} (a v4 session can)"
            )

    def _wait_ready(self, deadline: float, turn: Optional[Turn]) -> bool:
        """Read the room until the avatar can hear; False at ``deadline``."""
        while not self.transport.ready:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            item = self.transport.receive(left)
            if item is not None:
                self._take(item, turn)
        return True

    def _log(self, line: str) -> None:
        if self._debug is not None:
            self._debug(line)

    def _settings_after(self, data: Dict[str, Any]) -> None:
        """What an acknowledged set-params changed, kept in ``settings``."""
        if data.get("lang"):
            self.settings.language = data["lang"]
        if data.get("mode"):
            self.settings.mode_type = data["mode"]
        voice = data.get("vparams") or {}
        if voice.get("vid"):
            self.settings.voice_id = voice["vid"]
