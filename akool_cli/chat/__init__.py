"""Chat over a session's websocket: protocol frames and the conversation. No Typer here,
and nothing of the HTTP API."""

RETELL, DIALOGUE = 1, 2  # mode_type: the avatar says the text as it is / answers it

# How an answer ends: at a frame marked answer_ended, else after this many seconds without
# a frame (the service sends no end marker of its own), and never later than the timeout.
DEFAULT_ANSWER_IDLE = 0.8
DEFAULT_ANSWER_TIMEOUT = 30.0
DEFAULT_RECONNECTS = 3  # attempts after a refused or dropped connection
RECONNECT_FIRST_DELAY = 0.2
RECONNECT_MAX_DELAY = 2.0
CONNECT_TIMEOUT = 10.0
MAX_QUESTION = 64 * 1024  # characters; a longer question is refused before it is sent
# A chat frame carries one answer's text; a frame (or a fragmented message) larger than
# this is not the service, and reading it would only cost memory.
MAX_FRAME_BYTES = 1024 * 1024
