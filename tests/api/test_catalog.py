"""The catalog resources of the library against the emulator: avatars, voices, languages,
credit — and the answer shapes the vendor's pages allow."""

from __future__ import annotations

import json

import pytest

from akool_cli.api import errors
from akool_cli.api.auth import Credential
from akool_cli.api.client import Client
from akool_cli.emulator.state import DEFAULT_API_KEY


def _client(emu, **kw) -> Client:
    kw.setdefault("max_retries", 0)
    kw.setdefault("api_version", "v3")
    return Client(base_url=emu.url, credential=Credential("api_key", DEFAULT_API_KEY), **kw)


def test_avatars_voices_languages_credit(emu):
    client = _client(emu)
    page = client.avatars.list(source=2)
    assert page.count == 4 and page.parsed[0].avatar_id == "Kai_1080P_back"
    assert page.parsed[0].status == 3 and page.parsed[0].source == 2
    voices = client.voices.list(source=3)
    assert voices[0].voice_id == "21m00Tcm4TlvDq8ikWAM" and voices[0].preview.endswith(".mp3")
    languages = client.languages.list()
    assert (languages[0].code, languages[0].name) == ("en", "English")
    assert client.credit.info()["credit"] == 10_000


def test_upload_and_wait_until_ready(emu):
    emu.config(ready_after=0.3)
    client = _client(emu)
    avatar = client.avatars.create("https://x/me.mp4", "Me1", name="Me", url_from=1)
    assert avatar.status == 1 and avatar.record_id
    seen = []
    ready = client.avatars.wait_ready(
        avatar.record_id, timeout=10, on_status=lambda a, t: seen.append(a.status)
    )
    assert ready.status == 3 and seen[-1] == 3 and seen[0] in (1, 2)
    [detail] = client.avatars.detail(avatar.record_id)
    assert detail.avatar_id == "Me1"


def test_an_avatar_list_may_come_as_a_bare_array(emu):
    body = json.dumps({"code": 1000, "data": [{"avatar_id": "A1", "_id": "r1", "status": 3}]})
    emu.fault(endpoint="avatar/list", http_status=200, body=body, content_type="application/json")
    page = _client(emu).avatars.list()
    assert page.count == 1 and page.parsed[0].avatar_id == "A1"


@pytest.mark.parametrize(
    "endpoint, call, body",
    [
        ("voice/list", lambda c: c.voices.list(), {"code": 1000, "data": "nope"}),
        ("language/list", lambda c: c.languages.list(), {"code": 1000, "data": {"lang_list": 3}}),
        ("faceswap/quota/info", lambda c: c.credit.info(), {"code": 1000, "data": {"credit": "x"}}),
        ("avatar/detail", lambda c: c.avatars.detail("r"), {"code": 1000, "data": {"a": 1}}),
    ],
)
def test_wrong_shapes_are_protocol_errors(emu, endpoint, call, body):
    emu.fault(
        endpoint=endpoint, http_status=200, body=json.dumps(body), content_type="application/json"
    )
    with pytest.raises(errors.ProtocolError):
        call(_client(emu))


def test_a_failed_upload(emu):
    emu.config(ready_after=0.1, fail_avatars=True)
    client = _client(emu)
    avatar = client.avatars.create("https://x/f.mp4", "Fails1")
    with pytest.raises(errors.AvatarFailedError):
        client.avatars.wait_ready(avatar.record_id, timeout=10)
