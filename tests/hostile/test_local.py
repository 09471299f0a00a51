"""Odd inputs and files, and two processes at once: bounded reads, broken or shared
files, and no update ever lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest

from tests.helpers import AKOOL, run_bounded

MEMORY_MIB = 150


def _dev_zero():
    return open("/dev/zero", "rb")  # noqa: SIM115 - handed to the child as its stdin


@pytest.mark.parametrize(
    "args",
    [
        ["session", "close", "-"],
        ["auth", "login", "--with-api-key"],
        ["chat", "0123456789abcdef01234567"],
        ["say", "0123456789abcdef01234567", "-"],
    ],
)
def test_an_endless_stdin_is_refused_after_a_line(logged_in, args):
    with _dev_zero() as zero:
        result = run_bounded(args, stdin=zero, timeout=30)
    assert result.exit_code == 2, result.stderr
    assert "longer than" in result.stderr and result.peak_mib < MEMORY_MIB
    assert logged_in.snapshot()["requests"] == 0


def test_prompt_file_must_be_a_small_regular_file(logged_in, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # no writer: opening it for reading would block forever
    for path in ("/dev/zero", "/dev/urandom", str(fifo), str(tmp_path)):
        result = run_bounded(
            ["chat", "0123456789abcdef01234567", "-m", "hi", "--prompt-file", path], timeout=20
        )
        assert result.exit_code == 2, (path, result.stderr)
        assert "regular file" in result.stderr or "cannot read" in result.stderr
        assert result.peak_mib < MEMORY_MIB
    assert logged_in.snapshot()["requests"] == 0


DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize(
    "content",
    [DEEP, '[{"id": 5}, {"id": "x", "stream_urls": "no"}, {"id": "y", "stream_urls": [1]}]',
     '{"id": {"id": {"id": []}}}', "[NaN]"],
    ids=["deep", "wrong types", "nested object", "nan"],
)  # fmt: skip
def test_odd_session_records_never_cost_a_session(logged_in, private_env, content):
    state = private_env / "state"
    state.mkdir()
    (state / "sessions.json").write_text(content)
    result = run_bounded(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == logged_in.snapshot()["sessions"][0]["_id"]
    assert "Traceback" not in result.stderr
    detail = run_bounded(["session", "detail", result.stdout.strip()])
    assert detail.exit_code == 0 and "live" in detail.stdout


@pytest.mark.parametrize("name", ["config.json", "credentials.json"])
def test_a_deeply_nested_config_file_is_a_clear_error(private_env, name):
    config = private_env / "config"
    config.mkdir()
    (config / name).write_text(DEEP)
    result = run_bounded(["auth", "status"])
    assert result.exit_code == 1 and "is corrupt" in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr


def test_a_shared_directory_keeps_its_mode(logged_in, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: world-writable, sticky
    monkeypatch.setenv("AKOOL_STATE_DIR", str(shared))
    result = run_bounded(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "sessions.json").stat().st_mode) == 0o600


def test_directories_it_creates_are_private(logged_in, private_env):
    run_bounded(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    assert stat.S_IMODE((private_env / "state").stat().st_mode) == 0o700


def _in_parallel(commands, inputs=None):
    """Start every command at once; their results."""
    procs = [
        subprocess.Popen(
            [AKOOL, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        for args in commands
    ]
    for proc, data in zip(procs, inputs or [b""] * len(procs)):
        proc.stdin.write(data)  # every input first, so that they all run at once
        proc.stdin.close()
    outputs = []
    for proc in procs:
        out, err = proc.stdout.read(), proc.stderr.read()  # a few lines each: no pipe fills
        proc.wait(timeout=60)
        outputs.append((proc.returncode, out.decode(), err.decode()))
    return outputs


def test_twenty_logins_at_once_all_stored(emu, private_env):
    commands = [
        [
            "--base-url",
            emu.url,
            "--profile",
            f"p{n}",
            "auth",
            "login",
            "--with-api-key",
            "--no-verify",
        ]
        for n in range(20)
    ]
    results = _in_parallel(commands, [f"key-{n}-0123456789\n".encode() for n in range(20)])
    assert all(code == 0 for code, _, _ in results), results
    stored = json.loads((private_env / "config" / "credentials.json").read_text())
    assert {name: entry["value"] for name, entry in stored.items()} == {
        f"p{n}": f"key-{n}-0123456789" for n in range(20)
    }
    profiles = json.loads((private_env / "config" / "config.json").read_text())["profiles"]
    assert len(profiles) == 20


def test_twenty_creates_at_once_all_remembered(logged_in, private_env):
    results = _in_parallel([["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]] * 20)
    ids = {out.strip() for code, out, _ in results if code == 0}
    assert len(ids) == 20
    records = json.loads((private_env / "state" / "sessions.json").read_text())
    assert {r["id"] for r in records} == ids


def test_files_are_written_without_fchmod(tmp_path, monkeypatch):
    """Windows before Python 3.13 has no os.fchmod: nothing may need it."""
    from akool_cli.local.files import write_json

    monkeypatch.delattr(os, "fchmod", raising=False)
    write_json(tmp_path / "d" / "f.json", {"a": 1})
    assert json.loads((tmp_path / "d" / "f.json").read_text()) == {"a": 1}


def test_the_repl_history_is_never_readable_by_others(tmp_path):
    from akool_cli.cli.commands.chat.repl_terminal import _history_file

    path = tmp_path / "state" / "chat_history.json"
    old_umask = os.umask(0)  # the most permissive umask there is
    try:
        history = _history_file(path)
        history.store_string("Bonjour")
        history.store_string("line one\nline two")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text()) == ["Bonjour", "line one\nline two"]
    assert list(_history_file(path).load_history_strings()) == ["line one\nline two", "Bonjour"]


def test_a_broken_repl_history_is_no_history(tmp_path):
    from akool_cli.cli.commands.chat.repl_terminal import _history_file
    from akool_cli.cli.commands.chat.slash import HISTORY_SIZE

    path = tmp_path / "chat_history.json"
    path.write_bytes(b"\xff\xfe not json")
    history = _history_file(path)
    assert list(history.load_history_strings()) == []
    history.store_string("still works?")  # a broken file is not replaced behind the user
    path.write_text("[]")
    for n in range(HISTORY_SIZE + 5):
        history.store_string(str(n))
    kept = json.loads(path.read_text())
    assert len(kept) == HISTORY_SIZE and kept[-1] == str(HISTORY_SIZE + 4)


def _odd_file(path, kind):
    """Put a FIFO (no writer), a character device like /dev/zero, or a 2 GiB sparse file
    at ``path``: each would hang or flood a reader that is not bounded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # what /dev/zero is
        except (PermissionError, AttributeError):
            pytest.skip("cannot make a device node here (needs root, as in CI)")
    else:
        with open(path, "wb") as handle:
            handle.truncate(2 * 1024**3)


LOCAL_READERS = [  # (file, command, its exit code: the record and caches are best effort)
    ("state/sessions.json", ["session", "list"], 0),
    ("config/config.json", ["auth", "status"], 1),
    ("config/credentials.json", ["auth", "status"], 1),
    ("state/cache/avatars.json", ["avatar", "list"], 0),
]


@pytest.mark.parametrize("kind", ["fifo", "device", "huge"])
@pytest.mark.parametrize(
    "name, command, code", LOCAL_READERS, ids=[n.rsplit("/", 1)[-1] for n, _, _ in LOCAL_READERS]
)
def test_a_local_file_that_never_ends_is_refused_in_bounded_time(
    logged_in, private_env, kind, name, command, code
):
    _odd_file(private_env / name, kind)
    result = run_bounded(command, timeout=30)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr and result.peak_mib < MEMORY_MIB
    assert str(private_env / name) in result.stderr or code == 0 and "avatars" in name
    said = "larger than 16 MiB" if kind == "huge" else "not a regular file"
    assert said in result.stderr or "avatars" in name  # a cache that fails is no cache


@pytest.mark.parametrize("kind", ["fifo", "device", "huge"])
def test_completion_never_hangs_on_an_odd_local_file(private_env, kind):
    for name in ("state/sessions.json", "config/config.json", "state/cache/avatars.json"):
        _odd_file(private_env / name, kind)
    for line in ("akool session detail ", "akool --profile ", "akool chat --avatar-id "):
        env = {"_AKOOL_COMPLETE": "bash", "_AKOOL_COMPLETE_ARGS": line}
        result = run_bounded([], env=env, timeout=30)
        assert result.exit_code == 0 and result.peak_mib < MEMORY_MIB, (line, result.stderr)
        assert "Kai_1080P_back" in result.stdout or "avatar" not in line  # built-ins left


TARGETS = {
    "bash": ".local/share/bash-completion/completions/akool",
    "zsh": ".zfunc/_akool",
    "fish": ".config/fish/completions/akool.fish",
}


@pytest.mark.parametrize("shell", sorted(TARGETS))
def test_completion_install_under_umask_000_gives_every_file_its_mode(private_env, shell):
    home = private_env / "home"
    proc = subprocess.run(
        [AKOOL, "completion", shell, "--install"], capture_output=True, text=True, timeout=30,
        env={**os.environ, "HOME": str(home)}, umask=0,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    target = home / TARGETS[shell]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    here = target.parent
    while here != home:  # every directory it made above the script
        assert stat.S_IMODE(here.stat().st_mode) == 0o700, here
        here = here.parent
    for rc in (home / ".bashrc", home / ".zshrc"):
        if rc.exists():
            assert stat.S_IMODE(rc.stat().st_mode) == 0o644


def test_a_link_in_place_of_the_completion_script_is_replaced_not_written_through(private_env):
    home = private_env / "home"
    target = home / TARGETS["bash"]
    target.parent.mkdir(parents=True)
    elsewhere = private_env / "someone-elses-file"
    elsewhere.write_text("keep me\n")
    target.symlink_to(elsewhere)
    result = run_bounded(["completion", "bash", "--install"], env={"HOME": str(home)})
    assert result.exit_code == 0, result.stderr
    assert elsewhere.read_text() == "keep me\n"  # not written through the link
    assert not target.is_symlink() and "_akool_completion" in target.read_text()
