"""Options and arguments that more than one command takes, with their one default each."""

from typing import Annotated, Any, List, Optional, Tuple

import typer

from akool_cli.api import DEFAULT_WAIT_TIMEOUT
from akool_cli.chat import DEFAULT_ANSWER_IDLE, DEFAULT_ANSWER_TIMEOUT
from akool_cli.cli.core.completers import (
    complete_avatar,
    complete_knowledge,
    complete_language,
    complete_mode,
    complete_session_id,
    complete_status,
    complete_voice,
)
from akool_cli.cli.core.numbers import (
    ANSWER_IDLE_RANGE,
    ANSWER_TIMEOUT_RANGE,
    INTERVAL_RANGE,
    WAIT_RANGE,
    seconds,
)

__all__ = [
    "DEFAULT_ANSWER_IDLE",
    "DEFAULT_ANSWER_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the API's data as JSON.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print ids only.")]
PageOpt = Annotated[
    int, typer.Option("--page", metavar="N", min=1, max=1_000_000, help="Page number, from 1.")
]
AllPagesOpt = Annotated[bool, typer.Option("--all", help="Walk every page.")]
NoLogOpt = Annotated[
    bool, typer.Option("--no-log", help="Do not record this chat in the chat log (akool logs).")
]
EventsOpt = Annotated[
    bool,
    typer.Option(
        "--events",
        help="v4: show the room's events (speaking start/stop, acks, transcripts) on "
        "stderr; with --json, as JSON Lines on stdout before each answer.",
    ),
]


def seconds_option(flag: str, limits: Tuple[float, float], help: str) -> Any:
    """An option that takes a number of seconds within ``limits`` (checked as it is parsed)."""
    return typer.Option(flag, metavar="SECONDS", parser=seconds(*limits), help=help)


def _session_arg(help: str) -> Any:
    return typer.Argument(metavar="ID", help=help, autocompletion=complete_session_id)


SessionIdArg = Annotated[str, _session_arg("Session id; '-' reads it from stdin (one line).")]
OptionalSessionIdArg = Annotated[
    Optional[str], _session_arg("Session to talk to; '-' reads its id from stdin (one line).")
]
WatchedSessionIdArg = Annotated[
    Optional[str],
    _session_arg("Follow this session only (with --until); '-' reads its id from stdin."),
]
SessionIdsArg = Annotated[
    List[str],
    typer.Argument(
        metavar="ID...",
        help="Session ids; '-' reads ids from stdin, one per line.",
        autocompletion=complete_session_id,
    ),
]
AvatarIdOpt = Annotated[
    Optional[str],
    typer.Option(
        "--avatar-id",
        metavar="ID",
        help="Avatar to stream (see `akool avatar list`) \\[default: config avatar_id].",
        autocompletion=complete_avatar,
    ),
]
StatusOpt = Annotated[
    Optional[List[str]],
    typer.Option(
        "--status",
        metavar="STATUS",
        help="queueing, live (or processing), ended (or completed), failed, 1-4, or "
        "billable (queueing and live); several: repeated or comma-separated.",
        autocompletion=complete_status,
    ),
]
WaitTimeoutOpt = Annotated[
    float, seconds_option("--wait-timeout", WAIT_RANGE, "Seconds to wait for a live session.")
]
DEFAULT_CONCURRENCY = 6  # requests at once: enough to hide a network's latency, still gentle
ConcurrencyOpt = Annotated[
    int,
    typer.Option(
        "--concurrency",
        metavar="N",
        min=1,
        max=16,
        envvar="AKOOL_CONCURRENCY",
        show_envvar=True,
        help="Requests at once, each on its own connection (1 for one after another).",
    ),
]
DEFAULT_INTERVAL = 2.0
IntervalOpt = Annotated[
    float, seconds_option("--interval", INTERVAL_RANGE, "Seconds between refreshes.")
]
VoiceIdOpt = Annotated[
    Optional[str],
    typer.Option(
        "--voice-id",
        metavar="ID",
        help="Voice model id (see `akool voice list`).",
        autocompletion=complete_voice,
    ),
]
LanguageOpt = Annotated[
    Optional[str],
    typer.Option(
        "--language",
        metavar="CODE",
        help="Language code, e.g. en (see `akool language list`).",
        autocompletion=complete_language,
    ),
]
AnswerIdleOpt = Annotated[
    float,
    seconds_option(
        "--answer-idle",
        ANSWER_IDLE_RANGE,
        "Seconds without a frame that end an answer, in a room that does not mark "
        "its answers' end (answer_ended).",
    ),
]
AnswerTimeoutOpt = Annotated[
    float,
    seconds_option(
        "--answer-timeout", ANSWER_TIMEOUT_RANGE, "Seconds an answer may take (exit 9)."
    ),
]
ModeOpt = Annotated[
    Optional[str],
    typer.Option(
        "--mode",
        "--mode-type",
        metavar="MODE",
        help="dialogue (2): the avatar answers; retell (1): it says the text as given "
        "\\[default: config mode, else dialogue].",
        autocompletion=complete_mode,
    ),
]
DurationOpt = Annotated[
    Optional[int],
    typer.Option(
        "--duration",
        metavar="SECONDS",  # its range checked with the profile's (settings.duration)
        help="v4: seconds the session lasts, 1-3600, charged up front; the unused part is "
        "refunded on close \\[default: config duration, else 600].",
    ),
]
StreamTypeOpt = Annotated[
    Optional[str],
    typer.Option(
        "--stream-type",
        metavar="livekit|agora|trtc",
        help="v4: the session's room; akool chats over livekit \\[default: livekit].",
        autocompletion=lambda incomplete: [
            t for t in ("livekit", "agora", "trtc") if t.startswith(incomplete)
        ],
    ),
]
KnowledgeIdOpt = Annotated[
    Optional[str],
    typer.Option(
        "--knowledge-id",
        metavar="ID",
        help="v4: a knowledge base the avatar answers from (see `akool knowledge list`).",
        autocompletion=complete_knowledge,
    ),
]
VoiceUrlOpt = Annotated[
    Optional[str], typer.Option("--voice-url", metavar="URL", help="v4: a voice by its URL.")
]
BackgroundUrlOpt = Annotated[
    Optional[str],
    typer.Option("--background-url", metavar="URL", help="v4: the picture behind the avatar."),
]
VoiceParamsOpt = Annotated[
    Optional[str],
    typer.Option(
        "--voice-params",
        metavar="FILE|-",
        help="v4: a JSON object of voice parameters (speed 0.8-1.2, pron_map, "
        "stt_language, stt_type, turn_detection, elevenlabs_settings), from a file or - "
        "for stdin; keys the API does not document are refused.",
    ),
]
