"""Which credential a command uses, and where it came from."""

from __future__ import annotations

import os
from typing import Mapping, Optional, Tuple, Union

from akool_cli._credential_kinds import FROM_ENV
from akool_cli.api.auth import ClientCredentials, Credential, TokenCache, header_problem
from akool_cli.api.errors import InvalidCredentialError
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
    token, cached in ``token_cache``), then the profile's stored credential.

    A value that cannot be sent in a header is refused here, before any request: from the
    environment as a SettingError, from the profile as an InvalidCredentialError."""
    for name, kind in FROM_ENV:
        value = env.get(name)
        if value:
            problem = header_problem(value)
            if problem is not None:
                raise SettingError(f"{name} cannot be used as a credential: {problem}")
            return Credential(kind, value), name
    client_id, secret = env.get("AKOOL_CLIENT_ID"), env.get("AKOOL_CLIENT_SECRET")
    if client_id or secret:
        if not (client_id and secret):
            missing = "AKOOL_CLIENT_SECRET" if client_id else "AKOOL_CLIENT_ID"
            raise SettingError(f"{missing} is not set; set both of {CLIENT_ENV}, or neither")
        return ClientCredentials(client_id, secret, cache=token_cache), CLIENT_ENV
    stored = store.credential(profile)
    if stored is not None:
        problem = header_problem(stored[1])
        if problem is not None:
            raise InvalidCredentialError(
                f"the stored credential of profile {profile!r} cannot be sent: {problem}"
            )
        return Credential(*stored), f"{store.credentials_path} (profile {profile!r})"
    return None, "none"
