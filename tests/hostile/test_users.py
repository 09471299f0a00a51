"""Two local users: directories and files another user prepared are refused before
anything is read or written there, with one line naming them and the fix; nothing the
CLI creates can be changed by another user, whatever the umask.

The other user is real: a throw-away account made with ``useradd`` (these tests need
root for it, as in CI, and say so where they cannot run)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from akool_cli.emulator.state import DEFAULT_API_KEY
from tests.helpers import run_bounded
from tests.hostile.servers import HostileHTTP

SECRET = "sk-victim-0123456789abcdef"


@pytest.fixture(scope="module")
def other_user():
    """(uid, gid) of a throw-away local user, removed afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to create a second local user (CI runs as root)")
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        pytest.skip("cannot create a second local user: no useradd/userdel on this machine")
    name = f"akt{os.getpid()}"
    for _ in range(50):  # parallel workers: /etc/passwd may be locked a moment
        made = subprocess.run(
            ["useradd", "--no-create-home", "--shell", "/bin/sh", "--user-group", name],
            capture_output=True,
            text=True,
        )
        if made.returncode in (0, 9):  # 9: it exists (a run before was killed)
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"useradd {name} failed: {made.stderr}")
    import pwd

    entry = pwd.getpwnam(name)
    yield entry.pw_uid, entry.pw_gid
    for _ in range(50):
        if subprocess.run(["userdel", name], capture_output=True).returncode in (0, 6):
            break
        time.sleep(0.2)


@pytest.fixture
def shared_tmp():
    """A directory like /tmp (world-writable, sticky) both users can reach, outside the
    test's private tmp_path (which only root can enter)."""
    path = Path(tempfile.mkdtemp(prefix="akool-shared-"))
    path.chmod(0o1777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _as(user, *command, umask=0o022):
    """Run ``command`` as the other user; its CompletedProcess."""
    uid, gid = user
    return subprocess.run(
        list(command), user=uid, group=gid, extra_groups=[], umask=umask,
        capture_output=True, text=True, timeout=30, env={"PATH": os.environ["PATH"]},
    )  # fmt: skip


def _refused(result, needle):
    assert result.exit_code == 1, result.stderr
    assert len(result.error_lines) == 1 and "Traceback" not in result.stderr, result.stderr
    line = result.error_lines[0]
    assert f"refusing to use {needle}" in line, line
    return line


def test_a_state_dir_another_user_prepared_is_refused_before_a_session_exists(
    logged_in, other_user, shared_tmp, monkeypatch
):
    state = shared_tmp / "state"
    assert _as(other_user, "mkdir", "-m", "0777", str(state)).returncode == 0
    room = "ws://127.0.0.1:9/attacker/client_1.chat"
    sid = logged_in.create()["_id"]  # a live session of the victim's
    planted = [{"id": sid, "stream_urls": {"client_chat_room_url": room}}]
    planting = f"echo '{json.dumps(planted)}' > {state}/sessions.json"
    assert _as(other_user, "sh", "-c", planting).returncode == 0
    monkeypatch.setenv("AKOOL_STATE_DIR", str(state))
    for command in (
        ["session", "create", "--avatar-id", "Kai_1080P_back", "-q"],
        ["chat", sid, "-m", "secret question"],
        ["session", "list"],
    ):
        line = _refused(run_bounded(command), str(state))
        assert f"another user (uid {other_user[0]})" in line and "AKOOL_STATE_DIR" in line
    assert [s["_id"] for s in logged_in.snapshot()["sessions"]] == [sid]  # nothing created
    assert sorted(p.name for p in state.iterdir()) == ["sessions.json"]  # nothing written
    assert stat.S_IMODE(state.stat().st_mode) == 0o777  # and its mode left alone


def test_a_config_dir_another_user_prepared_never_sees_the_key(other_user, shared_tmp, monkeypatch):
    config = shared_tmp / "config"
    with HostileHTTP('body {"code": 1000, "data": {"credit": 1}}') as attacker:
        assert _as(other_user, "mkdir", str(config)).returncode == 0
        profile = {"profiles": {"default": {"base_url": attacker.url}}}
        planting = f"echo '{json.dumps(profile)}' > {config}/config.json"
        assert _as(other_user, "sh", "-c", planting).returncode == 0
        monkeypatch.setenv("AKOOL_CONFIG_DIR", str(config))
        result = run_bounded(["auth", "login", "--with-api-key"], input=SECRET.encode() + b"\n")
        assert attacker.seen.requests == []  # the key went nowhere
    line = _refused(result, str(config))
    assert "AKOOL_CONFIG_DIR" in line
    assert SECRET not in "".join(p.read_text() for p in config.iterdir())


def test_a_file_another_user_planted_in_a_shared_dir_is_refused(
    logged_in, other_user, shared_tmp, monkeypatch
):
    state = shared_tmp / "mine"
    state.mkdir(mode=0o1777)  # the victim's own directory, sticky and shared like /tmp
    state.chmod(0o1777)
    monkeypatch.setenv("AKOOL_STATE_DIR", str(state))
    assert _as(other_user, "sh", "-c", f"echo '[]' > {state}/sessions.json").returncode == 0
    line = _refused(run_bounded(["session", "list"]), str(state / "sessions.json"))
    assert f"another user (uid {other_user[0]})" in line and "remove it" in line


def test_a_lock_file_another_user_planted_stops_create_before_a_session_exists(
    logged_in, other_user, shared_tmp, monkeypatch
):
    state = shared_tmp / "sticky"
    state.mkdir()
    state.chmod(0o1777)  # the victim's, shared and sticky like /tmp: others may add files
    monkeypatch.setenv("AKOOL_STATE_DIR", str(state))
    lock = state / ".sessions.json.lock"
    assert _as(other_user, "touch", str(lock)).returncode == 0
    result = run_bounded(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"])
    line = _refused(result, str(lock))
    assert f"another user (uid {other_user[0]})" in line
    assert result.stdout == "" and logged_in.snapshot()["sessions"] == []  # nothing billing


def test_a_platform_default_under_another_users_directory_is_refused(other_user, private_env):
    home = private_env / "home"
    dot_config = home / ".config"
    dot_config.mkdir()
    os.chown(dot_config, *other_user)  # ~/.config, made by someone else
    env = {"AKOOL_CONFIG_DIR": "", "AKOOL_STATE_DIR": str(private_env / "state")}
    result = run_bounded(["auth", "status"], env=env)
    line = _refused(result, str(dot_config / "akool"))
    assert f"{dot_config}, the directory above it, belongs to another user" in line
    assert not (dot_config / "akool").exists()


def test_a_directory_others_may_write_is_refused_and_its_mode_kept(
    logged_in, other_user, private_env
):
    state = private_env / "state"
    state.mkdir()
    for mode, group in ((0o777, 0), (0o757, 0), (0o770, other_user[1])):
        os.chown(state, 0, group)
        state.chmod(mode)
        line = _refused(run_bounded(["session", "list"]), str(state))
        assert f"chmod go-w {state}" in line and "AKOOL_STATE_DIR" in line
        assert stat.S_IMODE(state.stat().st_mode) == mode  # told, never changed
    os.chown(state, 0, 0)  # root's own group, with no one else in it: as private as 0700
    assert run_bounded(["session", "list"]).exit_code == 0
    state.chmod(0o1777)  # sticky, like /tmp: others cannot swap what is ours
    assert run_bounded(["session", "list"]).exit_code == 0


@pytest.mark.parametrize("name", ["config.json", "credentials.json", "sessions.json"])
def test_a_symbolic_link_where_a_file_should_be_is_refused(logged_in, private_env, name):
    where = private_env / ("config" if name != "sessions.json" else "state")
    where.mkdir()
    target = private_env / "elsewhere.json"
    target.write_text("{}" if name != "sessions.json" else "[]")
    (where / name).symlink_to(target)
    command = ["session", "list"] if name == "sessions.json" else ["auth", "status"]
    _refused(run_bounded(command), str(where / name))


def test_a_planted_lock_link_is_never_followed(other_user, shared_tmp, monkeypatch):
    config = shared_tmp / "config"
    config.mkdir()
    config.chmod(0o1777)  # the victim's, shared and sticky like /tmp: others may add files
    monkeypatch.setenv("AKOOL_CONFIG_DIR", str(config))
    victim = shared_tmp / "created-through-the-link"
    lock = config / ".credentials.json.lock"
    assert _as(other_user, "ln", "-s", str(victim), str(lock)).returncode == 0
    result = run_bounded(
        ["--base-url", "http://127.0.0.1:9", "auth", "login", "--with-api-key", "--no-verify"],
        input=SECRET.encode() + b"\n",
    )
    assert not victim.exists()  # not created (nor truncated) through the link
    _refused(result, str(lock))
    assert not (config / "credentials.json").exists()


def test_nothing_the_cli_creates_can_be_changed_by_another_user_under_umask_000(
    emu, other_user, shared_tmp
):
    home = shared_tmp / "home"
    home.mkdir()
    home.chmod(0o755)  # others may look in, as in most homes
    env = {
        "HOME": str(home), "AKOOL_CONFIG_DIR": "", "AKOOL_STATE_DIR": "", "SHELL": "/bin/bash",
        "AKOOL_BASE_URL": emu.url,
    }  # fmt: skip
    _umask_000(["auth", "login", "--with-api-key"], env, DEFAULT_API_KEY + "\n")
    _umask_000(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"], env)
    _umask_000(["avatar", "list"], env)
    _umask_000(["completion", "--install"], env)
    made = [p for p in home.rglob("*")]
    assert {p.name for p in made} >= {".bashrc", "akool", "credentials.json", "sessions.json"}
    for path in made:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not mode & 0o022, f"{path} is {mode:04o}"  # no one else may write
        if path.is_dir():
            assert mode == 0o700, f"{path} is {mode:04o}"
    for path in made:
        if path.is_file():
            appended = _as(other_user, "sh", "-c", f"echo 'touch /tmp/pwned' >> '{path}'")
            assert appended.returncode != 0, f"{path} took another user's line"
    script = home / ".local/share/bash-completion/completions/akool"
    assert stat.S_IMODE(script.stat().st_mode) == 0o644
    assert stat.S_IMODE((home / ".bashrc").stat().st_mode) == 0o644


def _umask_000(args, env, input=None):
    from tests.helpers import AKOOL

    proc = subprocess.run(
        [AKOOL, *args], input=input, capture_output=True, text=True, timeout=60,
        env={**os.environ, **env}, umask=0,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc
