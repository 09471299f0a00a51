"""The services' own errors (importing them costs nothing)."""

from akool_cli.api.errors import NotFoundError


class NoChatRoomError(NotFoundError):
    """Nothing names the session's chat room (e.g. ``stream_urls`` in the agora shape)."""


class NoLiveKitRoomError(NoChatRoomError):
    """A v4 session whose LiveKit room nothing here names (only create's answer does)."""
