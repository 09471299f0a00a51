"""`-` in place of a session id reads it from stdin, wherever an id is taken: a command
that takes one id reads exactly one line (chat then reads its questions from the rest)."""

from __future__ import annotations

import json

import pytest


def test_detail_reads_one_id_and_only_the_first_line(cli, logged_in):
    first, second = logged_in.create()["_id"], logged_in.create()["_id"]
    result = cli(["session", "detail", "-", "--json"], input=f"{first}\n{second}\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["_id"] == first


def test_chat_reads_the_id_then_its_questions_from_the_rest(cli, logged_in):
    sid = logged_in.create()["_id"]
    result = cli(["chat", "-", "--json", "--answer-idle", "0.2"], input=f"{sid}\nHi\nBye\n")
    assert result.exit_code == 0, result.stderr
    answers = [json.loads(line)["answer"] for line in result.stdout.splitlines()]
    assert answers == ["You said: Hi", "You said: Bye"]
    assert logged_in.snapshot()["questions"] == ["Hi", "Bye"]  # the id was no question


def test_say_reads_the_id_and_then_the_text_lines(cli, logged_in):
    sid = logged_in.create()["_id"]
    result = cli(["say", "-", "-", "--answer-idle", "0.2"], input=f"{sid}\nLine one\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Line one\n"
    one = cli(["say", "-", "Welcome", "--answer-idle", "0.2"], input=f"{sid}\n")
    assert one.exit_code == 0 and one.stdout == "Welcome\n"


def test_watch_open_and_logs_take_it_too(cli, logged_in):
    sid = logged_in.create()["_id"]
    watched = cli(["session", "watch", "-", "--until", "live"], input=sid + "\n")
    assert watched.exit_code == 0 and watched.stdout.startswith(sid + "\t"), watched.stderr
    opened = cli(["session", "open", "-", "--print"], input=sid + "\n")
    assert opened.exit_code == 0 and opened.stdout.startswith("http://"), opened.stderr
    cli(["say", sid, "Logged", "--answer-idle", "0.2"])
    logged = cli(["logs", "list", "--session", "-", "--json"], input=sid + "\n")
    assert logged.exit_code == 0 and sid in logged.stdout, logged.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["session", "detail", "-"],
        ["session", "open", "-"],
        ["session", "watch", "-", "--until", "live"],
        ["chat", "-", "-m", "hi"],
        ["say", "-", "hi"],
    ],
)
@pytest.mark.parametrize(
    "stdin, message",
    [
        ("", "which has none"),
        ("\nx\n", "which is empty"),
        ("not an id!\n", "'not an id!' is not a session id"),
        ("a" * 5000 + "\n", "longer than 1024 characters"),
    ],
)
def test_a_missing_or_bad_id_on_stdin_is_refused_before_any_request(
    cli, logged_in, args, stdin, message
):
    result = cli(args, input=stdin)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert logged_in.snapshot()["requests"] == 0
