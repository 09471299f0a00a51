"""The installed `akool` in a subprocess, against the emulator: the tour, exit codes,
signals, and what start-up imports."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys

import pytest

from akool_cli.cli.app import GROUPS
from tests.helpers import AKOOL
from tests.reliability.fault_matrix import SIGNAL_CASES, run_signal_case


def test_the_tour(akool, emu):
    base = ["--base-url", emu.url]
    login = akool([*base, "auth", "login", "--with-api-key"], input="emulator-key\n")
    assert login.exit_code == 0, login.stderr
    emu.config(ready_after=0.3)
    created = akool(["session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q"])
    assert created.exit_code == 0, created.stderr
    sid = created.stdout.strip()
    detail = json.loads(akool(["session", "detail", sid, "--json"]).stdout)
    assert detail["_id"] == sid and detail["status"] == 2  # live
    listed = akool(["session", "list", "--status", "live", "-q"])
    assert listed.stdout.split() == [sid]
    chat = akool(["chat", sid, "-m", "Hello", "--answer-idle", "0.1"])
    assert chat.stdout == "You said: Hello\n"  # dialogue: the avatar answers
    said = akool(["say", sid, "Welcome to the show", "--answer-idle", "0.1"])
    assert said.stdout == "Welcome to the show\n"  # retelling: it says the text as is
    assert akool(["session", "pause", sid]).exit_code == 0
    assert akool(["session", "close", sid]).exit_code == 0
    assert akool(["session", "close", sid]).exit_code == 0  # closing twice is fine
    assert emu.snapshot()["closed"] == [sid]
    ended = akool(["session", "detail", sid])
    assert ended.exit_code == 0 and "ended (completed, 3)" in ended.stdout


def test_client_credentials_from_the_environment_no_login_step(akool, emu, private_env):
    env = {
        "AKOOL_BASE_URL": emu.url,
        "AKOOL_CLIENT_ID": "emulator-client",
        "AKOOL_CLIENT_SECRET": "emulator-secret",
    }
    first = akool(["session", "list", "-q"], env=env)
    assert first.exit_code == 0, first.stderr
    assert akool(["session", "list", "-q"], env=env).exit_code == 0
    assert emu.snapshot()["requests"] == 3  # one exchange, then the cached token
    cache = private_env / "state" / "tokens.json"
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    assert "emulator-secret" not in cache.read_text()
    status = akool(["auth", "status"], env=env)
    assert "AKOOL_CLIENT_ID and AKOOL_CLIENT_SECRET" in status.stdout
    assert "client id emulator-client" in status.stdout
    assert "token: e…n (cached)" in status.stderr  # a note, not data
    assert akool(["auth", "token"], env=env).stdout.strip() == "emulator-token"
    lone = akool(["session", "list"], env={**env, "AKOOL_CLIENT_SECRET": ""})
    assert lone.exit_code == 2 and "AKOOL_CLIENT_SECRET is not set" in lone.stderr


def test_version_and_module_entry_point(akool):
    from akool_cli import __version__

    assert akool(["--version"]).stdout.strip() == f"akool {__version__}"
    proc = subprocess.run(
        [sys.executable, "-m", "akool_cli", "--version"], capture_output=True, text=True, timeout=30
    )
    assert proc.stdout.strip() == f"akool {__version__}"


def test_usage_error_exits_2(akool):
    result = akool(["session", "list", "--status", "nope"])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "unknown status" in result.stderr


def test_unreachable_service_exits_7_with_one_line(akool):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = akool(
        ["--base-url", f"http://127.0.0.1:{port}", "session", "list"],
        env={"AKOOL_API_KEY": "k", "AKOOL_MAX_RETRIES": "0"},
    )
    assert result.exit_code == 7
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"error: cannot reach http://127.0.0.1:{port}: connection refused"
    assert len(lines) == 2 and lines[1].startswith("hint:")


HEAVY = [
    "requests",
    "websocket",
    "platformdirs",
    "aiohttp",
    "akool_cli.emulator",
    "akool_cli.api.client",
    "akool_cli.local.files",
    "akool_cli.cli.core.context",
    "akool_cli.cli.ui.iostreams",
    "akool_cli.api.models",
    "akool_cli.chat.protocol",
    "akool_cli.chat.conversation",
    "akool_cli.services",
]
GROUP_MODULES = [entry.module for entry in GROUPS.values()]


def _loaded_after(argv, watch):
    """The modules of ``watch`` that running ``akool ARGV`` imported."""
    code = (
        "import sys\n"
        f"sys.argv = ['akool', *{argv!r}]\n"
        "from akool_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.stderr.write('LOADED=' + ','.join(m for m in {watch!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert "Usage" in proc.stdout or "USAGE" in proc.stdout, proc.stderr
    return (
        proc.stderr.strip().rsplit("LOADED=", 1)[1].split(",") if "LOADED=" in proc.stderr else None
    )


def test_help_imports_nothing_heavy_and_no_group():
    assert _loaded_after(["--help"], HEAVY + GROUP_MODULES + ["rich"]) == [""]


def test_help_with_twenty_more_groups_lists_them_and_imports_none():
    """Start-up is flat in the number of groups: a test build with twenty more, whose
    modules do not even exist, still answers --help without importing any."""
    code = (
        "import sys\n"
        "import akool_cli.cli.app as app\n"
        "from akool_cli.cli.core.lazy import Entry\n"
        "app.GROUPS.update({f'extra{i}': Entry(f'no_such_module_{i}', f'Extra group {i}.', "
        "app.MORE) for i in range(20)})\n"
        "sys.argv = ['akool', '--help']\n"
        "from akool_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"sys.stderr.write('LOADED=' + ','.join(m for m in {HEAVY + GROUP_MODULES!r} "
        "if m in sys.modules) + ' CODE=' + str(code))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert re.search(r"^ +extra19 +Extra group 19\.$", proc.stdout, re.M), proc.stderr
    assert proc.stderr.strip().endswith("LOADED= CODE=0"), proc.stderr


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_a_group_loads_only_its_own_module(group):
    argv = ["session", "detail", "--help"] if group == "session" else [group, "--help"]
    loaded = _loaded_after(argv, GROUP_MODULES)
    assert loaded == [GROUPS[group].module]


def test_a_verb_loads_only_its_own_module():
    """Nested laziness: `akool session detail` imports the detail verb, not its siblings;
    the group's own help imports them all (it lists them)."""
    from akool_cli.cli.commands.session import app as session_app

    verbs = sorted({where.partition(":")[0] for where in session_app.verbs.values()})
    assert len(verbs) > 3
    assert _loaded_after(["session", "detail", "--help"], verbs) == [
        "akool_cli.cli.commands.session.detail"
    ]
    assert sorted(_loaded_after(["session", "--help"], verbs)) == verbs


def test_session_detail_help_stays_light():
    loaded = _loaded_after(["session", "detail", "--help"], HEAVY)
    assert loaded == [""]


@pytest.mark.parametrize("name, args, signame, code", SIGNAL_CASES[:2], ids=["SIGINT", "SIGTERM"])
def test_signal_during_create_wait_closes_the_session(emu, name, args, signame, code):
    seen = run_signal_case(args, signame, emu.emulator, AKOOL)
    assert seen["exit_code"] == code, seen["stderr"]
    assert seen["stdout"] == ""
    assert len(seen["created"]) == 1 and seen["closed"] == seen["created"]
    assert "Traceback" not in seen["stderr"]


def _readme_emulator_start() -> str:
    """The README's CI step that starts the emulator, as the job's shell runs it."""
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    step = readme.split("- name: Start the emulator\n")[1].split("run: |\n")[1]
    lines = []
    for line in step.splitlines():
        if not line.startswith("          "):
            break
        lines.append(line[10:])
    return "\n".join(lines)


@pytest.mark.parametrize("starts", [True, False], ids=["starts", "does-not-start"])
def test_the_readmes_ci_step_starts_the_emulator_or_fails_loudly(tmp_path, starts):
    import os
    import signal
    from pathlib import Path

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "akool"
    if starts:  # the real one, on a port of its own (8080 may be taken here)
        fake.write_text(f'#!/bin/sh\nexec {AKOOL} "$@"\n')
        step = _readme_emulator_start().replace("--port 8080", "--port 0")
    else:  # an emulator that dies at once, saying why on stderr
        fake.write_text("#!/bin/sh\necho 'cannot listen on 127.0.0.1:8080' >&2\nexit 1\n")
        step = _readme_emulator_start()
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    env["GITHUB_ENV"] = str(tmp_path / "github.env")
    done = subprocess.run(
        ["bash", "-e", "-c", step + "\necho $! > emulator.pid"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    try:
        if starts:
            assert done.returncode == 0, done.stdout + done.stderr
            exported = Path(env["GITHUB_ENV"]).read_text()
            assert re.search(r"^AKOOL_BASE_URL=http://127\.0\.0\.1:\d+$", exported, re.M)
        else:
            assert done.returncode == 1, done.stdout + done.stderr
            assert "the emulator did not start" in done.stdout
            assert "cannot listen on 127.0.0.1:8080" in done.stdout  # its log, shown
            assert not Path(env["GITHUB_ENV"]).exists()  # the job stops here
    finally:
        pid_file = tmp_path / "emulator.pid"
        if pid_file.exists() and pid_file.read_text().strip():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except ProcessLookupError:
                pass
