"""Tokens for the tests, any way a client might hold one: expired, signed with another
secret, naming another API key, without the data grant."""

from __future__ import annotations

import datetime
from typing import Optional

from akool_cli.emulator.livekit.tokens import API_KEY, API_SECRET


def token(
    room: str,
    identity: str,
    *,
    ttl: float = 3600.0,
    key: str = API_KEY,
    secret: str = API_SECRET,
    name: Optional[str] = None,
    can_publish_data: bool = True,
) -> str:
    from livekit import api

    grants = api.VideoGrants(room_join=True, room=room, can_publish_data=can_publish_data)
    minted = (
        api.AccessToken(key, secret)
        .with_identity(identity)
        .with_grants(grants)
        .with_ttl(datetime.timedelta(seconds=ttl))
    )
    if name:
        minted = minted.with_name(name)
    return minted.to_jwt()
