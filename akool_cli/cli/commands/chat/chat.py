"""``akool chat``: talk to an avatar in the session's room (v4: LiveKit; v3: a websocket).

Three modes: an interactive prompt (stdin is a terminal), one question
(``--message``), or one question per line of piped stdin.
"""

import itertools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Optional, Tuple

import typer

from akool_cli.chat import DIALOGUE
from akool_cli.cli.core import validate
from akool_cli.cli.core.completers import complete_avatar
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.invoke import invoke
from akool_cli.cli.core.options import (
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    AnswerIdleOpt,
    AnswerTimeoutOpt,
    DurationOpt,
    EventsOpt,
    LanguageOpt,
    ModeOpt,
    NoLogOpt,
    OptionalSessionIdArg,
    VoiceIdOpt,
    WaitTimeoutOpt,
)

if TYPE_CHECKING:
    from akool_cli.chat.protocol import ChatSettings
    from akool_cli.cli.core.context import AppContext

MAX_PROMPT_FILE = 1024 * 1024  # bytes; a role description, not a book


@dataclass(frozen=True)
class ChatOptions:
    session_id: Optional[str] = None
    avatar_id: Optional[str] = None
    voice_id: Optional[str] = None
    language: Optional[str] = None
    mode: Optional[str] = None  # as typed (--mode); None: the profile's, else dialogue
    mode_type: Optional[int] = None  # the API's number, once resolved (say: retell)
    prompt: Optional[str] = None
    prompt_url: Optional[str] = None
    prompt_file: Optional[Path] = None
    message: Optional[str] = None
    as_json: bool = False
    answer_idle: float = DEFAULT_ANSWER_IDLE
    answer_timeout: float = DEFAULT_ANSWER_TIMEOUT
    keep: bool = False
    url: Optional[str] = None
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT
    no_wait: bool = False  # send, do not wait for the avatar's frames (say --no-wait)
    from_stdin: bool = False  # questions are stdin's lines even on a terminal (say ID -)
    no_log: bool = False  # do not record this chat in the chat log
    command: str = "chat"  # as recorded in the chat log: chat | say
    events: bool = False  # show the room's events (v4): stderr, or JSON Lines with --json
    until_spoken: bool = False  # say: wait until the avatar has said it (v4: audio_end)
    duration: Optional[int] = None  # with --avatar-id: a v4 session of this many seconds


def parse_mode(value: str) -> int:
    from akool_cli.chat.protocol import parse_mode as parse

    try:
        return parse(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def with_defaults(opts: ChatOptions, app_ctx: "AppContext") -> ChatOptions:
    """The options with what was left out taken from the profile: the mode (else
    dialogue), the voice and the language."""
    mode_type = opts.mode_type
    if mode_type is None:
        mode_type = parse_mode(opts.mode if opts.mode is not None else app_ctx.setting("mode")[0])
    voice_id = opts.voice_id if opts.voice_id is not None else app_ctx.setting("voice_id")[0]
    language = opts.language if opts.language is not None else app_ctx.setting("language")[0]
    return replace(opts, mode_type=mode_type, voice_id=voice_id, language=language)


def _prompt(opts: ChatOptions) -> Any:
    """The payload's prompt (from, content), or None."""
    from akool_cli.cli.core.input import read_small_file

    if sum(x is not None for x in (opts.prompt, opts.prompt_url, opts.prompt_file)) > 1:
        raise UsageError("use one of --prompt, --prompt-url and --prompt-file")
    if opts.prompt is not None:
        return "text", opts.prompt
    if opts.prompt_url is not None:
        if not opts.prompt_url.startswith(("http://", "https://")):
            raise UsageError("--prompt-url must be an http(s) URL of a PDF")
        return "url", opts.prompt_url
    if opts.prompt_file is not None:
        return "text", read_small_file(opts.prompt_file, MAX_PROMPT_FILE, "--prompt-file")
    return None


def check(opts: ChatOptions, stdin: Any = None) -> "Tuple[ChatOptions, ChatSettings]":
    """Refuse bad input before anything is sent; the options with the ids checked, and
    the chat settings. A session id of ``-`` is the first line of ``stdin`` (its other
    lines are then the questions)."""
    from akool_cli.chat.protocol import ChatSettings, server_url_for
    from akool_cli.cli.commands.chat.talk import check_question
    from akool_cli.cli.core.input import one_session_id

    if opts.session_id is not None and opts.avatar_id is not None:
        raise UsageError("give a session id or --avatar-id, not both")
    if opts.session_id is None and opts.avatar_id is None and opts.url is None:
        raise UsageError(
            "which session?",
            hint="akool chat SESSION_ID, akool chat --avatar-id dvp_Tristan_cloth2_1080P, or --url",
        )
    if opts.session_id is not None:
        opts = replace(opts, session_id=one_session_id(opts.session_id, stdin))
    if opts.avatar_id is not None:
        opts = replace(opts, avatar_id=validate.avatar_id(opts.avatar_id))
    if opts.url is not None:
        if not opts.url.startswith(("ws://", "wss://")):
            raise UsageError(f"--url must be a ws:// or wss:// chat room URL, not {opts.url!r}")
        server_url_for(opts.url)  # BadRoomURL (a usage error) if it is not a client room
    prompt = _prompt(opts)
    if opts.message is not None:
        check_question(validate.text_argument(opts.message, "--message"))
    if opts.prompt is not None and not validate.is_text(opts.prompt):
        raise UsageError("--prompt is not UTF-8 text")
    if opts.voice_id:  # empty: none (a profile's default left out)
        opts = replace(opts, voice_id=validate.word(opts.voice_id, "--voice-id"))
    if opts.language:
        opts = replace(opts, language=validate.word(opts.language, "--language"))
    if opts.keep and opts.avatar_id is None:
        raise UsageError("--keep only applies with --avatar-id")
    # An --answer-idle given as long as the timeout: every quiet-ended answer would time out.
    if opts.answer_idle != DEFAULT_ANSWER_IDLE and opts.answer_idle >= opts.answer_timeout:
        raise UsageError(
            f"--answer-idle ({opts.answer_idle:g} s) must be shorter than --answer-timeout "
            f"({opts.answer_timeout:g} s)"
        )
    if opts.duration is not None and opts.avatar_id is None:
        raise UsageError("--duration only applies with --avatar-id")
    if opts.url is not None and (opts.events or opts.until_spoken):
        raise UsageError("--url is a v3 chat room: it has no events to show")
    return opts, ChatSettings(
        voice_id=opts.voice_id or None,
        language=opts.language or None,
        mode_type=opts.mode_type if opts.mode_type is not None else DIALOGUE,
        prompt_from=prompt[0] if prompt else None,
        prompt_content=prompt[1] if prompt else None,
    )


def run_chat(opts: ChatOptions, app_ctx: "AppContext") -> int:
    from akool_cli.cli.commands.chat import talk

    opts, settings = check(with_defaults(opts, app_ctx), app_ctx.io.stdin)
    # what create will be sent, every value checked (--duration under v3 refused) before
    # anything is read or sent
    created = talk.create_arguments(app_ctx, opts) if opts.avatar_id is not None else None
    app_ctx.about(
        session_id=opts.session_id, avatar_id=opts.avatar_id, avatar_sent=opts.avatar_id is not None
    )
    io = app_ctx.io
    piped: Optional[Iterator[str]] = None
    if opts.message is None and (opts.from_stdin or not io.stdin_tty):
        # The first question is read and checked before anything is sent (or created);
        # the rest stream in as they come.
        lines = talk.questions(app_ctx)
        first = next(lines, None)
        if first is None:
            return 0
        piped = itertools.chain([first], lines)
    if created is not None:
        return talk.chat_in_a_new_session(app_ctx, opts, settings, piped, created)
    return talk.converse(app_ctx, opts, settings, talk.room_of(app_ctx, opts), piped)


def chat(
    ctx: typer.Context,
    session_id: OptionalSessionIdArg = None,
    avatar_id: Annotated[
        Optional[str],
        typer.Option(
            "--avatar-id",
            metavar="ID",
            help="Create a session for this avatar, chat, then close it.",
            autocompletion=complete_avatar,
        ),
    ] = None,
    message: Annotated[
        Optional[str],
        typer.Option("--message", "-m", metavar="TEXT", help="Ask one question and exit."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per answer (one line each).")
    ] = False,
    voice_id: VoiceIdOpt = None,
    language: LanguageOpt = None,
    mode: ModeOpt = None,
    prompt: Annotated[
        Optional[str],
        typer.Option("--prompt", metavar="TEXT", help="Describe the avatar's role (text)."),
    ] = None,
    prompt_url: Annotated[
        Optional[str],
        typer.Option("--prompt-url", metavar="URL", help="URL of a PDF describing the role."),
    ] = None,
    prompt_file: Annotated[
        Optional[Path],
        typer.Option("--prompt-file", metavar="FILE", help="File whose text is the prompt."),
    ] = None,
    answer_idle: AnswerIdleOpt = DEFAULT_ANSWER_IDLE,
    answer_timeout: AnswerTimeoutOpt = DEFAULT_ANSWER_TIMEOUT,
    keep: Annotated[
        bool,
        typer.Option(
            "--keep", help="With --avatar-id: keep the session once live (its id goes to stderr)."
        ),
    ] = False,
    url: Annotated[
        Optional[str],
        typer.Option("--url", metavar="URL", help="Client chat room URL (wss://…/client_N.chat)."),
    ] = None,
    wait_timeout: WaitTimeoutOpt = DEFAULT_WAIT_TIMEOUT,
    no_log: NoLogOpt = False,
    events: EventsOpt = False,
    duration: DurationOpt = None,
) -> None:
    """Chat with an avatar in the session's room.

    On a terminal: an interactive prompt with history (/help lists commands).
    With --message: one question, one answer. Piped: each line is a question.
    The avatar answers (dialogue); --mode retell makes it say your text as is.
    A session that has ended exits 8. Every exchange is recorded in the chat log
    (`akool logs`) unless --no-log.

    How an answer ends: in a room that marks its answers (answer_ended, seen in
    this chat or, says the chat log, in an earlier one of the session), at the
    marker, however long the avatar pauses; in one that never has, after
    --answer-idle seconds without a piece (default 2.5: enough for pieces 1.5 s
    apart). The trade-off: each answer costs that long after its last piece (on a
    terminal the text shows as it comes); a shorter wait may cut a slow avatar.
    --json says which ended it: "ended_by": "marker" or "quiet". --answer-timeout
    bounds it all, connecting included (exit 9).

    [b]Examples[/b]

      $ akool chat 6698c9d69cf7b0d61d1b6420
      $ akool chat "$ID" --message "Say hi" --json
      $ printf 'Hi\\nWhat can you do?\\n' | akool chat "$ID" --json
      $ akool chat "$ID" --mode retell -m "Hello, I am Kai"
      $ akool chat --avatar-id dvp_Tristan_cloth2_1080P --duration 300
    """
    opts = ChatOptions(
        session_id=session_id,
        avatar_id=avatar_id,
        voice_id=voice_id,
        language=language,
        mode=mode,
        prompt=prompt,
        prompt_url=prompt_url,
        prompt_file=prompt_file,
        message=message,
        as_json=as_json,
        answer_idle=answer_idle,
        answer_timeout=answer_timeout,
        keep=keep,
        url=url,
        wait_timeout=wait_timeout,
        no_log=no_log,
        events=events,
        duration=duration,
    )
    invoke(ctx, run_chat, opts)
