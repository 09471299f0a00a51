"""A closed session keeps its local record, marked ended (so `session list` still names
its avatar); records older than 30 days are pruned whenever the file is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

from akool_cli.local.records import MAX_RECORD_AGE, SessionRecords

DAY = 86400


def _state() -> Path:
    return Path(os.environ["AKOOL_STATE_DIR"])


def test_a_closed_session_still_shows_its_avatar(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Olivia_1080P_back", "-q"]).stdout.strip()
    assert cli(["session", "close", sid]).exit_code == 0
    listed = cli(["session", "list", "--status", "ended"])
    fields = listed.stdout.strip().split("\t")
    assert fields[0] == sid and fields[1] == "ended" and fields[5] == "Olivia_1080P_back"
    record = json.loads((_state() / "sessions.json").read_text())[-1]
    assert record["id"] == sid and isinstance(record["ended_at"], int)
    again = cli(["session", "close", sid])  # already ended: the record stays, once
    assert again.exit_code == 0
    records = json.loads((_state() / "sessions.json").read_text())
    assert [r["id"] for r in records] == [sid] and records[0]["ended_at"] == record["ended_at"]


def test_an_ended_session_is_not_offered_to_completion(cli, logged_in):
    from akool_cli.cli.core.completers import complete_session_id

    kept = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    closed = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    cli(["session", "close", closed])
    assert complete_session_id("") == [kept]


def test_records_older_than_30_days_are_pruned_on_the_next_write(tmp_path):
    records = SessionRecords(tmp_path)
    records.remember("old", base_url="u", avatar_id="a", stream_urls={})
    records.remember("young", base_url="u", avatar_id="b", stream_urls={})
    data = json.loads(records.path.read_text())
    data[0]["created_at"] -= MAX_RECORD_AGE + DAY  # made 31 days ago
    data[1]["created_at"] -= MAX_RECORD_AGE - DAY  # 29 days ago
    records.path.write_text(json.dumps(data))
    assert [r["id"] for r in records.all()] == ["old", "young"]  # reading prunes nothing
    records.mark_ended("young")
    assert [(r["id"], "ended_at" in r) for r in records.all()] == [("young", True)]
    records.remember("new", base_url="u", avatar_id="c", stream_urls={})
    assert [r["id"] for r in records.all()] == ["young", "new"]


def test_ended_records_make_room_before_the_record_of_a_running_session(tmp_path):
    """The cap on records drops ended sessions first: a live session created before many
    short ones keeps the record its chat needs."""
    from akool_cli.local.records import MAX_SESSION_RECORDS

    records = SessionRecords(tmp_path)
    records.remember("live0", base_url="u", avatar_id="Olivia_1080P_back", stream_urls={})
    for n in range(MAX_SESSION_RECORDS + 3):
        records.remember(f"short{n}", base_url="u", avatar_id="a", stream_urls={})
        records.mark_ended(f"short{n}")
    kept = [r["id"] for r in records.all()]
    assert len(kept) == MAX_SESSION_RECORDS
    assert kept[0] == "live0" and kept[-1] == f"short{MAX_SESSION_RECORDS + 2}"
    assert records.get("live0")["avatar_id"] == "Olivia_1080P_back"
