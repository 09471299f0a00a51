"""The chat prompt under a storm of SIGWINCH (a window dragged to a new size, a tiling
window manager, a hostile process of the same user): nothing but the prompt reaches the
terminal, and the chat goes on."""

from __future__ import annotations

import io
import os
import signal
import time

import pexpect

from tests.helpers import spawn

STORM = 20_000  # signals sent back to back, faster than the prompt's loop reads them
ROUNDS = 10


def _storm(pid: int) -> None:
    for _ in range(STORM):
        os.kill(pid, signal.SIGWINCH)


def test_a_sigwinch_storm_at_the_prompt_prints_nothing(logged_in):
    sid = logged_in.create()["_id"]
    child = spawn(["chat", sid, "--answer-idle", "0.2", "--no-log"])
    seen = io.StringIO()
    child.logfile_read = seen
    try:
        child.expect("you> ")
        for _ in range(ROUNDS):  # not read meanwhile: the prompt's redraws fill the terminal
            _storm(child.pid)
            time.sleep(0.2)
        child.sendline("still here?")
        child.expect("You said: still here\\?")
        _storm(child.pid)  # and once more while the next prompt is up
        child.sendline("/exit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    shown = seen.getvalue()
    assert "Exception ignored" not in shown and "wakeup fd" not in shown, shown[-2000:]
    assert "Traceback" not in shown and "BlockingIOError" not in shown
