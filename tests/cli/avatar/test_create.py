"""`akool avatar create` (and `detail`): uploads, waiting until ready, refusals."""

from __future__ import annotations

import json

import pytest


def test_avatar_create_wait_and_then_stream_it(cli, logged_in):
    logged_in.config(ready_after=0.4)
    created = cli(
        ["avatar", "create", "--url", "https://example.com/me.mp4", "--avatar-id", "Me2024",
         "--name", "Me", "--url-from", "third-party", "--wait"]
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    assert "ready (3)" in created.stdout and "waiting until it is ready" in created.stderr
    upload = logged_in.snapshot()["avatars"][0]
    assert upload["avatar_id"] == "Me2024" and upload["url_from"] == 2 and upload["type"] == 2
    mine = cli(["avatar", "list", "--from", "mine"]).stdout.split("\t")
    assert mine[:4] == ["Me2024", "Me", "mine", "ready"]
    session = cli(["session", "create", "--avatar-id", "Me2024", "-q"])
    assert session.exit_code == 0, session.stderr


def test_avatar_create_quiet_prints_the_record_id_and_detail_reads_it(cli, logged_in):
    logged_in.config(ready_after=60)
    record = cli(
        ["avatar", "create", "--url", "https://example.com/a.mp4", "--avatar-id", "Abc1", "-q"]
    ).stdout.strip()
    detail = cli(["avatar", "detail", record])
    assert detail.exit_code == 0 and "queueing (1)" in detail.stdout
    data = json.loads(cli(["avatar", "detail", record, "--json"]).stdout)
    assert isinstance(data, list) and data[0]["_id"] == record  # the API's array, unchanged
    queued = cli(["session", "create", "--avatar-id", "Abc1"])
    assert queued.exit_code == 6 and "(code 1003)" in queued.stderr  # not ready: not usable


@pytest.mark.parametrize("avatar_id", ["has_underscore", "with space", "dash-ed", "émoji"])
def test_an_avatar_id_that_is_not_alphanumeric_is_refused_before_sending(cli, logged_in, avatar_id):
    result = cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", avatar_id])
    assert result.exit_code == 2 and "letters and digits" in result.stderr
    assert logged_in.snapshot()["requests"] == 0


def test_a_failed_upload_exits_8_and_a_slow_one_9(cli, logged_in):
    logged_in.config(ready_after=0.2, fail_avatars=True)
    failed = cli(["avatar", "create", "--url", "https://x/f.mp4", "--avatar-id", "F1", "--wait"])
    assert failed.exit_code == 8 and "failed (4)" in failed.stderr
    logged_in.config(ready_after=60, fail_avatars=False)
    slow = cli(
        ["avatar", "create", "--url", "https://x/s.mp4", "--avatar-id", "S1", "--wait",
         "--wait-timeout", "0.5"]
    )  # fmt: skip
    assert slow.exit_code == 9 and "not ready after 0.5 s" in slow.stderr


def test_avatar_errors(cli, logged_in):
    missing = cli(["avatar", "detail", "ffffffffffffffffffffffff"])
    assert missing.exit_code == 4 and "(code 1008)" in missing.stderr
    cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "Dup1"])
    dup = cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "Dup1"])
    assert dup.exit_code == 1 and "(code 1222)" in dup.stderr
    bad = cli(["session", "create", "--avatar-id", "NoSuchAvatar"])
    assert bad.exit_code == 6 and "(code 1003)" in bad.stderr
