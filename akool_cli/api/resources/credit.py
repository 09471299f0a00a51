"""``/faceswap/quota/info``: the account's credit balance."""

from __future__ import annotations

from typing import Any, Dict

from akool_cli.api._resource import Resource
from akool_cli.api.errors import ProtocolError
from akool_cli.api.types._shape import expect_object


class Credit(Resource):
    """``/faceswap/quota/info``: the account's balance."""

    def info(self) -> Dict[str, Any]:
        """The answer's ``data`` (``{"credit": <number>}``), checked to carry a number."""
        # The credit info stays under v3 in both versions.
        body = self._client.request("GET", "/faceswap/quota/info", retry=True, version="v3")
        data = body.get("data")
        info = expect_object(data, "the credit info")
        credit = info.get("credit")
        if not isinstance(credit, (int, float)) or isinstance(credit, bool):
            raise ProtocolError("unexpected answer from the API: 'credit' is not a number")
        return info
