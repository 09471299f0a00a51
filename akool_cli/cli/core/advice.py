"""Advice that names what a command worked on — the session, the avatar asked for (or the
one the session streams), the known avatars like a refused one — and where the credential
in use came from. The error boundary (``boundary``) asks it for a failure's hint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Tuple

from akool_cli.api import errors as api
from akool_cli.chat.errors import ChatConnectionError, ChatProtocolError
from akool_cli.cli.core.avatar_hints import (
    builtin_version,
    known_avatars,
    look_alikes,
    other_version,
)
from akool_cli.local import DEFAULT_PROFILE
from akool_cli.local.errors import CorruptFileError, ForeignFileError
from akool_cli.services.errors import NoChatRoomError, NoLiveKitRoomError

if TYPE_CHECKING:
    from akool_cli.cli.core.context import AppContext


@dataclass(frozen=True)
class Subject:
    """What the command was working on, so that a hint can name it rather than a
    placeholder: the session, the avatar (asked for, or the one the session streams),
    and, for an avatar the API refused, the known avatars that look like it."""

    session_id: Optional[str] = None
    avatar_id: Optional[str] = None
    avatar_matches: Tuple[str, ...] = ()
    avatar_known: bool = False  # the cached list (or the built-ins) has it
    avatar_version: Optional[str] = None  # a built-in of the other version: the advice
    switch: str = ""  # "--api-version vN " when the avatar is a built-in of the other one


def subject_of(app_ctx: AppContext, exc: BaseException) -> Subject:
    """The Subject of a failure: what ``app_ctx.about`` noted, the avatar of the session's
    record, and for an avatar the API refused, the known avatars like it."""
    avatar = app_ctx.subject_avatar
    session_id = app_ctx.subject_session
    if avatar is None and session_id and isinstance(exc, api.SessionEndedError):
        try:
            record = app_ctx.sessions().record(session_id) or {}
        except Exception:  # a hint is no reason for a second failure
            record = {}
        found = record.get("avatar_id")
        avatar = found if isinstance(found, str) and found.isprintable() else None
    matches: Tuple[str, ...] = ()
    known = False
    version: Optional[str] = None
    refused = isinstance(exc, api.InvalidParameterError)
    if avatar is not None and app_ctx.avatar_sent and refused:
        version = other_version(avatar, app_ctx.api_version())
        catalogue = known_avatars(app_ctx)
        known = avatar in catalogue
        matches = tuple(look_alikes(avatar, catalogue)) if not known else ()
    elif app_ctx.avatar_sent is False and refused:
        avatar = None  # the 1003 was about something else
    switch = version_switch(avatar, app_ctx.api_version())
    return Subject(session_id, avatar, matches, known, version, switch)


def version_switch(avatar_id: Optional[str], api_version: str) -> str:
    """``--api-version vN `` when ``avatar_id`` is a built-in of the other version."""
    built_in = builtin_version(avatar_id) if avatar_id is not None else None
    return f"--api-version {built_in} " if built_in not in (None, api_version) else ""


def login_hint(profile: str) -> str:
    flag = "" if profile == DEFAULT_PROFILE else f" --profile {profile}"
    return f"run `akool{flag} auth login`, or set AKOOL_API_KEY or AKOOL_TOKEN"


def rejected_hint(profile: str, source: Optional[str]) -> str:
    """What to do about a credential the API rejected, by where it came from: logging in
    does not help when an environment variable (which wins) holds the bad one."""
    if source in ("AKOOL_TOKEN", "AKOOL_API_KEY"):
        return f"check {source}: it takes precedence over any stored login"
    if source is not None and source.startswith("AKOOL_CLIENT_ID"):
        return "check AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET"
    return f"log in again: {login_hint(profile)}"


def subject_hint(exc: BaseException, subject: Subject) -> Optional[str]:
    """Advice that names what the command worked on."""
    if isinstance(exc, api.SessionEndedError):
        if subject.avatar_id:
            # a version's built-in avatars are its alone: the new session has to be its too
            return (
                f"start a new one: akool {subject.switch}session create "
                f"--avatar-id {subject.avatar_id} --wait"
            )
        return "start a new one: akool session create --wait (avatars: akool avatar list)"
    if isinstance(exc, ChatConnectionError) and not isinstance(exc, ChatProtocolError):
        if subject.session_id:
            return f"check that the session is running: akool session detail {subject.session_id}"
        return "check that the session is running and that the chat room URL is its own"
    if isinstance(exc, api.InvalidParameterError) and subject.avatar_id:
        if subject.avatar_version:
            return subject.avatar_version
        if subject.avatar_matches:
            return f"did you mean {' or '.join(subject.avatar_matches)}? (akool avatar list)"
        if not subject.avatar_known:
            return f"is {subject.avatar_id} an avatar of this account? see akool avatar list"
    return None


# The failures whose advice depends on their own details (a path, a status, a proxy).
DETAILED = (
    ForeignFileError,
    CorruptFileError,
    NoChatRoomError,
    api.ServerError,
    api.CertificateError,
    api.ProtocolError,
)


def detail_hint(exc: BaseException) -> Optional[str]:
    """Advice from the failure's own details; None where they give none."""
    if isinstance(exc, ForeignFileError):
        return f"move {exc.path} out of the way (akool starts a new one there)"
    if isinstance(exc, CorruptFileError):
        return f"fix or delete {exc.path}" if exc.path is not None else "fix or delete the file"
    if isinstance(exc, NoLiveKitRoomError):
        return "a v3 session? add --api-version v3; a v4 one: chat from where it was created"
    if isinstance(exc, NoChatRoomError):
        return "pass --url wss://…/client_<n>.chat if you know the session's chat room"
    if isinstance(exc, api.ServerError):
        return "wait a moment and try again" if exc.status_code == 429 else "try again later"
    if isinstance(exc, api.CertificateError):
        if exc.untrusted:
            return (
                "check --base-url; a private CA goes in REQUESTS_CA_BUNDLE; a proxy that "
                "intercepts TLS or a wrong clock does this too"
            )
        return "is that port TLS? use http:// for a plain server (e.g. the emulator)"
    if isinstance(exc, api.ProtocolError):  # with a response: not what the API sends
        return "check --base-url / AKOOL_BASE_URL" if exc.response is not None else None
    return None


def proxy_hint(exc: api.InsecureTransportError) -> Optional[str]:
    """For a credential refused over plain http because of a proxy: where it came from."""
    if not exc.proxy_variable:
        return None
    return (
        f"use https://, or pass --insecure (AKOOL_INSECURE=1) to send it anyway; the "
        f"proxy comes from {exc.proxy_variable} (NO_PROXY lists hosts to reach directly)"
    )
