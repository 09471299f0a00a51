"""Checking the shape of an answer: what the contract says is an object, a list, a string."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from akool_cli.api.errors import ProtocolError


def opt_str(obj: Dict[str, Any], key: str) -> Optional[str]:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise ProtocolError(f"unexpected answer from the API: {key!r} is not a string")


def expect_object(data: Any, what: str) -> Dict[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError(f"unexpected answer from the API: {what} is not an object")
    return data


def expect_list(data: Any, what: str) -> List[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise ProtocolError(f"unexpected answer from the API: {what} is not a list")
    return data
