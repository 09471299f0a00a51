"""The emulator's rules, on the state alone (no sockets): statuses, close, pause, auth."""

from __future__ import annotations

import pytest

from akool_cli.emulator.control import apply_config
from akool_cli.emulator.faults import Fault
from akool_cli.emulator.session import EmuSession
from akool_cli.emulator.state import DEFAULT_API_KEY, DEFAULT_TOKEN, State


def _session(**kw) -> EmuSession:
    fields = dict(
        id="s", avatar_id="a", task_id="t", stream_name="n_1", number=1, created=100.0,
        ready_after=5.0, idle_timeout=30.0,
    )  # fmt: skip
    fields.update(kw)
    return EmuSession(**fields)


def test_queueing_then_live_until_closed():
    s = _session()
    assert [s.status(t) for t in (100.0, 104.9, 105.0, 10_000.0)] == [1, 1, 2, 2]
    s.ended = True
    assert s.status(10_000.0) == 3


def test_a_failing_session_fails_when_it_would_have_gone_live():
    s = _session(fail=True)
    assert (s.status(104.0), s.status(105.0)) == (1, 4)


def test_a_paused_session_left_silent_ends():
    s = _session(paused_at=200.0)
    assert (s.status(229.0), s.status(230.0)) == (2, 3)


def test_close_and_pause_codes():
    state = State(ready_after=0)
    sid = state.create("Kai_1080P_back").id
    assert state.pause("nope") == 1008 and state.close("nope") == 1008
    assert state.pause(sid) == 1000
    assert state.close(sid) == 1000
    assert state.close(sid) == 1219 and state.pause(sid) == 1219  # over: 1219
    assert state.get(sid).status(0) == 3  # still readable
    assert state.snapshot()["closed"] == [sid]


def test_a_chat_message_resumes_a_paused_session():
    state = State(ready_after=0)
    session = state.create("a")
    state.pause(session.id)
    assert session.paused
    state.message(session)
    assert not session.paused


def test_authorization_decides_over_the_api_key():
    state = State()
    assert state.authorize(None, None) == 1102
    assert state.authorize(None, DEFAULT_API_KEY) == 1000
    assert state.authorize(f"Bearer {DEFAULT_TOKEN}", None) == 1000
    assert state.authorize("Bearer wrong", DEFAULT_API_KEY) == 1101
    assert state.authorize(f"Bearer {DEFAULT_TOKEN}", "wrong") == 1000
    assert state.authorize(f"Basic {DEFAULT_TOKEN}", None) == 1101


def test_faults_fire_the_given_number_of_times():
    state = State()
    state.faults.append(Fault(endpoint="list", code=1005, times=2))
    assert state.take_fault("detail") is None
    assert [state.take_fault("list").code for _ in range(2)] == [1005, 1005]
    assert state.take_fault("list") is None


def test_list_pages_newest_first_with_a_status_filter():
    state = State()
    state.seed(6)  # statuses 1,2,3,4,1,2
    count, page = state.page(1, 10, 2)
    assert count == 2 and [s.fixed_status for s in page] == [2, 2]
    count, page = state.page(2, 4, None)
    assert count == 6 and len(page) == 2


@pytest.mark.parametrize(
    "raw",
    [
        {"nope": 1},
        {"answer_mode": "loud"},
        {"chat_fault": "fire"},
        [],
        {"default_duration": 0},
        {"default_duration": 3601},
        {"livekit_url": "http://x"},
    ],
)
def test_config_refuses_what_it_does_not_know(raw):
    with pytest.raises(ValueError):
        apply_config(State(), raw)


@pytest.mark.parametrize(
    "value, marks", [(False, "never"), (True, "last"), ("every", "every"), ("last", "last")]
)
def test_answer_ended_says_which_frames_carry_the_marker(value, marks):
    state = State()
    apply_config(state, {"answer_ended": value, "pause": 1.5, "pause_after": 2})
    assert (state.chat.answer_ended, state.chat.pause, state.chat.pause_after) == (marks, 1.5, 2)
    with pytest.raises(ValueError):
        apply_config(state, {"answer_ended": "sometimes"})


def test_config_applies_settings():
    state = State()
    apply_config(state, {"idle_timeout": 5, "default_duration": 30, "answer_ended": True})
    assert state.idle_timeout == 5 and state.default_duration == 30
    assert state.chat.answer_ended == "last"
    apply_config(state, {"chat_refuse_queueing": True, "livekit_url": "ws://127.0.0.1:7880"})
    assert state.chat.refuse_queueing and state.livekit_url == "ws://127.0.0.1:7880"


def test_the_stream_shape_follows_the_create_body_not_a_server_switch():
    state = State()
    with pytest.raises(ValueError):
        apply_config(state, {"stream_shape": "agora"})  # no server-wide switch any more
    assert state.create("a", stream_type="agora").stream_type == "agora"
    assert state.create("a").stream_type is None


def test_catalog_uploads_become_usable_once_ready():
    from akool_cli.emulator.catalog import Catalog

    catalog = Catalog()
    code, avatar = catalog.upload({"url": "https://x/v.mp4", "avatar_id": "Me1"}, 100.0, 10.0)
    assert code == 1000 and avatar.status(104.0) == 1 and avatar.status(106.0) == 2
    assert not catalog.usable("Me1", 105.0) and catalog.usable("Me1", 110.0)
    assert catalog.usable("Kai_1080P_back", 0.0)
    assert catalog.upload({"url": "https://x/v.mp4", "avatar_id": "Me1"}, 0, 1)[0] == 1222
    for bad in ({"url": "ftp://x", "avatar_id": "A"}, {"url": "https://x", "avatar_id": "a_b"},
                {"url": "https://x", "avatar_id": "A", "url_from": 7}):  # fmt: skip
        assert catalog.upload(bad, 0, 1)[0] == 1003


def test_sessions_cost_credit_and_need_a_usable_avatar():
    state = State(ready_after=0)
    state.catalog.credit = 15
    assert state.start_session("Nobody")[0] == 1003
    code, session = state.start_session("Kai_1080P_back")
    assert code == 1000 and session is not None and state.catalog.credit == 5
    assert state.start_session("Kai_1080P_back") == (1104, None)
