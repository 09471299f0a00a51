"""The API's envelope (``{"code", "msg", "data"}``): a success's, or the error it stands for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

from akool_cli.api._constants import SUCCESS
from akool_cli.api.errors import ProtocolError, ServerError, error_for_code

if TYPE_CHECKING:
    from akool_cli.api._response import HTTPResponse


def parse_envelope(response: HTTPResponse) -> Dict[str, Any]:
    """The envelope of a successful answer (``code`` 1000); the matching error otherwise."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), int):
        code = body["code"]
        if code != SUCCESS:
            raise error_for_code(code, body.get("msg", ""), response=response)
        if status < 400:
            return body
    if status == 429:
        raise ServerError(
            "the service is rate limiting requests (HTTP 429)", status_code=429, response=response
        )
    if status >= 500:
        raise ServerError(
            f"the service failed (HTTP {status})", status_code=status, response=response
        )
    what = "a body that is not JSON" if body is None else "JSON that is not the API's envelope"
    raise ProtocolError(f"the service answered HTTP {status} with {what}", response=response)


def envelope_code(response: HTTPResponse) -> Optional[int]:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) else None
