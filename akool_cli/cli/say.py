"""``akool say``: make the avatar say a text as it is (retelling mode)."""

from typing import Annotated, Optional

import typer

from akool_cli.cli._invoke import invoke
from akool_cli.cli.complete import complete_session_id


def say(
    ctx: typer.Context,
    session_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Session to speak in.", autocompletion=complete_session_id
        ),
    ],
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="What to say; '-' reads lines from stdin.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per text (one line each).")
    ] = False,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="Send and return; do not wait for the avatar.")
    ] = False,
    voice_id: Annotated[Optional[str], typer.Option("--voice-id", help="Voice model id.")] = None,
    language: Annotated[
        Optional[str], typer.Option("--language", help="Language code, e.g. en.")
    ] = None,
    answer_idle: Annotated[
        float,
        typer.Option("--answer-idle", min=0.01, help="Seconds without a frame that end it."),
    ] = 0.8,
    answer_timeout: Annotated[
        float,
        typer.Option("--answer-timeout", min=0.1, help="Seconds the avatar may take (exit 9)."),
    ] = 30.0,
) -> None:
    """Make the avatar say TEXT as it is, in a live session (retelling mode).

    Waits for the avatar's frame for the text and prints it (--json: the same
    object as `akool chat --json`); --no-wait only sends. A session that has
    ended exits 8.

    [b]Examples[/b]

      $ akool say "$ID" "Welcome to the show"
      $ printf 'Line one\\nLine two\\n' | akool say "$ID" -
      $ akool say "$ID" "Back in five minutes" --no-wait
    """
    from akool_cli.chat.protocol import RETELL
    from akool_cli.cli.chat import ChatOptions, run_chat

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
    )
    invoke(ctx, run_chat, opts)
