"""The chat prompt's input rules as pure functions: what Tab offers, how a continued
question is joined."""

from __future__ import annotations

from akool_cli.cli.commands.chat.repl import join_continued
from akool_cli.cli.commands.chat.repl_terminal import completions

VALUES = {
    "/mode": [("dialogue", "the avatar answers"), ("retell", "it says your text")],
    "/voice": [("21m00Tcm4TlvDq8ikWAM", "Rachel american"), ("piTKgcLEGmPE4e6mEKli", "Nicole")],
    "/lang": [("en", "English"), ("es", "Spanish"), ("fr", "French")],
}


def test_commands_complete_with_a_space_after_those_that_take_a_value():
    assert [c[0] for c in completions("/mo", VALUES)] == ["/mode "]
    assert [c[0] for c in completions("/his", VALUES)] == ["/history"]
    assert completions("hello", VALUES) == []


def test_values_complete_by_themselves_or_by_what_they_are():
    assert completions("/mode r", VALUES) == [("retell", -1, "it says your text")]
    assert [c[0] for c in completions("/lang e", VALUES)] == ["en", "es"]
    assert [c[0] for c in completions("/voice ra", VALUES)] == ["21m00Tcm4TlvDq8ikWAM"]
    assert [c[0] for c in completions("/voice pi", VALUES)] == ["piTKgcLEGmPE4e6mEKli"]
    assert len(completions("/voice ", VALUES)) == 2
    assert completions("/lang en x", VALUES) == [] and completions("/save f", VALUES) == []


def test_a_continued_question_loses_only_its_continuation_backslashes():
    assert join_continued("first \\\nsecond") == "first \nsecond"
    assert join_continued("a \\ b\nc\\") == "a \\ b\nc\\"
