"""The chat prompt of the installed `akool chat` on a pseudo-terminal."""

from __future__ import annotations

import pexpect

from tests.helpers import spawn, wait_for


def _repl(session_id: str) -> pexpect.spawn:
    child = spawn(["chat", session_id, "--answer-idle", "0.15"])
    child.expect("you>")
    return child


def test_repl_streams_answers_and_exits(logged_in, session_id):
    logged_in.config(answer_mode="delta", chunks=5, chunk_delay=0.02)
    child = _repl(session_id)
    child.sendline("Hello avatar")
    child.expect("avatar> ")
    child.expect("You said: Hello avatar")
    child.expect("you>")
    child.sendline("/voice v42")
    child.expect("Voice set to v42")
    child.sendline("/session")
    child.expect(f"session +{session_id}")
    child.sendline("/pause")
    child.expect("Paused session")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert logged_in.snapshot()["paused"] == [session_id]


def test_repl_ctrl_c_abandons_an_answer_and_ctrl_d_leaves(logged_in, session_id):
    logged_in.config(chat_fault="silent", chat_fault_times=1)
    child = _repl(session_id)
    child.sendline("are you there?")
    child.expect("avatar> ")
    wait_for(lambda: logged_in.snapshot()["questions"], what="the question")
    child.sendintr()
    child.expect("answer abandoned")
    child.expect("you>")
    child.sendline("second try")
    child.expect("You said: second try")
    child.expect("you>")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_recorded_v3_session_pauses_in_v3_under_the_v4_default(
    logged_in, session_id, monkeypatch
):
    monkeypatch.delenv("AKOOL_API_VERSION")  # the default, v4: the record says v3
    test_repl_streams_answers_and_exits(logged_in, session_id)  # /pause included
