"""The yardstick for a v4 chat: import the livekit SDK, join the room (no media), publish
one chat frame to the avatar, print the answer's text when its fin delta comes. On stderr,
one JSON line of timings (seconds since the start of the process's main code).
Usage: bare_livekit_chat.py URL TOKEN AVATAR_IDENTITY QUESTION"""

import asyncio
import json
import sys
import time

START = time.monotonic()

from livekit import rtc  # noqa: E402

IMPORTED = time.monotonic()


async def main(url, token, avatar, question):
    room = rtc.Room()
    pieces, done = {}, asyncio.get_running_loop().create_future()
    marks = {"import": IMPORTED - START}

    def on_data(packet):
        if packet.participant is None or packet.participant.identity != avatar:
            return
        message = json.loads(packet.data)
        if message.get("type") != "chat" or message["pld"].get("from") != "bot":
            return
        marks.setdefault("first_delta", time.monotonic() - START)
        pieces[message["idx"]] = message["pld"]["text"]
        if message.get("fin") and not done.done():
            done.set_result(message["idx"])

    room.on("data_received", on_data)
    await room.connect(url, token, rtc.RoomOptions(auto_subscribe=False))
    marks["joined"] = time.monotonic() - START
    frame = {"v": 2, "type": "chat", "mid": "q-1", "idx": 0, "fin": True, "pld": {"text": question}}
    await room.local_participant.publish_data(
        json.dumps(frame).encode(), reliable=True, destination_identities=[avatar]
    )
    marks["sent"] = time.monotonic() - START
    last = await asyncio.wait_for(done, 30)
    marks["fin"] = time.monotonic() - START
    print("".join(pieces[i] for i in range(last + 1)))
    await room.disconnect()
    marks["left"] = time.monotonic() - START
    print(json.dumps(marks), file=sys.stderr)


asyncio.run(main(*sys.argv[1:5]))
