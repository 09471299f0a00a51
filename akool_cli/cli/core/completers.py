"""Shell completion sources. Never an error, never more than about a second on the
network: ids come from local files — the record of created sessions, and the lists of
voices, languages and avatars the list commands cached (refreshed here, briefly, when
they are more than a day old)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple

import typer

from akool_cli.api import (
    API_VERSIONS,
    BUILTIN_AVATARS,
    DEFAULT_API_VERSION,
    DEFAULT_BASE_URL,
    STATUS_NAMES,
    STATUS_WORDS,
    V4_AVATAR,
)

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext

FETCH_BUDGET = 1.0  # seconds completion may spend asking the API for a fresh list

Choice = Tuple[str, str]


def _starting(candidates: List[str], incomplete: str) -> List[str]:
    return [c for c in candidates if c.startswith(incomplete)]


def _matching(choices: List[Choice], incomplete: str) -> List[Choice]:
    seen = set()
    found = []
    for value, about in choices:
        if value.startswith(incomplete) and value not in seen:
            seen.add(value)
            found.append((value, about))
    return found


def complete_status(incomplete: str) -> List[str]:
    """A status word, or one more after a comma (``queueing,l`` -> ``queueing,live``)."""
    words = [w for pair in zip(STATUS_WORDS.values(), STATUS_NAMES.values()) for w in pair]
    words.append("billable")
    head, _, last = incomplete.rpartition(",")
    taken = set(head.split(",")) if head else set()
    found = _starting([w for w in dict.fromkeys(words) if w not in taken], last)
    return [f"{head}," + w if head else w for w in found]


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
        from akool_cli.local.records import SessionRecords, is_ended

        records = SessionRecords(state_dir(os.environ)).all()
        ids = [r["id"] for r in reversed(records) if not is_ended(r)]  # closed: not offered
        return _starting(list(dict.fromkeys(ids)), incomplete)
    except Exception:
        return []


def _root(ctx: Optional[typer.Context]) -> Tuple[Optional[str], str, Optional[str]]:
    """(--base-url, --profile, --api-version) as given on the line being completed, else
    the env's."""
    params = ctx.find_root().params if ctx is not None else {}
    base_url = params.get("base_url") or os.environ.get("AKOOL_BASE_URL")
    profile = params.get("profile") or os.environ.get("AKOOL_PROFILE")
    version = params.get("api_version") or os.environ.get("AKOOL_API_VERSION")
    if not profile:  # the one `auth switch` chose, as every command would use
        from akool_cli.local import DEFAULT_PROFILE
        from akool_cli.local.files import config_dir
        from akool_cli.local.profiles import Store

        profile = Store(config_dir(os.environ)).current_profile() or DEFAULT_PROFILE
    return base_url, profile, version


def cache_kind(kind: str, api_version: str) -> str:
    """The list cache of ``kind`` for a version: v3's keep their old names."""
    return kind if api_version == "v3" else f"{kind}-{api_version}"


def _version(given: Optional[str], settings: Any) -> str:
    """The API version a command of this line would use: --api-version or the env's, the
    profile's ``api_version``, the default."""
    version = given or settings.get("api_version") or DEFAULT_API_VERSION
    return version if version in API_VERSIONS else DEFAULT_API_VERSION


def _chosen_version(ctx: Optional[typer.Context]) -> str:
    """The version of the line being completed; the profile's is read only when the line
    and the env name none (a config file that cannot be read: the default)."""
    params = ctx.find_root().params if ctx is not None else {}
    given = params.get("api_version") or os.environ.get("AKOOL_API_VERSION")
    if given:
        return _version(given, {})
    try:
        from akool_cli.local.files import config_dir
        from akool_cli.local.profiles import Store

        _, profile, _ = _root(ctx)
        return _version(None, Store(config_dir(os.environ)).profile(profile))
    except Exception:
        return DEFAULT_API_VERSION


def _client(base_url: Optional[str], profile: str, version: Optional[str]) -> Tuple[str, Any]:
    from akool_cli.api.client import Client
    from akool_cli.local.files import config_dir, state_dir
    from akool_cli.local.profiles import Store
    from akool_cli.local.tokens import TokenFile
    from akool_cli.services.credentials import resolve_credential

    store = Store(config_dir(os.environ))
    settings = store.profile(profile)
    url = (base_url or settings.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
    version = _version(version, settings)
    cache = TokenFile(state_dir(os.environ))
    credential, _ = resolve_credential(store, profile, os.environ, cache)
    client = Client(
        base_url=url,
        credential=credential,
        timeout=FETCH_BUDGET,
        max_retries=0,
        api_version=version,
    )
    return url, client


def _briefly(work: Callable[[], Any]) -> Any:
    """``work()`` on a thread, for at most FETCH_BUDGET seconds; None if it takes longer."""
    import threading

    result: List[Any] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(FETCH_BUDGET)
    return result[0] if result else None


def _cached(
    kind: str, ctx: Optional[typer.Context], fetch: Callable[[Any], List[Choice]]
) -> List[Choice]:
    """The cached list of ``kind`` for this base URL; refreshed first if it is stale."""
    from akool_cli.local.cache import ListCache
    from akool_cli.local.files import state_dir

    base_url, profile, version = _root(ctx)
    url, client = _client(base_url, profile, version)
    cache = ListCache(state_dir(os.environ), cache_kind(kind, client.api_version))
    values, fresh = cache.get(url)
    if not fresh:

        def refresh() -> Optional[List[Choice]]:
            try:
                return fetch(client)
            except Exception:
                return None

        found = _briefly(refresh)
        if found:
            cache.put(url, found)
            values = found
    return values


def _voices(client: Any) -> List[Choice]:
    return [(v.voice_id, f"{v.name or ''} {v.accent or ''}".strip()) for v in client.voices.list()]


def _languages(client: Any) -> List[Choice]:
    return [(lang.code, lang.name or "") for lang in client.languages.list()]


def _knowledge(client: Any) -> List[Choice]:
    if client.api_version != "v4":
        return []
    return [(k.id, k.name or "") for k in client.knowledge.list(size=100)]


def usable_avatar(avatar: Any) -> bool:
    """An avatar a session can use, as completion offers them: v3's by its status (3 =
    ready), v4's by ``available`` (each version leaves the other's field out; unknown:
    offered)."""
    return avatar.status in (None, 3) and avatar.available is not False


def _avatars(client: Any) -> List[Choice]:
    found = []
    for page in client.avatars.iter_pages(size=1000):
        found += [(a.avatar_id, a.name or "") for a in page.parsed if usable_avatar(a)]
    return found


def complete_voice(ctx: typer.Context, incomplete: str) -> List[Choice]:
    try:
        return _matching(_cached("voices", ctx, _voices), incomplete)
    except Exception:
        return []


def complete_language(ctx: typer.Context, incomplete: str) -> List[Choice]:
    try:
        return _matching(_cached("languages", ctx, _languages), incomplete)
    except Exception:
        return []


def complete_avatar(ctx: typer.Context, incomplete: str) -> List[Choice]:
    version = _chosen_version(ctx)
    # The chosen version's built-ins only: the other's are refused (1003) there.
    builtin = [(a, "built-in") for a in (BUILTIN_AVATARS if version == "v3" else (V4_AVATAR,))]
    try:
        return _matching(builtin + _cached("avatars", ctx, _avatars), incomplete)
    except Exception:
        return _matching(builtin, incomplete)


def complete_knowledge(ctx: typer.Context, incomplete: str) -> List[Choice]:
    try:
        return _matching(_cached("knowledge", ctx, _knowledge), incomplete)
    except Exception:
        return []


def remember_choices(
    app_ctx: AppContext, kind: str, entries: Sequence[Tuple[Optional[str], str]]
) -> None:
    """Keep what a list command saw, for shell completion (best effort)."""
    from akool_cli.local.cache import ListCache
    from akool_cli.local.files import state_dir

    values: List[Choice] = [(value, about) for value, about in entries if value]
    cache = ListCache(
        state_dir(app_ctx.env), cache_kind(kind, app_ctx.api_version()), note=app_ctx.note
    )
    cache.put(app_ctx.base_url(), values)
