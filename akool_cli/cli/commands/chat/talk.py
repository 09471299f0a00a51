"""How ``akool chat`` and ``akool say`` talk, once their input is checked (``chat.py``):
in a session created for the chat (closed again on every way out), or in the session's
chat room — one question, the questions piped in, or the interactive prompt; each
exchange printed, then recorded in the chat log."""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional

from akool_cli._urls import on_loopback, redact_url
from akool_cli.api import CONNECT_TIMEOUT_CAP
from akool_cli.chat import ACK_TIMEOUT, MAX_QUESTION
from akool_cli.chat.errors import AnswerTimeoutError, ChatConnectionError, SpeakingTimeoutError
from akool_cli.cli.commands.chat.events import ChatEvents
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.core.errors import UsageError
from akool_cli.cli.core.input import iter_stdin_lines
from akool_cli.cli.core.lifecycle import close_created, wait_until_live
from akool_cli.cli.core.signals import shielded
from akool_cli.cli.ui.answer import StreamedAnswer
from akool_cli.cli.ui.text import sanitize_text
from akool_cli.local.files import state_dir
from akool_cli.local.logs import FILE_NAME, ChatLog
from akool_cli.services.chat_room import Room, V4Room, conversation_for, v4_room_of
from akool_cli.services.chatlog import NullRecorder, Recorder, logging_wanted
from akool_cli.services.sessions import ChatRoom

if TYPE_CHECKING:
    from akool_cli.cli.commands.chat.chat import ChatOptions


def check_question(text: str) -> str:
    if len(text) > MAX_QUESTION:
        raise UsageError(
            f"a question is limited to {MAX_QUESTION} characters; this one has {len(text)}"
        )
    return text


def questions(app_ctx: AppContext) -> Iterator[str]:
    for line in iter_stdin_lines(app_ctx.io.stdin, "questions", MAX_QUESTION):
        yield check_question(line)


def _answer_one(
    app_ctx: AppContext,
    conversation: Any,
    question: str,
    opts: ChatOptions,
    recorder: Any,
    since: Optional[float] = None,
    events: Optional[ChatEvents] = None,
) -> None:
    """Ask and print the answer: streamed as it comes on a terminal; when stdout is not a
    terminal, only a complete answer is printed (never a partial one, never twice).
    ``since``: when the answer's time began (before connecting), if not now. Event
    lines (v4) that come while it streams follow its line."""

    streamed = app_ctx.io.stdout_tty and not opts.as_json
    hold = events.held(streamed) if events is not None else contextlib.nullcontext()
    with hold:
        answer = _ask_printed(app_ctx, conversation, question, opts, recorder, since, streamed)
    if events is not None:
        events.record(recorder, conversation.settings)
    io = app_ctx.io
    try:
        if opts.as_json:
            io.json_line(answer.as_json())
        elif not streamed:
            io.out(sanitize_text(answer.answer))
            io.flush()
    finally:  # after it is printed (the answer comes first), even if it could not be
        recorder.answered(conversation.settings, answer)


def _ask_printed(
    app_ctx: AppContext,
    conversation: Any,
    question: str,
    opts: ChatOptions,
    recorder: Any,
    since: Optional[float],
    streamed: bool,
) -> Any:
    """The answer, its pieces streamed to a terminal as they come (the line ended)."""
    io = app_ctx.io
    settings = conversation.settings
    printer = StreamedAnswer(io)
    try:
        return conversation.ask(
            question,
            idle=opts.answer_idle,
            timeout=opts.answer_timeout,
            on_text=printer.on_text if streamed else None,
            on_restart=printer.on_restart if streamed else None,
            since=since,
            until_spoken=opts.until_spoken,
            # Ctrl-C here ends the command (130), as on v3: only the prompt stays in the
            # chat after an interrupt (repl.py); a script must not read a cut answer as whole
            interruptible=False,
        )
    except SpeakingTimeoutError as exc:
        recorder.answered(settings, exc.answer)
        raise
    except AnswerTimeoutError as exc:
        recorder.unanswered(settings, question, "timed_out", exc.partial)
        raise
    except BaseException:
        recorder.unanswered(settings, question, "abandoned", printer.text)
        raise
    finally:
        if printer.written:
            io.write("\n")
            io.flush()


def _recorder(app_ctx: AppContext, opts: ChatOptions, room: Room) -> Any:
    """What records this chat's exchanges in the chat log (one that records nothing with
    --no-log, AKOOL_LOGS=0 or after `akool logs off`)."""

    store = app_ctx.store()
    if opts.no_log or not logging_wanted(app_ctx.env, store.logs_enabled)[0]:
        return NullRecorder()

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


def waiter(app_ctx: AppContext, session_id: str, opts: ChatOptions) -> Any:
    def wait() -> Any:
        app_ctx.io.info(f"Session {session_id} is queueing; waiting until it is live…")
        return wait_until_live(app_ctx, session_id, opts.wait_timeout)

    return wait


def create_arguments(app_ctx: AppContext, opts: ChatOptions) -> Dict[str, Any]:
    """What ``SessionService.create`` takes beside the avatar for ``--avatar-id``, by
    ``session create``'s rules (v4: --duration, else the profile's, else 600 s; the
    chat's mode, voice and language; v3: a v4 option refused), checked before anything
    is sent."""
    from akool_cli.cli.commands.session._v4 import V4Choices
    from akool_cli.cli.commands.session.create import create_arguments as arguments_for

    choices = V4Choices(duration=opts.duration)
    if app_ctx.api_version() == "v4":  # under v3 a question carries these, not create
        mode = str(opts.mode_type) if opts.mode_type is not None else None
        choices = replace(
            choices, mode=mode, voice_id=opts.voice_id or None, language=opts.language or None
        )
    return arguments_for(choices, app_ctx)


def room_of(app_ctx: AppContext, opts: ChatOptions) -> Room:
    """The room of the session ``opts`` name, in the version that made it (its record's,
    else the chosen one): --url's; a v4 session's LiveKit room, from its record (only
    create's answer names it); else a v3 session's, once it is live."""
    service = app_ctx.sessions()
    if opts.session_id is None:
        return service.chat_room(url=opts.url)
    if opts.url is None and service.version_for(opts.session_id) == "v4":
        record = service.record(opts.session_id)
        room = v4_room_of(record)
        if room is None:
            from akool_cli.services.errors import NoLiveKitRoomError

            if record is not None:  # a record keeps no room once its session is over:
                service.live(opts.session_id, waiter(app_ctx, opts.session_id, opts))  # 8

            raise NoLiveKitRoomError(
                f"no LiveKit room is known for v4 session {opts.session_id}: only "
                "create's answer names it, and no record here keeps it"
            )
        return room
    session = service.live(opts.session_id, waiter(app_ctx, opts.session_id, opts))
    return service.chat_room(opts.session_id, url=opts.url, session=session)


def chat_in_a_new_session(
    app_ctx: AppContext,
    opts: ChatOptions,
    settings: Any,
    piped: Optional[Iterator[str]],
    arguments: Dict[str, Any],
) -> int:
    """Create a session (``arguments``: ``create_arguments``'), chat in its room and
    close it on every way out (keep it with --keep, once it is live). v3: the chat
    starts once the session is live; v4: in its LiveKit room at once (the avatar joins
    when the session is live; the answer's time covers that wait)."""

    assert opts.avatar_id is not None  # run_chat comes here with --avatar-id only
    io = app_ctx.io
    service = app_ctx.sessions()
    duration = arguments.get("duration")
    created = None
    live = False
    try:
        with shielded():  # a signal now would lose the id of a session being created
            created = service.create(opts.avatar_id, **arguments)
        room: Room
        if duration is not None:  # v4
            io.info(f"Created session {created.id} ({duration} s); joining its room…")
            found = v4_room_of(created)
            if found is None:
                from akool_cli.api.errors import ProtocolError

                raise ProtocolError(f"session {created.id}'s create answer names no LiveKit room")
            room = replace(found, duration=float(duration), created_at=time.time())
        else:
            io.info(f"Created session {created.id}; waiting until it is live…")
            room = service.chat_room(created.id, session=created)  # before paying for the wait
            if not created.is_live:
                wait_until_live(
                    app_ctx, created.id, opts.wait_timeout, just_queueing=created.status == 1
                )
        live = True
        code = converse(app_ctx, opts, settings, room, piped)
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


def _set_live(conversation: Any, opts: ChatOptions, io: Any) -> None:
    """v4: the chat's settings sent as set-params once in the room, as the vendor's
    client does (a v3 question carries them; a v4 room keeps them): the mode (--mode,
    the profile's, else dialogue; say: retell), and the voice and language if given. A
    refusal is a warning; the chat goes on."""
    data: Dict[str, Any] = {"mode": opts.mode_type}
    if opts.language:
        data["lang"] = opts.language
    if opts.voice_id:
        data["vparams"] = {"vid": opts.voice_id}
    result = conversation.set_params(**data, timeout=min(ACK_TIMEOUT, opts.answer_timeout))
    if not result.ok:
        io.warn(result.describe())


def converse(
    app_ctx: AppContext,
    opts: ChatOptions,
    settings: Any,
    room: Room,
    piped: Optional[Iterator[str]],
) -> int:
    io = app_ctx.io
    session_id = room.session_id
    v4 = isinstance(room, V4Room)
    if isinstance(room, ChatRoom) and room.derived:
        io.warn(
            f"no chat URLs are known for session {session_id}; using {room.client_url}, "
            "derived from its pull URL (pass --url if that is wrong)"
        )
    waited = []  # when the session was last waited for (a refused room, still queueing)
    on_refused = None
    if session_id is not None:
        check = app_ctx.sessions().refusal_check(session_id, waiter(app_ctx, session_id, opts))

        def on_refused() -> None:
            check()
            waited.append(time.monotonic())

    if v4 and getattr(settings, "prompt_from", None):
        io.warn(
            "a v4 room takes no prompt: --prompt is left out (give the session a knowledge "
            "base instead: akool session create --knowledge-id ID)"
        )
    events = ChatEvents(io, events=opts.events, as_json=opts.as_json)
    conversation = conversation_for(
        room,
        settings=settings,
        connect_timeout=min(app_ctx.request_timeout(), CONNECT_TIMEOUT_CAP),
        debug=app_ctx.debug_line if app_ctx.debug else None,
        on_refused=on_refused,
        on_event=events,
    )
    recorder = _recorder(app_ctx, opts, room)
    if recorder.marked_before():  # the log has seen this room mark an answer's end:
        conversation.marks_answers = True  # each answer is waited on until its marker
    with conversation:
        try:
            if opts.no_wait:
                conversation.connect()
                if v4:
                    _set_live(conversation, opts, io)
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
                if v4:
                    _set_live(conversation, opts, io)
                for question in [opts.message] if opts.message is not None else piped or []:
                    since = max([since, *waited]) if since is not None else None
                    _answer_one(app_ctx, conversation, question, opts, recorder, since, events)
                    since = None
                return 0
            conversation.connect()
            if v4:
                _set_live(conversation, opts, io)

            # the interactive prompt loads only when there is one
            from akool_cli.cli.commands.chat.repl_terminal import run_repl

            return run_repl(
                app_ctx,
                conversation,
                room,
                idle=opts.answer_idle,
                timeout=opts.answer_timeout,
                recorder=recorder,
                events=events,
            )
        except (AnswerTimeoutError, ChatConnectionError):
            if isinstance(room, V4Room) and on_loopback(room.url) and not conversation.connected:
                io.warn(f"the room {redact_url(room.url)} is on loopback, which WebRTC leaves "
                        "out: serve the emulator on another address (--host ADDRESS)")  # fmt: skip
            raise
        finally:
            events.record(recorder, conversation.settings)
            recorder.close()
