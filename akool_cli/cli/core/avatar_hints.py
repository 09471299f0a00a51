"""Which avatars this machine knows of — the built-ins and the list `akool avatar list`
cached for the base URL — and which of them look like an id the API refused, or that
`config set avatar_id` was given."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, List, Optional

from akool_cli.api import BUILTIN_AVATARS, V4_AVATAR
from akool_cli.local.cache import ListCache
from akool_cli.local.files import state_dir

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

MAX_MATCHES = 3


def cached_avatars(app_ctx: AppContext) -> List[str]:
    """The avatar ids the cached list holds for this base URL (none if it cannot be read)."""

    try:
        kind = "avatars" if app_ctx.api_version() == "v3" else f"avatars-{app_ctx.api_version()}"
        values, _ = ListCache(state_dir(app_ctx.env), kind).get(app_ctx.base_url())
    except Exception:  # a cache, and advice: never a failure of its own
        return []
    return [value for value, _ in values]


def known_avatars(app_ctx: AppContext) -> List[str]:
    """The built-ins of the version in use, and the cached list."""
    builtin = BUILTIN_AVATARS if app_ctx.api_version() == "v3" else (V4_AVATAR,)
    return list(dict.fromkeys([*builtin, *cached_avatars(app_ctx)]))


def builtin_version(avatar_id: str) -> Optional[str]:
    """The API version whose built-in avatar this is, if it is one."""
    if avatar_id in BUILTIN_AVATARS:
        return "v3"
    return "v4" if avatar_id == V4_AVATAR else None


def other_version(avatar_id: str, api_version: str) -> Optional[str]:
    """For a built-in avatar of the other API version: which version it is, how to use
    it, and this version's own built-in (None for any other avatar)."""
    if api_version != "v3" and avatar_id in BUILTIN_AVATARS:
        return f"{avatar_id} is a v3 avatar: add --api-version v3 (v4's is {V4_AVATAR})"
    if api_version == "v3" and avatar_id == V4_AVATAR:
        return (
            f"{avatar_id} is a v4 avatar: add --api-version v4 "
            f"(v3's are {', '.join(BUILTIN_AVATARS)})"
        )
    return None


def look_alikes(avatar_id: str, known: List[str]) -> List[str]:
    """The known ids that differ only in case; else the closest few by spelling."""
    lowered = avatar_id.lower()
    same = [k for k in known if k.lower() == lowered and k != avatar_id]
    if same:
        return same[:MAX_MATCHES]
    by_lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(lowered, list(by_lower), n=MAX_MATCHES, cutoff=0.8)
    return [by_lower[c] for c in close]
