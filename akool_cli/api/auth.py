"""Credentials as the API takes them. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Protocol

from akool_cli._credential_kinds import API_KEY, SENT, TOKEN

KINDS = SENT  # the kinds a Credential may be (the vocabulary: akool_cli._credential_kinds)
__all__ = ["API_KEY", "KINDS", "TOKEN", "Credential", "ClientCredentials", "mask"]


def mask(secret: str) -> str:
    """Enough of a secret to recognise it, never enough to use it: at most 4 characters
    shown (2 for a short secret, none for a very short one), never its length."""
    shown = 0 if len(secret) < 8 else 2 if len(secret) < 16 else 4
    if not shown:
        return "***"
    half = shown // 2
    return f"{secret[:half]}…{secret[-half:]}"


def header_problem(value: str) -> Optional[str]:
    """Why ``value`` cannot be sent as a credential header, or None. HTTP header values
    must be Latin-1 and a line break would split the request; keys and tokens are
    printable ASCII, so anything else is refused before a request is made."""
    if not value:
        return "it is empty"
    for char in value:
        if char in "\r\n":
            return "it contains a line break"
        if not " " < char <= "~":
            return f"it contains {char!r}, which cannot be sent in an HTTP header"
    return None


@dataclass(frozen=True)
class Credential:
    """A bearer token (from getToken) or an API key (sent as ``x-api-key``)."""

    kind: str
    value: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown credential kind {self.kind!r}")

    @property
    def problem(self) -> Optional[str]:
        """Why it cannot be sent, or None."""
        return header_problem(self.value)

    def headers(self) -> Dict[str, str]:
        if self.kind == TOKEN:
            return {"Authorization": f"Bearer {self.value}"}
        return {"x-api-key": self.value}

    @property
    def masked(self) -> str:
        return mask(self.value)

    def __repr__(self) -> str:  # never the secret, even in a traceback or a debugger
        return f"Credential(kind={self.kind!r}, value={self.masked!r})"

    __str__ = __repr__


class TokenCache(Protocol):
    """Where exchanged tokens are kept between processes, keyed by base URL and client id.
    ``get`` answers only for the secret the token was exchanged with (an implementation
    may keep a salted hash of it to tell, never the secret itself)."""

    def get(self, base_url: str, client_id: str, secret: str) -> Optional[str]: ...

    def put(self, base_url: str, client_id: str, secret: str, token: str) -> None: ...

    def drop(self, base_url: str, client_id: str) -> None: ...


@dataclass(frozen=True)
class ClientCredentials:
    """A client id and secret, exchanged at ``getToken`` for a bearer token on first use.

    With a ``cache``, the token is reused across processes (a token lives about a year);
    a token the API rejects (1101) is exchanged again, once.
    """

    client_id: str
    client_secret: str
    cache: Optional[TokenCache] = None

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r}, client_secret='***')"

    __str__ = __repr__
