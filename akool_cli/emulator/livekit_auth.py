"""LiveKit access tokens for the emulator's v4 sessions: minted at create, checked by the
room. The key and secret live on the State (``livekit_api_key``, ``livekit_api_secret``;
defaults in ``state.py``), so the HTTP side and the room use one pair.

``livekit-api`` (in the ``emulator`` extra) is imported only when a token is made or read:
an emulator without it still serves v3, and v4 over Agora or TRTC.
"""

from __future__ import annotations

import datetime
from typing import Any, Tuple

INSTALL_HINT = "the emulator needs livekit-api for LiveKit rooms: pip install 'akool-cli[emulator]'"


class LiveKitUnavailable(RuntimeError):
    """``livekit-api`` is not installed."""


def _api() -> Any:
    try:
        from livekit import api
    except ImportError:
        raise LiveKitUnavailable(INSTALL_HINT) from None
    return api


def mint_token(key: str, secret: str, room: str, identity: str, ttl_seconds: float) -> str:
    """A signed LiveKit JWT letting ``identity`` join ``room`` (publish, subscribe and send
    data) for ``ttl_seconds``."""
    api = _api()
    grants = api.VideoGrants(room_join=True, room=room)
    return str(
        api.AccessToken(key, secret)
        .with_identity(identity)
        .with_grants(grants)
        .with_ttl(datetime.timedelta(seconds=max(1.0, ttl_seconds)))
        .to_jwt()
    )


def read_token(key: str, secret: str, token: str) -> Tuple[str, str]:
    """(identity, room) of a token this key and secret signed; ValueError for a token that
    is not one (a bad signature, another issuer, expired, or no room to join). The room's
    own check, with LiveKit's refusals, is ``livekit/tokens.py``."""
    from akool_cli.emulator.livekit.tokens import TokenRefused, verify

    _api()
    try:
        grant = verify(token, api_key=key, api_secret=secret)
    except TokenRefused as refused:
        raise ValueError(f"not a valid room token: {refused.status}") from None
    return grant.identity, grant.room
