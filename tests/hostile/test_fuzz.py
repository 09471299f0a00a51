"""Fuzzing the CLI's inputs: argv built from fragments and odd values, odd environment
values. Every run ends with a documented exit code and never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import _runner

DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 130, 143}

COMMANDS = [
    ["auth", "status"],
    ["auth", "token"],
    ["auth", "logout"],
    ["auth", "login", "--with-api-key", "--no-verify"],
    ["session", "list"],
    ["session", "detail"],
    ["session", "close"],
    ["session", "pause"],
    ["session", "create"],
    ["chat"],
    ["say"],
]
FLAGS = [
    "--json", "-q", "--all", "--wait", "--page", "--size", "--status", "--avatar-id",
    "--timeout", "--wait-timeout", "--answer-timeout", "--answer-idle", "--mode", "-m",
    "--url", "--prompt", "--prompt-url", "--prompt-file", "--voice-id", "--keep", "-",
    "--base-url", "--profile", "--debug", "--no-wait", "--insecure",
]  # fmt: skip
VALUES = st.sampled_from(
    ["nan", "inf", "-inf", "1e10", "-1", "0", "0.05", "", " ", "Kai_1080P_back",
     "0123456789abcdef01234567", "a/b", "é", "\x00", "\x1b[2J", "ws://[::1/x.chat",
     "ws://127.0.0.1:99999/x/client_1.chat", "http://[::1", "retell", "live", "9" * 40,
     "/dev/null", "x" * 300]
) | st.text(max_size=20)  # fmt: skip
ENV = st.fixed_dictionaries(
    {},
    optional={
        "AKOOL_TIMEOUT": VALUES,
        "AKOOL_MAX_RETRIES": VALUES,
        "AKOOL_PROFILE": VALUES,
        "AKOOL_API_KEY": VALUES,
        "AKOOL_CLIENT_ID": VALUES,
        "AKOOL_DEBUG": st.sampled_from(["1", "0", "yes", "maybe"]),
    },
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(COMMANDS),
    rest=st.lists(st.sampled_from(FLAGS) | VALUES, max_size=6),
    env=ENV,
    stdin=st.sampled_from(["", "\n", "abc\n", "\xff", "x" * 5000]),
)
def test_any_input_ends_with_a_documented_exit_code(logged_in, command, rest, env, stdin):
    environment = {"AKOOL_BASE_URL": logged_in.url, "AKOOL_API_KEY": "emulator-key", **env}
    environment = {k: v.replace("\x00", "") for k, v in environment.items()}
    args = [a.replace("\x00", "") for a in [*command, *rest]]
    result = _runner().invoke(
        __import__("akool_cli.cli.app", fromlist=["app"]).app, args, input=stdin, env=environment
    )
    output = (result.stdout or "") + (getattr(result, "stderr", "") or "")
    assert result.exit_code in DOCUMENTED, (args, env, output, result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} {env}: {result.exception!r}")
    assert "Traceback" not in output
