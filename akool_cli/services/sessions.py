"""The life of a session, for every command that creates one or chats: create and
remember, wait until live, find the chat room, close.

Which API version a session speaks — one rule (``version_for``): the version its local
record names (the one that created it), else the chosen one (``--api-version``,
``AKOOL_API_VERSION``, the profile's ``api_version``, else v4). ``client_for`` is the
client of that version; every call about one session goes through it.

Records are best effort: the local record (``sessions.json``) only helps; a record that
cannot be read or written is a warning and "no record", never a failure once a session
exists — a billing session must never be lost behind a broken file. A state directory
(or record) another user prepared is refused, not ignored: ``create`` checks it before
it creates anything. Remembering a new
session is bounded in time (``RECORD_SECONDS``, the file's lock included): it runs while
signals are held back, and a hung file must not hold them back for ever.

A new session's id is checked with the rule for ids a person types (``akool_cli._ids``)
before anything is done with it: an id that breaks it (a line break, ``$(…)``) is never
stored or printed as an id; the session is closed and the create is a protocol error.

Finding a chat room — one rule, in this order:

1. an explicit URL (``--url``);
2. the session's ``stream_urls``: what the API said most recently wins, and the local
   record of what ``create`` said fills the keys it left out (``detail`` never carries the
   chat URLs, so for a session this CLI created the record is what names them, and no
   ``detail`` call is needed);
3. URLs derived from the pull URL, following the vendor's pattern (with a warning).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional

from akool_cli._ids import is_session_id, shown
from akool_cli.api import DEFAULT_DURATION, FAILED, QUEUEING, backoff_delay
from akool_cli.api.errors import (
    AkoolError,
    ProtocolError,
    ServiceBusyError,
    SessionEndedError,
    TransportError,
)
from akool_cli.api.types.session import Session
from akool_cli.local.errors import UnsafePathError
from akool_cli.local.records import SessionRecords
from akool_cli.services.errors import NoChatRoomError
from akool_cli.services.recorded import RECORD_SECONDS, RecordedSessions, bounded

if TYPE_CHECKING:  # the HTTP stack loads with the client, when a command builds one
    from akool_cli.api.client import Client

Warn = Callable[[str], None]
# Closing a session a command created for itself: attempts, and the time they may take.
CLEANUP_ATTEMPTS = 4
CLEANUP_SECONDS = 15.0
CHAT_KEYS = ("client_chat_room_url", "server_chat_room_url")


@dataclass(frozen=True)
class ChatRoom:
    client_url: str
    server_url: str
    session_id: Optional[str] = None
    derived: bool = False  # guessed from the pull URL, not named by the API

    @property
    def server_id(self) -> str:
        """The frames' ``to``: ``server_8898`` from ``…/server_8898.chat``."""
        from akool_cli.chat.protocol import room_member_id

        return room_member_id(self.server_url)


def ended_error(session: Session) -> SessionEndedError:
    """``session X has ended`` for a session whose status is 3 or 4."""
    if session.status == FAILED:
        return SessionEndedError(f"session {session.id} has ended: it failed (4)")
    return SessionEndedError(f"session {session.id} has ended (completed, {session.status})")


def merged_stream_urls(
    session: Optional[Session], record: Optional[Dict[str, Any]]
) -> Dict[str, Any]:
    """The rule of rules 2: the API's latest answer wins; the record fills what it omits."""
    remembered = (record or {}).get("stream_urls")
    urls = dict(remembered) if isinstance(remembered, dict) else {}
    if session is not None:
        urls.update({k: v for k, v in session.stream_urls.items() if v not in (None, "")})
    return urls


class SessionService(RecordedSessions):
    """Sessions over the API (the client of the chosen version, or of the version a
    session's record names) and the local record of those this CLI created."""

    def __init__(
        self,
        client: Callable[[], Client],
        records: Callable[[], SessionRecords],
        *,
        base_url: str,
        warn: Warn,
        api_version: str = "v4",
    ) -> None:
        super().__init__(records, warn=warn, api_version=api_version)
        self._client = client
        self.base_url = base_url

    def client(self) -> Client:
        """The client of the chosen version."""
        return self._client().at_version(self.api_version)

    def client_for(self, session_id: str) -> Client:
        """The client of the version ``version_for`` names."""
        return self._client().at_version(self.version_for(session_id))

    def with_client(self, client: Client) -> SessionService:
        """The same service over another client (a worker's own connection)."""
        twin = SessionService(
            lambda: client,
            self._records,
            base_url=self.base_url,
            warn=self._warn,
            api_version=self.api_version,
        )
        twin._record_broken = self._record_broken
        return twin

    # -- lifecycle ----------------------------------------------------------------------

    def create(
        self,
        avatar_id: str,
        *,
        duration: Optional[int] = None,
        stream_type: Optional[str] = None,
        options: Optional[Dict[str, Any]] = None,
        record_seconds: float = RECORD_SECONDS,
    ) -> Session:
        """Create a session with the chosen version (v4: ``duration``, ``stream_type``
        and ``options`` as ``Sessions.create`` takes them) and remember what ``create``
        said (v3: its chat URLs; v4: its stream type, credentials and duration),
        spending at most ``record_seconds`` on the record. ProtocolError for an id that
        is not one; UnsafePathError, before anything is created, for a state directory
        another user prepared."""
        problem = bounded(lambda: self._records().check(), record_seconds)
        if isinstance(problem, UnsafePathError):
            raise problem
        client = self.client()
        session = client.sessions.create(
            avatar_id, duration=duration, stream_type=stream_type, options=options
        )
        if not is_session_id(session.id):
            raise self._unusable(client, session.id)
        raw_urls = session.raw.get("stream_urls")
        v4 = client.api_version == "v4"
        problem = bounded(
            lambda: self._records().remember(
                session.id,
                base_url=self.base_url,
                avatar_id=avatar_id,
                stream_urls=raw_urls if isinstance(raw_urls, dict) else {},
                api_version=client.api_version,
                stream_type=session.stream_type or (stream_type or "livekit" if v4 else None),
                credentials=session.credentials if v4 else None,
                duration=(duration or DEFAULT_DURATION) if v4 else None,
                timeout=record_seconds * 0.8,
            ),
            record_seconds,
        )
        if problem is not None:
            # The session exists and is billing: losing its record must not lose it.
            what = "room credentials" if v4 else "chat URLs"
            self._warn(f"could not remember session {session.id}'s {what}: {problem}")
        return session

    def _unusable(self, client: Client, raw_id: str) -> ProtocolError:
        """The error for a new session whose id breaks the rule, once it is closed (the id
        travels back only in a JSON body, never to a shell)."""
        try:
            client.sessions.close(raw_id, deadline=time.monotonic() + CLEANUP_SECONDS)
            outcome = "it was closed"
        except SessionEndedError:
            outcome = "it had already ended"
        except AkoolError as exc:
            outcome = f"closing it failed too ({exc}): check `akool session list`"
        return ProtocolError(
            f"the service named the new session {shown(raw_id)}, which is not a session id; "
            f"{outcome}"
        )

    def wait_live(
        self,
        session_id: str,
        timeout: float,
        on_status: Optional[Callable[[Session, float], None]] = None,
        *,
        just_queueing: bool = False,
    ) -> Session:
        return self.client_for(session_id).sessions.wait_live(
            session_id, timeout=timeout, on_status=on_status, just_queueing=just_queueing
        )

    def close(self, session_id: str, *, deadline: Optional[float] = None) -> bool:
        """Close a session: True if this closed it, False if it had already ended.
        Closing is idempotent; any other failure raises."""
        try:
            self.client_for(session_id).sessions.close(session_id, deadline=deadline)
        except SessionEndedError:
            self.ended(session_id)
            return False
        self.ended(session_id)
        return True

    def close_created(
        self,
        session_id: str,
        *,
        seconds: float = CLEANUP_SECONDS,
        attempts: int = CLEANUP_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> bool:
        """Close a session a command created for itself, trying harder than a plain close:
        a few attempts with backoff, all within ``seconds``. True if closed, False if it
        had already ended; the last error once every attempt failed."""
        deadline = time.monotonic() + seconds
        for attempt in range(attempts):
            try:
                return self.close(session_id, deadline=deadline)
            except (TransportError, ServiceBusyError):
                delay = backoff_delay(attempt)
                if attempt + 1 >= attempts or time.monotonic() + delay >= deadline:
                    raise
                sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- chat rooms -----------------------------------------------------------------------

    def live(self, session_id: str, on_queueing: Callable[[], Session]) -> Session:
        """The session as ``detail`` says, once it is live: one that is over raises
        SessionEndedError; for one still queueing, ``on_queueing`` waits until it is."""
        session = self.client_for(session_id).sessions.detail(session_id)
        if session.is_over:
            raise ended_error(session)
        if session.status == QUEUEING:
            session = on_queueing()
        return session

    def chat_room(
        self,
        session_id: Optional[str] = None,
        *,
        url: Optional[str] = None,
        session: Optional[Session] = None,
    ) -> ChatRoom:
        """The chat room, by the rule in this module's docstring; ``session`` is the API's
        latest answer about it (``create``'s or ``detail``'s). NoChatRoomError if nothing
        names one."""
        if url is not None:
            from akool_cli.chat.protocol import server_url_for

            return ChatRoom(url, server_url_for(url), session_id)  # BadRoomURL if it is not one
        assert session_id is not None
        urls = merged_stream_urls(session, self.record(session_id))
        if all(isinstance(urls.get(k), str) and urls[k] for k in CHAT_KEYS):
            return ChatRoom(urls["client_chat_room_url"], urls["server_chat_room_url"], session_id)
        pull = urls.get("client_pull_stream_url")
        if isinstance(pull, str) and pull:
            try:
                from akool_cli.chat.protocol import derive_chat_urls

                client_url, server_url = derive_chat_urls(pull)
            except ValueError:
                pass
            else:
                return ChatRoom(client_url, server_url, session_id, derived=True)
        if urls and not pull:
            raise NoChatRoomError(
                f"session {session_id} names no chat room: its stream_urls carry only "
                f"{', '.join(sorted(urls))}"
            )
        raise NoChatRoomError(f"no chat room is known for session {session_id}")

    def refusal_check(self, session_id: str, on_queueing: Callable[[], Any]) -> Callable[[], None]:
        """What to do when the chat room refuses the handshake: a session that is over
        raises SessionEndedError; for one still queueing, ``on_queueing`` runs (to wait
        until it is live)."""

        def check() -> None:
            session = self.client_for(session_id).sessions.detail(session_id)
            if session.is_over:
                raise ended_error(session)
            if session.status == QUEUEING:
                on_queueing()

        return check
