"""The emulator's v4 routes over loopback HTTP: every input check and business code, the
fault switches, one store of sessions for two versions, and JSON for unknown routes."""

from __future__ import annotations

import pytest
import requests

from akool_cli.emulator.livekit_auth import read_token
from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.helpers import wait_for

V4 = "/api/open/v4"
V3 = "/api/open/v3"
TRISTAN = "dvp_Tristan_cloth2_1080P"
KEY = {"x-api-key": DEFAULT_API_KEY}

# Every v4 route: (method, path, what it needs beyond a credential).
ROUTES = [
    ("POST", f"{V4}/liveAvatar/session/create", {"json": {"avatar_id": TRISTAN}}),
    ("GET", f"{V4}/liveAvatar/session/detail", {"params": {"id": "x"}}),
    ("POST", f"{V4}/liveAvatar/session/close", {"json": {"id": "x"}}),
    ("GET", f"{V4}/liveAvatar/session/list", {}),
    ("GET", f"{V4}/liveAvatar/avatar/list", {}),
    ("GET", f"{V4}/liveAvatar/avatar/detail", {"params": {"avatar_id": TRISTAN}}),
    ("GET", f"{V4}/voice/list", {}),
    ("GET", f"{V4}/knowledge/list", {}),
    ("GET", f"{V4}/knowledge/detail", {"params": {"id": "x"}}),
    ("POST", f"{V4}/knowledge/create", {"json": {}}),
    ("POST", f"{V4}/knowledge/update", {"json": {"id": "x"}}),
    ("DELETE", f"{V4}/knowledge/delete", {"json": {"id": "x"}}),
]


def call(emu, method: str, path: str, headers=None, **kw) -> requests.Response:
    return requests.request(
        method, emu.url + path, headers=KEY if headers is None else headers, timeout=10, **kw
    )


def answer(emu, method: str, path: str, **kw) -> dict:
    response = call(emu, method, path, **kw)
    assert response.status_code == 200, response.text
    return response.json()


def code(emu, method: str, path: str, **kw) -> int:
    return answer(emu, method, path, **kw)["code"]


def create(emu, **body) -> dict:
    body = {"avatar_id": TRISTAN, "duration": 600, **body}
    got = answer(emu, "POST", f"{V4}/liveAvatar/session/create", json=body)
    assert got["code"] == 1000, got
    return got["data"]


# --- credentials and unknown routes -------------------------------------------------


@pytest.mark.parametrize("method, path, kw", ROUTES, ids=[r[1][len(V4) :] for r in ROUTES])
def test_every_v4_route_wants_a_credential(emu, method, path, kw):
    assert code(emu, method, path, headers={}, **kw) == 1102
    assert code(emu, method, path, headers={"x-api-key": "wrong"}, **kw) == 1101
    bearer = {"Authorization": "Bearer emulator-token", "x-api-key": "wrong"}
    assert code(emu, method, path, headers=bearer, **kw) not in (1101, 1102)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", f"{V4}/liveAvatar/session/nope"),
        ("POST", f"{V4}/liveAvatar/session/pause"),  # v4 has no pause
        ("POST", f"{V4}/getToken"),  # getToken stays on v3
        ("GET", f"{V3}/knowledge/list"),  # knowledge bases are v4 only
        ("GET", f"{V3}/nope"),
        ("GET", "/nope"),
    ],
)
def test_an_unknown_route_answers_json_with_its_status(emu, method, path):
    response = call(emu, method, path)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == 404 and "code" not in body  # not a business answer


def test_a_wrong_method_answers_json_405_naming_the_allowed_one(emu):
    response = call(emu, "GET", f"{V4}/liveAvatar/session/close")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert response.json()["error"] == "Method Not Allowed"
    assert call(emu, "POST", f"{V4}/knowledge/delete", json={"id": "x"}).status_code == 405


# --- create ---------------------------------------------------------------------------


def test_create_answers_the_session_with_credentials_for_the_stream_type(emu):
    default = create(emu)
    assert set(default) == {"_id", "uid", "type", "status", "stream_type", "credentials"}
    assert default["stream_type"] == "agora" and default["status"] == 1  # the server's default
    assert set(default["credentials"]) == {
        "agora_uid",
        "agora_app_id",
        "agora_channel",
        "agora_token",
    }
    assert isinstance(default["credentials"]["agora_uid"], int)
    trtc = create(emu, stream_type="trtc")["credentials"]
    assert set(trtc) == {"trtc_app_id", "trtc_room_id", "trtc_user_id", "trtc_user_sig"}
    assert isinstance(trtc["trtc_app_id"], int) and isinstance(trtc["trtc_room_id"], str)
    livekit = create(emu, stream_type="livekit")["credentials"]
    assert set(livekit) == {
        "livekit_url",
        "livekit_token",
        "livekit_room_name",
        "livekit_client_identity",
        "livekit_server_identity",
    }


def test_a_hosted_livekit_room_is_the_emulators_with_a_signed_token(emu):
    session = create(emu, stream_type="livekit", duration=30)
    credentials = session["credentials"]
    host, port = emu.url.split("://", 1)[1].rsplit(":", 1)
    room_port = emu.emulator.room_url.rsplit(":", 1)[1]
    assert credentials["livekit_url"] == f"ws://{host}:{room_port}" == emu.emulator.livekit_url
    assert room_port != port  # the room on a port of its own
    state = emu.state
    identity, room = read_token(
        state.livekit_api_key, state.livekit_api_secret, credentials["livekit_token"]
    )
    assert identity == credentials["livekit_client_identity"]
    assert room == credentials["livekit_room_name"]
    assert identity != credentials["livekit_server_identity"]
    assert state.by_livekit_room(room).id == session["_id"]
    emu.emulator.livekit_url = "ws://127.0.0.1:7881"  # a room served elsewhere
    moved = create(emu, stream_type="livekit")["credentials"]
    assert moved["livekit_url"] == "ws://127.0.0.1:7881" == emu.emulator.livekit_url


def test_brought_credentials_come_back_in_the_answers_key_names(emu):
    mine = {"livekit_url": "wss://lk.example.invalid", "livekit_token": "their-jwt"}
    answered = create(emu, stream_type="livekit", credentials=mine)["credentials"]
    assert answered["livekit_url"] == mine["livekit_url"]
    assert answered["livekit_token"] == "their-jwt" and answered["livekit_server_identity"]
    spec = {
        "trtc_sdk_app_id": 1400000009,
        "trtc_sdk_room_id": "42",
        "trtc_sdk_user_id": "me",
        "trtc_sdk_user_sig": "sig",
    }
    answered = create(emu, stream_type="trtc", credentials=spec)["credentials"]
    assert answered == {
        "trtc_app_id": 1400000009,
        "trtc_room_id": "42",
        "trtc_user_id": "me",
        "trtc_user_sig": "sig",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"duration": 600},
        {"avatar_id": TRISTAN, "duration": 0},
        {"avatar_id": TRISTAN, "duration": 3601},
        {"avatar_id": TRISTAN, "duration": "600"},
        {"avatar_id": TRISTAN, "mode_type": 3},
        {"avatar_id": TRISTAN, "stream_type": "webrtc"},
        {"avatar_id": TRISTAN, "voice_params": {"speed": 1.3}},
        {"avatar_id": TRISTAN, "voice_params": {"turn_detection": {"threshold": -0.1}}},
        {"avatar_id": TRISTAN, "voice_params": {"unknown": 1}},
        {"avatar_id": TRISTAN, "language": "klingon"},
        {"avatar_id": TRISTAN, "voice_id": "piTKgcLEGmPE4e6mEKli"},  # cannot stream
        {"avatar_id": TRISTAN, "background_url": "file:///etc/passwd"},
        {"avatar_id": TRISTAN, "stream_type": "agora", "credentials": {"agora_uid": 1}},
        {"avatar_id": TRISTAN, "e2e_type": "openai"},
        {"avatar_id": TRISTAN, "extra": True},
        {"avatar_id": "Kai_1080P_back"},  # a v3 avatar
        {"avatar_id": "NoSuchAvatar"},
    ],
)
def test_create_refuses_what_the_vendor_does_not_document(emu, body):
    credit = emu.snapshot()["credit"]
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create", json=body) == 1003
    assert emu.snapshot()["sessions"] == [] and emu.snapshot()["credit"] == credit


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'"x"', b"null"])
def test_create_with_a_body_that_is_not_an_object_is_1003(emu, raw):
    headers = {**KEY, "Content-Type": "application/json"}
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create", headers=headers, data=raw) == 1003


def test_create_codes_for_knowledge_and_credit(emu):
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create",
                json={"avatar_id": TRISTAN, "knowledge_id": "0" * 24}) == 1232  # fmt: skip
    emu.config(credit=5, minute_cost=1)
    body = {"avatar_id": TRISTAN, "duration": 600}  # ten minutes: 10 credits
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create", json=body) == 1104
    body["duration"] = 300
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create", json=body) == 1000
    assert emu.snapshot()["credit"] == 0


# --- detail, list, close --------------------------------------------------------------


@pytest.mark.parametrize(
    "stream_type, secret",
    [("agora", "agora_token"), ("livekit", "livekit_token"), ("trtc", "trtc_user_sig")],
)
def test_detail_and_list_leave_the_tokens_out(emu, stream_type, secret):
    created = create(emu, stream_type=stream_type)
    assert secret in created["credentials"]
    detail = answer(emu, "GET", f"{V4}/liveAvatar/session/detail", params={"id": created["_id"]})
    data = detail["data"]
    assert data["status"] == 2 and data["stream_type"] == stream_type
    expected = {k: v for k, v in created["credentials"].items() if k != secret}
    assert data["credentials"] == expected
    listed = answer(emu, "GET", f"{V4}/liveAvatar/session/list")["data"]
    assert listed["count"] == 1 and listed["result"][0]["credentials"] == expected


def test_detail_checks_its_id(emu):
    path = f"{V4}/liveAvatar/session/detail"
    assert code(emu, "GET", path) == 1003
    assert code(emu, "GET", path, params={"id": ""}) == 1003
    assert code(emu, "GET", path, params={"id": "0" * 24}) == 1008


def test_v3_and_v4_sessions_share_a_store_but_not_their_routes(emu):
    v3 = emu.create()["_id"]
    v4 = create(emu)["_id"]
    state = emu.snapshot()["sessions"]
    assert {(s["_id"], s["version"]) for s in state} == {(v3, "v3"), (v4, "v4")}
    v4_list = answer(emu, "GET", f"{V4}/liveAvatar/session/list")["data"]
    v3_list = answer(emu, "GET", f"{V3}/liveAvatar/session/list")["data"]
    assert [s["_id"] for s in v4_list["result"]] == [v4] and v4_list["count"] == 1
    assert [s["_id"] for s in v3_list["result"]] == [v3] and v3_list["count"] == 1
    assert code(emu, "GET", f"{V4}/liveAvatar/session/detail", params={"id": v3}) == 1008
    assert code(emu, "GET", f"{V3}/liveAvatar/session/detail", params={"id": v4}) == 1008
    assert code(emu, "POST", f"{V4}/liveAvatar/session/close", json={"id": v3}) == 1008
    assert code(emu, "POST", f"{V3}/liveAvatar/session/close", json={"id": v4}) == 1008
    assert code(emu, "POST", f"{V3}/liveAvatar/session/pause", json={"id": v4}) == 1008


def test_list_pages_filters_and_checks_its_query(emu):
    emu.state.seed(5, version="v4")  # statuses 1, 2, 3, 4, 1
    emu.state.seed(2)  # v3 ones, not listed here
    path = f"{V4}/liveAvatar/session/list"
    data = answer(emu, "GET", path)["data"]
    assert data["count"] == 5 and len(data["result"]) == 5
    page = answer(emu, "GET", path, params={"page": 2, "size": 2})["data"]
    assert page["count"] == 5 and len(page["result"]) == 2
    queued = answer(emu, "GET", path, params={"status": 1})["data"]
    assert queued["count"] == 2 and {s["status"] for s in queued["result"]} == {1}
    for bad in ({"page": 0}, {"size": 0}, {"status": 5}, {"page": "x"}, {"size": "-1"}):
        assert code(emu, "GET", path, params=bad) == 1003, bad


@pytest.mark.parametrize("key", ["id", "session_id"])
def test_close_takes_id_or_session_id_and_answers_data(emu, key):
    sid = create(emu)["_id"]
    got = answer(emu, "POST", f"{V4}/liveAvatar/session/close", json={key: sid})
    assert got["code"] == 1000
    data = got["data"]
    assert set(data) == {"session_id", "status", "closed_at"}
    assert data["session_id"] == sid and data["status"] == "closed"
    assert isinstance(data["closed_at"], int) and data["closed_at"] > 1_700_000_000_000
    detail = answer(emu, "GET", f"{V4}/liveAvatar/session/detail", params={"id": sid})
    assert detail["data"]["status"] == 3  # still readable
    again = answer(emu, "POST", f"{V4}/liveAvatar/session/close", json={key: sid})
    assert again["code"] == 1219 and "data" not in again


@pytest.mark.parametrize(
    "body",
    [{}, {"id": ""}, {"id": 5}, {"id": "a", "session_id": "b"}, {"id": "a", "force": True}],
)
def test_close_checks_its_body(emu, body):
    assert code(emu, "POST", f"{V4}/liveAvatar/session/close", json=body) == 1003


def test_close_with_both_keys_naming_one_session_and_of_an_unknown_one(emu):
    sid = create(emu)["_id"]
    path = f"{V4}/liveAvatar/session/close"
    assert code(emu, "POST", path, json={"id": sid, "session_id": sid}) == 1000
    assert code(emu, "POST", path, json={"id": "0" * 24}) == 1008


def test_close_refunds_the_unused_part_of_the_duration(emu):
    emu.config(credit=100, minute_cost=1)
    sid = create(emu, duration=3600)["_id"]
    assert emu.snapshot()["credit"] == 40
    answer(emu, "POST", f"{V4}/liveAvatar/session/close", json={"id": sid})
    credit = answer(emu, "GET", f"{V3}/faceswap/quota/info")["data"]["credit"]
    assert 99 <= credit <= 100  # all but the seconds the session lasted


def test_a_session_ends_when_its_duration_is_over(emu):
    sid = create(emu, duration=1)["_id"]
    path = f"{V4}/liveAvatar/session/detail"

    def status():
        return answer(emu, "GET", path, params={"id": sid})["data"]["status"]

    assert status() == 2
    wait_for(lambda: status() == 3, what="the end of the duration")
    assert code(emu, "POST", f"{V4}/liveAvatar/session/close", json={"id": sid}) == 1219


def test_a_create_without_a_duration_lasts_the_emulators_default(emu):
    emu.config(default_duration=1)
    data = answer(emu, "POST", f"{V4}/liveAvatar/session/create", json={"avatar_id": TRISTAN})
    sid = data["data"]["_id"]
    assert emu.state.get(sid).duration == 1
    wait_for(lambda: emu.snapshot()["sessions"][0]["status"] == 3, what="the default duration")


def test_a_failing_session_fails_in_v4_too(emu):
    emu.config(fail_sessions=True)
    sid = create(emu)["_id"]
    detail = answer(emu, "GET", f"{V4}/liveAvatar/session/detail", params={"id": sid})
    assert detail["data"]["status"] == 4
    assert code(emu, "POST", f"{V4}/liveAvatar/session/close", json={"id": sid}) == 1219


# --- the fault switches ----------------------------------------------------------------


def test_a_fault_on_an_endpoint_both_versions_have_hits_v4(emu):
    emu.fault(endpoint="create", code=1215, times=1)
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create", json={"avatar_id": TRISTAN}) == (
        1215
    )
    assert create(emu)["_id"]  # it fired once
    emu.fault(endpoint="list", http_status=502)
    response = call(emu, "GET", f"{V4}/liveAvatar/session/list")
    assert response.status_code == 502 and "upstream error" in response.text


def test_a_fault_naming_a_version_spares_the_other(emu):
    response = requests.post(
        f"{emu.url}/_emulator/faults",
        json={"endpoint": "avatar/list", "code": 1005, "version": "v4"},
        timeout=5,
    )
    assert response.status_code == 200
    assert code(emu, "GET", f"{V4}/liveAvatar/avatar/list") == 1005
    assert code(emu, "GET", f"{V3}/avatar/list") == 1000
    bad = requests.post(
        f"{emu.url}/_emulator/faults", json={"endpoint": "create", "version": "v9"}, timeout=5
    )
    assert bad.status_code == 400 and "version" in bad.json()["error"]


@pytest.mark.parametrize("endpoint", ["knowledge/list", "knowledge/create", "voice/list"])
def test_faults_reach_the_v4_only_routes(emu, endpoint):
    emu.fault(endpoint=endpoint, reset=True)
    method = "POST" if endpoint.endswith("create") else "GET"
    with pytest.raises(requests.exceptions.RequestException):
        call(emu, method, f"{V4}/{endpoint}", json={})
    assert emu.snapshot()["requests"] == 1  # counted as an API request


def test_seeding_takes_a_version(emu):
    response = requests.post(
        f"{emu.url}/_emulator/seed", json={"count": 2, "status": 2, "version": "v4"}, timeout=5
    )
    assert response.status_code == 200
    assert {s["version"] for s in emu.snapshot()["sessions"]} == {"v4"}
    bad = requests.post(f"{emu.url}/_emulator/seed", json={"version": "v5"}, timeout=5)
    assert bad.status_code == 400


# --- avatars and voices ----------------------------------------------------------------


def test_the_v4_avatar_list_has_the_official_avatar_and_the_users_uploads(emu):
    data = answer(emu, "GET", f"{V4}/liveAvatar/avatar/list")["data"]
    assert data["count"] == 1
    tristan = data["result"][0]
    assert tristan["avatar_id"] == TRISTAN and tristan["from"] == 2 and tristan["available"]
    assert set(tristan) == {
        "_id", "uid", "type", "from", "avatar_id", "voice_id", "name", "url",
        "thumbnailUrl", "gender", "available",
    }  # fmt: skip
    voice = answer(emu, "GET", f"{V4}/voice/list", params={"type": 2, "size": 100})["data"]
    assert tristan["voice_id"] in {v["voice_id"] for v in voice["result"]}
    emu.config(ready_after=30)
    upload = {"url": "https://x.invalid/me.mp4", "avatar_id": "Mine7", "type": 2, "url_from": 1}
    assert code(emu, "POST", f"{V3}/avatar/create", json=upload) == 1000  # still v3
    mine = answer(emu, "GET", f"{V4}/liveAvatar/avatar/list")["data"]["result"][1]
    assert (mine["avatar_id"], mine["from"], mine["available"]) == ("Mine7", 3, False)
    body = {"avatar_id": "Mine7", "duration": 60}
    assert code(emu, "POST", f"{V4}/liveAvatar/session/create", json=body) == 1003  # not ready
    web = answer(emu, "GET", f"{V4}/liveAvatar/avatar/list", params={"platform": "aigc"})
    assert [a["avatar_id"] for a in web["data"]["result"]] == [TRISTAN]


def test_the_avatar_routes_check_their_query(emu):
    path = f"{V4}/liveAvatar/avatar/list"
    for bad in ({"platform": "web"}, {"size": 101}, {"size": 0}, {"page": 0}, {"page": "1.5"}):
        assert code(emu, "GET", path, params=bad) == 1003, bad
    assert answer(emu, "GET", path, params={"page": 2})["data"]["result"] == []
    detail = f"{V4}/liveAvatar/avatar/detail"
    one = answer(emu, "GET", detail, params={"avatar_id": TRISTAN})["data"]
    assert (one["name"], one["platform"]) == ("Tristan", "open")
    assert code(emu, "GET", detail) == 1003
    assert code(emu, "GET", detail, params={"avatar_id": "Kai_1080P_back"}) == 1008


def test_the_v4_voice_list_by_type_streaming_and_page(emu):
    path = f"{V4}/voice/list"
    akool = answer(emu, "GET", path)["data"]  # type 2 unless told
    assert set(akool) == {"result", "count", "page", "size"}
    assert (akool["page"], akool["size"]) == (1, 10) and akool["count"] == len(akool["result"])
    assert akool["count"] == answer(emu, "GET", path, params={"type": 2})["data"]["count"]
    streaming = answer(emu, "GET", path, params={"type": 2, "support_stream": 1})["data"]
    assert 0 < streaming["count"] < akool["count"]
    assert all(v["support_stream"] is True for v in streaming["result"])
    cannot = answer(emu, "GET", path, params={"support_stream": 0})["data"]
    assert cannot["count"] == akool["count"] - streaming["count"]
    cloned = answer(emu, "GET", path, params={"type": 1})["data"]["result"]
    assert cloned and {v["voice_id"] for v in cloned}.isdisjoint(
        {v["voice_id"] for v in akool["result"]}
    )
    first = answer(emu, "GET", path, params={"size": 2})["data"]
    second = answer(emu, "GET", path, params={"size": 2, "page": 2})["data"]
    assert len(first["result"]) == len(second["result"]) == 2
    assert first["result"][0]["voice_id"] != second["result"][0]["voice_id"]
    for bad in ({"type": 3}, {"type": 0}, {"support_stream": 2}, {"size": 101}, {"page": 0}):
        assert code(emu, "GET", path, params=bad) == 1003, bad


# --- knowledge bases -------------------------------------------------------------------


def test_knowledge_create_detail_update_list_delete(emu):
    doc = {"name": "guide.pdf", "url": "https://x.invalid/guide.pdf", "size": 2048}
    body = {"name": "Support", "prologue": "Hello!", "prompt": "Be brief.", "docs": [doc],
            "urls": ["https://x.invalid/faq"]}  # fmt: skip
    made = answer(emu, "POST", f"{V4}/knowledge/create", json=body)
    assert made["code"] == 1000
    record = made["data"]
    kid = record["_id"]
    assert {k: record[k] for k in body} == body
    assert {"team_id", "uid", "user_type", "from", "create_time", "update_time"} <= set(record)
    detail = answer(emu, "GET", f"{V4}/knowledge/detail", params={"id": kid})["data"]
    assert detail == record
    cleared = answer(emu, "POST", f"{V4}/knowledge/update", json={"id": kid, "prologue": ""})
    assert cleared["data"]["prologue"] == "" and cleared["data"]["prompt"] == "Be brief."
    listed = answer(emu, "GET", f"{V4}/knowledge/list")["data"]
    assert list(listed) == ["knowledge_list"]
    assert [k["_id"] for k in listed["knowledge_list"]] == [kid]
    session = create(emu, knowledge_id=kid)  # a session may use it
    assert emu.state.get(session["_id"]).params["knowledge_id"] == kid
    gone = answer(emu, "DELETE", f"{V4}/knowledge/delete", json={"id": kid})
    assert gone == {"code": 1000, "msg": "OK"}
    assert code(emu, "GET", f"{V4}/knowledge/detail", params={"id": kid}) == 1232
    assert answer(emu, "GET", f"{V4}/knowledge/list")["data"]["knowledge_list"] == []


def test_knowledge_codes(emu):
    kid = answer(emu, "POST", f"{V4}/knowledge/create", json={"name": "A"})["data"]["_id"]
    assert code(emu, "POST", f"{V4}/knowledge/create", json={"name": "A"}) == 1233
    assert code(emu, "POST", f"{V4}/knowledge/create", json={"name": "x" * 101}) == 1003
    assert code(emu, "POST", f"{V4}/knowledge/create", json={"prologue": "x" * 2001}) == 1003
    assert code(emu, "POST", f"{V4}/knowledge/create", json={"prompt": "x" * 10_001}) == 1003
    assert code(emu, "POST", f"{V4}/knowledge/create", json=[]) == 1003
    assert code(emu, "POST", f"{V4}/knowledge/update", json={"prologue": ""}) == 1003
    assert code(emu, "POST", f"{V4}/knowledge/update", json={"id": "0" * 24}) == 1232
    assert code(emu, "POST", f"{V4}/knowledge/update", json={"id": kid, "name": 1}) == 1003
    assert code(emu, "GET", f"{V4}/knowledge/detail") == 1003
    missing = answer(emu, "GET", f"{V4}/knowledge/detail", params={"id": "0" * 24})
    assert missing == {"code": 1232, "msg": "knowledge not found"}
    assert code(emu, "DELETE", f"{V4}/knowledge/delete", json={}) == 1003
    assert code(emu, "DELETE", f"{V4}/knowledge/delete", json={"id": "0" * 24}) == 1232


def test_the_knowledge_list_pages_filters_and_checks_its_query(emu):
    for name in ("Alpha", "Beta", "Gamma"):
        answer(emu, "POST", f"{V4}/knowledge/create", json={"name": name})
    path = f"{V4}/knowledge/list"

    def names(**params):
        return [
            k["name"] for k in answer(emu, "GET", path, params=params)["data"]["knowledge_list"]
        ]

    assert names() == ["Gamma", "Beta", "Alpha"]  # newest first
    assert names(size=2) == ["Gamma", "Beta"] and names(size=2, page=2) == ["Alpha"]
    assert names(name="alp") == ["Alpha"] and names(**{"from": 1}) == []
    for bad in ({"size": 0}, {"size": 101}, {"page": 0}, {"from": 3}, {"size": "ten"}):
        assert code(emu, "GET", path, params=bad) == 1003, bad


# --- v3 fidelity ----------------------------------------------------------------------


def test_the_v3_stream_urls_follow_the_create_bodys_stream_type(emu):
    flv = emu.create()["stream_urls"]
    assert set(flv) == {"client_pull_stream_url", "client_chat_room_url", "server_chat_room_url"}
    agora = emu.create(stream_type="agora")
    assert set(agora["stream_urls"]) == {
        "agora_app_id",
        "agora_channel",
        "agora_token",
        "client_chat_room_url",
        "server_chat_room_url",
    }
    flv_again = emu.create()["stream_urls"]  # one session's body decides nothing for the next
    assert "client_pull_stream_url" in flv_again
    detail = answer(emu, "GET", f"{V3}/liveAvatar/session/detail", params={"id": agora["_id"]})
    assert set(detail["data"]["stream_urls"]) == {"agora_app_id", "agora_channel", "agora_token"}
    for other in ("livekit", "trtc", "rtmp", None):
        body = {"avatar_id": "Kai_1080P_back", "stream_type": other}
        assert code(emu, "POST", f"{V3}/liveAvatar/session/create", json=body) == 1003, other
