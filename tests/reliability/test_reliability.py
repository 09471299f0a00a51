"""Reliability and security: the fault matrix, property tests, secrets, bad input, soak."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akool_cli.api import errors
from akool_cli.api._response import HTTPResponse
from akool_cli.api.client import parse_envelope
from akool_cli.api.errors import AkoolError
from akool_cli.api.models import Session
from akool_cli.api.pagination import Page
from akool_cli.chat.protocol import AnswerAssembler, FrameError, decode_frame
from tests.helpers import AKOOL
from tests.reliability.fault_matrix import cases, run_case
from tests.reliability.soak import soak

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault_matrix(emu, case):
    observed = run_case(case, emu.emulator, AKOOL)
    assert observed.problems(case) == [], observed.stderr


# -- property tests: arbitrary JSON parses or raises our own error ------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
session_like = st.fixed_dictionaries(
    {},
    optional={
        "_id": json_values | st.text(min_size=1),
        "status": json_values | st.integers(1, 4),
        "task_id": json_values,
        "stream_urls": json_values
        | st.dictionaries(
            st.sampled_from(["client_pull_stream_url", "client_chat_room_url"]), json_values
        ),
    },
)


@given(session_like | json_values)
def test_session_model_parses_or_raises_protocol_error(data):
    try:
        session = Session.from_api(data)
    except errors.ProtocolError:
        return
    assert isinstance(session.id, str) and session.id


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "count": json_values | st.integers(0, 10),
            "result": st.lists(session_like, max_size=3) | json_values,
        },
    )
    | json_values
)
def test_page_model_parses_or_raises_protocol_error(data):
    try:
        page = Page.from_api(data, Session.from_api)
        page.parsed  # noqa: B018 - parsing the items is part of the property
    except errors.ProtocolError:
        return
    assert page.count >= 0


def _response(status: int, body: bytes) -> HTTPResponse:
    return HTTPResponse(status, {"Content-Type": "application/json"}, body)


@given(
    st.integers(100, 599),
    json_values
    | st.fixed_dictionaries(
        {"code": st.integers(0, 2000) | json_values},
        optional={"msg": json_values, "data": json_values},
    ),
)
def test_envelope_parses_or_raises_our_error(status, body):
    try:
        parsed = parse_envelope(_response(status, json.dumps(body).encode()))
    except AkoolError:
        return
    assert parsed["code"] == 1000


@given(st.binary(max_size=64))
def test_any_bytes_as_a_body_parse_or_raise_our_error(body):
    try:
        parse_envelope(_response(200, body))
    except AkoolError:
        pass


chat_frames = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["chat", "ping"]) | json_values,
        "payload": json_values
        | st.fixed_dictionaries(
            {}, optional={"message_id": json_values | st.text(), "answer": json_values | st.text()}
        ).map(json.dumps),
    },
)


@given(chat_frames.map(json.dumps) | st.text() | st.binary(max_size=32) | json_values)
def test_chat_frames_decode_or_raise_frame_error(data):
    try:
        frame = decode_frame(data)
    except FrameError:
        return
    assembler = AnswerAssembler()
    assert assembler.add(frame) == frame.answer


# -- secrets ---------------------------------------------------------------------------

SECRET = "sk-live-0123456789abcdefSECRET"


def test_no_command_prints_or_logs_the_credential(emu, monkeypatch):
    emu.state.api_keys.add(SECRET)
    monkeypatch.setenv("AKOOL_BASE_URL", emu.url)
    monkeypatch.setenv("AKOOL_MAX_RETRIES", "0")
    env = {"AKOOL_API_KEY": SECRET}

    def akool(*args, input=None, env=env):
        proc = subprocess.run(
            [AKOOL, "--debug", *args],
            capture_output=True,
            text=True,
            input=input,
            timeout=30,
            env={**os.environ, **env},
        )
        assert SECRET not in proc.stdout + proc.stderr, args
        assert SECRET[4:-4] not in proc.stdout + proc.stderr, args
        return proc

    login = akool("auth", "login", "--with-api-key", input=SECRET + "\n", env={})
    assert login.returncode == 0
    akool("auth", "status")
    akool("auth", "status", "--json")
    sid = akool("session", "create", "--avatar-id", "Kai_1080P_back", "--wait", "-q").stdout.strip()
    for args in (
        ["session", "detail", sid],
        ["session", "detail", sid, "--json"],
        ["session", "list"],
        ["session", "list", "--all", "--json"],
        ["chat", sid, "-m", "hello", "--answer-idle", "0.1"],
        ["session", "pause", sid],
        ["session", "close", sid],
        ["session", "detail", sid],
        ["auth", "logout"],
    ):
        akool(*args)
    emu.fault(code=1101)
    assert akool("session", "list").returncode == 3
    wrong = akool("auth", "login", "--with-api-key", input=SECRET + "x\n", env={})
    assert wrong.returncode == 3
    # the one command whose job is to print it
    token = subprocess.run(
        [AKOOL, "auth", "token"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=30,
    )
    assert token.stdout.strip() == SECRET


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, stdin",
    [
        (["chat", "{sid}"], "x" * (1024 * 1024) + "\n"),
        (["chat", "--avatar-id", "Kai_1080P_back"], "x" * (1024 * 1024) + "\n"),
        (["session", "close", "-"], "\xff\n"),
        (["session", "close", "-"], "a" * 200 + "\n"),
        (["session", "list", "--size", "-1"], ""),
        (["session", "list", "--status", "unknown"], ""),
    ],
    ids=[
        "1MB question",
        "1MB question, --avatar-id",
        "non-UTF-8 ids",
        "overlong id",
        "negative size",
        "unknown status",
    ],
)
def test_bad_input_refused_before_any_request(emu, monkeypatch, args, stdin):
    monkeypatch.setenv("AKOOL_BASE_URL", emu.url)
    monkeypatch.setenv("AKOOL_API_KEY", "emulator-key")
    sid = emu.create()["_id"]
    before = emu.snapshot()["requests"]
    proc = subprocess.run(
        [AKOOL, *[a.replace("{sid}", sid) for a in args]],
        input=stdin.encode("utf-8", "surrogateescape") if stdin != "\xff\n" else b"\xff\n",
        capture_output=True,
        timeout=30,
    )
    assert proc.returncode == 2, proc.stderr
    assert emu.snapshot()["requests"] == before
    assert emu.snapshot()["chat_connections"] == 0
    assert b"Traceback" not in proc.stderr


# -- soak ------------------------------------------------------------------------------------


def test_soak_no_error_no_lost_answer(emu):
    emu.config(ready_after=0, chunk_delay=0)
    result = soak(
        emu.url, chat_clients=50, questions=20, http_requests=2000, threads=8, deadline=90
    )
    assert result["errors"] == 0, result["error_samples"]
    assert result["lost"] == 0
    assert result["http_done"] == 2000
