"""A v4 conversation with the room of a session the emulator created: the credentials of
create's answer, the avatar arriving once the session is live, a person heard by voice,
and the session's close ending the conversation.

WebRTC, so inside a private network namespace (conftest), with the one emulator of the
run bound to the namespace's address.
"""

from __future__ import annotations

import pytest
import requests

from akool_cli.chat.errors import RoomEndedError
from akool_cli.chat.v4_transport import v4_conversation
from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.helpers import reset_emulator, wait_for

pytestmark = pytest.mark.netns

WAIT = 10.0


@pytest.fixture
def api(namespace_emulator):
    reset_emulator(namespace_emulator)
    http = requests.Session()
    http.trust_env = False  # nothing here goes through a proxy

    def post(path, body):
        answer = http.post(
            namespace_emulator.base_url + path, json=body,
            headers={"x-api-key": DEFAULT_API_KEY}, timeout=5,
        )  # fmt: skip
        return answer.json()

    yield namespace_emulator, post
    namespace_emulator.state.reset()


def test_a_sessions_room_late_avatar_a_person_heard_and_the_close(api):
    emulator, post = api
    emulator.state.ready_after = 0.5  # the avatar joins when the session goes live
    made = post(
        "/api/open/v4/liveAvatar/session/create",
        {"avatar_id": "dvp_Tristan_cloth2_1080P", "duration": 600, "stream_type": "livekit"},
    )
    assert made["code"] == 1000, made
    session, credentials = made["data"], made["data"]["credentials"]
    events = []
    conv = v4_conversation(
        credentials["livekit_url"], credentials["livekit_token"],
        credentials["livekit_server_identity"], on_event=events.append,
    )  # fmt: skip
    with conv:
        conv.connect(timeout=WAIT)  # straight after create, as the vendor's clients do
        answer = conv.ask("Hello there", timeout=WAIT)  # waits for the avatar
        assert answer.answer == "You said: Hello there" and answer.ended_by == "fin"
        assert [e.kind for e in events].index("joined") < [e.kind for e in events].index(
            "answer_end"
        )
        assert conv.set_params(lang="fr", timeout=WAIT).ok
        heard = post(f"/_emulator/sessions/{session['_id']}/hear", {"text": "Bonjour"})
        assert heard["heard"]
        wait_for(
            lambda: conv.listen(0.05) and any(e.kind == "transcript" for e in events),
            WAIT, "the transcript",
        )  # fmt: skip
        assert next(e for e in events if e.kind == "transcript").text == "Bonjour"
        assert post("/api/open/v4/liveAvatar/session/close", {"id": session["_id"]})["code"] == 1000
        wait_for(lambda: not conv.listen(0.05), WAIT, "the room to close")
        assert isinstance(conv.ended, RoomEndedError) and conv.ended.reason == "ROOM_DELETED"
        with pytest.raises(RoomEndedError):
            conv.ask("Still there?", timeout=WAIT)
