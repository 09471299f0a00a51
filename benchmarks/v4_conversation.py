"""How fast the v4 conversation hands on what the room says: from a delta's arrival (the
SDK's callback) to its text given to ``on_text``, and from the ``fin`` delta's arrival
to ``ask`` returning, over many answers in the emulator's room.

    .venv/bin/python benchmarks/v4_conversation.py [ANSWERS]

WebRTC leaves loopback out, so this runs inside a private network namespace (it enters
one itself, as root; see tests/netns.py). Prints one JSON line of medians and worsts.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import netns  # noqa: E402


def timed_answers(
    address: str, answers: int, printer: Optional[Callable[[], Callable[[str], None]]] = None
) -> List[Tuple[List[Any], List[float], float]]:
    """Ask ``answers`` questions (after one to warm up) in an emulator room of four
    pieces 5 ms apart; for each, the pieces as they arrived (the SDK's callback), when
    ``on_text`` ran (after a fresh ``printer()``'s, if given) and when ``ask`` returned."""
    from akool_cli.chat.conversation import Conversation
    from akool_cli.chat.transport import Piece
    from akool_cli.chat.v4_transport import V4Transport
    from akool_cli.emulator.livekit.runner import LiveKitEmulator

    arrivals: List[Piece] = []

    class Timed(V4Transport):
        def receive(self, timeout: float) -> Any:
            item = super().receive(timeout)
            if isinstance(item, Piece):
                arrivals.append(item)
            return item

    timed = []
    with LiveKitEmulator(address) as lk:
        brain = lk.add_avatar("bench", "avatar")
        brain.behaviour.pieces, brain.behaviour.piece_delay = 4, 0.005
        transport = Timed(lk.url, lk.client_token("bench", "client"), "avatar")
        with Conversation.over(transport) as conv:
            conv.ask("warm up", timeout=10)
            for n in range(answers):
                arrivals.clear()
                shown: List[float] = []
                print_it = printer() if printer is not None else None

                def on_text(
                    text: str, shown: List[float] = shown, print_it: Any = print_it
                ) -> None:
                    if print_it is not None:
                        print_it(text)
                    shown.append(time.monotonic())

                conv.ask(f"question {n}", timeout=10, on_text=on_text)
                timed.append((list(arrivals), shown, time.monotonic()))
    return timed


def main(answers: int) -> int:
    address = netns.enter([__file__, str(answers)])
    to_text: List[float] = []
    to_return: List[float] = []
    for arrivals, shown, returned in timed_answers(address, answers):
        ours = [p for p in arrivals if p.text]
        to_text.append((shown[0] - ours[0].received) * 1000)
        fin = next(p for p in arrivals if p.end)
        to_return.append((returned - fin.received) * 1000)
    print(
        json.dumps(
            {
                "answers": answers,
                "first_text_ms_median": round(statistics.median(to_text), 3),
                "first_text_ms_worst": round(max(to_text), 3),
                "fin_to_return_ms_median": round(statistics.median(to_return), 3),
                "fin_to_return_ms_worst": round(max(to_return), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
