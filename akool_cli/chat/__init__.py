"""Chat with a session's avatar: the v3 websocket room and the v4 LiveKit room, their
protocols, and the conversation written once over both. No Typer here, and nothing of
the HTTP API."""

from akool_cli.chat.modes import DIALOGUE, RETELL  # the chat mode's vocabulary: modes.py

__all__ = ["DIALOGUE", "RETELL"]

# How an answer ends. A room that has shown it marks answers (a frame carrying answer_ended,
# true or false) is waited on until its marker; in a room that never has, an answer ends
# after this many seconds without a frame: long enough for pieces 1.5 s apart (an avatar
# behind a language model and a speech engine pauses), at the cost of that much waiting
# after the last piece. Never later than the timeout.
DEFAULT_ANSWER_IDLE = 2.5
DEFAULT_ANSWER_TIMEOUT = 30.0
# How an answer ended (ChatAnswer.ended_by): v3 answer_ended, v4 fin, the quiet period,
# or an interrupt (v4: Ctrl-C during the answer, acknowledged or not).
ENDED_BY_MARKER, ENDED_BY_FIN, ENDED_BY_QUIET = "marker", "fin", "quiet"
ENDED_BY_INTERRUPTED = "interrupted"
ACK_TIMEOUT = 5.0  # seconds for a command's acknowledgement (v4)
DEFAULT_RECONNECTS = 3  # attempts after a refused or dropped connection
RECONNECT_FIRST_DELAY = 0.2
RECONNECT_MAX_DELAY = 2.0
CONNECT_TIMEOUT = 10.0
MAX_QUESTION = 64 * 1024  # characters; a longer question is refused before it is sent
# A chat frame carries one answer's text; a frame (or a fragmented message) larger than
# this is not the service, and reading it would only cost memory.
MAX_FRAME_BYTES = 1024 * 1024
# One answer's text (UTF-8 bytes): an answer past this is not an avatar talking.
MAX_ANSWER_BYTES = 1024 * 1024
# The chat room's handshake response (status line and headers), in bytes.
MAX_HANDSHAKE_BYTES = 64 * 1024
