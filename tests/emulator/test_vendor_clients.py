"""The emulator driven with the requests the vendor's own clients and documentation send,
over real HTTP. Written here from their shapes (the v4 web client's API service and its
session hook, the docs' samples for sessions, close and knowledge bases): the same
methods, headers, bodies and the same checks on the answers, so that what the vendor's
clients accept from the real service they accept from the emulator too."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest
import requests

from akool_cli.emulator.state import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

TRISTAN = "dvp_Tristan_cloth2_1080P"

# What the web client's session hook reads from ``credentials`` for each provider.
PROVIDER_KEYS = {
    "agora": ("agora_app_id", "agora_channel", "agora_token", "agora_uid"),
    "livekit": (
        "livekit_url",
        "livekit_token",
        "livekit_room_name",
        "livekit_client_identity",
        "livekit_server_identity",
    ),
    "trtc": ("trtc_app_id", "trtc_user_id", "trtc_user_sig", "trtc_room_id"),
}


class ApiRefused(Exception):
    pass


class WebClient:
    """The vendor's web client's way with the API: a Bearer token on every call, a JSON
    body only when there is one, and an answer it takes only if it is a JSON object with
    a numeric ``code``, a string ``msg``, code 1000, and a ``data`` key."""

    def __init__(self, host: str, token: str) -> None:
        self.host, self.token = host, token

    def fetch(self, endpoint: str, method: str, body: Optional[dict] = None) -> Any:
        response = requests.request(
            method,
            self.host + endpoint,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            data=json.dumps(body) if body is not None else None,
            timeout=10,
        )
        answer = json.loads(response.text)  # not JSON: the client fails here
        if not isinstance(answer, dict):
            raise ApiRefused("not an object")
        if not isinstance(answer.get("code"), int) or not isinstance(answer.get("msg"), str):
            raise ApiRefused("missing or invalid code or msg")
        if answer["code"] != 1000:
            raise ApiRefused(answer["msg"])
        if "data" not in answer:
            raise ApiRefused("missing data")
        return answer["data"]

    # the calls it makes, in its shapes
    def create_session(self, options: Dict[str, Any]) -> Dict[str, Any]:
        return self.fetch("/api/open/v4/liveAvatar/session/create", "POST", options)

    def close_session(self, session_id: str) -> Any:
        return self.fetch("/api/open/v4/liveAvatar/session/close", "POST", {"id": session_id})

    def languages(self) -> List[dict]:
        return self.fetch("/api/open/v3/language/list", "GET").get("lang_list") or []

    def knowledge_bases(self) -> List[dict]:
        return self.fetch("/api/open/v4/knowledge/list", "GET").get("knowledge_list") or []

    def voices(self, kind: int = 2) -> List[dict]:
        path = f"/api/open/v4/voice/list?support_stream=1&type={kind}"
        return self.fetch(path, "GET").get("result") or []

    def avatars(self) -> List[dict]:
        path = "/api/open/v4/liveAvatar/avatar/list?page=1&size=100"
        return self.fetch(path, "GET").get("result") or []


def get_token(host: str) -> str:
    """The docs' way to a token: client id and secret for a top-level ``token``."""
    response = requests.post(
        host + "/api/open/v3/getToken",
        json={"clientId": DEFAULT_CLIENT_ID, "clientSecret": DEFAULT_CLIENT_SECRET},
        timeout=10,
    )
    answer = response.json()
    assert answer["code"] == 1000 and isinstance(answer["token"], str)
    return answer["token"]


@pytest.fixture
def web(emu) -> WebClient:
    return WebClient(emu.url, get_token(emu.url))


def _session_options(web: WebClient, provider: str, knowledge_id: str = "") -> Dict[str, Any]:
    """The body the session hook builds from its form: every field, empty ones as ""."""
    minutes = 10
    return {
        "avatar_id": web.avatars()[0]["avatar_id"],
        "duration": minutes * 60,
        "knowledge_id": knowledge_id,
        "voice_id": web.voices(2)[0]["voice_id"],
        "voice_url": "",
        "language": web.languages()[0]["lang_code"],
        "mode_type": 2,
        "background_url": "",
        "voice_params": {},
        "stream_type": provider,
    }


def test_the_web_clients_start_up_lists(web):
    avatars = web.avatars()
    assert [a["avatar_id"] for a in avatars] == [TRISTAN]
    assert {
        "name",
        "type",
        "from",
        "gender",
        "url",
        "voice_id",
        "thumbnailUrl",
        "available",
    } <= set(avatars[0])
    for kind in (1, 2):  # clones and Akool's voices, only those that can stream
        voices = web.voices(kind)
        assert voices and all(v["support_stream"] is True for v in voices)
        assert {"voice_id", "name", "gender", "preview", "language", "locale"} <= set(voices[0])
    assert web.knowledge_bases() == []  # read as data.knowledge_list
    english = web.languages()[0]
    assert (english["lang_code"], english["lang_name"]) == ("en", "English")


@pytest.mark.parametrize("provider", ["agora", "livekit", "trtc"])
def test_the_web_client_creates_joins_and_closes_a_session(emu, web, provider):
    session = web.create_session(_session_options(web, provider))
    assert isinstance(session["_id"], str) and isinstance(session["uid"], int)
    assert session["stream_type"] == provider and isinstance(session["status"], int)
    credentials = session["credentials"]
    joined_with = {key: credentials.get(key) for key in PROVIDER_KEYS[provider]}
    assert all(value not in (None, "") for value in joined_with.values()), joined_with
    if provider == "livekit":  # its check before it connects a LiveKit room
        assert credentials["livekit_url"].startswith("ws://")
        assert credentials["livekit_token"].count(".") == 2  # a JWT
    closed = web.close_session(session["_id"])  # it needs `data` in close's answer too
    assert closed["session_id"] == session["_id"] and closed["status"] == "closed"
    assert emu.snapshot()["sessions"][0]["status"] == 3


def test_the_web_client_with_a_knowledge_base_picked_from_its_list(emu, web):
    made = requests.post(
        emu.url + "/api/open/v4/knowledge/create",
        json={"name": "Product FAQ", "prompt": "Answer from the FAQ."},
        headers={"x-api-key": DEFAULT_API_KEY},
        timeout=10,
    ).json()
    assert made["code"] == 1000
    listed = web.knowledge_bases()
    assert [(k["_id"], k["name"]) for k in listed] == [(made["data"]["_id"], "Product FAQ")]
    session = web.create_session(_session_options(web, "livekit", knowledge_id=listed[0]["_id"]))
    assert emu.state.get(session["_id"]).params["knowledge_id"] == listed[0]["_id"]
    web.close_session(session["_id"])


def test_a_refusal_reaches_the_web_client_as_its_message(web):
    options = {"avatar_id": TRISTAN, "duration": 4000, "stream_type": "agora"}
    with pytest.raises(ApiRefused, match="Parameter error"):
        web.create_session(options)


# --- the docs' samples ----------------------------------------------------------------


def test_the_implementation_guides_browser_sample(emu):
    # An API key header, the official avatar and a duration; no stream type (agora).
    response = requests.post(
        emu.url + "/api/open/v4/liveAvatar/session/create",
        headers={"x-api-key": DEFAULT_API_KEY, "Content-Type": "application/json"},
        data=json.dumps({"avatar_id": TRISTAN, "duration": 600}),
        timeout=10,
    )
    assert response.ok
    session = response.json()["data"]
    credentials = session["credentials"]
    for key in ("agora_app_id", "agora_channel", "agora_token", "agora_uid"):
        assert credentials[key] not in (None, "")


def test_the_close_pages_sample_sends_session_id(emu):
    sid = emu.create_v4()["_id"]
    token = get_token(emu.url)
    response = requests.post(
        emu.url + "/api/open/v4/liveAvatar/session/close",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        data=json.dumps({"session_id": sid}),
        timeout=10,
    )
    answer = response.json()
    assert answer["code"] == 1000 and isinstance(answer["msg"], str)
    assert set(answer["data"]) == {"session_id", "status", "closed_at"}
    assert answer["data"]["session_id"] == sid and answer["data"]["status"] == "closed"


def test_the_session_list_as_the_spec_describes_it(emu, web):
    first = web.create_session(_session_options(web, "agora"))
    second = web.create_session(_session_options(web, "livekit"))
    listed = web.fetch("/api/open/v4/liveAvatar/session/list?page=1&size=100&status=2", "GET")
    assert listed["count"] == 2
    assert [s["_id"] for s in listed["result"]] == [second["_id"], first["_id"]]
    assert {"_id", "uid", "type", "status", "stream_type", "credentials"} <= set(
        listed["result"][0]
    )
    assert "livekit_token" not in listed["result"][0]["credentials"]


def test_the_knowledge_pages_workflow(emu):
    key = {"x-api-key": DEFAULT_API_KEY}
    base = emu.url + "/api/open/v4/knowledge"
    body = {
        "name": "Customer help",
        "prologue": "Hi, how can I help?",
        "prompt": "Use the documents to answer.",
        "docs": [{"name": "manual.pdf", "url": "https://files.invalid/manual.pdf", "size": 1024}],
        "urls": ["https://files.invalid/help", "https://files.invalid/faq"],
    }
    made = requests.post(f"{base}/create", json=body, headers=key, timeout=10).json()
    assert made["code"] == 1000
    kid = made["data"]["_id"]
    page = requests.get(f"{base}/list?page=1&size=10", headers=key, timeout=10).json()
    assert [k["_id"] for k in page["data"]["knowledge_list"]] == [kid]
    detail = requests.get(f"{base}/detail?id={kid}", headers=key, timeout=10).json()["data"]
    assert {
        "_id",
        "name",
        "prologue",
        "prompt",
        "docs",
        "urls",
        "create_time",
        "update_time",
    } <= set(detail)
    update = {"id": kid, "name": "Customer help 2", "prologue": "", "urls": []}
    updated = requests.post(f"{base}/update", json=update, headers=key, timeout=10).json()
    assert updated["code"] == 1000 and updated["data"]["prologue"] == ""
    # The workflow's second step: a session with the knowledge base and nothing else.
    session = requests.post(
        emu.url + "/api/open/v4/liveAvatar/session/create",
        json={"avatar_id": TRISTAN, "knowledge_id": kid},
        headers=key,
        timeout=10,
    ).json()
    assert session["code"] == 1000
    deleted = requests.delete(f"{base}/delete", json={"id": kid}, headers=key, timeout=10).json()
    assert deleted == {"code": 1000, "msg": "OK"}
