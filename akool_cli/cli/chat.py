"""``akool chat``: talk to an avatar over the session's websocket.

Three modes: an interactive prompt (stdin is a terminal), one question
(``--message``), or one question per line of piped stdin.
"""

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Optional, Tuple

import typer

from akool_cli.api.errors import NotFoundError, UsageError
from akool_cli.cli._invoke import invoke
from akool_cli.cli.complete import complete_avatar, complete_mode, complete_session_id
from akool_cli.cli.session import close_quietly, create_and_remember, wait_until_live

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext

MAX_QUESTION = 64 * 1024  # characters; a longer line is refused before it is sent
MAX_PROMPT_FILE = 1024 * 1024


@dataclass
class ChatOptions:
    session_id: Optional[str] = None
    avatar_id: Optional[str] = None
    voice_id: Optional[str] = None
    language: Optional[str] = None
    mode_type: int = 2  # dialogue: the avatar answers
    prompt: Optional[str] = None
    prompt_url: Optional[str] = None
    prompt_file: Optional[Path] = None
    message: Optional[str] = None
    as_json: bool = False
    answer_idle: float = 0.8
    answer_timeout: float = 30.0
    keep: bool = False
    url: Optional[str] = None
    wait_timeout: float = 300.0
    no_wait: bool = False  # send, do not wait for the avatar's frames (say --no-wait)
    from_stdin: bool = False  # questions are stdin's lines even on a terminal (say ID -)


def mode_option(value: str) -> int:
    from akool_cli.chat.protocol import parse_mode

    try:
        return parse_mode(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--mode") from None


def _question(text: str) -> str:
    if len(text) > MAX_QUESTION:
        raise UsageError(
            f"a question is limited to {MAX_QUESTION} characters; this one has {len(text)}"
        )
    return text


def _check(opts: ChatOptions) -> Any:
    """Refuse bad input before anything is sent; return the chat settings."""
    from akool_cli.chat.protocol import ChatSettings
    from akool_cli.cli import validate

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
    if opts.url is not None and not opts.url.startswith(("ws://", "wss://")):
        raise UsageError(f"--url must be a ws:// or wss:// chat room URL, not {opts.url!r}")
    if sum(x is not None for x in (opts.prompt, opts.prompt_url, opts.prompt_file)) > 1:
        raise UsageError("use one of --prompt, --prompt-url and --prompt-file")
    if opts.message is not None:
        if not opts.message.strip():
            raise UsageError("--message cannot be empty")
        _question(opts.message)
    if opts.keep and opts.avatar_id is None:
        raise UsageError("--keep only applies with --avatar-id")
    settings = ChatSettings(
        voice_id=opts.voice_id or None, language=opts.language or None, mode_type=opts.mode_type
    )
    if opts.prompt is not None:
        settings.prompt_from, settings.prompt_content = "text", opts.prompt
    elif opts.prompt_url is not None:
        if not opts.prompt_url.startswith(("http://", "https://")):
            raise UsageError("--prompt-url must be an http(s) URL of a PDF")
        settings.prompt_from, settings.prompt_content = "url", opts.prompt_url
    elif opts.prompt_file is not None:
        try:
            if opts.prompt_file.stat().st_size > MAX_PROMPT_FILE:
                raise UsageError(f"--prompt-file is limited to {MAX_PROMPT_FILE} bytes")
            content = opts.prompt_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {opts.prompt_file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{opts.prompt_file} is not UTF-8 text") from None
        settings.prompt_from, settings.prompt_content = "text", content
    return settings


def resolve_room(
    app_ctx: "AppContext", session_id: Optional[str], url: Optional[str]
) -> Tuple[str, str]:
    """(client room URL, server room URL) for the session: the explicit --url, what
    ``create`` said (remembered locally), what ``detail`` says, or a derivation from
    the pull URL, in that order."""
    from akool_cli.chat.protocol import derive_chat_urls, server_url_for

    if url is not None:
        try:
            return url, server_url_for(url)
        except ValueError as exc:
            raise UsageError(str(exc), hint="expected …/client_<n>.chat") from None
    assert session_id is not None
    record = app_ctx.records().get(session_id) or {}
    urls = record.get("stream_urls") or {}
    if urls.get("client_chat_room_url") and urls.get("server_chat_room_url"):
        return urls["client_chat_room_url"], urls["server_chat_room_url"]
    session = app_ctx.client().sessions.detail(session_id)
    if session.is_over:
        raise ended_error(session)
    found = session.stream_urls
    if found.client_chat_room_url and found.server_chat_room_url:
        return found.client_chat_room_url, found.server_chat_room_url
    if found.client_pull_stream_url:
        try:
            client_url, server_url = derive_chat_urls(found.client_pull_stream_url)
        except ValueError:
            pass
        else:
            app_ctx.io.warn(
                f"no chat URLs are known for session {session_id}; using {client_url}, "
                "derived from its pull URL (pass --url if that is wrong)"
            )
            return client_url, server_url
    raise NotFoundError(
        f"no chat room is known for session {session_id}",
        hint="chat with a session this CLI created, or pass --url wss://…/client_<n>.chat",
    )


def ended_error(session: Any) -> Exception:
    from akool_cli.api import FAILED
    from akool_cli.api.errors import SessionEndedError

    if session.status == FAILED:
        message = f"session {session.id} has ended: it failed (4)"
    else:
        message = f"session {session.id} has ended (completed, {session.status})"
    return SessionEndedError(
        message, hint="start a new one: akool session create --avatar-id ID --wait"
    )


def session_check(app_ctx: "AppContext", session_id: str, wait_timeout: float) -> Any:
    """What to do when the chat room refuses the handshake: a session that is over
    exits 8; one still queueing is waited for until it is live."""
    from akool_cli.api import QUEUEING

    def check() -> None:
        session = app_ctx.client().sessions.detail(session_id)
        if session.is_over:
            raise ended_error(session)
        if session.status == QUEUEING:
            app_ctx.io.info(f"Session {session_id} is queueing; waiting until it is live…")
            wait_until_live(app_ctx, session_id, wait_timeout)

    return check


def _questions(app_ctx: "AppContext") -> Iterator[str]:
    from akool_cli.cli import validate

    for line in validate.iter_stdin_lines(app_ctx.io.stdin, "questions"):
        yield _question(line)


def _answer_one(app_ctx: "AppContext", conversation: Any, question: str, opts: ChatOptions) -> None:
    io = app_ctx.io
    if opts.as_json:
        answer = conversation.ask(question, idle=opts.answer_idle, timeout=opts.answer_timeout)
        io.out(json.dumps(answer.as_json(), ensure_ascii=False))
        io.flush()
        return

    def on_text(text: str) -> None:
        io.stdout.write(text)
        io.stdout.flush()

    def on_restart() -> None:
        io.stdout.write("\n")
        io.warn("the chat connection dropped; the answer starts again")

    try:
        conversation.ask(
            question,
            idle=opts.answer_idle,
            timeout=opts.answer_timeout,
            on_text=on_text,
            on_restart=on_restart,
        )
    finally:
        io.stdout.write("\n")
        io.flush()


def _session_lines(session_id: Optional[str], client_url: str, server_url: str) -> list:
    lines = [f"session      {session_id}"] if session_id else []
    return lines + [f"chat room    {client_url}", f"server room  {server_url}"]


def run_chat(opts: ChatOptions, app_ctx: "AppContext") -> int:
    settings = _check(opts)
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
    session_id = opts.session_id
    created: Optional[str] = None
    try:
        if opts.avatar_id is not None:
            session = create_and_remember(app_ctx, opts.avatar_id)
            created = session_id = session.id
            io.info(f"Created session {created}; waiting until it is live…")
            wait_until_live(app_ctx, created, opts.wait_timeout)
        client_url, server_url = resolve_room(app_ctx, session_id, opts.url)
        return _converse(app_ctx, opts, settings, session_id, client_url, server_url, piped)
    finally:
        if created is not None:
            if opts.keep:
                io.info(f"Kept session {created}; chat again with: akool chat {created}")
            else:
                close_quietly(app_ctx, created)


def _converse(
    app_ctx: "AppContext",
    opts: ChatOptions,
    settings: Any,
    session_id: Optional[str],
    client_url: str,
    server_url: str,
    piped: Optional[Iterator[str]],
) -> int:
    from akool_cli.chat.conversation import Conversation
    from akool_cli.chat.protocol import room_member_id

    io = app_ctx.io
    conversation = Conversation(
        client_url,
        room_member_id(server_url),
        settings=settings,
        connect_timeout=min(app_ctx.timeout, 10.0),
        debug=app_ctx.debug_line if app_ctx.debug else None,
        on_refused=session_check(app_ctx, session_id, opts.wait_timeout) if session_id else None,
    )
    with conversation:
        if opts.no_wait:
            conversation.connect()
            for question in [opts.message] if opts.message is not None else piped or []:
                message_id = conversation.send(question)
                if opts.as_json:
                    io.out(json.dumps({"message_id": message_id, "question": question}))
                    io.flush()
            return 0
        if opts.message is not None:
            conversation.connect()
            _answer_one(app_ctx, conversation, opts.message, opts)
            return 0
        if piped is not None:
            conversation.connect()
            for question in piped:
                _answer_one(app_ctx, conversation, question, opts)
            return 0
        conversation.connect()
        from akool_cli.chat.repl import Repl
        from akool_cli.config import state_dir

        def pause() -> str:
            app_ctx.client().sessions.pause(session_id)
            return f"Paused session {session_id}; your next message resumes it."

        return Repl(
            conversation,
            io,
            idle=opts.answer_idle,
            timeout=opts.answer_timeout,
            history_path=state_dir(app_ctx.env) / "chat_history",
            on_pause=pause if session_id else None,
            session_lines=_session_lines(session_id, client_url, server_url),
        ).run()


def chat(
    ctx: typer.Context,
    session_id: Annotated[
        Optional[str],
        typer.Argument(
            metavar="SESSION_ID", help="Session to talk to.", autocompletion=complete_session_id
        ),
    ] = None,
    avatar_id: Annotated[
        Optional[str],
        typer.Option(
            "--avatar-id",
            help="Create a session for this avatar, chat, then close it.",
            autocompletion=complete_avatar,
        ),
    ] = None,
    message: Annotated[
        Optional[str], typer.Option("--message", "-m", help="Ask one question and exit.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per answer (one line each).")
    ] = False,
    voice_id: Annotated[Optional[str], typer.Option("--voice-id", help="Voice model id.")] = None,
    language: Annotated[
        Optional[str], typer.Option("--language", help="Language code, e.g. en.")
    ] = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            "--mode-type",
            metavar="MODE",
            help="dialogue (2): the avatar answers; retell (1): it says the text as given.",
            autocompletion=complete_mode,
        ),
    ] = "dialogue",
    prompt: Annotated[
        Optional[str], typer.Option("--prompt", help="Describe the avatar's role (text).")
    ] = None,
    prompt_url: Annotated[
        Optional[str], typer.Option("--prompt-url", help="URL of a PDF describing the role.")
    ] = None,
    prompt_file: Annotated[
        Optional[Path], typer.Option("--prompt-file", help="File whose text is the prompt.")
    ] = None,
    answer_idle: Annotated[
        float,
        typer.Option("--answer-idle", min=0.01, help="Seconds without a frame that end an answer."),
    ] = 0.8,
    answer_timeout: Annotated[
        float,
        typer.Option("--answer-timeout", min=0.1, help="Seconds an answer may take (exit 9)."),
    ] = 30.0,
    keep: Annotated[
        bool, typer.Option("--keep", help="With --avatar-id: keep the session and print its id.")
    ] = False,
    url: Annotated[
        Optional[str], typer.Option("--url", help="Client chat room URL (wss://…/client_N.chat).")
    ] = None,
    wait_timeout: Annotated[
        float, typer.Option("--wait-timeout", min=0.1, help="With --avatar-id: seconds to wait.")
    ] = 300.0,
) -> None:
    """Chat with an avatar over the session's websocket.

    On a terminal: an interactive prompt with history (/help lists commands).
    With --message: one question, one answer. Piped: each line is a question.
    The avatar answers (dialogue); --mode retell makes it say your text as is.
    A session that has ended exits 8.

    [b]Examples[/b]

      $ akool chat 6698c9d69cf7b0d61d1b6420
      $ akool chat "$ID" --message "Say hi" --json
      $ printf 'Hi\\nWhat can you do?\\n' | akool chat "$ID" --json
      $ akool chat "$ID" --mode retell -m "Hello, I am Kai"
      $ akool chat --avatar-id Kai_1080P_back
    """
    opts = ChatOptions(
        session_id,
        avatar_id,
        voice_id,
        language,
        mode_option(mode),
        prompt,
        prompt_url,
        prompt_file,
        message,
        as_json,
        answer_idle,
        answer_timeout,
        keep,
        url,
        wait_timeout,
    )
    invoke(ctx, run_chat, opts)
