"""LiveKit access tokens: minted with ``livekit-api``'s AccessToken, checked with its
TokenVerifier, refused with the status and text a LiveKit server answers.

Imports ``livekit.api`` only when a token is minted or checked, so the emulator's HTTP
side can name these functions cheaply.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Dict, Optional

API_KEY = "APIemulator"
API_SECRET = "emulator-livekit-secret-0123456789abcdef"  # HS256 wants 32+ bytes
DEFAULT_TTL = 6 * 3600.0  # seconds, LiveKit's own default


@dataclass(frozen=True)
class Grant:
    """What a verified token allows: joining ``room`` as ``identity``."""

    identity: str
    room: str
    name: str = ""
    can_publish_data: bool = True
    can_subscribe: bool = True


class TokenRefused(Exception):
    """A token LiveKit would refuse; ``status`` and ``text`` are its HTTP answer."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def mint(
    room: str,
    identity: str,
    *,
    ttl: float = DEFAULT_TTL,
    name: Optional[str] = None,
    api_key: str = API_KEY,
    api_secret: str = API_SECRET,
) -> str:
    """A signed JWT that lets ``identity`` join ``room`` (publish, subscribe and data)."""
    from livekit import api

    grants = api.VideoGrants(room_join=True, room=room, can_publish_data=True)
    token = (
        api.AccessToken(api_key, api_secret)
        .with_identity(identity)
        .with_grants(grants)
        .with_ttl(datetime.timedelta(seconds=ttl))
    )
    if name:
        token = token.with_name(name)
    return token.to_jwt()


def livekit_credentials(
    url: str, room: str, client_identity: str, server_identity: str, *, ttl: float = DEFAULT_TTL
) -> Dict[str, Any]:
    """The ``credentials`` of a v4 create answer for ``stream_type: livekit``."""
    return {
        "livekit_url": url,
        "livekit_token": mint(room, client_identity, ttl=ttl),
        "livekit_room_name": room,
        "livekit_client_identity": client_identity,
        "livekit_server_identity": server_identity,
    }


def verify(token: str, *, api_key: str = API_KEY, api_secret: str = API_SECRET) -> Grant:
    """The grant of a token, or TokenRefused as LiveKit answers it: 401 for a token that
    is not a JWT, names another API key, has a bad signature or has expired, or does not
    grant joining a room; 400 for a grant without an identity."""
    import jwt
    from livekit import api

    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise TokenRefused(401, "invalid authorization token") from None
    issuer = unverified.get("iss") if isinstance(unverified, dict) else None
    if issuer != api_key:
        raise TokenRefused(401, f"invalid API key: {issuer}")
    try:
        claims = api.TokenVerifier(api_key, api_secret, leeway=datetime.timedelta(0)).verify(token)
    except jwt.ExpiredSignatureError:
        # A LiveKit server puts the token itself in this answer; so do we, so that a
        # client is tested against a server that hands its secret back.
        raise TokenRefused(
            401, f"invalid token: {token}, error: validation failed, token is expired (exp)"
        ) from None
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        reason = (
            "error in cryptographic primitive"
            if isinstance(exc, jwt.InvalidSignatureError)
            else "validation failed"
        )
        raise TokenRefused(401, f"invalid token: {token}, error: {reason}") from None
    video = claims.video
    if video is None or not video.room_join or not video.room:
        raise TokenRefused(401, "permissions denied")
    if not claims.identity:
        raise TokenRefused(400, "participant identity cannot be empty")
    return Grant(
        identity=claims.identity,
        room=video.room,
        name=claims.name,
        can_publish_data=video.can_publish_data,
        can_subscribe=video.can_subscribe,
    )
