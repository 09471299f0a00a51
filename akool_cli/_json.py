"""JSON as this tool accepts it from anywhere (a server, a chat frame, a local file, an
``--input``): standard JSON only, so that what it prints again with ``--json`` is valid
JSON too. Imports nothing of ours."""

from __future__ import annotations

import json
import math
from typing import Any


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def strict_json(text: str) -> Any:
    """Parsed JSON, or ValueError for what is not standard JSON: NaN and Infinity, numbers
    too large for a float, nesting deeper than the interpreter can follow."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
