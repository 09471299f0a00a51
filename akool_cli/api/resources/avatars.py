"""``/avatar/*`` (v3) and ``/liveAvatar/avatar/*`` (v4): the avatars a session can
stream, official and uploaded. Upload (``avatar/create``) stays on its v3 route in both
versions, as the vendor has it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional

from akool_cli.api._resource import Resource
from akool_cli.api.errors import (
    AvatarFailedError,
)
from akool_cli.api.pagination import Page, walk
from akool_cli.api.types._shape import expect_list
from akool_cli.api.types.catalog import Avatar

if TYPE_CHECKING:
    from akool_cli.api.client import Client

# avatar/list ``from``: 2 Akool's official avatars, 3 the user's own. avatar/create
# ``url_from``: 1 a URL of Akool's storage, 2 one elsewhere.
AVATAR_SOURCES = {"official": 2, "mine": 3}
URL_FROM = {"akool": 1, "third-party": 2}
V4_MAX_SIZE = 100  # v4's avatar list: at most 100 a page
STREAM_AVATAR = 2  # avatar type 2: a streaming avatar, usable by live sessions once ready
AVATAR_READY, AVATAR_FAILED = 3, 4  # for avatars, 3 means "success"


class Avatars(Resource):
    """``/avatar/*``."""

    def list(self, *, source: Optional[int] = None, page: int = 1, size: int = 100) -> Page[Avatar]:
        """One page. v4 takes no ``source`` (its list is the API platform's avatars, with
        their ``from``), and at most 100 a page."""
        params: Dict[str, Any] = {"page": page, "size": size}
        path = "/avatar/list"
        if self.version == "v4":
            path = "/liveAvatar/avatar/list"
            params = {"platform": "open", "page": page, "size": min(size, V4_MAX_SIZE)}
        elif source is not None:
            params["from"] = source
        body = self._client.request("GET", path, params=params, retry=True)
        return Page.from_api(body.get("data"), Avatar.from_api)

    def iter_pages(
        self,
        *,
        source: Optional[int] = None,
        size: int = 100,
        start_page: int = 1,
        concurrency: int = 1,
    ) -> Iterator[Page[Avatar]]:
        """Every page from ``start_page`` on, in order (``concurrency`` at a time)."""

        def fetch_with(client: Client) -> Callable[[int], Page[Avatar]]:
            return lambda number: client.avatars.list(source=source, page=number, size=size)

        return walk(
            self._client, fetch_with, size=size, start_page=start_page, concurrency=concurrency
        )

    def detail(self, record_id: str, *, deadline: Optional[float] = None) -> List[Avatar]:
        """v3: by the upload's record id; the API answers an array (of one avatar). v4: by
        the avatar id; the API answers the avatar, given here as a list of one."""
        if self.version == "v4":
            body = self._client.request(
                "GET",
                "/liveAvatar/avatar/detail",
                params={"avatar_id": record_id},
                retry=True,
                deadline=deadline,
            )
            return [Avatar.from_api(body.get("data"))]
        body = self._client.request(
            "GET", "/avatar/detail", params={"id": record_id}, retry=True, deadline=deadline
        )
        data = body.get("data")
        return [Avatar.from_api(item) for item in expect_list(data, "the avatar detail")]

    def create(
        self,
        url: str,
        avatar_id: str,
        *,
        name: Optional[str] = None,
        url_from: Optional[int] = None,
    ) -> Avatar:
        """Upload a streaming avatar (type 2); usable by sessions once its status is 3."""
        body: Dict[str, Any] = {"url": url, "avatar_id": avatar_id, "type": STREAM_AVATAR}
        if name is not None:
            body["name"] = name
        if url_from is not None:
            body["url_from"] = url_from
        data = self._client.request("POST", "/avatar/create", json=body, version="v3").get("data")
        if isinstance(data, list):  # some of the vendor's examples answer an array of one
            data = data[0] if data else None
        return Avatar.from_api(data)

    def wait_ready(
        self,
        record_id: str,
        *,
        timeout: float,
        on_status: Optional[Callable[[Avatar, float], None]] = None,
    ) -> Avatar:
        """Poll ``detail`` with growing pauses until the avatar is ready (status 3).
        AvatarFailedError on status 4, WaitTimeoutError after ``timeout`` seconds."""

        def look(deadline: float) -> Optional[Avatar]:
            found = self.detail(record_id, deadline=deadline)
            return found[0] if found else None

        def arrived(avatar: Avatar) -> bool:
            if avatar.status == AVATAR_FAILED:
                raise AvatarFailedError(f"avatar {record_id} failed (4)")
            return avatar.status == AVATAR_READY

        return self._wait_for(
            look,
            arrived,
            timeout=timeout,
            late=f"avatar {record_id} was not ready after {timeout:g} s",
            on_status=on_status,
        )
