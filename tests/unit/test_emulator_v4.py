"""The emulator's v4 rules on their own (no sockets): the create body, brought credentials,
knowledge bases, one store of sessions for two versions, durations and refunds, faults by
version, and the LiveKit tokens."""

from __future__ import annotations

import pytest

from akool_cli.emulator.control import api_version, endpoint_name
from akool_cli.emulator.faults import Fault
from akool_cli.emulator.knowledge import KnowledgeStore, text_length
from akool_cli.emulator.livekit_auth import mint_token, read_token
from akool_cli.emulator.state import DEFAULT_LIVEKIT_API_KEY, DEFAULT_LIVEKIT_API_SECRET, State
from akool_cli.emulator.v4 import (
    brought_credentials,
    check_create,
    public_credentials,
    trtc_credentials,
)

TRISTAN = "dvp_Tristan_cloth2_1080P"


def _body(**fields):
    return {"avatar_id": TRISTAN, "duration": 600, **fields}


# --- the create body ------------------------------------------------------------------


def test_a_minimal_body_defaults_to_agora_and_no_duration():
    checked = check_create({"avatar_id": TRISTAN})
    assert checked is not None
    assert (checked.stream_type, checked.duration, checked.credentials) == ("agora", None, None)


def test_what_the_vendors_web_client_sends_for_unset_fields_is_accepted():
    # Its SessionOptions: every field present, empty strings and {} for what is not set.
    body = _body(
        knowledge_id="",
        voice_id="",
        voice_url="",
        language="en",
        mode_type=2,
        background_url="",
        voice_params={},
        stream_type="livekit",
    )
    checked = check_create(body)
    assert checked is not None and checked.stream_type == "livekit"
    assert checked.params == {"language": "en", "mode_type": 2, "voice_params": {}}


@pytest.mark.parametrize(
    "fields",
    [
        {"duration": 1},
        {"duration": 3600},
        {"duration": 90.5},
        {"mode_type": 1},
        {"voice_id": "onwK4e9ZLuTAKqWW03F9"},  # an Akool voice that streams
        {"voice_id": "cl0nEdV01ceMyOwn1234"},  # a clone that streams
        {"voice_id": "any-elevenlabs-id", "voice_params": {"elevenlabs_settings": {}}},
        {"voice_url": "https://example.invalid/v.mp3", "background_url": "http://x.invalid/b"},
        {
            "voice_params": {
                "speed": 0.8,
                "pron_map": {"akool": "ah cool"},
                "stt_language": "en",
                "stt_type": "openai_realtime",
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 1,
                    "prefix_padding_ms": 0,
                    "silence_duration_ms": 500,
                },
                "elevenlabs_settings": {
                    "api_key": "k",
                    "model_id": "m",
                    "stability": 0,
                    "similarity_boost": 1,
                    "style": 0.5,
                    "use_speaker_boost": False,
                },
            }
        },
        {"scene_mode": "fast_dialogue", "e2e_type": "openai", "voice_params": {"voice_id": "ash"}},
        {"stream_type": "trtc"},
    ],
)
def test_bodies_within_the_rules(fields):
    assert check_create(_body(**fields)) is not None


@pytest.mark.parametrize(
    "body",
    [
        [],
        "avatar_id",
        {},
        {"avatar_id": ""},
        {"avatar_id": "   "},
        {"avatar_id": 7},
        _body(duration=0),
        _body(duration=0.5),
        _body(duration=3601),
        _body(duration="600"),
        _body(duration=True),
        _body(duration=None),
        _body(mode_type=3),
        _body(mode_type="2"),
        _body(mode_type=True),
        _body(mode_type=1.0),
        _body(stream_type="webrtc"),
        _body(stream_type="LIVEKIT"),
        _body(stream_type=None),
        _body(knowledge_id=None),
        _body(voice_id=42),
        _body(language="xx"),
        _body(voice_url="ftp://x.invalid/v.mp3"),
        _body(background_url="not a url"),
        _body(voice_id="piTKgcLEGmPE4e6mEKli"),  # cannot stream
        _body(voice_id="nobody-knows-this"),
        _body(voice_params=[]),
        _body(voice_params={"speed": 0.79}),
        _body(voice_params={"speed": 1.21}),
        _body(voice_params={"speed": "1"}),
        _body(voice_params={"pron_map": {"a": 1}}),
        _body(voice_params={"stt_type": "whisper"}),
        _body(voice_params={"turn_detection": {"type": "client_vad"}}),
        _body(voice_params={"turn_detection": {"threshold": 1.5}}),
        _body(voice_params={"turn_detection": {"prefix_padding_ms": 1.5}}),
        _body(voice_params={"turn_detection": {"silence_duration_ms": -1}}),
        _body(voice_params={"elevenlabs_settings": {"stability": 2}}),
        _body(voice_params={"elevenlabs_settings": {"use_speaker_boost": 1}}),
        _body(voice_params={"vid": "x"}),  # a data-channel key, not a create one
        _body(scene_mode="slow_dialogue"),
        _body(e2e_type="openai"),  # only with fast_dialogue
        _body(scene_mode="fast_dialogue", voice_params={"voice_id": "Rachel"}),
        _body(scene_mode="fast_dialogue", voice_params={"speed": 1.0}),
        _body(credentials={}),
        _body(credentials="token"),
        _body(modeType=2),  # an unknown field is refused, not dropped
    ],
)
def test_bodies_outside_the_rules(body):
    assert check_create(body) is None


def test_brought_credentials_per_stream_type():
    agora = {"agora_uid": 100000, "agora_channel": "c", "agora_token": "t"}
    assert brought_credentials("agora", agora) == agora
    assert brought_credentials("agora", {**agora, "agora_uid": "100000"}) is None
    assert brought_credentials("agora", {"agora_channel": "c", "agora_token": "t"}) is None
    assert brought_credentials("livekit", agora) is None  # another stream type's keys
    livekit = {"livekit_url": "wss://lk.invalid", "livekit_token": "jwt"}
    assert brought_credentials("livekit", livekit) == livekit
    assert brought_credentials("livekit", {**livekit, "livekit_url": "https://x"}) is None


def test_trtc_credentials_take_either_spelling_and_answer_the_web_clients():
    spec = {
        "trtc_sdk_app_id": 1400000001,
        "trtc_sdk_room_id": "9",
        "trtc_sdk_user_id": "me",
        "trtc_sdk_user_sig": "sig",
    }
    client = {
        "trtc_app_id": 1400000001,
        "trtc_room_id": "9",
        "trtc_user_id": "me",
        "trtc_user_sig": "sig",
    }
    assert brought_credentials("trtc", spec) == client
    assert brought_credentials("trtc", client) == client
    both = {**spec, "trtc_app_id": 1400000001}  # one key spelled both ways
    assert brought_credentials("trtc", both) is None
    body = _body(stream_type="trtc", credentials=spec)
    checked = check_create(body)
    assert checked is not None and checked.credentials == client


def test_detail_and_list_leave_the_secrets_out():
    made = trtc_credentials(7)
    assert "trtc_user_sig" in made and "trtc_user_sig" not in public_credentials(made)
    assert public_credentials({"agora_token": "t", "livekit_token": "j", "agora_uid": 1}) == {
        "agora_uid": 1
    }


# --- knowledge bases ----------------------------------------------------------------


def test_knowledge_create_update_clear_delete():
    store = KnowledgeStore()
    code, made = store.create({"name": "Support", "prologue": "Hi", "prompt": "Be kind"}, 1000)
    assert code == 1000 and made is not None
    assert (made["prologue"], made["docs"], made["urls"]) == ("Hi", [], [])
    kid = made["_id"]
    code, updated = store.update({"id": kid, "prologue": ""}, 2000)
    assert code == 1000 and updated is not None
    assert updated["prologue"] == "" and updated["prompt"] == "Be kind"  # only what was named
    assert updated["update_time"] == 2000 and updated["create_time"] == 1000
    assert store.get(kid)["prologue"] == ""
    assert store.delete({"id": kid}) == 1000
    assert store.get(kid) is None and store.delete({"id": kid}) == 1232
    assert store.update({"id": kid, "name": "x"}, 3000) == (1232, None)


def test_knowledge_lengths_count_as_a_javascript_service_does():
    assert text_length("é" * 3) == 3 and text_length("😀") == 2
    store = KnowledgeStore()
    assert store.create({"name": "n" * 100}, 0)[0] == 1000
    assert store.create({"name": "n" * 101}, 0)[0] == 1003
    assert store.create({"name": "😀" * 51}, 0)[0] == 1003  # 51 code points, 102 units
    assert store.create({"prologue": "p" * 2000}, 0)[0] == 1000
    assert store.create({"prologue": "p" * 2001}, 0)[0] == 1003
    assert store.create({"prompt": "q" * 10_000}, 0)[0] == 1000
    assert store.create({"prompt": "q" * 10_001}, 0)[0] == 1003


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"name": 5},
        {"prologue": None},
        {"docs": {}},
        {"docs": [{"name": "a.pdf", "url": "https://x.invalid/a.pdf"}]},  # no size
        {"docs": [{"name": "a.exe", "url": "https://x.invalid/a", "size": 1}]},
        {"docs": [{"name": "a.pdf", "url": "file:///a.pdf", "size": 1}]},
        {"docs": [{"name": "a.pdf", "url": "https://x.invalid/a", "size": -1}]},
        {"docs": [{"name": "a.pdf", "url": "https://x.invalid/a", "size": 104_857_601}]},
        {"docs": [{"name": "a.pdf", "url": "https://x.invalid/a", "size": 1, "type": "pdf"}]},
        {
            "docs": [
                {"name": f"{i}.md", "url": "https://x.invalid/a", "size": 104_857_600}
                for i in range(6)
            ]
        },  # fmt: skip
        {"urls": "https://x.invalid"},
        {"urls": ["javascript:alert(1)"]},
        {"team_id": "t"},  # not a body field
    ],
)
def test_knowledge_bodies_outside_the_rules(body):
    assert KnowledgeStore().create(body, 0) == (1003, None)


def test_knowledge_names_are_unique_and_lists_are_newest_first():
    store = KnowledgeStore()
    first = store.create({"name": "Alpha docs"}, 1000)[1]
    store.create({"name": "Beta"}, 1000)  # the same millisecond: still newest first
    store.create({}, 2000)
    store.create({}, 2000)  # unnamed ones do not clash
    assert store.create({"name": "Alpha docs"}, 3000)[0] == 1233
    assert store.update({"id": first["_id"], "name": "Beta"}, 3000)[0] == 1233
    assert store.update({"id": first["_id"], "name": "Alpha docs"}, 3000)[0] == 1000
    names = [r["name"] for r in store.page(1, 10)]
    assert names == ["", "", "Beta", "Alpha docs"]
    assert [r["name"] for r in store.page(2, 3)] == ["Alpha docs"]
    assert [r["name"] for r in store.page(1, 10, name="ALPHA")] == ["Alpha docs"]
    assert store.page(1, 10, source=1) == []  # no system knowledge bases here
    item = store.page(1, 1, name="Beta")[0]
    assert "prologue" not in item and {"_id", "name", "docs", "urls"} <= set(item)


def test_knowledge_delete_takes_only_an_id():
    store = KnowledgeStore()
    kid = store.create({}, 0)[1]["_id"]
    assert store.delete({}) == 1003 and store.delete({"id": 5}) == 1003
    assert store.delete({"id": kid, "force": True}) == 1003
    assert store.delete({"id": kid}) == 1000


# --- sessions of two versions -------------------------------------------------------


def _v4(state: State, **kw):
    defaults = dict(
        avatar_id=TRISTAN,
        duration=600.0,
        stream_type="agora",
        params={},
        credentials=lambda s: {"agora_uid": 1},
    )
    defaults.update(kw)
    return state.start_v4(**defaults)


def test_each_version_sees_only_its_own_sessions():
    state = State(ready_after=0)
    v3 = state.create("Kai_1080P_back")
    code, v4 = _v4(state)
    assert code == 1000 and v4 is not None and v4.version == "v4" and v3.version == "v3"
    assert state.get(v4.id, "v3") is None and state.get(v3.id, "v4") is None
    assert state.get(v4.id, "v4") is v4 and state.get(v4.id) is v4
    assert [s.id for s in state.page(1, 10, None, "v3")[1]] == [v3.id]
    assert [s.id for s in state.page(1, 10, None, "v4")[1]] == [v4.id]
    assert state.close(v4.id, "v3") == 1008 and state.close(v3.id, "v4") == 1008
    assert state.pause(v4.id) == 1008  # v4 has no pause
    assert state.close(v4.id, "v4") == 1000 and state.close(v4.id, "v4") == 1219
    assert state.by_room(v4.room) is None  # no v3 chat room for a v4 session


def test_v4_avatars_and_v3_avatars_stay_with_their_version():
    state = State(ready_after=0)
    assert _v4(state, avatar_id="Kai_1080P_back")[0] == 1003
    assert state.start_session(TRISTAN)[0] == 1003
    code, upload = state.catalog.upload(
        {"url": "https://x.invalid/v.mp4", "avatar_id": "Mine1"}, 0.0, 0.0
    )
    assert code == 1000 and upload is not None  # an upload serves both versions
    assert _v4(state, avatar_id="Mine1")[0] == 1000
    assert state.start_session("Mine1")[0] == 1000


def test_a_v4_session_ends_at_the_end_of_its_duration():
    state = State(ready_after=0)
    session = _v4(state, duration=5.0)[1]
    t0 = session.created
    assert [session.status(t0 + t) for t in (0.0, 4.9, 5.0)] == [2, 2, 3]
    default = _v4(state, duration=None)[1]
    assert default.duration == state.default_duration == 600.0


def test_the_duration_is_charged_up_front_and_the_unused_part_refunded():
    state = State(ready_after=0)
    state.catalog.credit, state.catalog.minute_cost = 100.0, 2.0
    session = _v4(state, duration=1200.0)[1]  # 20 minutes at 2 credits
    assert state.catalog.credit == 60.0
    session.created -= 600.0  # half of it used
    assert state.close(session.id, "v4") == 1000
    assert state.catalog.credit == pytest.approx(80.0, abs=0.05)
    assert session.closed_at is not None and session.closed_at > 1_700_000_000_000
    state.catalog.credit = 1.0
    assert _v4(state, duration=60.0)[0] == 1104 and state.catalog.credit == 1.0


def test_an_unknown_knowledge_base_is_1232_and_nothing_is_kept_or_charged():
    state = State(ready_after=0)
    credit = state.catalog.credit
    assert _v4(state, params={"knowledge_id": "nope"}) == (1232, None)
    kid = state.knowledge.create({"name": "kb"}, 0)[1]["_id"]
    assert _v4(state, params={"knowledge_id": kid})[0] == 1000
    assert len(state.order) == 1 and state.catalog.credit < credit


def test_credentials_that_cannot_be_made_leave_no_session_behind():
    state = State(ready_after=0)
    credit = state.catalog.credit

    def broken(session):
        raise RuntimeError("no room")

    with pytest.raises(RuntimeError):
        _v4(state, credentials=broken)
    assert state.order == [] and state.catalog.credit == credit


def test_seeded_v4_sessions_and_the_livekit_room_index():
    state = State(ready_after=0)
    state.seed(3, status=2, version="v4")
    assert [s.version for s in state.sessions.values()] == ["v4"] * 3
    assert all("agora_token" in s.credentials for s in state.sessions.values())
    lk = _v4(state, stream_type="livekit", credentials=lambda s: {"livekit_room_name": "room-1"})[1]
    assert state.by_livekit_room("room-1") is lk
    brought = _v4(
        state,
        stream_type="livekit",
        credentials=lambda s: {"livekit_room_name": "theirs"},
        hosted=False,
    )[1]
    assert brought is not None and state.by_livekit_room("theirs") is None  # not ours to host


# --- faults and routes by version ---------------------------------------------------


def test_fault_names_and_versions_of_v4_paths():
    cases = {
        "/api/open/v4/liveAvatar/session/create": ("v4", "create"),
        "/api/open/v3/liveAvatar/session/create": ("v3", "create"),
        "/api/open/v4/liveAvatar/avatar/list": ("v4", "avatar/list"),
        "/api/open/v3/avatar/list": ("v3", "avatar/list"),
        "/api/open/v4/voice/list": ("v4", "voice/list"),
        "/api/open/v4/knowledge/delete": ("v4", "knowledge/delete"),
    }
    for path, expected in cases.items():
        assert (api_version(path), endpoint_name(path)) == expected, path
    assert api_version("/_emulator/state") is None and api_version("/api/open/v5/x") is None


def test_a_fault_hits_both_versions_unless_it_names_one():
    state = State()
    state.faults.append(Fault(endpoint="create", code=1005))
    assert state.take_fault("create", "v4") is not None
    state.faults = [Fault(endpoint="create", code=1005, version="v4", times=1)]
    assert state.take_fault("create", "v3") is None
    assert state.take_fault("create", "v4") is not None and state.faults == []
    with pytest.raises(ValueError):
        Fault.from_json({"endpoint": "create", "version": "v5"})
    assert Fault.from_json({"endpoint": "knowledge/update"}).endpoint == "knowledge/update"


# --- LiveKit tokens -----------------------------------------------------------------


def test_a_minted_livekit_token_names_the_room_and_the_identity():
    token = mint_token(DEFAULT_LIVEKIT_API_KEY, DEFAULT_LIVEKIT_API_SECRET, "r1", "client_1", 60)
    assert read_token(DEFAULT_LIVEKIT_API_KEY, DEFAULT_LIVEKIT_API_SECRET, token) == (
        "client_1",
        "r1",
    )
    with pytest.raises(ValueError):
        read_token(DEFAULT_LIVEKIT_API_KEY, "another-secret-of-enough-length-0123456789", token)
    with pytest.raises(ValueError):
        read_token("another-key", DEFAULT_LIVEKIT_API_SECRET, token)
    with pytest.raises(ValueError):
        read_token(DEFAULT_LIVEKIT_API_KEY, DEFAULT_LIVEKIT_API_SECRET, token[:-4] + "AAAA")
