"""Shell completion sources. Local files only: never a network call, never an error."""

from __future__ import annotations

import os
from typing import List

from akool_cli.api import BUILTIN_AVATARS, STATUS_NAMES, STATUS_WORDS


def _starting(candidates: List[str], incomplete: str) -> List[str]:
    return [c for c in candidates if c.startswith(incomplete)]


def complete_avatar(incomplete: str) -> List[str]:
    return _starting(list(BUILTIN_AVATARS), incomplete)


def complete_status(incomplete: str) -> List[str]:
    words = [w for pair in zip(STATUS_WORDS.values(), STATUS_NAMES.values()) for w in pair]
    return _starting(list(dict.fromkeys(words)), incomplete)


def complete_mode(incomplete: str) -> List[str]:
    return _starting(["dialogue", "retell"], incomplete)


def complete_profile(incomplete: str) -> List[str]:
    try:
        from akool_cli.local.files import config_dir
        from akool_cli.local.profiles import Store

        return _starting(Store(config_dir(os.environ)).profile_names(), incomplete)
    except Exception:  # completion must never fail loudly
        return []


def complete_session_id(incomplete: str) -> List[str]:
    try:
        from akool_cli.local.files import state_dir
        from akool_cli.local.records import SessionRecords

        ids = [r["id"] for r in reversed(SessionRecords(state_dir(os.environ)).all())]
        return _starting(list(dict.fromkeys(ids)), incomplete)
    except Exception:
        return []
