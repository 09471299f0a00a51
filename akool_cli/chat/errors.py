"""The chat's errors (no websocket import here, so callers can name them cheaply)."""

from __future__ import annotations

from typing import Any, Optional


class ChatError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRoomURL(ChatError, ValueError):
    """A chat room URL that is not ``…/client_<n>.chat`` or ``…/server_<n>.chat``."""


class ChatConnectionError(ChatError):
    """The chat room could not be reached, or kept dropping."""


class AnswerTimeoutError(ChatError):
    """No complete answer within the answer timeout; ``partial`` holds what came."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial


class ChatProtocolError(ChatConnectionError):
    """The peer broke the chat protocol (a frame over the size a chat frame may have)."""


class LiveKitMissing(ChatError):
    """The ``livekit`` package is not installed (v4 chat needs it)."""


class TokenRefusedError(ChatError):
    """The room refused the session's access token (HTTP 401 or 403: expired, signed
    with another key, or for another room). Not a drop: joining again cannot help."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status


class RoomEndedError(ChatError):
    """The room was closed server-side: the session has ended (LiveKit's ROOM_DELETED,
    ROOM_CLOSED, PARTICIPANT_REMOVED). Not a drop: there is nothing to reconnect to."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class AvatarAbsentError(AnswerTimeoutError):
    """The avatar was not in the room within the time: it had not joined yet (it joins
    when the session goes live) or it left and did not come back."""


class SpeakingTimeoutError(AnswerTimeoutError):
    """The answer came whole but the avatar had not finished saying it (no
    ``audio_end``) within the time; ``answer`` is the complete ChatAnswer."""

    def __init__(self, message: str, answer: Any) -> None:
        super().__init__(message, partial=answer.answer)
        self.answer = answer


class UnsupportedError(ChatError, ValueError):
    """Something this room's protocol cannot do (interrupt, set-params, set-action or
    speaking events in a v3 websocket room)."""
