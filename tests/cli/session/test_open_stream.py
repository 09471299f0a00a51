"""The pull URL a session shows serves a real FLV stream (what `session open` plays)."""

from __future__ import annotations


def test_the_pull_url_serves_a_real_flv_stream(cli, logged_in):
    import requests

    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    url = cli(["session", "open", sid, "--print"]).stdout.strip()
    body = requests.get(url, timeout=5).content
    assert body[:3] == b"FLV" and body[3] == 1 and body[8] == 9  # version 1, header size 9
    assert body[13] == 18 and b"onMetaData" in body  # a script tag first
    assert body.count(b"\x09") >= 5  # then video tags
