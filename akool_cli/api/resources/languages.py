"""``/language/list``: the language codes a chat can use."""

from __future__ import annotations

from typing import List

from akool_cli.api._resource import Resource
from akool_cli.api.types._shape import expect_list, expect_object
from akool_cli.api.types.catalog import Language


class Languages(Resource):
    """``/language/list``."""

    def list(self) -> List[Language]:
        data = self._client.request("GET", "/language/list", retry=True, version="v3").get("data")
        found = expect_object(data, "the language list").get("lang_list")
        return [Language.from_api(item) for item in expect_list(found, "'lang_list'")]
