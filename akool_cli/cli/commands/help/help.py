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


TOPICS = {
    "environment": ("Environment variables akool reads.", environment_text),
    "exit-codes": ("What each exit code means.", exit_codes_text),
}


def help_(
    ctx: typer.Context,
    words: Annotated[
        Optional[List[str]],
        typer.Argument(
            metavar="[TOPIC|COMMAND…]",
            help="environment, exit-codes, or a command (as in `akool help session list`).",
            autocompletion=lambda incomplete: [t for t in TOPICS if t.startswith(incomplete)],
        ),
    ] = None,
) -> None:
    """Help topics, and the help of any command.

    [b]Examples[/b]

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
    lines += [f"  akool help {name:<12} {summary}" for name, (summary, _) in TOPICS.items()]
    lines += ["", "And `akool help COMMAND…` (or `akool COMMAND… --help`) for a command."]
    return "\n".join(lines)
