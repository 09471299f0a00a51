"""Credentials as the API takes them. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

TOKEN = "token"
API_KEY = "api_key"
KINDS = (TOKEN, API_KEY)


def mask(secret: str) -> str:
    """Enough of a secret to recognise it, never enough to use it."""
    if len(secret) <= 8:
        return "*" * len(secret)
    return f"{secret[:4]}…{secret[-2:]}" if len(secret) < 16 else f"{secret[:4]}…{secret[-4:]}"


@dataclass(frozen=True)
class Credential:
    """A bearer token (from getToken) or an API key (sent as ``x-api-key``)."""

    kind: str
    value: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown credential kind {self.kind!r}")

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
