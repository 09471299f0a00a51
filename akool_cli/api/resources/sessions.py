"""``/liveAvatar/session/*``: live avatar sessions, of the client's API version.

The two versions share the routes' names and the statuses. They differ in what create
takes (v3: the avatar alone; v4: a duration, the stream type and the session's voice,
language, mode and knowledge base) and answers (v3: ``stream_urls``; v4: ``stream_type``
and ``credentials``, whose tokens only create's answer carries), and v4 has no pause."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Optional

from akool_cli.api._constants import (
    DEFAULT_DURATION,
    DEFAULT_WAIT_TIMEOUT,
    WAIT_FIRST_DELAY,
    WAIT_MAX_DELAY,
)
from akool_cli.api._resource import Resource
from akool_cli.api.errors import SessionEndedError, SessionFailedError, UnsupportedError
from akool_cli.api.pagination import Page, walk
from akool_cli.api.types.session import Session
from akool_cli.api.types.status import ENDED, FAILED, LIVE

if TYPE_CHECKING:
    from akool_cli.api.client import Client


class Sessions(Resource):
    """``/liveAvatar/session/*``."""

    # create and pause are not marked safe to repeat: once the request may have reached
    # the server, repeating it could start a second billable session or act twice.
    # close is: closing twice is harmless (see close).
    def create(
        self,
        avatar_id: str,
        *,
        duration: Optional[int] = None,
        stream_type: Optional[str] = None,
        options: Optional[Dict[str, Any]] = None,
    ) -> Session:
        """Start a session. v4: ``duration`` seconds (charged up front, the unused part
        refunded on close; ``DEFAULT_DURATION`` if None), ``stream_type`` (``livekit``
        if None: the room a Python client can join), and ``options``, the rest of v4's
        create body as the API names it (``mode_type``, ``voice_id``, ``voice_url``,
        ``language``, ``knowledge_id``, ``background_url``, ``voice_params``). v3 takes
        the avatar alone: anything more is an UnsupportedError, and nothing is sent."""
        body: Dict[str, Any] = {"avatar_id": avatar_id}
        if self.version == "v3":
            if duration is not None or stream_type is not None or options:
                raise UnsupportedError(
                    "a v3 session takes no duration, stream type or session options",
                    api_version="v3",
                )
        else:
            body["duration"] = DEFAULT_DURATION if duration is None else duration
            body["stream_type"] = stream_type or "livekit"
            body.update({k: v for k, v in (options or {}).items() if v is not None})
        data = self._client.request("POST", "/liveAvatar/session/create", json=body)
        return Session.from_api(data.get("data"), self.version)

    def close(self, session_id: str, *, deadline: Optional[float] = None) -> None:
        """Close a session. One that is already over raises SessionEndedError (1219).

        Safe to repeat: a second close of a session answers 1219, which callers take as
        closed; so a close whose answer was lost is sent again."""
        self._client.request(
            "POST",
            "/liveAvatar/session/close",
            json={"id": session_id},
            retry=True,
            deadline=deadline,
        )

    def pause(self, session_id: str) -> None:
        """Pause its streaming until the next chat message (v3; v4 has no pause: an
        UnsupportedError, and nothing is sent)."""
        if self.version != "v3":
            raise UnsupportedError("v4 sessions cannot be paused", api_version=self.version)
        self._client.request("POST", "/liveAvatar/session/pause", json={"id": session_id})

    def detail(self, session_id: str, *, deadline: Optional[float] = None) -> Session:
        body = self._client.request(
            "GET",
            "/liveAvatar/session/detail",
            params={"id": session_id},
            retry=True,
            deadline=deadline,
        )
        return Session.from_api(body.get("data"), self.version)

    def list(
        self, *, page: int = 1, size: int = 100, status: Optional[int] = None
    ) -> Page[Session]:
        params: Dict[str, Any] = {"page": page, "size": size}
        if status is not None:
            params["status"] = status
        body = self._client.request("GET", "/liveAvatar/session/list", params=params, retry=True)
        version = self.version
        return Page.from_api(body.get("data"), lambda item: Session.from_api(item, version))

    def iter_pages(
        self,
        *,
        size: int = 100,
        status: Optional[int] = None,
        start_page: int = 1,
        concurrency: int = 1,
    ) -> Iterator[Page[Session]]:
        """Every page from ``start_page`` on, in order; after the first, ``concurrency``
        fetched at a time (each on a connection of its own)."""

        def fetch_with(client: Client) -> Callable[[int], Page[Session]]:
            return lambda number: client.sessions.list(page=number, size=size, status=status)

        return walk(
            self._client, fetch_with, size=size, start_page=start_page, concurrency=concurrency
        )

    def wait_live(
        self,
        session_id: str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_status: Optional[Callable[[Session, float], None]] = None,
        first_delay: float = WAIT_FIRST_DELAY,
        max_delay: float = WAIT_MAX_DELAY,
        clock: Callable[[], float] = time.monotonic,
        just_queueing: bool = False,
    ) -> Session:
        """Poll ``detail`` with growing pauses until the session is live (status 2).
        ``just_queueing``: the caller has just seen it queueing, so the first poll waits.

        Raises SessionEndedError if it ends (3) and SessionFailedError if it fails (4)
        first, and WaitTimeoutError when ``timeout`` seconds have passed — each poll's own
        timeout is cut to what is left, so a slow service cannot stretch the wait.
        """

        def arrived(session: Session) -> bool:
            if session.status == ENDED:
                raise SessionEndedError(
                    f"session {session_id} ended before it was live (completed, 3)"
                )
            if session.status == FAILED:
                raise SessionFailedError(f"session {session_id} failed (4)")
            return session.status == LIVE

        return self._wait_for(
            lambda deadline: self.detail(session_id, deadline=deadline),
            arrived,
            timeout=timeout,
            late=f"session {session_id} was not live after {timeout:g} s",
            on_status=on_status,
            first_delay=first_delay,
            max_delay=max_delay,
            clock=clock,
            wait_first=just_queueing,
            still=lambda session: f"it was still {session.status_word}",
        )
