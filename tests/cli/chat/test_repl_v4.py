"""The chat prompt's v4 side through the in-memory transport (no network): the live
commands acknowledged or refused, v3 rooms saying they lack them, the session's clock."""

from __future__ import annotations

from akool_cli.chat.conversation import Conversation
from akool_cli.chat.transport import Ack
from akool_cli.cli.commands.chat.clock import SessionClock, spell
from akool_cli.cli.commands.chat.repl import Repl
from akool_cli.cli.ui.iostreams import IOStreams
from tests.chat.memory_transport import MemoryTransport


def _run(lines, flavour="v4", refuse=None, **kw):
    transport = MemoryTransport(flavour)
    if refuse is not None:  # the avatar refuses this command (1015), acknowledges the rest
        plain = transport.avatar

        def avatar(kind, mid, body):
            if kind == refuse:
                transport.say(Ack(mid, kind, 1015, "not supported"))
            else:
                plain(kind, mid, body)

        transport.avatar = avatar
    conversation = Conversation.over(transport)
    feed = iter(lines)

    def read(prompt, continuation):
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    io = IOStreams.test(tty=True)
    with conversation:
        conversation.connect(timeout=2)
        code = Repl(conversation, io, idle=0.1, timeout=2, read=read, **kw).run()
    return code, io, transport


def test_live_commands_are_sent_and_acknowledged_on_v4():
    code, io, room = _run(["/interrupt", "/act nod happiness", "/voice v9", "/lang fr",
                           "/mode retell", "/pause"])  # fmt: skip
    assert code == 0
    err = io.stderr.getvalue()
    for line in ("Interrupted.", "Sent nod happiness.", "Voice set to v9.",
                 "Language set to fr.", "Mode set to retell."):  # fmt: skip
        assert line in err, err
    assert "v4 sessions cannot be paused" in err
    assert [kind for kind, _, _ in room.sent if kind != "chat"] == [
        "interrupt", "set-action", "set-params", "set-params", "set-params",
    ]  # fmt: skip


def test_a_refused_setting_is_one_warning_and_the_chat_goes_on():
    code, io, _ = _run(["/voice nobody", "Hello"], refuse="set-params")
    assert code == 0
    err = io.stderr.getvalue()
    assert "warning: the avatar refused set-params (1015: not supported)" in err
    assert "Voice set to" not in err
    assert "avatar> You said: Hello" in io.stdout.getvalue()


def test_bad_values_are_refused_before_anything_is_sent():
    code, io, room = _run(["/act fly", "/act", "/mode shout"])
    err = io.stderr.getvalue()
    assert err.count("usage: /act ACTION [EXPRESSION]") == 2 and "usage: /mode" in err
    assert [kind for kind, _, _ in room.sent if kind != "chat"] == []


def test_a_v3_room_says_in_one_line_it_lacks_the_live_commands():
    code, io, room = _run(["/interrupt", "/act nod", "/voice v9"], flavour="v3")
    err = io.stderr.getvalue()
    assert "v3 chat rooms do not support /interrupt" in err
    assert "v3 chat rooms do not support /act" in err
    assert "Voice set to v9." in err  # v3: sent with each question, as before
    assert [kind for kind, _, _ in room.sent if kind != "chat"] == []


def test_the_clock_shows_the_time_left_and_warns_once_a_minute_before_the_end():
    now = [1000.0]
    io = IOStreams.test(tty=True)
    shown = []
    clock = SessionClock(io, 1000.0 + 60.05, shown.append, now=lambda: now[0])
    with clock:
        assert "Session time left: 1 min." in io.stderr.getvalue()
        with clock.idle():
            assert clock._timer is not None
            clock._timer.join(5)  # fires 0.05 s in
            assert clock.warned and len(shown) == 1
            shown[0]()
    assert io.stderr.getvalue().count("the session ends in") == 1
    assert spell(599.5) == "9 min 59 s" and spell(45) == "45 s" and spell(120) == "2 min"


def test_a_warning_during_an_answer_waits_for_its_end():
    io = IOStreams.test(tty=True)
    clock = SessionClock(io, None)
    clock.ends_at = 0.0
    clock._warn()  # not idle: kept
    assert "the session ends in" not in io.stderr.getvalue()
    clock.after_answer()
    assert "the session ends in" in io.stderr.getvalue()


def test_prompt_on_v4_says_the_room_takes_none_and_sends_nothing():
    code, io, room = _run(["/prompt be a pirate"])
    assert code == 0
    err = io.stderr.getvalue()
    assert "a v4 room takes no prompt" in err and "Prompt set." not in err
    assert room.sent == []
    v3_code, v3_io, _ = _run(["/prompt be a pirate"], flavour="v3")
    assert v3_code == 0 and "Prompt set." in v3_io.stderr.getvalue()
