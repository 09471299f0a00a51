"""What a person gives ``knowledge create`` and ``update``: --prompt-file - reads stdin, a
prompt file's one trailing newline is not part of the prompt, the limits say what they
count, and control characters in a name or a prologue are refused before anything is
sent."""

from __future__ import annotations

import pytest


def _made(emu) -> dict:
    [item] = emu.snapshot()["knowledge"]
    return item


def test_prompt_file_dash_reads_stdin(cli, logged_in_v4):
    made = cli(
        ["knowledge", "create", "--name", "Piped", "--prompt-file", "-", "-q"],
        input="Answer from the manual.\nBe brief.\n",
    )
    assert made.exit_code == 0, made.stderr
    assert _made(logged_in_v4)["prompt"] == "Answer from the manual.\nBe brief."


def test_a_prompt_file_at_the_limit_with_its_final_newline_is_taken(cli, logged_in_v4, tmp_path):
    path = tmp_path / "prompt.txt"
    path.write_text("p" * 10_000 + "\n")  # as an editor saves it
    made = cli(["knowledge", "create", "--name", "Full", "--prompt-file", str(path), "-q"])
    assert made.exit_code == 0, made.stderr
    assert _made(logged_in_v4)["prompt"] == "p" * 10_000
    path.write_text("p" * 9_999 + "\n\n")  # only ONE newline is the file's own
    update = cli(["knowledge", "update", made.stdout.strip(), "--prompt-file", str(path)])
    assert update.exit_code == 0, update.stderr
    assert _made(logged_in_v4)["prompt"] == "p" * 9_999 + "\n"


@pytest.mark.parametrize(
    "args, said",
    [
        (["--name", "ok\x1b[2Jbad"], "--name holds a control character ('\\x1b'); a name is one"),
        (["--name", "two\nlines"], "--name holds a control character ('\\n')"),
        (["--name", "ok", "--prologue", "hi\x07"], "--prologue holds a control character"),
        (["--name", "ok", "--prompt", "x\x00y"], "--prompt holds a control character"),
        (["--name", "😀" * 51], "--name is at most 100 characters counted as the service "
         "counts them (UTF-16 code units: most emoji count 2); this one has 102"),
        (["--name", "ok", "--prompt-file", "-"], "--prompt-file is at most 10000 characters"),
    ],
)  # fmt: skip
def test_bad_text_is_refused_before_any_request(cli, logged_in_v4, args, said):
    result = cli(["knowledge", "create", *args], input="q" * 10_001)
    assert result.exit_code == 2, result.stderr
    assert said in result.stderr
    assert logged_in_v4.snapshot()["requests"] == 0


def test_a_prologue_keeps_its_line_breaks(cli, logged_in_v4):
    made = cli(["knowledge", "create", "--name", "ok", "--prologue", "Hi!\n\tAsk me.", "-q"])
    assert made.exit_code == 0, made.stderr
    assert _made(logged_in_v4)["prologue"] == "Hi!\n\tAsk me."
