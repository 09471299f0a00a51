"""The local files: atomic writes, JSON reads, the profile store, the session records and
the token cache. Pure file I/O in a temporary directory; no server."""

from __future__ import annotations

import json
import os
import stat

import pytest

from akool_cli.local.errors import CorruptFileError, LocalFileError
from akool_cli.local.files import atomic_write_text, read_json, write_json
from akool_cli.local.profiles import Store
from akool_cli.local.records import MAX_SESSION_RECORDS, SessionRecords
from akool_cli.local.tokens import TokenFile


def test_writes_are_private_and_atomic(tmp_path):
    path = tmp_path / "new" / "file.json"
    write_json(path, {"a": 1})
    assert json.loads(path.read_text()) == {"a": 1}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "d" / "credentials.json"
    atomic_write_text(path, "old")

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(LocalFileError) as info:
        atomic_write_text(path, "new")
    assert "No space left on device" in str(info.value) and info.value.path == path
    assert path.read_text() == "old"
    assert [p.name for p in path.parent.iterdir()] == ["credentials.json"]


@pytest.mark.parametrize(
    "content, reason",
    [(b"{oops", "not valid JSON"), (b"\xff\xfe", "not UTF-8"), (b"[1, 2]", "expected a JSON dict")],
)
def test_corrupt_files_are_named(tmp_path, content, reason):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(CorruptFileError) as info:
        read_json(path, {})
    assert str(path) in str(info.value) and reason in str(info.value)


def test_a_missing_file_is_the_default_and_a_directory_is_an_error(tmp_path):
    assert read_json(tmp_path / "nope.json", []) == []
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(LocalFileError):
        read_json(tmp_path / "dir.json", [])


def test_profiles_and_credentials(tmp_path):
    store = Store(tmp_path)
    assert store.credential("default") is None and store.profile_names() == []
    store.save_credential("work", "api_key", "k1")
    store.update_profile("work", base_url="http://h")
    store.update_profile("staging", base_url="http://s")
    assert store.credential("work") == ("api_key", "k1")
    assert store.profile("work") == {"base_url": "http://h"}
    assert store.profile_names() == ["staging", "work"]
    store.update_profile("work", base_url=None)
    assert store.profile("work") == {}
    assert store.delete_credential("work") and not store.delete_credential("work")
    with pytest.raises(ValueError):
        store.save_credential("x", "password", "v")


def test_a_malformed_credential_is_corrupt(tmp_path):
    (tmp_path / "credentials.json").write_text('{"default": {"kind": "api_key"}}')
    with pytest.raises(CorruptFileError) as info:
        Store(tmp_path).credential("default")
    assert info.value.path.name == "credentials.json"


def test_records_remember_get_forget_and_keep_the_newest(tmp_path):
    records = SessionRecords(tmp_path)
    for n in range(MAX_SESSION_RECORDS + 5):
        records.remember(f"s{n}", base_url="u", avatar_id="a", stream_urls={"k": n})
    kept = records.all()
    assert len(kept) == MAX_SESSION_RECORDS and kept[-1]["id"] == f"s{MAX_SESSION_RECORDS + 4}"
    assert records.get("s0") is None and records.get("s10")["stream_urls"] == {"k": 10}
    records.forget("s10")
    assert records.get("s10") is None
    records.remember("s11", base_url="u", avatar_id="b", stream_urls={})
    assert records.all()[-1]["avatar_id"] == "b"  # remembered again: newest, once
    assert [r["id"] for r in records.all()].count("s11") == 1


def test_records_skip_entries_that_are_not_records(tmp_path):
    (tmp_path / "sessions.json").write_text('[1, "x", {"no": "id"}, {"id": "ok"}]')
    assert [r["id"] for r in SessionRecords(tmp_path).all()] == ["ok"]


def test_token_file_is_keyed_by_base_url_and_client_id(tmp_path):
    tokens = TokenFile(tmp_path)
    tokens.put("http://a/", "client", "s", "t1")
    tokens.put("http://b", "client", "s", "t2")
    assert tokens.get("http://a", "client", "s") == "t1"
    assert tokens.get("http://b", "client", "s") == "t2"
    assert tokens.get("http://a", "other", "s") is None
    tokens.drop("http://a", "client")
    assert tokens.get("http://a", "client", "s") is None
    assert tokens.get("http://b", "client", "s") == "t2"
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_a_token_is_only_for_the_secret_it_was_exchanged_with(tmp_path):
    tokens = TokenFile(tmp_path)
    tokens.put("http://a", "client", "the-secret", "t1")
    assert tokens.get("http://a", "client", "another-secret") is None
    text = tokens.path.read_text()
    assert "the-secret" not in text and "t1" in text  # a salted hash, never the secret


def test_an_unreadable_token_file_is_an_empty_cache(tmp_path):
    (tmp_path / "tokens.json").write_text("{broken")
    tokens = TokenFile(tmp_path)
    assert tokens.get("http://a", "c", "s") is None
