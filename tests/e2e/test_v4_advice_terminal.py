"""What a person sees at a colour terminal when v4 (the default) meets something of v3's,
or a v4 session does what v4 sessions do: the hint names the version and the switch, the
tables show what v4 has."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.colour_pty import assert_no_garbled_styles

V4_AVATAR = "dvp_Tristan_cloth2_1080P"


def test_a_v3_avatar_under_v4_and_the_v4_avatar_under_v3_name_the_switch(logged_in_v4, terminals):
    term = terminals(["session", "create", "--avatar-id", "Kai_1080P_back"])
    assert term.finish() == 6
    assert term.line("error:") == "error: Parameter error (code 1003)"
    assert term.line("hint:") == (
        f"hint: Kai_1080P_back is a v3 avatar: add --api-version v3 (v4's is {V4_AVATAR})"
    )
    assert term.style_at("error:").fg == "red"
    assert_no_garbled_styles(term)
    back = terminals(["--api-version", "v3", "session", "create", "--avatar-id", V4_AVATAR])
    assert back.finish() == 6
    assert back.line("hint:").startswith(f"hint: {V4_AVATAR} is a v4 avatar: add --api-version v4")
    assert "Kai_1080P_back" in back.line("hint:")


def test_a_v3_route_asked_of_v4_says_it_may_be_v3s(logged_in_v4, terminals):
    term = terminals(["api", "faceswap/quota/info"])
    assert term.finish() == 7
    assert term.line("hint:") == (
        "hint: no such v4 route; it may be v3's: add --api-version v3, or give the path "
        "/api/open/v3/faceswap/quota/info"
    )
    assert_no_garbled_styles(term)


def test_a_list_missing_the_other_versions_sessions_warns_once_and_exits_7(
    logged_in_v4, cli, terminals
):
    v4 = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    cli(["--api-version", "v3", "session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    logged_in_v4.fault(endpoint="list", version="v3", http_status=502)
    term = terminals(["session", "list", "--status", "billable"])
    assert term.finish() == 7
    assert term.line(v4).startswith(v4)  # what came is shown
    assert term.text.count("leaving out the v3 sessions") == 1
    assert term.style_at("warning:").fg == "brown"  # yellow
    assert_no_garbled_styles(term)


def test_a_sessions_token_echoed_by_the_server_is_redacted_on_the_terminal(
    logged_in_v4, cli, terminals
):
    sid = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    records = json.loads((Path(os.environ["AKOOL_STATE_DIR"]) / "sessions.json").read_text())
    token = records[0]["credentials"]["livekit_token"]
    logged_in_v4.fault(endpoint="detail", code=1003, msg=f"token {token} refused")
    term = terminals(["session", "detail", sid])
    assert term.finish() == 6
    assert term.line("error:") == "error: token *** refused (code 1003)"
    assert token[:20] not in term.raw  # not even the part a cut line would keep
    assert_no_garbled_styles(term)


def test_knowledge_help_says_what_its_limits_count_and_what_a_prompt_file_loses(terminals):
    term = terminals(["knowledge", "create", "--help"])
    assert term.finish() == 0
    words = " ".join(term.text.replace("│", " ").split())
    assert "counted as the service counts them (UTF-16 code units: most emoji count 2)" in words
    assert "FILE|-" in words and "one trailing newline is not part of them" in words
    assert_no_garbled_styles(term)


def test_the_v4_voice_table_has_no_use_column_and_piped_lines_keep_their_fields(
    logged_in_v4, terminals, cli
):
    term = terminals(["voice", "list"])
    assert term.finish() == 0
    header = term.line("VOICE ID")
    assert header.split() == ["VOICE", "ID", "NAME", "GENDER", "ACCENT", "PREVIEW"]
    assert term.style_at("VOICE ID").bold
    assert_no_garbled_styles(term)
    v3 = terminals(["--api-version", "v3", "voice", "list"])
    assert v3.finish() == 0 and "USE" in v3.line("VOICE ID").split()
    piped = cli(["voice", "list"]).stdout.splitlines()
    assert piped and all(len(line.split("\t")) == 6 for line in piped)


def test_an_ended_v4_sessions_left_is_a_dash(logged_in_v4, cli, terminals):
    ended = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    running = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q"]).stdout.strip()
    assert cli(["session", "close", ended]).exit_code == 0
    term = terminals(["session", "list"])
    assert term.finish() == 0
    header = term.line("LEFT")
    left = header.index("LEFT")
    assert term.line(ended)[left:].split()[0] == "-"
    assert term.line(running)[left:].split()[0] in ("9m", "10m")
    assert_no_garbled_styles(term)
