"""``akool say``: make the avatar say a text as it is (retelling mode)."""

from typing import TYPE_CHECKING, Annotated

import typer

from akool_cli.chat import RETELL
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    AnswerIdleOpt,
    AnswerTimeoutOpt,
    EventsOpt,
    LanguageOpt,
    NoLogOpt,
    SessionIdArg,
    VoiceIdOpt,
)
from akool_cli.cli.core.validate import text_argument

if TYPE_CHECKING:
    from akool_cli.cli.commands.chat.chat import ChatOptions
    from akool_cli.cli.core.context import AppContext


def run_say(opts: "ChatOptions", app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.chat.chat import run_chat

    if opts.message is not None:
        text_argument(opts.message, "TEXT")
    if opts.no_wait and opts.until_spoken:
        raise UsageError(
            "--until-spoken waits for the avatar to finish speaking; --no-wait does not wait"
        )
    return run_chat(opts, app_ctx)


def say(
    ctx: typer.Context,
    session_id: SessionIdArg,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="What to say; '-' reads lines from stdin.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per text (one line each).")
    ] = False,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="Send and return; do not wait for the avatar.")
    ] = False,
    voice_id: VoiceIdOpt = None,
    language: LanguageOpt = None,
    answer_idle: AnswerIdleOpt = DEFAULT_ANSWER_IDLE,
    answer_timeout: AnswerTimeoutOpt = DEFAULT_ANSWER_TIMEOUT,
    no_log: NoLogOpt = False,
    until_spoken: Annotated[
        bool,
        typer.Option(
            "--until-spoken",
            help="v4: return once the avatar has finished saying it (bounded by "
            "--answer-timeout; exit 9 if it has not).",
        ),
    ] = False,
    events: EventsOpt = False,
) -> None:
    """Make the avatar say TEXT as it is, in a live session (retelling mode).

    Waits for the avatar's frame for the text and prints it (--json: the same
    object as `akool chat --json`); --no-wait only sends. A session that has
    ended exits 8.

    [b]Examples[/b]

      $ akool say "$ID" "Welcome to the show"
      $ printf 'Line one\\nLine two\\n' | akool say "$ID" -
      $ akool say "$ID" "Back in five minutes" --no-wait
      $ akool say "$ID" "Welcome" --until-spoken
    """
    from akool_cli.cli.commands.chat.chat import ChatOptions

    opts = ChatOptions(
        session_id=session_id,
        voice_id=voice_id,
        language=language,
        mode_type=RETELL,
        message=None if text == "-" else text,
        as_json=as_json,
        answer_idle=answer_idle,
        answer_timeout=answer_timeout,
        no_wait=no_wait,
        from_stdin=text == "-",
        no_log=no_log,
        command="say",
        until_spoken=until_spoken,
        events=events,
    )
    invoke(ctx, run_say, opts)
