"""Which credential a command uses, and where it came from."""

from __future__ import annotations

import os
from typing import Mapping, Optional, Tuple, Union

from akool_cli.api.auth import ClientCredentials, Credential, TokenCache
from akool_cli.local.errors import SettingError
from akool_cli.local.profiles import Store

CLIENT_ENV = "AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET"
ENV_CREDENTIALS = ("AKOOL_TOKEN", "AKOOL_API_KEY", "AKOOL_CLIENT_ID")

AnyCredential = Union[Credential, ClientCredentials]


def resolve_credential(
    store: Store,
    profile: str,
    env: Mapping[str, str] = os.environ,
    token_cache: Optional[TokenCache] = None,
) -> Tuple[Optional[AnyCredential], str]:
    """The credential to use and where it came from, in this order: ``AKOOL_TOKEN``,
    ``AKOOL_API_KEY``, ``AKOOL_CLIENT_ID`` + ``AKOOL_CLIENT_SECRET`` (exchanged for a
    token, cached in ``token_cache``), then the profile's stored credential."""
    token = env.get("AKOOL_TOKEN")
    if token:
        return Credential("token", token), "AKOOL_TOKEN"
    key = env.get("AKOOL_API_KEY")
    if key:
        return Credential("api_key", key), "AKOOL_API_KEY"
    client_id, secret = env.get("AKOOL_CLIENT_ID"), env.get("AKOOL_CLIENT_SECRET")
    if client_id or secret:
        if not (client_id and secret):
            missing = "AKOOL_CLIENT_SECRET" if client_id else "AKOOL_CLIENT_ID"
            raise SettingError(f"{missing} is not set; set both of {CLIENT_ENV}, or neither")
        return ClientCredentials(client_id, secret, cache=token_cache), CLIENT_ENV
    stored = store.credential(profile)
    if stored is not None:
        return Credential(*stored), f"{store.credentials_path} (profile {profile!r})"
    return None, "none"
