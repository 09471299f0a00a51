"""The CLI against hostile HTTP servers: nothing leaks, nothing hangs, nothing balloons,
no traceback, nothing false on stdout. Each run is bounded in time and memory."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_bounded
from tests.hostile.servers import HostileHTTP

SECRET = "sk-hostile-0123456789abcdef"
MEMORY_MIB = 150  # a command's whole process; a ballooning body would blow far past it
KEY = {"AKOOL_API_KEY": SECRET, "AKOOL_MAX_RETRIES": "0"}


def _against(server, *args, timeout=30, **env):
    return run_bounded(["--base-url", server.url, *args], env={**KEY, **env}, timeout=timeout)


def _one_clean_error(result, exit_code, needle):
    assert result.exit_code == exit_code, result.stderr
    assert len(result.error_lines) == 1 and needle in result.error_lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert result.peak_mib < MEMORY_MIB


@pytest.mark.parametrize("code", [301, 302, 307, 308])
@pytest.mark.parametrize("command", [["session", "list"], ["auth", "login", "--client-id", "c"]])
def test_a_redirect_is_not_followed_and_nothing_reaches_the_other_host(code, command):
    with HostileHTTP("body {}") as elsewhere:
        with HostileHTTP(f"redirect {code} {elsewhere.url}/steal") as server:
            if command[0] == "auth":
                args = [*command, "--with-client-secret"]
                result = run_bounded(
                    ["--base-url", server.url, *args], input=SECRET.encode() + b"\n", timeout=30
                )
            else:
                result = _against(server, *command)
        assert elsewhere.seen.requests == []  # not the key, not the body with the secret
    _one_clean_error(result, 7, f"redirect (HTTP {code}) to {elsewhere.url}/steal")


@pytest.mark.parametrize("mode", ["endless", "endless-chunked", "gzip-bomb"])
def test_an_endless_or_exploding_body_is_cut_at_the_cap(mode):
    with HostileHTTP(mode) as server:
        result = _against(server, "--timeout", "20", "session", "list", timeout=40)
    _one_clean_error(result, 7, "larger than 8 MiB")


@pytest.mark.parametrize("mode", ["slow-headers", "slow-body"])
def test_a_trickle_cannot_hold_a_request_past_its_timeout(mode):
    with HostileHTTP(mode) as server:
        result = _against(server, "--timeout", "2", "session", "list", timeout=30)
    _one_clean_error(result, 7, "no answer from")
    assert result.seconds < 2 + 8  # the deadline, plus start-up on a loaded machine


@pytest.mark.parametrize(
    "body, needle",
    [
        ("[" * 5000 + "]" * 5000, "not JSON"),  # nested far past any real answer
        ('{"code": 1000, "data": {"count": NaN, "result": []}}', "not JSON"),
        ('{"code": Infinity}', "not JSON"),
    ],
    ids=["deep", "nan", "infinity"],
)
def test_json_the_api_never_sends_is_a_protocol_error(body, needle):
    with HostileHTTP(f"body {body}") as server:
        result = _against(server, "session", "list", "--json")
    _one_clean_error(result, 7, needle)
    assert result.stdout == ""


def test_a_10_mb_error_message_is_cut_to_a_line():
    message = "x" * (10 * 1024 * 1024 - 100)
    with HostileHTTP(f'body {{"code": 1205, "msg": "{message}"}}') as server:
        result = _against(server, "session", "list", timeout=40)
    assert result.exit_code == 7  # over the cap: not even read whole
    assert max(len(line) for line in result.stderr.splitlines()) < 1100


def test_a_long_error_message_is_one_short_line():
    message = "y" * 100_000
    with HostileHTTP(f'body {{"code": 1205, "msg": "{message}"}}') as server:
        result = _against(server, "session", "list")
    _one_clean_error(result, 1, "(code 1205)")
    assert len(result.error_lines[0]) < 1100


ANSI = "\\u001b]0;pwned\\u0007\\u001b[2J\\rerror: fake line\\nmore\\tcells"


def test_control_characters_from_the_server_never_reach_the_terminal_raw():
    listing = {
        "code": 1000,
        "msg": "OK",
        "data": {
            "count": 1,
            "result": [{"_id": "id" + ANSI, "status": 2, "task_id": ANSI, "stream_urls": {}}],
        },
    }
    with HostileHTTP("body " + json.dumps(listing)) as server:
        piped = _against(server, "session", "list")
        quiet = _against(server, "session", "list", "-q")
        as_json = _against(server, "session", "list", "--json")
    with HostileHTTP(f'body {{"code": 1205, "msg": "{ANSI}"}}') as server:
        failed = _against(server, "session", "list")
    for result in (piped, quiet, failed):
        assert "\x1b" not in result.stdout + result.stderr and "\r" not in result.stdout
        assert "\x07" not in result.stdout + result.stderr
    # one line of six fields: no fake lines or cells
    assert len(piped.stdout.splitlines()) == 1 and piped.stdout.count("\t") == 7
    assert quiet.exit_code == 0 and quiet.stdout == ""  # no session id: -q skips it
    assert failed.error_lines == [failed.stderr.splitlines()[0]]  # no fake "error:" line
    assert len(failed.stderr.splitlines()) <= 2
    assert json.loads(as_json.stdout)[0]["task_id"] == json.loads(json.dumps(ANSI))  # unchanged


def test_lone_surrogates_are_printed_safely_and_json_stays_valid():
    session = {"_id": "abc", "status": 2, "task_id": "\ud800x", "stream_urls": {}}
    body = json.dumps({"code": 1000, "data": session})  # the surrogate as a JSON escape
    with HostileHTTP("body " + body) as server:
        human = _against(server, "session", "detail", "abc")
        as_json = _against(server, "session", "detail", "abc", "--json")
        ascii_json = _against(
            server, "session", "detail", "abc", "--json", PYTHONIOENCODING="ascii"
        )
    assert human.exit_code == 0 and "task id" in human.stdout, human.stderr
    for result in (as_json, ascii_json):
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["task_id"] == "\ud800x"  # escaped, so valid JSON


def test_a_server_that_ignores_page_does_not_loop_forever():
    page = {
        "code": 1000,
        "data": {"count": 10**9, "result": [{"_id": f"s{i}", "status": 2} for i in range(3)]},
    }
    with HostileHTTP("body " + json.dumps(page)) as server:
        result = _against(server, "session", "list", "--all", "-q", "--concurrency", "1")
        assert len(server.seen.requests) == 2
    _one_clean_error(result, 7, "ignores 'page'")
    assert result.stdout.split() == ["s0", "s1", "s2"]  # the one real page, printed once
    with HostileHTTP("body " + json.dumps(page)) as server:  # pages fetched four at a time
        result = _against(server, "session", "list", "--all", "-q", "--concurrency", "4")
        assert len(server.seen.requests) <= 1 + 4  # the first page, then at most four
    _one_clean_error(result, 7, "the same items for page 2 as for page 1")
    assert result.stdout.split() == ["s0", "s1", "s2"]


def test_no_credential_over_plain_http_to_another_host():
    result = run_bounded(["--base-url", "http://10.255.255.1:9", "session", "list"], env=KEY)
    _one_clean_error(result, 2, "refusing to send a credential over plain http://")
    assert "--insecure" in result.stderr
    assert result.seconds < 10  # refused before any connection was tried


def test_insecure_allows_it_and_loopback_needs_nothing():
    with HostileHTTP('body {"code": 1000, "data": {"count": 0, "result": []}}') as server:
        assert _against(server, "session", "list").exit_code == 0  # loopback: fine
    result = run_bounded(
        ["--insecure", "--timeout", "1", "--base-url", "http://10.255.255.1:9", "session", "list"],
        env=KEY,
    )
    assert result.exit_code == 7  # it tried (and found nothing there)


def test_a_password_in_the_base_url_is_never_shown(private_env):
    with HostileHTTP('body {"code": 1101, "msg": "bad"}') as server:
        url = server.url.replace("http://", "http://user:hunter2pass@")
        failed = run_bounded(["--debug", "--base-url", url, "session", "list"], env=KEY)
        status = run_bounded(["--base-url", url, "auth", "status"], env=KEY)
        status_json = run_bounded(["--base-url", url, "auth", "status", "--json"], env=KEY)
        login = run_bounded(
            ["--base-url", url, "auth", "login", "--with-api-key", "--no-verify"],
            input=b"k-123456789\n",
        )
    for result in (failed, status, status_json, login):
        assert "hunter2pass" not in result.stdout + result.stderr, result.stderr
    assert "***@127.0.0.1" in status.stdout and "debug:" in failed.stderr
    refused = run_bounded(["--base-url", "http://u:hunter2pass@127.0.0.1:9", "session", "list"],
                          env=KEY)  # fmt: skip
    assert refused.exit_code == 7 and "hunter2pass" not in refused.stderr


@pytest.mark.parametrize("bad", ["key\nX-Evil: 1", "k\u00e9y-not-latin1-\u20ac", "ke\ry"])
def test_a_credential_that_cannot_be_a_header_is_refused_before_any_request(bad, private_env):
    with HostileHTTP("body {}") as server:
        from_env = run_bounded(["--base-url", server.url, "session", "list"],
                               env={"AKOOL_API_KEY": bad})  # fmt: skip
        login = run_bounded(
            ["--base-url", server.url, "auth", "login", "--with-api-key", "--no-verify"],
            input=bad.encode() + b"\n",  # a line break inside: two lines, also refused
        )
        stored = private_env / "config" / "credentials.json"
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps({"default": {"kind": "api_key", "value": bad}}))
        from_profile = run_bounded(["--base-url", server.url, "session", "list"])
        assert server.seen.requests == []
    assert from_env.exit_code == 2 and "AKOOL_API_KEY cannot be used" in from_env.stderr
    assert login.exit_code == 2, login.stderr
    assert from_profile.exit_code == 3 and "cannot be sent" in from_profile.stderr
    for result in (from_env, login, from_profile):
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url",
    ["http://a/b\u001b]0;pwned\u0007\u001b[2J", "http://a\u0000b", "http://a/\ud800", "http://a b"],
    ids=["escapes", "nul", "surrogate", "space"],
)
@pytest.mark.parametrize("how", [["--print"], ["--player", "/bin/true"]], ids=["print", "play"])
def test_a_pull_url_that_is_no_url_is_never_printed_or_played(url, how):
    data = {"_id": "abc", "status": 2, "stream_urls": {"client_pull_stream_url": url}}
    body = json.dumps({"code": 1000, "msg": "OK", "data": data})
    with HostileHTTP(f"body {body}") as server:
        result = _against(server, "session", "open", "abc", *how)
    _one_clean_error(result, 7, "not a usable URL")
    assert result.stdout == ""
