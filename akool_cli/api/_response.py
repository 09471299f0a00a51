"""What came back from one HTTP request: status, headers and the whole body, read once.
Light on purpose (no HTTP library): the envelope and the retry policy read it."""

from __future__ import annotations

from typing import Any, Mapping

from akool_cli._json import strict_json


class HTTPResponse:
    """What came back: status, headers and the whole body. ``json()`` parses once.

    ``request`` is the request that was sent, with its credential headers replaced by
    ``***``: an error carries its response, and the response must not carry the secret.
    """

    def __init__(
        self, status_code: int, headers: Mapping[str, str], content: bytes, request: Any = None
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.request = request
        self._json: Any = None
        self._parsed = False

    def json(self) -> Any:
        """The body as JSON; ValueError if it is not (NaN, Infinity and deep nesting
        count as not JSON)."""
        if not self._parsed:
            try:
                text = self.content.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError("not UTF-8") from None
            self._json = strict_json(text)
            self._parsed = True
        return self._json

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def code_note(response: HTTPResponse) -> str:
    """``, code N`` for a body whose envelope carries a business code, else nothing."""
    try:
        body = response.json()
    except ValueError:
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return f", code {code}" if isinstance(code, int) else ""
