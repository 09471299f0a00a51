"""Once the command is over, a signal ends the process at once with its exit code: it is
never raised into the interpreter's shutdown, where Python prints it as "Exception
ignored" with a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

# A non-daemon thread keeps the interpreter in threading._shutdown, as the LiveKit SDK's
# threads did, while the signal arrives; the thread itself sends it.
CHILD = """
import os, signal, sys, threading, time
from akool_cli.cli.core import signals
signals.install()
if {leaving}:
    signals.leaving()
sys.stdout.write("done\\n")
def later():
    time.sleep(0.3)
    os.kill(os.getpid(), signal.{name})
    time.sleep(0.3)
threading.Thread(target=later).start()
sys.exit(0)
"""


@pytest.mark.parametrize("name, code", [("SIGTERM", 143), ("SIGINT", 130), ("SIGHUP", 130)])
def test_a_signal_while_leaving_exits_with_its_code_and_no_traceback(name, code):
    run = subprocess.run(
        [sys.executable, "-c", CHILD.format(leaving=True, name=name)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert (run.returncode, run.stdout, run.stderr) == (code, "done\n", "")


def test_without_it_the_signal_reaches_python_s_shutdown():
    """What leaving() prevents (so the test above can fail)."""
    run = subprocess.run(
        [sys.executable, "-c", CHILD.format(leaving=False, name="SIGTERM")],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert "Exception ignored" in run.stderr or "Traceback" in run.stderr


HARD_EXIT = """
import atexit, sys, types
sys.modules["livekit.rtc"] = types.ModuleType("livekit.rtc")  # as after a v4 chat
atexit.register(lambda: sys.stdout.write("python's shutdown ran\\n"))
sys.argv = ["akool", *{argv!r}]
from akool_cli.cli import main
main()
"""


@pytest.mark.parametrize("argv, code", [(["help", "exit-codes"], 0), (["session", "nope"], 2)])
def test_after_livekit_loaded_the_process_leaves_before_python_s_shutdown(argv, code):
    """The LiveKit SDK's threads can abort the process during Python's shutdown, after the
    command succeeded: once it is loaded, akool leaves with its exit code, output flushed."""
    run = subprocess.run(
        [sys.executable, "-c", HARD_EXIT.format(argv=argv)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert run.returncode == code, run.stderr
    assert "shutdown ran" not in run.stdout
    assert ("130" in run.stdout) if code == 0 else ("error:" in run.stderr)


def test_a_signal_in_a_weakref_finalizer_is_delivered_again_not_raised_there():
    """Python swallows what a weakref finalizer raises ("Exception ignored"): a signal that
    lands in one is sent again a moment later, as in the import system's own code."""
    import weakref

    from akool_cli.cli.core import signals

    seen = []

    class Thing:
        pass

    thing = Thing()
    weakref.finalize(thing, lambda: seen.append(sys._getframe(1)))
    del thing
    assert seen and signals._in_import_machinery(seen[0])  # weakref.finalize.__call__
    assert not signals._in_import_machinery(sys._getframe())
