"""``akool help [TOPIC|COMMAND…]``: topics an installed user needs without the README
(environment variables, exit codes), and the help of any command."""

import sys
import textwrap
from typing import Annotated, List, Optional, Tuple

import typer

from akool_cli.cli.core.errors import MEANINGS

# (variable, what it does), in the order `akool help environment` lists them.
ENVIRONMENT: Tuple[Tuple[str, str], ...] = (
    ("AKOOL_TOKEN", "a bearer token to use (wins over every other credential)"),
    ("AKOOL_API_KEY", "an API key to use, sent as x-api-key"),
    ("AKOOL_CLIENT_ID", "with AKOOL_CLIENT_SECRET: exchanged for a token, cached"),
    ("AKOOL_CLIENT_SECRET", "see AKOOL_CLIENT_ID"),
    ("AKOOL_BASE_URL", "the API's base URL (--base-url)"),
    ("AKOOL_PROFILE", "the profile to use (--profile)"),
    ("AKOOL_API_VERSION", "v3 or v4 (the default): the API version to speak (--api-version)"),
    ("AKOOL_TIMEOUT", "seconds one HTTP request may take (--timeout)"),
    ("AKOOL_DEBUG", "1: one stderr line per HTTP exchange, secrets redacted (--debug)"),
    ("AKOOL_INSECURE", "1: allow a credential over plain http:// to another host"),
    ("AKOOL_NO_PAGER", "1: never page long output (--no-pager)"),
    ("AKOOL_PAGER", "the pager for long output on a terminal (else PAGER, else less -FRX)"),
    ("AKOOL_LOGS", "0: do not record chats in the chat log; 1: do, whatever logs off said"),
    ("AKOOL_MAX_RETRIES", "retries of a request that is safe to repeat, 0–10 (default 2)"),
    ("AKOOL_CONCURRENCY", "requests at once for list --all and bulk close/pause (default 6)"),
    ("AKOOL_PLAYER", "the video player `session open` starts (else mpv, ffplay or vlc)"),
    ("AKOOL_CONFIG_DIR", "where profiles and credentials live"),
    ("AKOOL_STATE_DIR", "where the session record, token cache, chat log and caches live"),
    ("AKOOL_EMULATOR_PID", "set by `akool emulator --env`: the emulator's process, to kill"),
    ("https_proxy", "the proxy for https:// (or HTTPS_PROXY, all_proxy); never for this machine"),
    ("http_proxy", "the proxy for http:// (or HTTP_PROXY, all_proxy); never for this machine"),
    ("NO_PROXY", "hosts reached without a proxy (or no_proxy)"),
    ("REQUESTS_CA_BUNDLE", "a PEM file or directory of CA certificates (or CURL_CA_BUNDLE)"),
    ("NO_COLOR", "set: no colour in any output"),
    ("PAGER", "the pager, when AKOOL_PAGER is not set"),
)


def environment_text() -> str:
    width = max(len(name) for name, _ in ENVIRONMENT)
    lines = [
        "Environment variables akool reads. A command-line option wins over its",
        "variable; a variable wins over the profile's setting (akool config).",
        "",
    ]
    lines += [f"  {name.ljust(width)}  {what}" for name, what in ENVIRONMENT]
    return "\n".join(lines)


def exit_codes_text() -> str:
    lines = ["Exit codes: a contract, the same in every command.", ""]
    for code, meaning in MEANINGS.items():
        wrapped = textwrap.wrap(meaning, 72, break_on_hyphens=False)
        lines.append(f"  {int(code):>3}  {wrapped[0]}")
        lines += [f"       {more}" for more in wrapped[1:]]
    lines += [
        "",
        "A failure is one `error:` line on stderr (with the API's code and message) and",
        'maybe a `hint:` line; with --json, one line {"error": {...}} instead.',
    ]
    return "\n".join(lines)


API_VERSIONS_TEXT = """\
Akool's API has two versions; akool speaks both, v4 by default.

  v4  what the vendor documents since 2024-12. A session has a duration (1-3600 s,
      --duration, default 600 or the profile's `duration`): charged up front, the
      unused part refunded on close; it ends when the duration runs out. Its room is
      LiveKit (the default --stream-type, the one akool chats over), Agora or TRTC.
      Knowledge bases (`akool knowledge`). No pause.
  v3  the API this tool started from: sessions with stream URLs and a chat
      websocket, `session pause`; no duration, no knowledge bases.

Choosing: --api-version v3|v4 (anywhere on the line), else AKOOL_API_VERSION, else
the profile's api_version (`akool config set api_version v3`), else v4. `akool auth
status` and `akool config list` show which is in use and where it comes from.

A session remembers the version that created it: `session detail`, `close`,
`watch`, `open`, `chat` and `say` of an id this machine created use that version
whatever is chosen; an id without a local record uses the chosen one. Each version
lists only its own sessions: `session list` asks the chosen version, and the other
one too while this machine holds a record of a session it created there and has not
seen end (a VERSION column tells them apart). Avatars differ: v3's are the
*_1080P_back ones, v4's official one is dvp_Tristan_cloth2_1080P. Avatar upload,
languages, the credit balance and getToken stay on v3's routes in both.

What one version lacks is refused before anything is sent (exit 2): `session
pause` on v4, `akool knowledge` and --duration on v3. `chat` and `say` talk in the
session's room: v4's LiveKit room (the `livekit` extra; only create's answer names
it, so a v4 id is chatted with from the machine that created it), v3's websocket;
`chat --avatar-id` creates a session of the chosen version, as `session create`
does, and closes it after."""


def api_versions_text() -> str:
    return API_VERSIONS_TEXT


TOPICS = {
    "api-versions": ("The API's two versions, v3 and v4, and choosing one.", api_versions_text),
    "environment": ("Environment variables akool reads.", environment_text),
    "exit-codes": ("What each exit code means.", exit_codes_text),
}


def help_(
    ctx: typer.Context,
    words: Annotated[
        Optional[List[str]],
        typer.Argument(
            metavar="[TOPIC|COMMAND…]",
            help="api-versions, environment, exit-codes, or a command "
            "(as in `akool help session list`).",
            autocompletion=lambda incomplete: [t for t in TOPICS if t.startswith(incomplete)],
        ),
    ] = None,
) -> None:
    """Help topics, and the help of any command.

    [b]Examples[/b]

      $ akool help api-versions
      $ akool help environment
      $ akool help exit-codes
      $ akool help session list
    """

    words = words or []
    if len(words) == 1 and words[0] in TOPICS:
        sys.stdout.write(TOPICS[words[0]][1]() + "\n")
        return
    root = ctx.find_root().command
    if not words:
        sys.stdout.write(_topics_text() + "\n")
        return
    # The command's own --help, as if it had been typed.
    root.main([*words, "--help"], prog_name="akool", standalone_mode=True)


def _topics_text() -> str:
    lines = ["Topics:", ""]
    lines += [f"  akool help {name:<13} {summary}" for name, (summary, _) in TOPICS.items()]
    lines += ["", "And `akool help COMMAND…` (or `akool COMMAND… --help`) for a command."]
    return "\n".join(lines)
