"""The services' own errors (importing them costs nothing)."""

from akool_cli.api.errors import NotFoundError


class NoChatRoomError(NotFoundError):
    """Nothing names the session's chat room (e.g. ``stream_urls`` in the agora shape)."""
