"""A LiveKit-compatible room for the emulator: enough of a LiveKit server for the real
``livekit`` SDK to join, talk on the data channel and be told to leave.

Needs the ``emulator`` extra (``livekit-api``, ``livekit-protocol``, ``aiortc``). Parts:
``tokens`` (signed access tokens, minted and checked as LiveKit does), ``brain`` (what
the avatar says: the seam a dialogue brain plugs into), ``server`` (signalling, the peer
connection, rooms and participants), ``ice`` (candidates only on the address served),
``runner`` (the thread). Importing this package imports none of them.

    from akool_cli.emulator.livekit.runner import LiveKitEmulator

    with LiveKitEmulator(host="10.77.0.1") as lk:
        token = lk.client_token("room-1", "client-1")
        lk.add_avatar("room-1", "avatar-1")      # joins now, or later
        ...                                      # the SDK joins lk.url with token
        lk.close_room("room-1")                  # everyone is told to leave
"""
