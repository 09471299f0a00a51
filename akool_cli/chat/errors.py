"""The chat's errors (no websocket import here, so callers can name them cheaply)."""

from __future__ import annotations


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
