"""The avatar of a v4 room: the one brain (``emulator/avatar.py``) spoken on the data channel.

The room (``server.py``) knows participants, peer connections and data packets; it knows
nothing of chat. A ``Brain`` knows chat and nothing of the room: it is handed each data
packet sent to the avatar, in order, and answers through an ``AvatarLink`` (send a
packet to the room, leave the room) whenever it likes. ``received`` must return quickly;
anything that takes time runs in a task of the brain's own.

``V4Avatar`` is the brain the emulator uses: it reads the v4 data-channel protocol as
the vendor documents it (API-NOTES-v4, "The data channel"), with its own parsing (a fake
server that shared the client's parser could not catch the client's bugs), and lets the
one brain decide what is said; ``V4Voice`` frames that as deltas with ``idx``/``fin``
between ``audio_start`` and ``audio_end``. One answer is said at a time, in the order
asked; ``interrupt`` stops it and every answer waiting its turn.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Dict, List, Optional, Protocol, Set

from akool_cli.emulator.avatar import AvatarBrain, AvatarSettings, speaking_seconds
from akool_cli.emulator.state import shown

MAX_QUESTION_BYTES = 256 * 1024  # chunks of one question held until its fin
MAX_OPEN_QUESTIONS = 8  # questions being received at once
# Before the avatar leaves mid-answer, the time its last packets get to reach the client:
# data goes on the data channel and the leave on the signalling socket, and a client SDK
# drops a packet whose sender it has already seen leave.
DROP_SETTLE = 0.2


class AvatarLink(Protocol):
    """The avatar's side of the room, as a brain sees it."""

    identity: str

    async def send(self, data: bytes) -> None:
        """A reliable data packet from the avatar to the people in the room."""

    async def leave(self) -> None:
        """The avatar leaves the room (the others are told it disconnected)."""


class Brain:
    """The interface. Subclasses answer ``received``; ``close`` stops their tasks."""

    async def joined(self, link: AvatarLink) -> None:
        """The avatar has just joined the room."""

    async def received(self, data: bytes, sender: str, link: AvatarLink) -> None:
        """A data packet for the avatar from participant ``sender``."""

    async def close(self) -> None:
        """The avatar is leaving: stop whatever is running."""


def message(kind: str, mid: str, pld: Dict[str, Any], **extra: Any) -> bytes:
    body: Dict[str, Any] = {"v": 2, "type": kind, "mid": mid, **extra, "pld": pld}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


GARBAGE = (
    b"not json {",
    b"\xff\xfe\x00",
    b"[1, 2, 3]",
    b'{"v": 1, "type": "chat", "mid": "old", "idx": 0, "fin": true,'
    b' "pld": {"from": "bot", "text": "version 1"}}',
    b'{"v": 2, "type": "telemetry", "mid": "t", "pld": {}}',
    b'{"v": 2, "type": "chat", "mid": "bad", "idx": "0", "pld": {"from": "bot", "text": 7}}',
    b'{"v": 2, "type": "event", "mid": "e", "pld": {"event": "confetti"}}',
)


def _value(value: Any) -> str:
    return shown(json.dumps(value), 40)[1:-1]


def describe(data: bytes) -> str:
    """One line of what a data packet is (``akool emulator -v``), text from the wire
    escaped and cut."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return f"{len(data)} bytes that are not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("pld"), dict):
        return f"JSON that is not a v4 message {shown(data.decode('utf-8'), 80)}"
    pld = body["pld"]
    line = f"{shown(str(body.get('type')), 30)[1:-1]} mid {shown(str(body.get('mid')), 60)}"
    if body.get("type") == "chat":
        line += f" idx {_value(body.get('idx'))} fin {_value(body.get('fin'))}"
        line += f" from {shown(str(pld.get('from', '')), 20)[1:-1]}" if "from" in pld else ""
        line += f" {shown(str(pld.get('text', '')))}"
    elif body.get("type") == "command":
        line += f" {shown(str(pld.get('cmd')), 40)[1:-1]}"
        if "code" in pld:
            line += f" code {_value(pld.get('code'))} {shown(str(pld.get('msg', '')), 80)}"
        elif "data" in pld:
            line += f" {shown(json.dumps(pld['data'], ensure_ascii=False), 120)}"
    elif body.get("type") == "event":
        line += f" {shown(str(pld.get('event')), 40)[1:-1]}"
    return line if body.get("v") == 2 else line + " (not v: 2)"


class V4Voice:
    """One answer framed for the data channel: deltas of one ``mid`` with ``idx`` from 0
    and ``fin`` (on the last piece, on an empty delta after it, or never), shuffled when
    asked, between ``audio_start`` and ``audio_end``."""

    def __init__(
        self, link: AvatarLink, settings: AvatarSettings, mid: str, transcript_mid: str
    ) -> None:
        self.link = link
        self.settings = settings
        self.mid = mid
        self.transcript_mid = transcript_mid
        self.speaking = False
        self.sent = 0  # packets of this answer sent
        self._held: List[bytes] = []  # shuffle: the first delta, sent after the rest
        self._first_sent: Optional[bytes] = None

    @property
    def gone(self) -> bool:
        return bool(getattr(self.link, "gone", False))

    async def garbage(self) -> None:
        for junk in GARBAGE:
            await self.link.send(junk)

    async def transcript(self, text: str) -> None:
        pld = {"from": "user", "text": text}
        await self.link.send(message("chat", self.transcript_mid, pld, idx=0, fin=True))

    async def begin(self, answer: str) -> None:
        if self.settings.audio_events:
            await self.link.send(message("event", self.mid, {"event": "audio_start"}))
            self.speaking = True

    def _delta(self, text: str, idx: int, fin: bool) -> bytes:
        return message("chat", self.mid, {"from": "bot", "text": text}, idx=idx, fin=fin)

    async def piece(self, text: str, index: int, last: bool) -> None:
        settings = self.settings
        frames = [self._delta(text, index, settings.fin and last and settings.fin_carries_text)]
        if last and settings.fin and not settings.fin_carries_text:
            frames.append(self._delta("", index + 1, True))
        if settings.shuffle and index == 0 and not (last and len(frames) == 1):
            self._held, frames = frames[:1], frames[1:]
        for frame in frames:
            await self.link.send(frame)
            self.sent += 1
            if self._held and self._first_sent is None:
                self._first_sent = frame
        if last and self._held:  # the late first delta, then one delta again
            await self.link.send(self._held.pop())
            if self._first_sent is not None:
                await self.link.send(self._first_sent)

    async def spoken(self, answer: str) -> None:
        if self.speaking:
            await asyncio.sleep(speaking_seconds(self.settings, answer))

    async def end(self, answer: str) -> None:
        if self.speaking:  # an interrupted answer stops being spoken too
            self.speaking = False
            await self.link.send(message("event", self.mid, {"event": "audio_end"}))

    async def drop(self) -> None:
        if self.sent:
            await asyncio.sleep(DROP_SETTLE)
        await self.link.leave()


class V4Avatar(Brain):
    """The avatar of the v4 data channel. ``settings`` (an AvatarSettings, or a function
    giving the ones in force) are its switches; ``mode`` 2 answers (dialogue), 1 says the
    text (retell); ``record(kind, value)`` is told of each question and command."""

    def __init__(
        self,
        settings: Any = None,
        *,
        lock: Optional[Any] = None,
        mode: int = 2,
        record: Optional[Callable[[str, Any], None]] = None,
    ) -> None:
        if settings is None:
            settings = AvatarSettings(chunk_delay=0.0)
        source = settings if callable(settings) else (lambda: settings)
        self.brain = AvatarBrain(source, lock, mode=mode)
        self.record = record
        self.questions: List[str] = []  # every complete question, in order
        self.commands: List[Dict[str, Any]] = []  # every well-formed command's pld
        self._chunks: Dict[str, List[Any]] = {}  # mid -> [pieces by idx, bytes, last idx]
        self._queue: List[asyncio.Task] = []
        self._turn: Optional[asyncio.Lock] = None  # made on the room's loop (Python 3.9)
        self._tasks: Set[asyncio.Task] = set()
        self._answers = 0

    @property
    def behaviour(self) -> AvatarSettings:
        """The switches in force."""
        return self.brain.behaviour

    @property
    def mode(self) -> int:
        return self.brain.mode

    @mode.setter
    def mode(self, mode: int) -> None:
        self.brain.mode = mode

    @property
    def params(self) -> Dict[str, Any]:
        """What set-params has set."""
        return self.brain.params

    # in -------------------------------------------------------------------------------

    async def received(self, data: bytes, sender: str, link: AvatarLink) -> None:
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return  # the service ignores what is not its JSON
        if not isinstance(body, dict) or type(body.get("v")) is not int or body["v"] != 2:
            return
        pld = body.get("pld")
        mid = body.get("mid")
        if not isinstance(pld, dict) or not isinstance(mid, str) or not mid:
            return
        if body.get("type") == "chat":
            question = self._chunk(body, mid, pld)
            if question is not None:
                self._start(self._answer(question, mid, link))
        elif body.get("type") == "command":
            await self._command(mid, pld, link)

    def _chunk(self, body: Dict[str, Any], mid: str, pld: Dict[str, Any]) -> Optional[str]:
        """The whole question once its fin chunk came; None before (or if malformed)."""
        idx, fin, text = body.get("idx"), body.get("fin"), pld.get("text")
        if type(idx) is not int or idx < 0 or not isinstance(fin, bool):
            return None
        if not isinstance(text, str):
            return None
        entry = self._chunks.get(mid)
        if entry is None:
            if len(self._chunks) >= MAX_OPEN_QUESTIONS:
                self._chunks.pop(next(iter(self._chunks)))
            entry = self._chunks[mid] = [{}, 0, None]
        held, size, last = entry
        size += len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_QUESTION_BYTES:
            self._chunks.pop(mid, None)
            return None
        held.setdefault(idx, text)
        if fin:
            last = idx
        entry[1], entry[2] = size, last
        if last is None or any(i not in held for i in range(last + 1)):
            return None
        self._chunks.pop(mid, None)
        return "".join(held[i] for i in range(last + 1))

    async def _command(self, mid: str, pld: Dict[str, Any], link: AvatarLink) -> None:
        cmd = pld.get("cmd")
        if not isinstance(cmd, str):
            return
        self.commands.append(pld)
        if self.record is not None:
            self.record("command", pld)
        code, msg = self.brain.command(cmd, pld.get("data"))
        if cmd == "interrupt":
            self.interrupt()
        await link.send(message("command", mid, {"cmd": cmd, "code": code, "msg": msg}))

    # out ------------------------------------------------------------------------------

    def hear(self, text: str, link: AvatarLink) -> None:
        """A person said ``text`` to the avatar by voice: its transcript, then the answer."""
        self._start(self._answer(text, None, link, heard=True))

    def _start(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        self._queue.append(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._dequeue)

    def _dequeue(self, task: asyncio.Task) -> None:
        if task in self._queue:
            self._queue.remove(task)

    def interrupt(self) -> None:
        """Stop the answer being said and every answer waiting its turn."""
        for task in list(self._queue):
            task.cancel()

    async def _answer(
        self, question: str, question_mid: Optional[str], link: AvatarLink, heard: bool = False
    ) -> None:
        if self._turn is None:
            self._turn = asyncio.Lock()
        async with self._turn:  # one answer at a time, in the order asked
            self.questions.append(question)
            if self.record is not None:
                self.record("question", question)
            settings = self.brain.behaviour
            self._answers += 1
            own = f"ans-{self._answers}"
            mid = question_mid if settings.answer_mid == "question" and question_mid else own
            voice = V4Voice(link, settings, mid, f"you-{self._answers}")
            if heard and not settings.user_transcript:
                await voice.transcript(question)
            await self.brain.say(question, self.brain.mode == 2, voice)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
