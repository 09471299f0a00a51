"""The room's check of a joining client's token: ``livekit-api``'s TokenVerifier, and a
refusal with the status and text a LiveKit server answers. Tokens are minted by
``emulator/livekit_auth.py`` (the v4 create's credentials) with the same key pair, the
State's (``DEFAULT_LIVEKIT_API_KEY``/``_SECRET`` unless set).

Imports ``livekit.api`` only when a token is checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from akool_cli.emulator.state import DEFAULT_LIVEKIT_API_KEY, DEFAULT_LIVEKIT_API_SECRET

API_KEY = DEFAULT_LIVEKIT_API_KEY
API_SECRET = DEFAULT_LIVEKIT_API_SECRET


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
    verifier = api.TokenVerifier(api_key, api_secret, leeway=datetime.timedelta(0))
    try:
        claims = verifier.verify(token)
    except jwt.ExpiredSignatureError:
        # A LiveKit server puts the token itself in this answer; so does the emulator, so
        # that a client is tested against a server that hands its secret back.
        raise TokenRefused(
            401, f"invalid token: {token}, error: validation failed, token is expired (exp)"
        ) from None
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        if isinstance(exc, jwt.InvalidSignatureError):
            reason = "error in cryptographic primitive"
        else:
            reason = "validation failed"
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
