"""Numbers from the command line and the environment, checked before anything is sent:
finite, and in a range that makes sense (``nan``, ``inf`` and ``1e10`` are refused)."""

from __future__ import annotations

import math
from typing import Any, Callable

# Ranges (seconds).
TIMEOUT_RANGE = (0.1, 600.0)  # one HTTP request
WAIT_RANGE = (0.1, 86_400.0)  # waiting for a session: up to a day
INTERVAL_RANGE = (0.1, 3_600.0)  # between refreshes of a watch
ANSWER_TIMEOUT_RANGE = (0.1, 3_600.0)
ANSWER_IDLE_RANGE = (0.01, 60.0)
EMULATOR_DELAY_RANGE = (0.0, 86_400.0)


def seconds(low: float, high: float) -> Callable[[Any], float]:
    """A Typer parser for a number of seconds in [low, high]; a usage error else."""
    from typer import BadParameter

    def parse(value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise BadParameter(f"{value!r} is not a number of seconds") from None
        if not math.isfinite(number) or not low <= number <= high:
            raise BadParameter(f"{value} is not a number of seconds from {low:g} to {high:g}")
        return number

    parse.__name__ = "SECONDS"
    return parse
