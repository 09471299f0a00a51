"""Recording chat exchanges in the chat log, for every command that chats.

Whether to record: ``AKOOL_LOGS`` (``0``/``off``/``false`` or ``1``/``on``/``true``) wins,
then what ``akool logs off|on`` stored, then on. Recording is best effort: a log that
cannot be written is one warning, and the chat goes on unrecorded.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from akool_cli.chat.modes import mode_name
from akool_cli.local.errors import LocalError
from akool_cli.local.logs import ChatLog, Exchange

ENV = "AKOOL_LOGS"
_OFF = ("0", "off", "false", "no")
_ON = ("1", "on", "true", "yes")
# What writing the log may raise that is the log's failure, not the chat's: a SIGTERM
# arriving meanwhile is raised as an exception too, and must end the command.
_LOG_FAILURES = (sqlite3.Error, OSError, ValueError, TypeError, AttributeError, LookupError)


def logging_wanted(env: Mapping[str, str], stored: Callable[[], bool]) -> Tuple[bool, str]:
    """Whether to record, and why: ``"AKOOL_LOGS"``, ``"logs off"``/``"logs on"`` (stored),
    or ``"default"``. ``stored`` reads the stored choice (it may raise LocalError)."""
    value = env.get(ENV, "").strip().lower()
    if value in _OFF:
        return False, ENV
    if value in _ON:
        return True, ENV
    try:
        enabled = stored()
    except LocalError:
        return True, "default"
    return enabled, "default" if enabled else "logs off"


class Recorder:
    """Adds exchanges to the log with what is known of the chat around them."""

    def __init__(
        self,
        log: ChatLog,
        *,
        command: str,
        profile: Optional[str],
        base_url: Optional[str],
        session_id: Optional[str],
        avatar_id: Optional[str],
        warn: Callable[[str], None],
    ) -> None:
        self.log = log
        self.context: Dict[str, Any] = dict(
            command=command,
            profile=profile,
            base_url=base_url,
            session_id=session_id,
            avatar_id=avatar_id,
        )
        self._warn = warn
        self._broken = False
        self._marked: Optional[bool] = None

    def _add(self, settings: Any, question: str, outcome: str, **fields: Any) -> None:
        if self._broken:
            return
        exchange = Exchange(
            question=question,
            outcome=outcome,
            voice_id=getattr(settings, "voice_id", None),
            language=getattr(settings, "language", None),
            mode=mode_name(getattr(settings, "mode_type", None)),
            **self.context,
            **fields,
        )
        try:
            self.log.add(exchange)
        except LocalError as exc:
            self._broken = True
            self._warn(f"{exc}; this chat is not recorded")
        except _LOG_FAILURES as exc:  # a log is a convenience: nothing in it may stop a chat
            self._broken = True
            self._warn(f"cannot record this chat in {self.log.path}: {exc}")
        # anything else — a signal raised as an exception while it wrote — goes on

    def answered(self, settings: Any, answer: Any) -> None:
        self._add(
            settings,
            answer.question,
            "answered",
            answer=answer.answer,
            elapsed_ms=answer.elapsed_ms,
            frames=answer.frames,
            message_id=answer.message_id,
            ended_by=answer.ended_by,
        )

    def sent(self, settings: Any, question: str, message_id: str) -> None:
        self._add(settings, question, "sent", message_id=message_id)

    def heard(self, settings: Any, text: str, message_id: str) -> None:
        """What a person said by voice, as the room transcribed it (v4): a row of its
        own role, never an answer."""
        self._add(settings, text, "heard", message_id=message_id or None, role="transcript")

    def marked_before(self) -> bool:
        """Whether the log shows this session's room marking the end of an answer
        before this chat (asked once; a log that cannot be read says no)."""
        if self._marked is None:
            session_id = self.context["session_id"]
            try:
                self._marked = bool(session_id) and self.log.marked(str(session_id))
            except Exception:  # a log is a convenience: nothing in it may stop a chat
                self._marked = False
        return self._marked

    def unanswered(
        self, settings: Any, question: str, outcome: str, partial: Optional[str] = None
    ) -> None:
        """``timed_out`` or ``abandoned``, with whatever part of the answer had come."""
        self._add(settings, question, outcome, answer=partial or None)

    def close(self) -> None:
        self.log.close()


class NullRecorder:
    """Records nothing: the chat log is off."""

    def marked_before(self) -> bool:
        return False

    def answered(self, settings: Any, answer: Any) -> None:
        pass

    def sent(self, settings: Any, question: str, message_id: str) -> None:
        pass

    def heard(self, settings: Any, text: str, message_id: str) -> None:
        pass

    def unanswered(
        self, settings: Any, question: str, outcome: str, partial: Optional[str] = None
    ) -> None:
        pass

    def close(self) -> None:
        pass
