"""What the README tells a user to do to reach the emulator's LiveKit room: serve it on
an address that is not loopback (``akool emulator --host ADDRESS``, or every address with
``--host 0.0.0.0``), then create a v4 session and join with the credentials it returns.
Played inside the private namespace, whose veth address stands for the machine's own."""

from __future__ import annotations

import subprocess
import time

import pytest
import requests

from akool_cli.chat.livekit_transport import LiveKitTransport
from akool_cli.emulator.state import DEFAULT_API_KEY
from tests import netns
from tests.helpers import AKOOL
from tests.livekit.talk import WAIT, answer, ask

pytestmark = pytest.mark.netns


BODY = {"avatar_id": "dvp_Tristan_cloth2_1080P", "duration": 60, "stream_type": "livekit"}


@pytest.fixture(scope="module")
def address() -> str:
    found = netns.inside()  # read before each test's private environment drops AKOOL_*
    assert found is not None, "a netns test ran outside a private namespace"
    return found


@pytest.mark.parametrize("every_address", [False, True], ids=["one address", "every address"])
def test_akool_emulator_on_an_address_that_is_not_loopback_hosts_a_joinable_room(
    address, every_address
):
    host = "0.0.0.0" if every_address else address
    emulator = subprocess.Popen(
        [AKOOL, "emulator", "--host", host, "--ready-after", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = emulator.stdout.readline().strip().replace("0.0.0.0", address)
        assert base_url.startswith(f"http://{address}:")
        http = requests.Session()
        http.trust_env = False
        created = http.post(
            f"{base_url}/api/open/v4/liveAvatar/session/create",
            json={
                "avatar_id": "dvp_Tristan_cloth2_1080P",
                "duration": 60,
                "stream_type": "livekit",
            },
            headers={"x-api-key": DEFAULT_API_KEY},
            timeout=5,
        ).json()["data"]
        credentials = created["credentials"]
        assert credentials["livekit_url"].startswith(f"ws://{address}:")
        transport = LiveKitTransport(
            credentials["livekit_url"],
            credentials["livekit_token"],
            credentials["livekit_server_identity"],
        )
        transport.connect(time.monotonic() + WAIT)
        with transport:
            assert transport.wait_participant(WAIT)
            ask(transport, "Hi", "q-1")
            assert answer(transport)[0].text == "You said: Hi"
    finally:
        emulator.terminate()
        _, err = emulator.communicate(timeout=WAIT)
    expected = "on port" if every_address else f"at ws://{address}:"
    assert f"LiveKit room of v4 sessions {expected}" in err
    assert "Traceback" not in err
