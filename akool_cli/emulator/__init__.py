"""An offline emulator of the Live Avatar API (HTTP and websocket on one port).

Needs the ``emulator`` extra (aiohttp): ``pip install 'akool-cli[emulator]'``.

    from akool_cli.emulator import Emulator

    with Emulator() as emu:
        ...  # emu.base_url, emu.state

Parts: ``state`` (the rules, pure), ``http_api`` (the API), ``control`` (fault switches
and settings under ``/_emulator/``), ``rooms`` (chat websockets), ``runner`` (the thread).
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        from akool_cli.emulator.runner import Emulator

        return Emulator
    if name == "State":
        from akool_cli.emulator.state import State

        return State
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
