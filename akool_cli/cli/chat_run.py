"""How ``akool chat`` and ``akool say`` run: find (or create) the session's chat room,
then ask one question, the questions piped in, or hand over to the interactive prompt;
each exchange printed, then recorded in the chat log."""

import itertools
import time
from typing import TYPE_CHECKING, Any, Iterator, List, Optional

from akool_cli.cli.chat import ChatOptions, check, check_question

if TYPE_CHECKING:
    from akool_cli.cli.context import AppContext
    from akool_cli.services.sessions import ChatRoom


def _questions(app_ctx: "AppContext") -> Iterator[str]:
    from akool_cli.chat import MAX_QUESTION
    from akool_cli.cli import validate

    for line in validate.iter_stdin_lines(app_ctx.io.stdin, "questions", MAX_QUESTION):
        yield check_question(line)


QUIET_NOTE = (
    "(ended after {idle:g} s without a frame, though this room has marked the end of its "
    "answers before: it may be incomplete; --answer-idle waits longer)"
)


def quiet_note(answer: Any, idle: float, marked_before: bool) -> Optional[str]:
    """The note a person gets after an answer the quiet period ended, when its room has
    marked its answers before (the chat log says so): it may have been cut."""
    from akool_cli.chat import ENDED_BY_QUIET

    if answer.ended_by == ENDED_BY_QUIET and marked_before:
        return QUIET_NOTE.format(idle=idle)
    return None


def _answer_one(
    app_ctx: "AppContext",
    conversation: Any,
    question: str,
    opts: ChatOptions,
    recorder: Any,
    since: Optional[float] = None,
) -> None:
    """Ask and print the answer: streamed as it comes on a terminal; when stdout is not a
    terminal, only a complete answer is printed (never a partial one, never twice).
    ``since``: when the answer's time began (before connecting), if not now."""
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
            since=since,
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
    try:
        if opts.as_json:
            io.json_line(answer.as_json())
        elif not streamed:
            io.out(sanitize_text(answer.answer))
            io.flush()
    finally:  # after it is printed (the answer comes first), even if it could not be
        recorder.answered(settings, answer)
    note = quiet_note(answer, opts.answer_idle, recorder.marked_before()) if io.stderr_tty else None
    if note:
        io.note(note)


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
    settings = check(opts, app_ctx.io.stdin)
    app_ctx.about(
        session_id=opts.session_id, avatar_id=opts.avatar_id, avatar_sent=opts.avatar_id is not None
    )
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
    waited = []  # when the session was last waited for (a refused room, still queueing)
    on_refused = None
    if session_id is not None:
        check = app_ctx.sessions().refusal_check(session_id, _waiter(app_ctx, session_id, opts))

        def on_refused() -> None:
            check()
            waited.append(time.monotonic())

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
            if opts.no_wait:
                conversation.connect()
                for question in [opts.message] if opts.message is not None else piped or []:
                    message_id = conversation.send(question)
                    recorder.sent(conversation.settings, question, message_id)
                    if opts.as_json:
                        io.json_line({"message_id": message_id, "question": question})
                return 0
            if opts.message is not None or piped is not None:
                # Connecting is part of the first answer's time: --answer-timeout bounds both
                # (a wait for a queueing session, --wait-timeout's, restarts that time).
                since: Optional[float] = time.monotonic()
                conversation.connect(timeout=opts.answer_timeout)
                for question in [opts.message] if opts.message is not None else piped or []:
                    since = max([since, *waited]) if since is not None else None
                    _answer_one(app_ctx, conversation, question, opts, recorder, since)
                    since = None
                return 0
            conversation.connect()
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
