"""What the emulated avatar does with what it is sent: the seam a dialogue brain plugs into.

The room (``server.py``) knows participants, peer connections and data packets; it knows
nothing of chat. A ``Brain`` knows chat and nothing of the room: it is handed each data
packet sent to the avatar, in order, and answers through an ``AvatarLink`` (send a
packet to the room, leave the room) whenever it likes. ``received`` must return quickly;
anything that takes time runs in a task of the brain's own.

``V4Avatar`` is the brain the emulator uses by default: it speaks the v4 data-channel
protocol as the vendor documents it (API-NOTES-v4, "The data channel"), with its own
parsing (a fake server that shared the client's parser could not catch the client's
bugs), and with the fault switches in ``AvatarBehaviour``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Protocol, Set

ACTIONS = {
    "hand_wave",
    "cheer",
    "thumbs_up",
    "pump_fists",
    "nod",
    "shake",
    "waft_left",
    "waft_right",
}
EXPRESSIONS = {"angry", "disgust", "fear", "happiness", "sadness", "surprise", "contempt"}
VPARAMS = {"vid", "vurl", "speed", "stt_language", "pron_map", "turn_detection"}
FAULTS = ("silent", "drop_before", "drop_mid", "garbage", "slow", "refuse")
MAX_QUESTION_BYTES = 256 * 1024  # chunks of one question held until its fin
MAX_OPEN_QUESTIONS = 8  # questions being received at once
OK, REFUSED = 1000, 1015  # ack codes: done / refused (a parameter the avatar will not take)


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


@dataclass
class AvatarBehaviour:
    """How ``V4Avatar`` answers, and the faults it plays. Tests change it between
    questions (it is read when an answer starts)."""

    mode: int = 2  # 2 dialogue (answers), 1 retell (says the text); set-params changes it
    script: Dict[str, str] = field(default_factory=dict)  # question -> answer; "*" any
    pieces: int = 3  # deltas per answer
    piece_delay: float = 0.0  # seconds between deltas
    slow_delay: float = 0.5  # seconds between deltas under the "slow" fault
    fin: bool = True  # False: the room never sends fin (the client's quiet fallback)
    fin_carries_text: bool = True  # False: the last piece, then an empty fin delta
    shuffle: bool = False  # deltas out of idx order, one of them twice
    answer_mid: str = "own"  # "own": a new mid for each answer; "question": the question's
    audio_events: bool = True  # audio_start before an answer, audio_end after it is spoken
    speaking_ms_per_char: float = 1.0  # how long saying the answer takes
    user_transcript: bool = False  # a from:user transcript of each question first
    fault: Optional[str] = None  # one of FAULTS
    fault_times: Optional[int] = None  # then the fault clears; None: it stays


def _message(kind: str, mid: str, pld: Dict[str, Any], **extra: Any) -> bytes:
    body: Dict[str, Any] = {"v": 2, "type": kind, "mid": mid, **extra, "pld": pld}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _pieces(text: str, count: int) -> List[str]:
    if count <= 1 or len(text) < 2:
        return [text]
    count = min(count, len(text))
    cuts = [len(text) * i // count for i in range(count + 1)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


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


class V4Avatar(Brain):
    """The avatar of the v4 data channel: answers chats (dialogue or retell) in deltas
    with ``idx``/``fin``, says them (``audio_start``/``audio_end``, a speaking time that
    grows with the text), acknowledges every command, and stops at ``interrupt``."""

    def __init__(self, behaviour: Optional[AvatarBehaviour] = None) -> None:
        self.behaviour = behaviour or AvatarBehaviour()
        self.questions: List[str] = []  # every complete question, in order
        self.commands: List[Dict[str, Any]] = []  # every well-formed command's pld
        self.settings: Dict[str, Any] = {}  # what set-params has set
        self._chunks: Dict[str, List[Any]] = {}  # mid -> [pieces by idx, bytes]
        self._queue: List[asyncio.Task] = []
        self._turn: Optional[asyncio.Lock] = None  # made on the room's loop (Python 3.9)
        self._tasks: Set[asyncio.Task] = set()
        self._answers = 0

    # faults ---------------------------------------------------------------------------

    def _take_fault(self) -> Optional[str]:
        behaviour = self.behaviour
        fault = behaviour.fault
        if fault is not None and behaviour.fault_times is not None:
            behaviour.fault_times -= 1
            if behaviour.fault_times <= 0:
                behaviour.fault, behaviour.fault_times = None, None
        return fault

    # in -------------------------------------------------------------------------------

    async def received(self, data: bytes, sender: str, link: AvatarLink) -> None:
        try:
            message = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return  # the service ignores what is not its JSON
        if not isinstance(message, dict) or message.get("v") != 2:
            return
        if type(message.get("v")) is not int:
            return
        pld = message.get("pld")
        mid = message.get("mid")
        if not isinstance(pld, dict) or not isinstance(mid, str) or not mid:
            return
        if message.get("type") == "chat":
            question = self._chunk(message, mid, pld)
            if question is not None:
                self._start(self._answer(question, mid, link))
        elif message.get("type") == "command":
            await self._command(mid, pld, link)

    def _chunk(self, message: Dict[str, Any], mid: str, pld: Dict[str, Any]) -> Optional[str]:
        """The whole question once its fin chunk came; None before (or if malformed)."""
        idx, fin, text = message.get("idx"), message.get("fin"), pld.get("text")
        if type(idx) is not int or idx < 0 or not isinstance(fin, bool):
            return None
        if not isinstance(text, str):
            return None
        entry = self._chunks.get(mid)
        if entry is None:
            if len(self._chunks) >= MAX_OPEN_QUESTIONS:
                self._chunks.pop(next(iter(self._chunks)))
            entry = self._chunks[mid] = [{}, 0, None]
        pieces, size, last = entry
        size += len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_QUESTION_BYTES:
            self._chunks.pop(mid, None)
            return None
        pieces.setdefault(idx, text)
        if fin:
            last = idx
        entry[1], entry[2] = size, last
        if last is None or any(i not in pieces for i in range(last + 1)):
            return None
        self._chunks.pop(mid, None)
        return "".join(pieces[i] for i in range(last + 1))

    async def _command(self, mid: str, pld: Dict[str, Any], link: AvatarLink) -> None:
        cmd = pld.get("cmd")
        if not isinstance(cmd, str):
            return
        self.commands.append(pld)
        code, msg = OK, "ok"
        if cmd == "interrupt":
            await self._interrupt()
        elif cmd == "set-params":
            code, msg = self._set_params(pld.get("data"))
        elif cmd == "set-action":
            code, msg = self._set_action(pld.get("data"))
        else:
            code, msg = REFUSED, f"unknown command {cmd}"
        if code == OK and self._take_fault() == "refuse":
            code, msg = REFUSED, "refused"
        await link.send(_message("command", mid, {"cmd": cmd, "code": code, "msg": msg}))

    def _set_params(self, data: Any) -> Any:
        if not isinstance(data, dict) or not data:
            return REFUSED, "no parameters"
        unknown = set(data) - {"lang", "mode", "bgurl", "vparams", "vid", "vurl"}
        if unknown:
            return REFUSED, f"unknown parameter {sorted(unknown)[0]}"
        if "mode" in data and data["mode"] not in (1, 2):
            return REFUSED, "mode is 1 or 2"
        vparams = data.get("vparams", {})
        if not isinstance(vparams, dict) or set(vparams) - VPARAMS:
            return REFUSED, "bad vparams"
        if "mode" in data:
            self.behaviour.mode = data["mode"]
        self.settings.update(data)
        return OK, "ok"

    def _set_action(self, data: Any) -> Any:
        if not isinstance(data, dict) or not data:
            return REFUSED, "no action"
        if "action" in data and data["action"] not in ACTIONS:
            return REFUSED, "unsupported action"
        if "expression" in data and data["expression"] not in EXPRESSIONS:
            return REFUSED, "unsupported expression"
        return OK, "ok"

    # out ------------------------------------------------------------------------------

    def _start(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        self._queue.append(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._dequeue)

    def _dequeue(self, task: asyncio.Task) -> None:
        if task in self._queue:
            self._queue.remove(task)

    async def _interrupt(self) -> None:
        """Stop the answer being said and every answer waiting its turn."""
        for task in list(self._queue):
            task.cancel()

    async def _answer(self, question: str, question_mid: str, link: AvatarLink) -> None:
        if self._turn is None:
            self._turn = asyncio.Lock()
        async with self._turn:  # one answer at a time, in the order asked
            self.questions.append(question)
            await self._say(question, question_mid, link)

    async def _say(self, question: str, question_mid: str, link: AvatarLink) -> None:
        behaviour = self.behaviour
        fault = self._take_fault()
        if fault == "refuse":  # a refusal is for commands; chat goes on
            fault = None
        if fault == "silent":
            return
        if fault == "drop_before":
            await link.leave()
            return
        if fault == "garbage":
            for junk in GARBAGE:
                await link.send(junk)
        self._answers += 1
        mid = question_mid if behaviour.answer_mid == "question" else f"ans-{self._answers}"
        if behaviour.user_transcript:
            await link.send(
                _message(
                    "chat",
                    f"you-{self._answers}",
                    {"from": "user", "text": question},
                    idx=0,
                    fin=True,
                )
            )
        if behaviour.mode == 2:
            answer = behaviour.script.get(
                question.strip(), behaviour.script.get("*", f"You said: {question}")
            )
        else:
            answer = question
        delay = behaviour.slow_delay if fault == "slow" else behaviour.piece_delay
        frames = self._deltas(mid, answer)
        spoke = False
        try:
            if behaviour.audio_events:
                await link.send(_message("event", mid, {"event": "audio_start"}))
                spoke = True
            for number, frame in enumerate(frames):
                if number and delay:
                    await asyncio.sleep(delay)
                await link.send(frame)
                if fault == "drop_mid":
                    await link.leave()
                    return
            if spoke:
                await asyncio.sleep(len(answer) * behaviour.speaking_ms_per_char / 1000)
        finally:
            if spoke:  # an interrupted answer stops being spoken too
                await link.send(_message("event", mid, {"event": "audio_end"}))

    def _deltas(self, mid: str, answer: str) -> List[bytes]:
        behaviour = self.behaviour
        pieces = _pieces(answer, behaviour.pieces)
        if behaviour.fin and not behaviour.fin_carries_text:
            pieces.append("")
        last = len(pieces) - 1
        frames = [
            _message(
                "chat",
                mid,
                {"from": "bot", "text": piece},
                idx=i,
                fin=behaviour.fin and i == last,
            )
            for i, piece in enumerate(pieces)
        ]
        if behaviour.shuffle and len(frames) > 1:
            frames = frames[1:] + frames[:1] + frames[1:2]  # late first, one repeat
        return frames

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
