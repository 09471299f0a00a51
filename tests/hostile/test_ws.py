"""``akool chat`` against hostile websocket peers: the answer deadline holds whatever
they send, frames are capped, and piped output is only ever complete answers."""

from __future__ import annotations

import time

import pytest

from tests.helpers import run_bounded
from tests.hostile.servers import HostileWS, chat_frame, question_id, read_frame, ws_frame

MEMORY_MIB = 150
PING, TEXT, CONT = 0x9, 0x1, 0x0


def _chat(server, *extra, timeout=40):
    return run_bounded(
        ["chat", "--url", server.url, "-m", "hi", *extra], env={"AKOOL_MAX_RETRIES": "0"},
        timeout=timeout,
    )  # fmt: skip


def ping_flood(sock, stop):
    question_id(sock)
    while not stop.is_set():
        sock.sendall(ws_frame(PING, b"are you there"))
        time.sleep(0.005)


def giant_frame(sock, stop):
    question_id(sock)
    sock.sendall(ws_frame(TEXT, b"x" * 1000, length=200 * 1024 * 1024))
    stop.wait(30)


def endless_fragments(sock, stop):
    question_id(sock)
    sock.sendall(ws_frame(TEXT, b"[", fin=False))
    while not stop.is_set():
        sock.sendall(ws_frame(CONT, b"x" * 60_000, fin=False))


def trickled_frame(sock, stop):
    message_id = question_id(sock)
    frame = chat_frame(message_id, "You said: hi")
    sock.sendall(frame[:2])  # the header, then the payload a byte at a time
    for byte in frame[2:]:
        if stop.is_set():
            return
        sock.sendall(bytes([byte]))
        time.sleep(0.2)


def test_a_ping_flood_cannot_hold_an_answer_past_its_timeout():
    with HostileWS(ping_flood) as server:
        result = _chat(server, "--answer-timeout", "2")
    assert result.exit_code == 9, result.stderr
    assert "no complete answer within 2 s" in result.stderr
    assert result.seconds < 2 + 8 and result.peak_mib < MEMORY_MIB


def test_a_trickled_frame_cannot_hold_an_answer_past_its_timeout():
    with HostileWS(trickled_frame) as server:
        result = _chat(server, "--answer-timeout", "2")
    assert result.exit_code == 9, result.stderr
    assert result.seconds < 2 + 8


@pytest.mark.parametrize("behave", [giant_frame, endless_fragments], ids=["giant", "fragments"])
def test_an_oversized_frame_is_refused_before_it_is_read(behave):
    with HostileWS(behave) as server:
        result = _chat(server, "--answer-timeout", "30")
    assert result.exit_code == 7, result.stderr
    assert "over the 1048576 bytes a chat" in result.stderr
    assert result.peak_mib < MEMORY_MIB and result.seconds < 20
    assert "Traceback" not in result.stderr


def test_piped_output_is_only_the_complete_answer_after_a_drop():
    connections = []

    def drop_once(sock, stop):
        connections.append(1)
        message_id = question_id(sock)
        if len(connections) == 1:
            sock.sendall(chat_frame(message_id, "You s"))  # a partial answer, then gone
            time.sleep(0.2)
            sock.close()
            return
        sock.sendall(chat_frame(message_id, "You said: hi"))
        stop.wait(5)

    with HostileWS(drop_once) as server:
        result = _chat(server, "--answer-idle", "0.5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "You said: hi\n"  # not "You s\nYou said: hi"
    assert len(connections) == 2


def test_no_stray_blank_line_on_a_failure():
    def silent(sock, stop):
        question_id(sock)
        stop.wait(10)

    with HostileWS(silent) as server:
        result = _chat(server, "--answer-timeout", "0.5")
    assert result.exit_code == 9 and result.stdout == ""


def test_an_answer_with_control_characters_is_printed_safely():
    def answer(sock, stop):
        message_id = question_id(sock)
        sock.sendall(chat_frame(message_id, "line one\n\x1b]0;pwned\x07\x1b[2Jline two"))
        stop.wait(5)

    with HostileWS(answer) as server:
        result = _chat(server, "--answer-idle", "0.3")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert result.stdout.startswith("line one\n")  # line breaks of the answer are kept


def test_deep_or_non_standard_json_frames_are_skipped():
    def noise(sock, stop):
        message_id = question_id(sock)
        sock.sendall(ws_frame(TEXT, b"[" * 100_000))
        sock.sendall(ws_frame(TEXT, b'{"type": "chat", "payload": "{\\"message_id\\": NaN}"}'))
        sock.sendall(chat_frame(message_id, "fine"))
        stop.wait(5)

    with HostileWS(noise) as server:
        result = _chat(server, "--answer-idle", "0.3")
    assert result.exit_code == 0 and result.stdout == "fine\n", result.stderr


def test_the_question_frame_is_what_the_vendor_documents():
    seen = []

    def record(sock, stop):
        seen.append(read_frame(sock))
        stop.wait(2)

    with HostileWS(record) as server:
        _chat(server, "--answer-timeout", "0.3")
    import json

    frame = json.loads(seen[0]["data"])
    assert frame["type"] == "chat" and frame["to"] == "server_1"
    assert isinstance(frame["payload"], str)  # serialized JSON, as the vendor asks
    assert json.loads(frame["payload"])["mode_type"] == 2


# -- the chat side's buffers (each of these grew without a bound before) --------------


def endless_answer(sock, stop):
    message_id = question_id(sock)
    number = 0
    while not stop.is_set():  # one answer's pieces, as fast as they go (each a new delta)
        sock.sendall(chat_frame(message_id, f"{number:08d}" + "x" * 60_000))
        number += 1


def test_an_answer_is_capped_at_1_mib():
    with HostileWS(endless_answer) as server:
        result = _chat(server)  # the default --answer-timeout (30 s)
    assert result.exit_code == 7, result.stderr
    assert "the answer went past 1048576 bytes (1 MiB)" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.seconds < 15 and result.peak_mib < MEMORY_MIB


def test_a_capped_answer_leaves_at_most_the_cap_in_the_chat_log(tmp_path):
    from akool_cli.local.logs import ChatLog

    with HostileWS(endless_answer) as server:
        result = _chat(server)
    assert result.exit_code == 7
    rows = ChatLog(tmp_path / "state" / "logs.db").recent()
    assert [row["outcome"] for row in rows] == ["abandoned"]
    assert len((rows[0]["answer"] or "").encode()) <= 1024 * 1024


def endless_header(sock, stop):
    sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nX-Never-Ends: ")
    while not stop.is_set():
        sock.sendall(b"a" * 65536)


def endless_headers(sock, stop):
    sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\n")
    number = 0
    while not stop.is_set():
        sock.sendall(b"".join(b"X-%d: v\r\n" % (number + i) for i in range(1000)))
        number += 1000


@pytest.mark.parametrize("handshake", [endless_header, endless_headers], ids=["line", "lines"])
def test_handshake_headers_are_capped(handshake):
    with HostileWS(lambda sock, stop: None, handshake=handshake) as server:
        result = _chat(server, "--answer-timeout", "8")
    assert result.exit_code == 7, result.stderr
    assert "handshake response went past 65536 bytes" in result.stderr
    assert result.seconds < 8 and result.peak_mib < MEMORY_MIB
    assert server.connections == 1  # a peer that does this is not tried again


def trickled_handshake(sock, stop):
    for byte in b"HTTP/1.1 101 Switching Protocols\r\n" + b"X-Slow: " + b"a" * 10_000:
        if stop.is_set():
            return
        sock.sendall(bytes([byte]))
        time.sleep(0.1)


def test_connecting_counts_against_the_answer_timeout():
    with HostileWS(lambda sock, stop: None, handshake=trickled_handshake) as server:
        result = _chat(server, "--answer-timeout", "2")
    assert result.exit_code == 9, result.stderr
    assert "within 2 s" in result.stderr
    assert result.seconds < 2 + 4  # not the connect timeout (10 s) times each attempt


def test_after_an_oversized_frame_the_next_question_gets_a_connection_of_its_own():
    """The refused frame is left half-read: the connection it came on is of no more use
    (the prompt goes on after the warning, and its next question must not read on)."""
    from akool_cli.chat.conversation import Conversation
    from akool_cli.chat.errors import ChatProtocolError

    on_the_first = []  # questions sent on the connection that carried the giant frame

    def giant_then_good(sock, stop):
        message_id = question_id(sock)
        if server.connections == 1:  # the first connection: a frame too large, then
            sock.sendall(ws_frame(TEXT, b"x" * 10, length=200 * 1024 * 1024))
            message_id = question_id(sock)
            on_the_first.append(message_id)
        if message_id is not None:
            sock.sendall(chat_frame(message_id, f"answer {server.connections}", answer_ended=True))
        stop.wait(5)

    with HostileWS(giant_then_good) as server:
        with Conversation(server.url, "server_1", sleep=lambda s: None) as conv:
            with pytest.raises(ChatProtocolError):
                conv.ask("hi", idle=0.3, timeout=10)
            answer = conv.ask("again", idle=0.3, timeout=10)
        assert answer.answer == "answer 2" and server.connections == 2
    assert on_the_first == [None]  # closed by the client, never asked on
