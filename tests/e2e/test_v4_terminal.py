"""What a person sees of v4 at a colour terminal: a v4 session's detail (stream type, time
left, the token masked), and a v3 and a v4 session side by side in one list, VERSION
aligned under its header."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tests.colour_pty import assert_no_garbled_styles


def test_v4_detail_and_both_versions_in_one_list(logged_in_v4, cli, terminals):
    v4 = cli(["session", "create", "--avatar-id", "dvp_Tristan_cloth2_1080P", "--duration",
              "600", "-q"]).stdout.strip()  # fmt: skip
    v3 = cli(["--api-version", "v3", "session", "create", "--avatar-id", "Kai_1080P_back",
              "-q"]).stdout.strip()  # fmt: skip
    records = json.loads((Path(os.environ["AKOOL_STATE_DIR"]) / "sessions.json").read_text())
    token = next(r for r in records if r["id"] == v4)["credentials"]["livekit_token"]
    detail = terminals(["session", "detail", v4])
    assert detail.finish() == 0
    assert detail.line("stream type").split()[-1] == "livekit"
    assert detail.line("time left").endswith("of 10m")
    assert "livekit_token" in detail.text and token not in detail.raw
    assert_no_garbled_styles(detail)
    listed = terminals(["session", "list"])
    assert listed.finish() == 0
    header = listed.line("VERSION")
    assert listed.style_at("VERSION").bold
    for sid, version in ((v4, "v4"), (v3, "v3")):
        row = listed.line(sid)
        assert row[header.index("VERSION") :].split()[0] == version
    left = " ".join(listed.line(v4)[header.index("LEFT") :].split()[:2])
    assert re.match(r"(9m \d+s|10m) ", left + " ")  # of the 600 s, a few gone
    assert_no_garbled_styles(listed)
