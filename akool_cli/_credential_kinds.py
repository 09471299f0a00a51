"""The one vocabulary of credential kinds: what a credential is sent as, what a person
reads for each, and the environment variables that carry one. A leaf: it imports nothing
of ours, so the library, the local files and the command line all read it."""

from __future__ import annotations

from typing import Dict, Tuple

API_KEY = "api_key"  # sent as an x-api-key header
TOKEN = "token"  # sent as Authorization: Bearer, from getToken or given as it is
CLIENT_CREDENTIALS = "client_credentials"  # a client id and secret, exchanged for a token

SENT = (TOKEN, API_KEY)  # the kinds a request carries, and so a profile can store
LABELS: Dict[str, str] = {
    API_KEY: "API key",
    TOKEN: "token",
    CLIENT_CREDENTIALS: "client id and secret",
}
# The variables that carry a credential to send as it is, in the order they win.
FROM_ENV: Tuple[Tuple[str, str], ...] = (("AKOOL_TOKEN", TOKEN), ("AKOOL_API_KEY", API_KEY))


def label(kind: str) -> str:
    """What a person reads for ``kind`` ("API key", "token", …)."""
    return LABELS.get(kind, kind)
