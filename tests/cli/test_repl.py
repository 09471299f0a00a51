"""The chat prompt driven by an input function instead of a terminal."""

from __future__ import annotations

from akool_cli.chat.conversation import Conversation
from akool_cli.chat.protocol import room_member_id
from akool_cli.cli.output import IOStreams
from akool_cli.cli.repl import Repl


def _repl(emu, lines, timeout=5, **kw):
    urls = emu.create()["stream_urls"]
    conversation = Conversation(
        urls["client_chat_room_url"], room_member_id(urls["server_chat_room_url"])
    )
    feed = iter(lines)

    def read_line(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    io = IOStreams.test()
    repl = Repl(
        conversation, io, idle=0.1, timeout=timeout, read_line=read_line, use_readline=False, **kw
    )
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
    assert "/exit, /quit" in out  # /help
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
