"""The chat prompt driven by an input function instead of a terminal."""

from __future__ import annotations

import os
import stat

from akool_cli.chat.conversation import Conversation
from akool_cli.chat.protocol import room_member_id
from akool_cli.cli.commands.chat.repl import Repl
from akool_cli.cli.ui.iostreams import IOStreams


def _repl(emu, lines, timeout=5, tty=True, **kw):
    urls = emu.create()["stream_urls"]
    conversation = Conversation(
        urls["client_chat_room_url"], room_member_id(urls["server_chat_room_url"])
    )
    feed = iter(lines)

    def read(prompt: str, continuation: bool) -> str:
        try:
            line = next(feed)
        except StopIteration:
            raise EOFError from None
        if isinstance(line, BaseException):
            raise line
        return line

    io = IOStreams.test(tty=tty)
    repl = Repl(conversation, io, idle=0.1, timeout=timeout, read=read, **kw)
    with conversation:
        code = repl.run()
    return code, io, conversation


def test_questions_commands_and_end_of_input(emu):
    paused = []
    code, io, conversation = _repl(
        emu,
        ["Hello", "", "/voice v9", "/lang fr", "first \\", "second", "/pause", "/nope", "/help"],
        on_pause=lambda: paused.append(1) or "Paused.",
    )
    assert code == 0 and paused == [1]
    out = io.stdout.getvalue()
    assert "avatar> You said: Hello\n" in out and "avatar> You said: first \nsecond\n" in out
    assert "  /exit      leave" in out  # /help
    err = io.stderr.getvalue()
    assert "Voice set to v9." in err and "Language set to fr." in err
    assert "unknown command /nope" in err
    assert emu.snapshot()["questions"] == ["Hello", "first \nsecond"]
    assert conversation.settings.voice_id == "v9" and conversation.settings.language == "fr"


def test_exit_leaves_at_once(emu):
    code, io, _ = _repl(emu, ["/exit", "never asked"])
    assert code == 0 and emu.snapshot()["questions"] == []


def test_a_timed_out_answer_warns_and_the_prompt_goes_on(emu):
    emu.config(chat_fault="silent", chat_fault_times=1)
    code, io, _ = _repl(emu, ["are you there?", "again"], timeout=0.5)
    assert code == 0
    assert "no complete answer" in io.stderr.getvalue()
    assert "You said: again" in io.stdout.getvalue()


def test_pause_without_a_session_says_so(emu):
    code, io, _ = _repl(emu, ["/pause", "/session"], session_lines=["chat room    ws://x"])
    assert "no session to pause" in io.stderr.getvalue()
    assert "chat room    ws://x" in io.stdout.getvalue()


def test_mode_history_and_save(emu, tmp_path):
    saved = tmp_path / "chat.txt"
    code, io, conversation = _repl(
        emu,
        ["/mode retell", "Hello, I am Kai", "/mode shout", "/mode dialogue", "Hi", "/history",
         f"/save {saved}", f"/save {tmp_path}"],
    )  # fmt: skip
    assert code == 0
    assert [p["mode_type"] for p in emu.snapshot()["payloads"]] == [1, 2]
    err = io.stderr.getvalue()
    assert "Mode set to retell." in err and "usage: /mode dialogue|retell" in err
    out = io.stdout.getvalue()
    assert "you> Hello, I am Kai\navatar> Hello, I am Kai\n" in out  # /history
    assert saved.read_text() == (
        "you> Hello, I am Kai\navatar> Hello, I am Kai\n\nyou> Hi\navatar> You said: Hi\n"
    )
    assert "Saved 2 exchanges" in err and f"cannot write {tmp_path}" in err  # a directory


def test_a_failed_pause_warns_and_the_prompt_goes_on(emu):
    from akool_cli.api.errors import SessionEndedError

    def pause():
        raise SessionEndedError("liveAvatar closed", code=1219)

    code, io, _ = _repl(emu, ["/pause", "Still here?"], on_pause=pause)
    assert code == 0
    assert "the session was not paused: liveAvatar closed (code 1219)" in io.stderr.getvalue()
    assert "You said: Still here?" in io.stdout.getvalue()


def test_a_dropped_room_offers_to_reconnect(emu):
    emu.config(chat_fault="refuse", chat_fault_times=4)  # every attempt of the first ask
    code, io, conversation = _repl(emu, ["Hello", "y", "Again"])
    assert code == 0
    err = io.stderr.getvalue()
    assert "the chat room dropped" in err
    assert emu.snapshot()["questions"] == ["Hello", "Again"]


def test_declining_to_reconnect_ends_with_the_connection_error(emu):
    import pytest

    from akool_cli.chat.errors import ChatConnectionError

    emu.config(chat_fault="refuse", chat_fault_times=100)
    with pytest.raises(ChatConnectionError):
        _repl(emu, ["Hello", "n"])


def test_piped_stdout_gets_only_complete_answers(emu):
    code, io, _ = _repl(emu, ["Hello", "Bye"], tty=False)
    assert code == 0 and io.stdout.getvalue() == "You said: Hello\nYou said: Bye\n"


def test_the_repl_records_answers_and_abandoned_questions(emu):
    from akool_cli.services.chatlog import NullRecorder

    class Recorder(NullRecorder):
        def __init__(self):
            self.seen = []

        def answered(self, settings, answer):
            self.seen.append(("answered", answer.question, answer.answer))

        def unanswered(self, settings, question, outcome, partial=None):
            self.seen.append((outcome, question, partial))

    recorder = Recorder()
    emu.config(chat_fault="silent", chat_fault_times=1)
    _repl(emu, ["Anyone?", "Hello"], timeout=0.4, recorder=recorder)
    assert recorder.seen == [("timed_out", "Anyone?", ""), ("answered", "Hello", "You said: Hello")]


def test_with_stdout_piped_the_commands_write_on_stderr(emu):
    code, io, _ = _repl(emu, ["/help", "Hello", "/history"], tty=False)
    assert io.stdout.getvalue() == "You said: Hello\n"  # answers only
    assert "/exit" in io.stderr.getvalue() and "you> Hello" in io.stderr.getvalue()


def test_a_session_that_ends_while_idle_ends_the_prompt_with_the_check(emu):
    """The cheap check between questions, for a room that says nothing when it goes."""
    import threading

    import pytest

    from akool_cli.api.errors import SessionEndedError
    from akool_cli.cli.commands.chat.idle import IdleWatch

    urls = emu.create()["stream_urls"]
    conversation = Conversation(
        urls["client_chat_room_url"], room_member_id(urls["server_chat_room_url"])
    )
    checks = []
    interrupted = threading.Event()

    def check():
        checks.append(1)
        if len(checks) == 3:
            raise SessionEndedError("session X has ended (completed, 3)")

    def read(prompt, continuation):
        assert interrupted.wait(10), "the idle watch never interrupted the prompt"
        return "never asked"

    repl = Repl(
        conversation, IOStreams.test(tty=True), idle=0.1, timeout=5, read=read,
        check=check, interrupt=lambda exc: interrupted.set(), check_every=0.05,
    )  # fmt: skip
    with pytest.raises(SessionEndedError):
        repl.run()
    assert len(checks) == 3 and emu.snapshot()["questions"] == []
    watch = IdleWatch(conversation, lambda: None)
    with watch:  # not connected, nothing ended: the watch only waits
        pass
    assert watch.error is None


def test_a_failing_check_is_not_an_ended_session(emu):
    """A check that cannot reach the API (the network) is no reason to end the chat."""
    from akool_cli.api.errors import APIConnectionError
    from tests.helpers import wait_for

    calls = []

    def check():
        calls.append(1)
        raise APIConnectionError("cannot connect")

    lines = iter(["Hello"])

    def read(prompt, continuation):
        wait_for(lambda: len(calls) >= 2, what="two checks while idle")
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    urls = emu.create()["stream_urls"]
    conversation = Conversation(
        urls["client_chat_room_url"], room_member_id(urls["server_chat_room_url"])
    )
    io = IOStreams.test(tty=True)
    repl = Repl(conversation, io, idle=0.1, timeout=5, read=read, check=check, check_every=0.01)
    with conversation:
        assert repl.run() == 0
    assert "You said: Hello" in io.stdout.getvalue()


def test_ctrl_c_just_after_an_answer_does_not_leave(emu):
    """A Ctrl-C meant for the answer that lands once it has ended (before the prompt is
    back) keeps the chat going; only one at the prompt leaves."""
    from akool_cli.services.chatlog import NullRecorder

    class Recorder(NullRecorder):
        def answered(self, settings, answer):
            raise KeyboardInterrupt  # as if Ctrl-C came while the answer was recorded

    code, io, _ = _repl(emu, ["Hello", "Again"], recorder=Recorder())
    assert code == 0
    assert emu.snapshot()["questions"] == ["Hello", "Again"]


def test_an_answer_too_large_is_a_warning_and_the_prompt_goes_on(emu):
    import akool_cli.chat.conversation as conversation_module

    emu.config(answer_mode="delta", chunks=4)
    original = conversation_module.MAX_ANSWER_BYTES
    conversation_module.MAX_ANSWER_BYTES = 5  # "You said: …" is more than that
    try:
        code, io, _ = _repl(emu, ["Hello", "/exit"])
    finally:
        conversation_module.MAX_ANSWER_BYTES = original
    assert code == 0 and "the answer went past 5 bytes" in io.stderr.getvalue()


def test_a_continued_question_read_whole_loses_its_backslashes(emu):
    """The terminal's reader returns a continued question in one piece."""
    code, io, _ = _repl(emu, ["first \\\nsecond \\\nthird"])
    assert emu.snapshot()["questions"] == ["first \nsecond \nthird"]


def test_a_saved_transcript_is_private_whatever_the_umask(emu, tmp_path):
    saved = tmp_path / "chat.txt"
    old = os.umask(0)
    try:
        code, io, _ = _repl(emu, ["Hi", f"/save {saved}"])
    finally:
        os.umask(old)
    assert code == 0 and "Saved 1 exchange" in io.stderr.getvalue()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
