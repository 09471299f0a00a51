"""``akool chat``: talk to an avatar over the session's websocket.

Three modes: an interactive prompt (stdin is a terminal), one question
(``--message``), or one question per line of piped stdin.
"""

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Iterator, List, Optional

import typer

from akool_cli.chat import DIALOGUE
from akool_cli.cli._invoke import invoke
from akool_cli.cli.complete import complete_avatar
from akool_cli.cli.options import (
    DEFAULT_ANSWER_IDLE,
    DEFAULT_ANSWER_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    AnswerIdleOpt,
    AnswerTimeoutOpt,
    LanguageOpt,
    ModeOpt,
    NoLogOpt,
    OptionalSessionIdArg,
    VoiceIdOpt,
    WaitTimeoutOpt,
)

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext
    from akool_cli.services.sessions import ChatRoom

MAX_PROMPT_FILE = 1024 * 1024  # bytes; a role description, not a book

app = typer.Typer(add_completion=False)


@dataclass
class ChatOptions:
    session_id: Optional[str] = None
    avatar_id: Optional[str] = None
    voice_id: Optional[str] = None
    language: Optional[str] = None
    mode_type: int = DIALOGUE  # the avatar answers
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


def parse_mode(value: str) -> int:
    from akool_cli.chat.protocol import parse_mode as parse
    from akool_cli.cli.errors import UsageError

    try:
        return parse(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def check_question(text: str) -> str:
    from akool_cli.chat import MAX_QUESTION
    from akool_cli.cli.errors import UsageError

    if len(text) > MAX_QUESTION:
        raise UsageError(
            f"a question is limited to {MAX_QUESTION} characters; this one has {len(text)}"
        )
    return text


def _prompt(opts: ChatOptions) -> Any:
    """The payload's prompt (from, content), or None."""
    from akool_cli.cli.errors import UsageError

    if sum(x is not None for x in (opts.prompt, opts.prompt_url, opts.prompt_file)) > 1:
        raise UsageError("use one of --prompt, --prompt-url and --prompt-file")
    if opts.prompt is not None:
        return "text", opts.prompt
    if opts.prompt_url is not None:
        if not opts.prompt_url.startswith(("http://", "https://")):
            raise UsageError("--prompt-url must be an http(s) URL of a PDF")
        return "url", opts.prompt_url
    if opts.prompt_file is not None:
        from akool_cli.cli.validate import read_small_file

        return "text", read_small_file(opts.prompt_file, MAX_PROMPT_FILE, "--prompt-file")
    return None


def check(opts: ChatOptions) -> Any:
    """Refuse bad input before anything is sent; the chat settings."""
    from akool_cli.chat.protocol import ChatSettings
    from akool_cli.cli import validate
    from akool_cli.cli.errors import UsageError

    if opts.session_id is not None and opts.avatar_id is not None:
        raise UsageError("give a session id or --avatar-id, not both")
    if opts.session_id is None and opts.avatar_id is None and opts.url is None:
        raise UsageError(
            "which session?",
            hint="akool chat SESSION_ID, akool chat --avatar-id Kai_1080P_back, or --url",
        )
    if opts.session_id is not None:
        opts.session_id = validate.session_id(opts.session_id)
    if opts.avatar_id is not None:
        opts.avatar_id = validate.avatar_id(opts.avatar_id)
    if opts.url is not None:
        from akool_cli.chat.protocol import server_url_for

        if not opts.url.startswith(("ws://", "wss://")):
            raise UsageError(f"--url must be a ws:// or wss:// chat room URL, not {opts.url!r}")
        server_url_for(opts.url)  # BadRoomURL (a usage error) if it is not a client room
    prompt = _prompt(opts)
    if opts.message is not None:
        check_question(validate.text_argument(opts.message, "--message"))
    for name in ("voice_id", "language", "prompt"):
        value = getattr(opts, name)
        if value is not None and not validate.is_text(value):
            raise UsageError(f"--{name.replace('_', '-')} is not UTF-8 text")
    if opts.keep and opts.avatar_id is None:
        raise UsageError("--keep only applies with --avatar-id")
    return ChatSettings(
        voice_id=opts.voice_id or None,
        language=opts.language or None,
        mode_type=opts.mode_type,
        prompt_from=prompt[0] if prompt else None,
        prompt_content=prompt[1] if prompt else None,
    )


def _questions(app_ctx: "AppContext") -> Iterator[str]:
    from akool_cli.chat import MAX_QUESTION
    from akool_cli.cli import validate

    for line in validate.iter_stdin_lines(app_ctx.io.stdin, "questions", MAX_QUESTION):
        yield check_question(line)


def _answer_one(
    app_ctx: "AppContext", conversation: Any, question: str, opts: ChatOptions, recorder: Any
) -> None:
    """Ask and print the answer: streamed as it comes on a terminal; when stdout is not a
    terminal, only a complete answer is printed (never a partial one, never twice)."""
    from akool_cli.chat.errors import AnswerTimeoutError
    from akool_cli.cli.output import sanitize_text

    io = app_ctx.io
    settings = conversation.settings
    written: List[str] = []

    def on_text(text: str) -> None:
        io.write(sanitize_text(text))
        io.flush()
        written.append(text)

    def on_restart() -> None:
        io.write("\n")
        io.warn("the chat connection dropped; the answer starts again")
        written.clear()

    streamed = io.stdout_tty and not opts.as_json
    try:
        answer = conversation.ask(
            question,
            idle=opts.answer_idle,
            timeout=opts.answer_timeout,
            on_text=on_text if streamed else None,
            on_restart=on_restart if streamed else None,
        )
    except AnswerTimeoutError as exc:
        recorder.unanswered(settings, question, "timed_out", exc.partial)
        raise
    except BaseException:
        recorder.unanswered(settings, question, "abandoned", "".join(written))
        raise
    finally:
        if written:
            io.write("\n")
            io.flush()
    if opts.as_json:
        io.json_line(answer.as_json())
    elif not streamed:
        io.out(sanitize_text(answer.answer))
        io.flush()
    recorder.answered(settings, answer)  # after it is printed: the answer comes first


def _recorder(app_ctx: "AppContext", opts: ChatOptions, room: "ChatRoom") -> Any:
    """What records this chat's exchanges in the chat log (one that records nothing with
    --no-log, AKOOL_LOGS=0 or after `akool logs off`)."""
    from akool_cli.services.chatlog import NullRecorder, Recorder, logging_wanted

    store = app_ctx.store()
    if opts.no_log or not logging_wanted(app_ctx.env, store.logs_enabled)[0]:
        return NullRecorder()
    from akool_cli.local.files import state_dir
    from akool_cli.local.logs import FILE_NAME, ChatLog

    avatar_id = opts.avatar_id
    if avatar_id is None and room.session_id is not None:
        record = app_ctx.sessions().record(room.session_id) or {}
        avatar_id = record.get("avatar_id") if isinstance(record, dict) else None
    return Recorder(
        ChatLog(state_dir(app_ctx.env) / FILE_NAME),
        command=opts.command,
        profile=app_ctx.profile,
        base_url=app_ctx.shown_base_url() if room.session_id is not None else None,
        session_id=room.session_id,
        avatar_id=avatar_id if isinstance(avatar_id, str) else None,
        warn=app_ctx.io.warn,
    )


def run_chat(opts: ChatOptions, app_ctx: "AppContext") -> int:
    for key in ("voice_id", "language"):  # the profile's, when the option is left out
        if getattr(opts, key) is None:
            setattr(opts, key, app_ctx.setting(key)[0])
    settings = check(opts)
    io = app_ctx.io
    piped: Optional[Iterator[str]] = None
    if opts.message is None and (opts.from_stdin or not io.stdin_tty):
        # The first question is read and checked before anything is sent (or created);
        # the rest stream in as they come.
        questions = _questions(app_ctx)
        first = next(questions, None)
        if first is None:
            return 0
        piped = itertools.chain([first], questions)
    if opts.avatar_id is not None:
        return _chat_in_a_new_session(app_ctx, opts, settings, piped)
    service = app_ctx.sessions()
    session = None
    if opts.session_id is not None:
        session = service.live(opts.session_id, _waiter(app_ctx, opts.session_id, opts))
    room = service.chat_room(opts.session_id, url=opts.url, session=session)
    return _converse(app_ctx, opts, settings, room, piped)


def _waiter(app_ctx: "AppContext", session_id: str, opts: ChatOptions) -> Any:
    def wait() -> Any:
        from akool_cli.cli.shared import wait_until_live

        app_ctx.io.info(f"Session {session_id} is queueing; waiting until it is live…")
        return wait_until_live(app_ctx, session_id, opts.wait_timeout)

    return wait


def _chat_in_a_new_session(
    app_ctx: "AppContext", opts: ChatOptions, settings: Any, piped: Optional[Iterator[str]]
) -> int:
    """Create a session, chat once it is live, and close it on every way out (keep it with
    --keep, once it has gone live)."""
    from akool_cli.cli.shared import close_created, wait_until_live
    from akool_cli.cli.signals import shielded

    io = app_ctx.io
    service = app_ctx.sessions()
    created = None
    live = False
    try:
        with shielded():  # a signal now would lose the id of a session being created
            created = service.create(opts.avatar_id)
        io.info(f"Created session {created.id}; waiting until it is live…")
        room = service.chat_room(created.id, session=created)  # before paying for the wait
        if not created.is_live:
            wait_until_live(
                app_ctx, created.id, opts.wait_timeout, just_queueing=created.status == 1
            )
        live = True
        code = _converse(app_ctx, opts, settings, room, piped)
    except BaseException:
        if created is not None:
            if opts.keep and live:
                io.info(f"Kept session {created.id}; chat again with: akool chat {created.id}")
            else:
                close_created(app_ctx, created.id)
        raise
    if opts.keep:
        io.info(f"Kept session {created.id}; chat again with: akool chat {created.id}")
        return code
    return code or close_created(app_ctx, created.id)


def _converse(
    app_ctx: "AppContext",
    opts: ChatOptions,
    settings: Any,
    room: "ChatRoom",
    piped: Optional[Iterator[str]],
) -> int:
    from akool_cli.api import CONNECT_TIMEOUT_CAP
    from akool_cli.chat.conversation import Conversation

    io = app_ctx.io
    session_id = room.session_id
    if room.derived:
        io.warn(
            f"no chat URLs are known for session {session_id}; using {room.client_url}, "
            "derived from its pull URL (pass --url if that is wrong)"
        )
    on_refused = None
    if session_id is not None:
        on_refused = app_ctx.sessions().refusal_check(
            session_id, _waiter(app_ctx, session_id, opts)
        )
    conversation = Conversation(
        room.client_url,
        room.server_id,
        settings=settings,
        connect_timeout=min(app_ctx.request_timeout(), CONNECT_TIMEOUT_CAP),
        debug=app_ctx.debug_line if app_ctx.debug else None,
        on_refused=on_refused,
    )
    recorder = _recorder(app_ctx, opts, room)
    with conversation:
        try:
            conversation.connect()
            if opts.no_wait:
                for question in [opts.message] if opts.message is not None else piped or []:
                    message_id = conversation.send(question)
                    recorder.sent(conversation.settings, question, message_id)
                    if opts.as_json:
                        io.json_line({"message_id": message_id, "question": question})
                return 0
            if opts.message is not None or piped is not None:
                for question in [opts.message] if opts.message is not None else piped or []:
                    _answer_one(app_ctx, conversation, question, opts, recorder)
                return 0
            from akool_cli.cli.repl import run_repl

            return run_repl(
                app_ctx,
                conversation,
                room,
                idle=opts.answer_idle,
                timeout=opts.answer_timeout,
                recorder=recorder,
            )
        finally:
            recorder.close()


@app.command("chat")
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
) -> None:
    """Chat with an avatar over the session's websocket.

    On a terminal: an interactive prompt with history (/help lists commands).
    With --message: one question, one answer. Piped: each line is a question.
    The avatar answers (dialogue); --mode retell makes it say your text as is.
    A session that has ended exits 8. Every exchange is recorded in the chat log
    (`akool logs`) unless --no-log.

    [b]Examples[/b]

      $ akool chat 6698c9d69cf7b0d61d1b6420
      $ akool chat "$ID" --message "Say hi" --json
      $ printf 'Hi\\nWhat can you do?\\n' | akool chat "$ID" --json
      $ akool chat "$ID" --mode retell -m "Hello, I am Kai"
      $ akool chat --avatar-id Kai_1080P_back
    """

    def run(opts: ChatOptions, app_ctx: "AppContext") -> int:
        opts.mode_type = parse_mode(mode if mode is not None else app_ctx.setting("mode")[0])
        return run_chat(opts, app_ctx)

    opts = ChatOptions(
        session_id=session_id,
        avatar_id=avatar_id,
        voice_id=voice_id,
        language=language,
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
    )
    invoke(ctx, run, opts)
