"""The emulated avatar's one brain, for v3 chat rooms and v4 LiveKit rooms alike.

What the avatar says, in how many pieces and at what pace, which faults it plays, and
which commands it takes, is decided here once; a transport only frames it. A v3 room
(``rooms.py``) frames each piece as a chat frame (``answer_ended`` as its switch says); a
v4 room (``livekit/brain.py``) frames them as deltas with ``idx``/``fin``, between
``audio_start`` and ``audio_end``, and acknowledges commands with the code decided here.

    brain = AvatarBrain(lambda: settings, lock)
    await brain.say(question, dialogue=True, voice=the_transport_framing)
    code, msg = brain.command("set-params", {"mode": 1})     # v4 acks

``AvatarSettings`` are the switches: the defaults every session starts from live on the
State (``State.chat``); a session may have its own (``/_emulator/sessions/<id>/avatar``).
No sockets here, and nothing of aiohttp or LiveKit.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

# Faults, by the occasion that takes them: a connection (the v3 handshake, the v4 join),
# a command (v4), an answer (both). A fault fires, and counts, only on its occasion.
CONNECT_FAULTS = ("refuse",)
COMMAND_FAULTS = ("refuse_commands",)
ANSWER_FAULTS = ("drop_before", "drop_mid", "garbage", "silent", "slow")
FAULTS = CONNECT_FAULTS + COMMAND_FAULTS + ANSWER_FAULTS
OCCASIONS = {"connect": CONNECT_FAULTS, "command": COMMAND_FAULTS, "answer": ANSWER_FAULTS}
# v3 framing: which frames carry answer_ended (never, as v3 documents; the last; every
# one, false until the last), and how pieces are sent (one frame, deltas, or each frame
# the answer so far).
ANSWER_MARKS = ("never", "last", "every")
ANSWER_MODES = ("single", "delta", "cumulative")
ANSWER_MIDS = ("own", "question")
# v4 commands (API-NOTES-v4, "The data channel")
ACTIONS = (
    "hand_wave", "cheer", "thumbs_up", "pump_fists", "nod", "shake", "waft_left", "waft_right",
)  # fmt: skip
EXPRESSIONS = ("angry", "disgust", "fear", "happiness", "sadness", "surprise", "contempt")
PARAMS = ("lang", "mode", "bgurl", "vparams", "vid", "vurl")
VPARAMS = ("vid", "vurl", "speed", "stt_language", "pron_map", "turn_detection")
OK, REFUSED = 1000, 1015  # ack codes: done / refused (a value the avatar will not take)


@dataclass
class AvatarSettings:
    """How the emulated avatar answers, in either version's room. Read when an answer
    starts, so a change applies from the next one."""

    # What it says, in how many pieces, how fast (both versions).
    script: Dict[str, str] = field(default_factory=dict)  # question -> answer; "*" any other
    chunks: int = 3  # pieces per answer (a v3 room in answer_mode "single" sends one)
    chunk_delay: float = 0.02  # seconds between pieces
    # Slow pieces: after piece ``pause_after`` (1 = the first), ``pause`` seconds of
    # silence before the next (an avatar behind a language model and a speech engine).
    pause: float = 0.0
    pause_after: int = 1
    slow_delay: float = 0.5  # under the "slow" fault: every piece this many seconds late
    user_transcript: bool = False  # a transcript of each question (from the user) first
    fault: Optional[str] = None  # one of FAULTS
    fault_times: Optional[int] = None  # then the fault clears; None: it stays
    # v3 framing
    answer_mode: str = "single"  # one of ANSWER_MODES
    answer_ended: str = "never"  # one of ANSWER_MARKS
    # Refuse a v3 chat handshake while the session is queueing (a fault: by default the
    # room accepts it at once and answers once the session is live, as the service does).
    refuse_queueing: bool = False
    # v4 framing
    fin: bool = True  # False: the room never sends fin (the client's quiet fallback)
    fin_carries_text: bool = True  # False: the last piece, then an empty fin delta
    shuffle: bool = False  # deltas out of idx order, one of them twice
    answer_mid: str = "own"  # "own": a new mid per answer; "question": the question's
    audio_events: bool = True  # audio_start before an answer, audio_end once it is said
    speaking_ms_per_char: float = 1.0  # how long saying the answer takes
    # v4 room: seconds after the session goes live before the avatar joins its room
    avatar_late: float = 0.0


def pieces(text: str, count: int) -> List[str]:
    """``text`` cut into ``count`` pieces of about one length (fewer for a short text)."""
    if count <= 1 or len(text) < 2:
        return [text]
    count = min(count, len(text))
    cuts = [len(text) * i // count for i in range(count + 1)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]


def speaking_seconds(settings: AvatarSettings, answer: str) -> float:
    """How long the avatar takes to say ``answer``: it grows with the text."""
    return len(answer) * settings.speaking_ms_per_char / 1000


class Voice(Protocol):
    """How a transport frames what the brain says (a v3 room's frames, a v4 room's
    deltas and events)."""

    @property
    def gone(self) -> bool:
        """The listener went: say no more."""

    async def garbage(self) -> None:
        """Frames no client should take for an answer (the "garbage" fault)."""

    async def transcript(self, text: str) -> None:
        """What the service heard a person say: never part of an answer."""

    async def begin(self, answer: str) -> None:
        """The avatar starts saying ``answer``."""

    async def piece(self, text: str, index: int, last: bool) -> None:
        """One piece of the answer."""

    async def spoken(self, answer: str) -> None:
        """Every piece is out; the time saying it takes."""

    async def end(self, answer: str) -> None:
        """The answer is over: said, or cut short (interrupted, dropped)."""

    async def drop(self) -> None:
        """The connection to the avatar goes (the drop faults)."""


class AvatarBrain:
    """The one brain. ``settings`` gives the switches in force (a session's own or the
    defaults); ``lock`` guards them against a test changing them from another thread."""

    def __init__(
        self,
        settings: Callable[[], AvatarSettings],
        lock: Optional[Any] = None,
        *,
        mode: int = 2,
    ) -> None:
        self._settings = settings
        self._lock = lock if lock is not None else threading.RLock()
        self.mode = mode  # 2 dialogue (answers), 1 retell (says the text); set-params sets it
        self.params: Dict[str, Any] = {}  # what set-params has set

    @property
    def behaviour(self) -> AvatarSettings:
        return self._settings()

    def take_fault(self, occasion: str) -> Optional[str]:
        """The fault set for ``occasion`` (``connect``, ``command``, ``answer``), counted
        down; None when none is."""
        with self._lock:
            settings = self._settings()
            fault = settings.fault
            if fault is None or fault not in OCCASIONS[occasion]:
                return None
            if settings.fault_times is not None:
                settings.fault_times -= 1
                if settings.fault_times <= 0:
                    settings.fault, settings.fault_times = None, None
            return fault

    def answer_for(self, question: str, dialogue: bool) -> str:
        """Dialogue: the script's answer, else ``You said: …``; retell: the text itself."""
        if not dialogue:
            return question
        script = self._settings().script
        return script.get(question.strip(), script.get("*", f"You said: {question}"))

    def _wait(self, settings: AvatarSettings, index: int, fault: Optional[str]) -> float:
        """Seconds of silence before piece ``index``."""
        if index and index == settings.pause_after and settings.pause:
            return settings.pause
        if fault == "slow":
            return settings.slow_delay
        return settings.chunk_delay if index else 0.0

    async def say(self, question: str, dialogue: bool, voice: Voice, *, split: bool = True) -> None:
        """Answer ``question`` through ``voice``, playing the answer fault set (if any).
        ``split`` False: the answer in one piece (a v3 room's "single" answer mode)."""
        settings = self._settings()
        fault = self.take_fault("answer")
        if fault == "silent":
            return
        if fault == "drop_before":
            await voice.drop()
            return
        if fault == "garbage":
            await voice.garbage()
        answer = self.answer_for(question, dialogue)
        if settings.user_transcript:
            await voice.transcript(question)
        parts = pieces(answer, settings.chunks if split else 1)
        await voice.begin(answer)
        try:
            for index, part in enumerate(parts):
                wait = self._wait(settings, index, fault)
                if wait:
                    await asyncio.sleep(wait)
                if voice.gone:
                    return
                await voice.piece(part, index, index + 1 == len(parts))
                if fault == "drop_mid":
                    await voice.drop()
                    return
            await voice.spoken(answer)
        finally:
            await voice.end(answer)

    # v4 commands ------------------------------------------------------------------

    def command(self, cmd: str, data: Any) -> Tuple[int, str]:
        """The ack's (code, msg) for a command, applying what it sets (``interrupt`` is
        the transport's to carry out). A refused value is acked with REFUSED."""
        if cmd == "interrupt":
            code, msg = OK, "ok"
        elif cmd == "set-params":
            code, msg = self._set_params(data)
        elif cmd == "set-action":
            code, msg = self._set_action(data)
        else:
            code, msg = REFUSED, f"unknown command {cmd}"
        if code == OK and self.take_fault("command") == "refuse_commands":
            code, msg = REFUSED, "refused"
        return code, msg

    def _set_params(self, data: Any) -> Tuple[int, str]:
        if not isinstance(data, dict) or not data:
            return REFUSED, "no parameters"
        unknown = set(data) - set(PARAMS)
        if unknown:
            return REFUSED, f"unknown parameter {sorted(unknown)[0]}"
        if "mode" in data and (type(data["mode"]) is not int or data["mode"] not in (1, 2)):
            return REFUSED, "mode is 1 or 2"
        vparams = data.get("vparams", {})
        if not isinstance(vparams, dict) or set(vparams) - set(VPARAMS):
            return REFUSED, "bad vparams"
        if "lang" in data and not isinstance(data["lang"], str):
            return REFUSED, "lang is a language code"
        if "mode" in data:
            self.mode = data["mode"]
        self.params.update(data)
        return OK, "ok"

    @staticmethod
    def _set_action(data: Any) -> Tuple[int, str]:
        if not isinstance(data, dict) or not data:
            return REFUSED, "no action"
        if set(data) - {"action", "expression"}:
            return REFUSED, "set-action takes an action and an expression"
        if "action" in data and data["action"] not in ACTIONS:
            return REFUSED, "unsupported action"
        if "expression" in data and data["expression"] not in EXPRESSIONS:
            return REFUSED, "unsupported expression"
        return OK, "ok"
