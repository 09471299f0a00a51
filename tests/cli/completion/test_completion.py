"""Shell completion: committed scripts are current; dynamic values come from local files."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import AKOOL

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_committed_completion_scripts_are_current(shell):
    generated = subprocess.run(
        [AKOOL, "completion", shell], capture_output=True, text=True, timeout=30
    ).stdout
    committed = (ROOT / "completions" / f"akool.{shell}").read_text()
    assert generated and committed == generated, "run `make completions`"


def ask(shell: str, line: str) -> subprocess.CompletedProcess:
    """What ``akool`` answers a completion script of ``shell`` for ``line`` (cursor at its
    end)."""
    env = {**os.environ, "_AKOOL_COMPLETE": shell, "_AKOOL_COMPLETE_ARGS": line}
    return subprocess.run([AKOOL], env=env, capture_output=True, text=True, timeout=30)


def complete(words: str) -> tuple:
    """What bash completion offers for the line ``words`` (cursor at its end)."""
    proc = ask("bash", words)
    return proc.stdout.split(), proc.stderr


def test_the_protocol_of_scripts_from_earlier_versions_is_still_answered():
    parts = "akool session cl".split(" ")
    env = {
        **os.environ,
        "_AKOOL_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(parts),
        "COMP_CWORD": str(len(parts) - 1),
    }
    proc = subprocess.run([AKOOL], env=env, capture_output=True, text=True, timeout=30)
    assert proc.stdout.split() == ["close"]


def test_zsh_and_fish_answers_keep_descriptions_whole_and_one_per_line():
    zsh = ask("zsh", "akool session ").stdout.splitlines()
    assert "detail:Show a session's status and stream URLs." in zsh  # the apostrophe kept
    fish = ask("fish", "akool session ").stdout.splitlines()
    assert "detail\tShow a session's status and stream URLs." in fish
    assert ask("zsh", "akool --base-url ").stdout == ""  # nothing: the script offers files


def test_a_colon_in_a_zsh_value_is_escaped(tmp_path, private_env):
    from akool_cli.cli.core.completion_scripts import _line

    assert _line("zsh", "a:b", "it's") == "a\\:b:it's"
    assert _line("fish", "a", "two\nlines") == "a\ttwo lines"
    assert _line("bash", "x", "help") == "x"


def test_commands_and_options_complete():
    assert complete("akool se")[0] == ["session"]
    assert "create" in complete("akool session ")[0]
    assert "--avatar-id" in complete("akool session create --")[0]


def test_avatar_ids_and_status_names_complete():
    assert complete("akool session create --avatar-id K")[0] == [
        "Kai_1080P_back",
        "Katha_1080P_back",
    ]
    assert complete("akool session list --status ")[0] == [
        "queueing",
        "live",
        "processing",
        "ended",
        "completed",
        "failed",
        "billable",
    ]
    assert complete("akool session list --status queueing,l")[0] == ["queueing,live"]
    assert complete("akool chat --mode r")[0] == ["retell"]
    assert complete("akool chat --avatar-id w")[0] == ["who_1080P_back"]


def test_session_ids_complete_from_the_local_record_without_a_request(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    other = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    requests_before = logged_in.snapshot()["requests"]
    for command in ("detail", "close", "pause"):
        offered, err = complete(f"akool session {command} ")
        assert offered == [other, sid] and err == ""
    assert complete(f"akool chat {sid}")[0] == [sid]  # ids of a second share all but a few
    assert logged_in.snapshot()["requests"] == requests_before
    cli(["session", "close", sid])
    assert complete("akool session detail ")[0] == [other]


def test_profiles_complete(cli, emu):
    for name in ("work", "staging"):
        cli(
            [
                "--base-url",
                emu.url,
                "--profile",
                name,
                "auth",
                "login",
                "--with-api-key",
                "--no-verify",
            ],
            input="k\n",
        )
    assert complete("akool --profile ")[0] == ["staging", "work"]


def test_completion_never_prints_an_error(private_env):
    config = Path(os.environ["AKOOL_CONFIG_DIR"])
    config.mkdir()
    (config / "config.json").write_text("{corrupt")
    state = Path(os.environ["AKOOL_STATE_DIR"])
    state.mkdir()
    (state / "sessions.json").write_text("[oops")
    assert complete("akool --profile ") == ([], "")
    assert complete("akool session detail ") == ([], "")


def _complete_env(words: str, **env) -> tuple:
    parts = words.split(" ")
    proc = subprocess.run(
        [AKOOL],
        env={
            **os.environ,
            **env,
            "_AKOOL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc.stdout.split(), proc.stderr


def test_voices_languages_and_avatars_complete_from_the_lists(cli, logged_in):
    cli(["voice", "list"])  # fills the caches
    cli(["language", "list"])
    before = logged_in.snapshot()["requests"]
    assert complete("akool chat --voice-id 21")[0] == ["21m00Tcm4TlvDq8ikWAM"]
    assert complete("akool say x y --language f")[0] == ["fr"]
    assert logged_in.snapshot()["requests"] == before  # fresh caches: no request


def test_a_missing_cache_is_filled_by_completion_itself(logged_in):
    offered, err = complete("akool session create --avatar-id O")
    assert offered == ["Olivia_1080P_back"] and err == ""
    assert complete("akool chat --voice-id Xr")[0] == ["XrExE9yKIg1WjnnlVkGX"]


def test_uploaded_avatars_complete_once_listed(cli, logged_in):
    cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "MyOwn1"])
    cli(["avatar", "list"])
    assert complete("akool session create --avatar-id My")[0] == ["MyOwn1"]


def test_completion_gives_up_quietly_when_the_service_is_away(private_env):
    import time

    from tests.hostile.servers import HostileHTTP

    with HostileHTTP("slow-headers") as server:  # a service that never answers
        started = time.monotonic()
        offered, err = _complete_env(
            "akool chat --voice-id ", AKOOL_BASE_URL=server.url, AKOOL_API_KEY="k"
        )
        took = time.monotonic() - started
    assert offered == [] and err == ""
    assert took < 1 + 4  # one second on the network at most, plus start-up


def _bash(line: str) -> list:
    """Completion in a real bash: the committed script sourced, COMPREPLY for ``line``."""
    script = ROOT / "completions" / "akool.bash"
    program = (
        f"source {script}; COMP_LINE={shlex.quote(line)}; COMP_POINT=${{#COMP_LINE}}; "
        "_akool_completion akool; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    path = f"{Path(AKOOL).parent}:{os.environ['PATH']}"
    proc = subprocess.run(
        ["bash", "--norc", "-c", program],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc.stdout.split()


def test_bash_completes_through_the_committed_script():
    assert _bash("akool se") == ["session"]
    assert _bash("akool session cl") == ["close"]
    assert _bash("akool chat --mode re") == ["retell"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (CI installs it)")
def test_zsh_completes_on_the_first_tab_of_a_new_shell(tmp_path):
    """The script autoloaded from $fpath: the first TAB already completes."""
    import pexpect

    functions = tmp_path / "functions"
    functions.mkdir()
    (functions / "_akool").write_text((ROOT / "completions" / "akool.zsh").read_text())
    env = {**os.environ, "PATH": f"{Path(AKOOL).parent}:{os.environ['PATH']}", "PS1": "%% "}
    child = pexpect.spawn("zsh", ["-f"], env=env, encoding="utf-8", timeout=15)
    child.sendline(f"fpath=({functions} $fpath); autoload -Uz compinit; compinit -u; echo ready")
    child.expect_exact("ready")
    child.send("akool ses\t")
    child.expect_exact("akool session")
    child.send("\x15")  # clear the line
    child.send("akool session de\t")
    child.expect_exact("detail")
    child.sendline("\x15exit")
    child.expect(pexpect.EOF)


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (CI installs it)")
def test_fish_completes_through_the_committed_script(tmp_path):
    script = ROOT / "completions" / "akool.fish"
    path = f"{Path(AKOOL).parent}:{os.environ['PATH']}"
    program = f"source {script}; complete -C 'akool session de'"
    proc = subprocess.run(
        ["fish", "--no-config", "-c", program],
        env={**os.environ, "PATH": path, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.stdout.splitlines() == ["detail\tShow a session's status and stream URLs."]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_install_adds_only_what_loads_it_and_only_once(cli, tmp_path, monkeypatch, shell):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    rc = {"bash": home / ".bashrc", "zsh": home / ".zshrc"}.get(shell)
    if rc is not None:
        rc.write_text("# mine\nalias ll='ls -l'\n")
    for _ in range(2):
        result = cli(["completion", shell, "--install"])
        assert result.exit_code == 0, result.stderr
    target = {
        "bash": home / ".local/share/bash-completion/completions/akool",
        "zsh": home / ".zfunc/_akool",
        "fish": home / ".config/fish/completions/akool.fish",
    }[shell]
    assert target.read_text() == (ROOT / "completions" / f"akool.{shell}").read_text()
    if rc is not None:
        text = rc.read_text()
        assert text.startswith("# mine\nalias ll='ls -l'\n")
        assert text.count("# akool shell completion") == 1
        assert "zstyle" not in text and "menu" not in text  # nothing unrelated
        added = text.split("# akool shell completion\n")[1].splitlines()
        assert len(added) == (1 if shell == "bash" else 2)


def test_install_completion_uses_the_shell_in_shell(akool, tmp_path):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "SHELL": "/usr/bin/zsh"}
    result = akool(["--install-completion"], env=env)
    assert result.exit_code == 0 and "_akool" in result.stderr
    assert (home / ".zfunc" / "_akool").exists() and "compinit" in (home / ".zshrc").read_text()
    shown = akool(["--show-completion"], env=env)
    assert shown.stdout == (ROOT / "completions" / "akool.zsh").read_text()
    unknown = akool(["--show-completion"], env={**env, "SHELL": "/bin/tcsh"})
    assert unknown.exit_code == 2 and "akool completion SHELL" in unknown.stderr


def test_completion_prints_the_script_for_the_shell_in_shell(akool):
    result = akool(["completion"], env={"SHELL": "/bin/bash"})
    assert result.stdout == (ROOT / "completions" / "akool.bash").read_text()
    assert akool(["completion", "tcsh"]).exit_code == 2


def test_completion_uses_the_profile_auth_switch_chose(cli, emu, private_env):
    from akool_cli.emulator.state import DEFAULT_API_KEY

    login = ["auth", "login", "--with-api-key", "--no-verify"]
    cli(["--base-url", "http://127.0.0.1:9", *login], input="k\n")  # default: nowhere
    cli(["--profile", "staging", "--base-url", emu.url, *login], input=DEFAULT_API_KEY + "\n")
    assert cli(["auth", "switch", "staging"]).exit_code == 0
    offered, err = _complete_env("akool chat --voice-id Xr")
    assert offered == ["XrExE9yKIg1WjnnlVkGX"] and err == ""  # staging's list, not default's


def test_install_never_reads_an_rc_file_that_is_a_device(cli, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    (home / ".zshrc").symlink_to("/dev/zero")  # endless: read whole, it would exhaust memory
    result = cli(["completion", "zsh", "--install"])
    assert result.exit_code != 0 and "not a regular file" in result.stderr
    assert "internal error" not in result.stderr


def test_a_relative_xdg_data_home_is_ignored(cli, tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.chdir(tmp_path)
    assert cli(["completion", "bash", "--install"]).exit_code == 0
    assert (home / ".local/share/bash-completion/completions/akool").exists()
    assert not (tmp_path / "relative").exists()


def test_avatar_ids_complete_with_the_chosen_versions_built_ins_only(v4_default, tmp_path):
    assert complete("akool session create --avatar-id ")[0] == ["dvp_Tristan_cloth2_1080P"]
    v3 = complete("akool --api-version v3 session create --avatar-id ")[0]
    assert v3 == ["Kai_1080P_back", "Katha_1080P_back", "Olivia_1080P_back", "who_1080P_back"]
    config = Path(os.environ["AKOOL_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    subprocess.run([AKOOL, "config", "set", "api_version", "v3"], check=True, capture_output=True)
    assert complete("akool session create --avatar-id d")[0] == []  # the profile's v3


def test_a_v4_avatar_not_available_is_not_offered(cli, logged_in_v4):
    logged_in_v4.config(ready_after=60)  # an upload still being processed
    made = cli(["avatar", "create", "--url", "https://x/y.mp4", "--avatar-id", "MyOwn1"])
    assert made.exit_code == 0, made.stderr
    assert complete("akool session create --avatar-id My")[0] == []  # available: false
    logged_in_v4.config(ready_after=0)
    cli(["avatar", "create", "--url", "https://x/z.mp4", "--avatar-id", "MyOwn2"])
    cli(["avatar", "list"])  # the cache refreshed: the ready one is offered
    assert complete("akool session create --avatar-id My")[0] == ["MyOwn2"]
