"""The HTTP layer against the emulator over loopback: envelope, errors, retries."""

from __future__ import annotations

import socket

import pytest

from akool_cli.api import errors
from akool_cli.api.auth import ClientCredentials, Credential
from akool_cli.api.client import USER_AGENT, Client
from akool_cli.cli.core.boundary import exit_code_for
from akool_cli.emulator.state import DEFAULT_API_KEY, DEFAULT_TOKEN

KEY = Credential("api_key", DEFAULT_API_KEY)


def make_client(emu, credential=KEY, **kw) -> Client:
    kw.setdefault("max_retries", 0)
    kw.setdefault("api_version", "v3")
    kw.setdefault("timeout", 5)
    return Client(base_url=emu.url, credential=credential, **kw)


def test_create_detail_list_close_round_trip(emu):
    client = make_client(emu)
    created = client.sessions.create("Kai_1080P_back")
    assert created.status == 1
    assert created.stream_urls.client_chat_room_url.startswith("ws://")
    assert created.stream_urls.server_chat_room_url.endswith(".chat")

    detail = client.sessions.detail(created.id)
    assert detail.status == 2 and detail.is_live  # ready_after is 0 in tests
    assert detail.stream_urls.client_chat_room_url is None  # the page's quirk
    assert detail.stream_urls.client_pull_stream_url == created.stream_urls.client_pull_stream_url

    page = client.sessions.list(page=1, size=10)
    assert page.count == 1 and [s.id for s in page.parsed] == [created.id]

    client.sessions.pause(created.id)
    client.sessions.close(created.id)
    assert emu.snapshot()["closed"] == [created.id]
    ended = client.sessions.detail(created.id)  # an ended session stays readable
    assert ended.status == 3 and ended.is_over and ended.status_label == "ended (completed, 3)"
    with pytest.raises(errors.SessionEndedError) as info:
        client.sessions.close(created.id)
    assert info.value.code == 1219 and exit_code_for(info.value) == 8
    with pytest.raises(errors.NotFoundError) as info:
        client.sessions.detail("0123456789abcdef01234567")
    assert info.value.code == 1008
    assert str(info.value) == "content not exist (code 1008)"


def test_bearer_token_is_accepted(emu):
    client = make_client(emu, credential=Credential("token", DEFAULT_TOKEN))
    assert client.sessions.list().count == 0


def test_get_token_exchanges_client_credentials(emu):
    client = make_client(emu, credential=None)
    assert client.get_token("emulator-client", "emulator-secret") == DEFAULT_TOKEN
    with pytest.raises(errors.AuthenticationError):
        client.get_token("emulator-client", "wrong")


@pytest.mark.parametrize(
    "code, cls, exit_code",
    [
        (1003, errors.InvalidParameterError, 6),
        (1008, errors.NotFoundError, 4),
        (1009, errors.PermissionDeniedError, 5),
        (1200, errors.PermissionDeniedError, 5),
        (1010, errors.PermissionDeniedError, 5),
        (1101, errors.AuthenticationError, 3),
        (1102, errors.AuthenticationError, 3),
        (1109, errors.AuthenticationError, 3),
        (1004, errors.AuthenticationError, 3),
        (1014, errors.NotFoundError, 4),
        (1216, errors.NotFoundError, 4),
        (1006, errors.PaymentRequiredError, 10),
        (1103, errors.PaymentRequiredError, 10),
        (1104, errors.PaymentRequiredError, 10),
        (1213, errors.PaymentRequiredError, 10),
        (1221, errors.PaymentRequiredError, 10),
        (1219, errors.SessionEndedError, 8),
        (1005, errors.ServiceBusyError, 7),
        (1215, errors.ServiceBusyError, 7),
        (1201, errors.APIError, 1),
        (1211, errors.APIError, 1),
        (1214, errors.APIError, 1),
        (2001, errors.APIError, 1),
    ],
)
def test_business_codes_map_to_error_classes(emu, code, cls, exit_code):
    emu.fault(endpoint="list", code=code)
    with pytest.raises(cls) as info:
        make_client(emu).sessions.list()
    assert type(info.value) is cls
    assert info.value.code == code and exit_code_for(info.value) == exit_code
    assert info.value.response.status_code == 200  # business errors come with HTTP 200


def test_errors_carry_the_response_without_the_secret(emu):
    emu.fault(endpoint="list", code=1009)
    with pytest.raises(errors.PermissionDeniedError) as info:
        make_client(emu).sessions.list()
    sent = info.value.response.request.headers
    assert sent["x-api-key"] == "***"
    assert DEFAULT_API_KEY not in repr(info.value) + str(info.value) + str(dict(sent))


def test_wrong_and_missing_credentials(emu):
    with pytest.raises(errors.AuthenticationError) as info:
        make_client(emu, credential=Credential("api_key", "nope")).sessions.list()
    assert info.value.code == 1101
    with pytest.raises(errors.NoCredentialError):
        make_client(emu, credential=None).sessions.list()
    assert emu.snapshot()["requests"] == 1  # no credential: nothing was sent


def test_html_5xx_is_a_server_error_and_is_retried_for_reads(emu):
    emu.fault(endpoint="list", http_status=502, times=2)
    slept = []
    client = make_client(emu, max_retries=2, sleep=slept.append)
    assert client.sessions.list().count == 0
    assert len(slept) == 2 and emu.snapshot()["requests"] == 3


def test_create_is_never_retried(emu):
    emu.fault(endpoint="create", http_status=503, times=1)
    client = make_client(emu, max_retries=3, sleep=lambda s: None)
    with pytest.raises(errors.ServerError) as info:
        client.sessions.create("Kai_1080P_back")
    assert exit_code_for(info.value) == 7
    assert emu.snapshot()["requests"] == 1
    assert emu.snapshot()["sessions"] == []


@pytest.mark.parametrize("code", [1005, 1215])
def test_refused_calls_are_retried_on_every_endpoint_create_included(emu, code):
    emu.fault(endpoint="create", code=code, times=2)
    slept = []
    client = make_client(emu, max_retries=2, sleep=slept.append)
    session = client.sessions.create("Kai_1080P_back")
    assert [s["_id"] for s in emu.snapshot()["sessions"]] == [session.id]  # exactly one
    assert len(slept) == 2 and all(0 <= d <= 8 for d in slept)


@pytest.mark.parametrize("code", [1005, 1215])
def test_refusals_past_the_retry_budget_are_exit_7(emu, code):
    emu.fault(endpoint="close", code=code)
    client = make_client(emu, max_retries=3, sleep=lambda s: None)
    with pytest.raises(errors.ServiceBusyError) as info:
        client.sessions.close(emu.create()["_id"])
    assert info.value.code == code and exit_code_for(info.value) == 7
    assert emu.snapshot()["requests"] == 1 + 4  # the create above, then 1 + 3 retries


def test_429_honours_retry_after(emu):
    emu.fault(endpoint="detail", http_status=429, body="slow down", times=1)
    sid = emu.create()["_id"]
    slept = []
    client = make_client(emu, max_retries=1, sleep=slept.append)
    assert client.sessions.detail(sid).id == sid
    assert len(slept) == 1


@pytest.mark.parametrize(
    "fault, cls",
    [
        ({"http_status": 200, "body": "<html>hi</html>"}, errors.ProtocolError),
        ({"not_envelope": True}, errors.ProtocolError),
        ({"truncate": True}, errors.ProtocolError),
        ({"reset": True}, errors.APIConnectionError),
        ({"http_status": 404, "body": "not here"}, errors.ProtocolError),
    ],
)
def test_broken_bodies_are_transport_errors(emu, fault, cls):
    emu.fault(endpoint="list", **fault)
    with pytest.raises(cls) as info:
        make_client(emu).sessions.list()
    assert exit_code_for(info.value) == 7
    assert "\n" not in str(info.value)


def test_slow_answer_times_out(emu):
    emu.fault(endpoint="list", delay=2)
    with pytest.raises(errors.APITimeoutError) as info:
        make_client(emu, timeout=0.3).sessions.list()
    assert exit_code_for(info.value) == 7
    assert "0.3 s" in str(info.value)


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = Client(base_url=f"http://127.0.0.1:{port}", credential=KEY, max_retries=0)
    with pytest.raises(errors.APIConnectionError) as info:
        client.sessions.list()
    assert "connection refused" in str(info.value).lower()
    assert exit_code_for(info.value) == 7


def test_debug_lines_redact_and_user_agent(emu):
    lines = []
    secret_in_url = Credential("api_key", DEFAULT_API_KEY)
    client = make_client(emu, credential=secret_in_url, debug=lines.append)
    client.sessions.list()
    assert len(lines) == 1 and "GET" in lines[0] and "code 1000" in lines[0]
    assert DEFAULT_API_KEY not in lines[0]
    assert USER_AGENT.startswith("akool-cli/")


def test_one_connection_for_many_calls(emu):
    client = make_client(emu)
    sid = client.sessions.create("Kai_1080P_back").id
    for _ in range(5):
        client.sessions.detail(sid)
        client.sessions.list()
    assert emu.snapshot()["requests"] == 11
    assert emu.snapshot()["connections"] == 1


def test_iter_pages_walks_until_count(emu):
    emu.state.seed(25, status=3)
    pages = list(make_client(emu).sessions.iter_pages(size=10))
    assert [len(p.parsed) for p in pages] == [10, 10, 5]
    ids = [s.id for p in pages for s in p.parsed]
    assert len(set(ids)) == 25


def test_wait_live_polls_until_live(emu):
    emu.config(ready_after=0.4)
    client = make_client(emu)
    sid = client.sessions.create("Kai_1080P_back").id
    seen = []
    session = client.sessions.wait_live(
        sid, timeout=10, on_status=lambda s, t: seen.append(s.status), first_delay=0.05
    )
    assert session.status == 2
    assert seen[0] == 1 and seen[-1] == 2


def test_wait_live_fails_ends_and_times_out(emu):
    emu.config(fail_sessions=True)
    client = make_client(emu)
    sid = client.sessions.create("Kai_1080P_back").id
    with pytest.raises(errors.SessionFailedError) as info:
        client.sessions.wait_live(sid, timeout=5, first_delay=0.01)
    assert exit_code_for(info.value) == 8 and "failed (4)" in str(info.value)
    emu.config(fail_sessions=False, ready_after=60)
    sid = client.sessions.create("Kai_1080P_back").id
    with pytest.raises(errors.WaitTimeoutError) as info:
        client.sessions.wait_live(sid, timeout=0.2, first_delay=0.05)
    assert exit_code_for(info.value) == 9
    client.sessions.close(sid)  # ends before it was ever live
    with pytest.raises(errors.SessionEndedError) as info:
        client.sessions.wait_live(sid, timeout=5, first_delay=0.01)
    assert exit_code_for(info.value) == 8 and "ended before it was live (completed, 3)" in str(
        info.value
    )


def test_authorization_decides_when_both_headers_come(emu):
    import requests

    url = f"{emu.url}/api/open/v3/liveAvatar/session/list"
    both = {"x-api-key": DEFAULT_API_KEY, "Authorization": "Bearer wrong"}
    assert requests.get(url, headers=both, timeout=5).json()["code"] == 1101
    both["Authorization"] = f"Bearer {DEFAULT_TOKEN}"
    both["x-api-key"] = "wrong"
    assert requests.get(url, headers=both, timeout=5).json()["code"] == 1000


class MemoryCache:
    def __init__(self) -> None:
        self.tokens = {}

    def get(self, base_url, client_id, secret):
        return self.tokens.get((base_url, client_id))

    def put(self, base_url, client_id, secret, token):
        self.tokens[(base_url, client_id)] = token

    def drop(self, base_url, client_id):
        self.tokens.pop((base_url, client_id), None)


def test_client_credentials_are_exchanged_once_and_cached(emu):
    cache = MemoryCache()
    creds = ClientCredentials("emulator-client", "emulator-secret", cache=cache)
    client = make_client(emu, credential=creds)
    client.sessions.list()
    client.sessions.list()
    assert cache.tokens == {(emu.url, "emulator-client"): DEFAULT_TOKEN}
    assert emu.snapshot()["requests"] == 3  # one exchange, two lists
    make_client(emu, credential=creds).sessions.list()  # a new process: from the cache
    assert emu.snapshot()["requests"] == 4


def test_a_rejected_cached_token_is_exchanged_again_once(emu):
    cache = MemoryCache()
    cache.put(emu.url, "emulator-client", "emulator-secret", "stale-token")
    creds = ClientCredentials("emulator-client", "emulator-secret", cache=cache)
    assert make_client(emu, credential=creds).sessions.list().count == 0
    assert cache.get(emu.url, "emulator-client", "emulator-secret") == DEFAULT_TOKEN
    assert emu.snapshot()["requests"] == 3  # rejected list, exchange, list
    emu.fault(endpoint="list", code=1101)  # rejected again after the new exchange: give up
    with pytest.raises(errors.AuthenticationError):
        make_client(emu, credential=creds).sessions.list()


def test_wait_live_after_seeing_it_queueing_waits_first_and_polls_about_once_a_second(emu):
    """The schedule, not its timing: the pauses a wait takes, from the client's sleep."""
    emu.config(ready_after=60)
    pauses = []
    events = []
    client = Client(
        base_url=emu.url,
        credential=Credential("api_key", "emulator-key"),
        sleep=lambda seconds: (pauses.append(seconds), events.append("sleep")),
        debug=lambda line: events.append("request") if "liveAvatar" in line else None,
        api_version="v3",
    )
    sid = client.sessions.create("Kai_1080P_back").id
    events.clear()
    with pytest.raises(errors.WaitTimeoutError):
        client.sessions.wait_live(sid, timeout=8, just_queueing=True, clock=_fake_clock(pauses))
    assert events[0] == "sleep"  # it was queueing a moment ago: no request at once
    assert pauses[:3] == [0.5, 0.75, 0.9] and max(pauses) == 0.9  # noticed within a second
    polls = events.count("request")
    assert polls >= 8  # it did poll, all along
    assert polls / sum(pauses) <= 1.5  # on average no more than 1.5 requests a second


def _fake_clock(pauses):
    """A clock that moves only by the pauses taken (requests take no time)."""
    return lambda: sum(pauses)
