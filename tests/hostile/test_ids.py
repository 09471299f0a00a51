"""Ids from a server (or from a file anyone could write) never become shell syntax: they
are checked with the rule for ids a person types before they are stored, printed as
``-q`` lines or offered to completion, and every completion script quotes what it puts
on the line. Driven through real shells on a pseudo-terminal, over real sockets."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pexpect
import pytest

from tests.helpers import AKOOL, run_bounded
from tests.hostile.servers import HostileHTTP

ROOT = Path(__file__).resolve().parents[2]
KEY = {"AKOOL_API_KEY": "sk-ids-0123456789", "AKOOL_MAX_RETRIES": "0"}
GOOD = "6b0f4747d90bcb438b0022b4"


def _planted(tmp_path: Path) -> Path:
    """Where a command substitution would leave its mark, if one ever ran."""
    return tmp_path / "pwned"


def _body(data) -> str:
    return "body " + json.dumps({"code": 1000, "msg": "OK", "data": data})


# -- shells ---------------------------------------------------------------------------

WRAPPERS = {
    # `akool` itself answers completion; pressing Enter prints the words it was given,
    # one per <line>, so the test sees exactly what the shell put on the line.
    "bash": 'akool() { if [ -n "${_AKOOL_COMPLETE:-}" ]; then command akool "$@"; '
    "else printf '<%s>\\n' \"$@\"; fi; }",
    "zsh": 'akool() { if [[ -n "${_AKOOL_COMPLETE:-}" ]]; then command akool "$@"; '
    "else printf '<%s>\\n' \"$@\"; fi }",
    "fish": "function akool; printf '<%s>\\n' $argv; end",
}


def _shell(shell: str, cwd: Path) -> pexpect.spawn:
    """``shell`` on a pseudo-terminal with the committed completion script loaded."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (CI installs it)")
    script = ROOT / "completions" / f"akool.{shell}"
    env = {**os.environ, "PATH": f"{Path(AKOOL).parent}:{os.environ['PATH']}"}
    if shell == "bash":
        child = pexpect.spawn(
            "bash", ["--norc", "--noprofile", "-i"], env={**env, "PS1": "$ "}, cwd=str(cwd),
            encoding="utf-8", timeout=20, dimensions=(40, 200),
        )  # fmt: skip
        child.sendline(f"source {script}; {WRAPPERS[shell]}; echo ready")
    elif shell == "zsh":
        child = pexpect.spawn(
            "zsh", ["-f"], env={**env, "PS1": "%% "}, cwd=str(cwd), encoding="utf-8",
            timeout=20, dimensions=(40, 200),
        )  # fmt: skip
        child.sendline(
            f"autoload -Uz compinit; compinit -u; source {script}; {WRAPPERS[shell]}; echo ready"
        )
    else:
        child = pexpect.spawn(
            "fish", ["--no-config"], env=env, cwd=str(cwd), encoding="utf-8", timeout=20,
            dimensions=(40, 200),
        )  # fmt: skip
        child.sendline(f"source {script}; {WRAPPERS[shell]}; echo ready")
    child.expect_exact("ready")
    child.expect_exact("ready")  # the echo's output, after the echoed command line
    return child


def _tab_then_enter(child: pexpect.spawn, line: str) -> list:
    """Type ``line``, TAB, Enter; the words the command was run with."""
    child.send(line + "\t")
    time.sleep(1.5)  # completion runs `akool`; there is nothing on the screen to wait for
    child.send("\r")
    child.sendline("echo __do''ne__")  # what it prints is not what was typed
    child.expect_exact("__done__")
    seen = child.before
    child.sendline("exit")
    child.expect(pexpect.EOF)
    return re.findall(r"<([^<>\r\n]*)>\r\n", seen)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_an_avatar_id_that_is_shell_syntax_is_inserted_quoted(private_env, shell):
    evil = "x$(touch${IFS}" + str(_planted(private_env)) + ")"  # one word: a valid avatar id
    with HostileHTTP(_body({"count": 1, "result": [{"avatar_id": evil, "status": 3}]})) as srv:
        listed = run_bounded(["--base-url", srv.url, "avatar", "list"], env=KEY)  # caches it
        assert listed.exit_code == 0, listed.stderr
        cwd = private_env / "empty"
        cwd.mkdir()
        line = f"akool --base-url {srv.url} session create --avatar-id x"
        words = _tab_then_enter(_shell(shell, cwd), line)
    assert not _planted(private_env).exists()  # nothing ran
    assert words[-2:] == ["--avatar-id", evil]  # the id itself, as one word


def test_ids_from_a_server_that_break_the_rule_are_never_cached_or_printed(private_env):
    bad = ["$(touch " + str(_planted(private_env)) + ")", "a\nb", "-rf", "x\u202eexe"]
    avatars = [{"avatar_id": v, "status": 3} for v in [*bad, "Kai_1080P_back"]]
    with HostileHTTP(_body({"count": len(avatars), "result": avatars})) as server:
        quiet = run_bounded(["--base-url", server.url, "--debug", "avatar", "list", "-q"],
                            env=KEY)  # fmt: skip
        run_bounded(["--base-url", server.url, "avatar", "list"], env=KEY)  # caches the list
    assert quiet.exit_code == 0, quiet.stderr
    assert quiet.stdout == "Kai_1080P_back\n"
    assert quiet.stderr.count("not a valid avatar id") == len(bad)  # a --debug note each
    cached = json.loads((private_env / "state" / "cache" / "avatars.json").read_text())
    assert [v for v, _ in cached[server.url]["values"]] == ["Kai_1080P_back"]


def test_session_list_q_says_how_many_sessions_it_left_out(private_env):
    bad = ["$(touch " + str(_planted(private_env)) + ")", "a\nb", "-rf"]
    sessions = [{"_id": v, "status": 2} for v in [GOOD, *bad]]
    with HostileHTTP(_body({"count": len(sessions), "result": sessions})) as server:
        quiet = run_bounded(["--base-url", server.url, "session", "list", "-q"], env=KEY)
    assert quiet.exit_code == 0 and quiet.stdout == f"{GOOD}\n", quiet.stderr
    assert quiet.stderr.splitlines() == [
        "warning: left out 3 sessions whose id is not safe to print; "
        "--json shows every one as the API sent it"
    ]
    assert not _planted(private_env).exists()


def test_session_ids_from_a_record_anyone_wrote_are_never_offered(private_env):
    state = private_env / "state"
    state.mkdir()
    evil = "$(touch " + str(_planted(private_env)) + ")"
    records = [{"id": evil}, {"id": "a\nb"}, {"id": GOOD, "avatar_id": "$(touch x)"}]
    (state / "sessions.json").write_text(json.dumps(records))
    cwd = private_env / "empty"
    cwd.mkdir()
    words = _tab_then_enter(_shell("bash", cwd), "akool session detail ")
    assert not _planted(private_env).exists()
    assert words == ["session", "detail"]  # nothing offered: no record was usable
    (state / "sessions.json").write_text(json.dumps([*records[:2], {"id": GOOD}]))
    words = _tab_then_enter(_shell("bash", cwd), "akool session detail ")
    assert words == ["session", "detail", GOOD]  # a good record still completes
    listed = run_bounded(["--debug", "--base-url", "http://127.0.0.1:9", "session", "list"],
                         env=KEY)  # fmt: skip
    assert "debug: skipping a record" in listed.stderr


@pytest.mark.parametrize(
    "bad",
    ["abc\n$(touch x)", "$(touch x)", "-rf", "a" * 200],
    ids=["newline", "$()", "-rf", "long"],
)
def test_create_never_prints_or_stores_a_session_id_that_is_not_one(private_env, bad):
    session = {"_id": bad, "status": 1, "stream_urls": {}}
    with HostileHTTP(_body(session)) as server:
        result = run_bounded(
            ["--base-url", server.url, "session", "create", "--avatar-id", "Kai", "-q"], env=KEY
        )
        sent = [json.loads(r["body"]) for r in server.seen.requests]
    assert result.exit_code == 7, result.stderr
    assert result.stdout == ""
    assert len(result.error_lines) == 1 and "not a session id" in result.error_lines[0]
    assert "it was closed" in result.error_lines[0]
    assert sent[-1] == {"id": bad}  # the close, in a JSON body: never near a shell
    assert not (private_env / "state" / "sessions.json").exists()
