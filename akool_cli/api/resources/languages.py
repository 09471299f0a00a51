"""``/language/list``: the language codes a chat can use."""

from __future__ import annotations

from typing import TYPE_CHECKING, List

from akool_cli.api.catalog_models import Language
from akool_cli.api.models import expect_list, expect_object

if TYPE_CHECKING:
    from akool_cli.api.client import Client


class Languages:
    """``/language/list``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self) -> List[Language]:
        data = self._client.request("GET", "/language/list", retry=True).get("data")
        found = expect_object(data, "the language list").get("lang_list")
        return [Language.from_api(item) for item in expect_list(found, "'lang_list'")]
