"""How far `akool chat ID -m Hi` travels through the package, from argv to the printed
answer: the akool_cli source files it enters and how often it changes room.

    .venv/bin/python tools/path_trace.py [ROOT]

ROOT is a checkout of the project (default: this one); its akool_cli is the one traced.
An emulator runs in this process; the command runs in a child process under
``sys.setprofile`` (the main thread; ``threading.setprofile`` for the others), from the
console script's ``main()`` until it returns. Counted:

- files: the distinct akool_cli source files in which a function was called (any thread);
- room changes (package): on the main thread, how often the directory of the executing
  akool_cli function (``cli``, ``cli/core``, ``api/resources`` …) differs from that of the
  akool_cli function called before it;
- room changes (file): the same with the file as the room;
- the same two counts for the work only: calls made while an akool_cli module loads (its
  body, its classes, its imports) left out, so that what is left is the path the
  command's work takes.

Frames outside akool_cli (the standard library, Typer, requests) are passed over: the
next akool_cli call is compared with the last one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

CHILD = "--child"


def _loading(frame, package: str) -> bool:  # noqa: ANN001
    """Whether ``frame`` runs as part of loading an akool_cli module."""
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_code.co_filename.startswith(package):
            return True
        frame = frame.f_back
    return False


def child(root: str) -> None:
    package = os.path.join(root, "akool_cli") + os.sep
    files = set()
    rooms = {"package": 0, "file": 0, "package-calls": 0, "file-calls": 0}
    last = {"package": None, "file": None, "package-calls": None, "file-calls": None}
    main = threading.main_thread()

    def profile(frame, event, arg):  # noqa: ANN001
        if event != "call":
            return
        name = frame.f_code.co_filename
        if not name.startswith(package):
            return
        relative = name[len(package) :]
        files.add(relative)
        if threading.current_thread() is not main:
            return
        kinds = [("package", os.path.dirname(relative) or "."), ("file", relative)]
        if not _loading(frame, package):
            kinds += [(kind + "-calls", room) for kind, room in kinds]
        for kind, room in kinds:
            if last[kind] is not None and last[kind] != room:
                rooms[kind] += 1
            last[kind] = room

    sys.path.insert(0, root)
    report = os.environ.pop("_PATH_TRACE_REPORT")
    threading.setprofile(profile)
    sys.setprofile(profile)
    code = 0
    try:
        from akool_cli.cli import main as akool_main

        akool_main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    with open(report, "w") as out:
        json.dump({"exit": code, "files": sorted(files), "rooms": rooms}, out)


def parent(root: str) -> int:
    sys.path.insert(0, root)
    import tempfile

    from akool_cli.api.auth import Credential
    from akool_cli.api.client import Client
    from akool_cli.emulator.runner import Emulator

    with tempfile.TemporaryDirectory() as tmp, Emulator() as emu:
        emu.state.ready_after = 0.0
        client = Client(base_url=emu.base_url, credential=Credential("api_key", "emulator-key"))
        sid = client.sessions.create("Kai_1080P_back").id
        client.close()
        report = os.path.join(tmp, "report.json")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("AKOOL_")},
            "AKOOL_BASE_URL": emu.base_url,
            "AKOOL_API_KEY": "emulator-key",
            "AKOOL_CONFIG_DIR": f"{tmp}/config",
            "AKOOL_STATE_DIR": f"{tmp}/state",
            "AKOOL_LOGS": "0",
            "_PATH_TRACE_REPORT": report,
        }
        argv = [sys.executable, __file__, CHILD, root, "chat", sid, "-m", "Hi"]
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or not os.path.exists(report):
            sys.stderr.write(proc.stderr)
            return 1
        with open(report) as handle:
            found = json.load(handle)
    print(f"akool chat ID -m Hi -> {proc.stdout.strip()!r} (exit {found['exit']})")
    print(f"files entered: {len(found['files'])}")
    print(f"room changes, by package: {found['rooms']['package']}")
    print(f"room changes, by file: {found['rooms']['file']}")
    print(f"room changes at work (loading left out), by package: {found['rooms']['package-calls']}")
    print(f"room changes at work (loading left out), by file: {found['rooms']['file-calls']}")
    for name in found["files"]:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == CHILD:
        root = sys.argv[2]
        sys.argv = ["akool", *sys.argv[3:]]
        child(root)
    else:
        default = str(Path(__file__).resolve().parent.parent)
        sys.exit(parent(sys.argv[1] if len(sys.argv) > 1 else default))
