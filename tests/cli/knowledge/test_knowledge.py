"""`akool knowledge` (v4) against the emulator: create, list, show, update (a prologue
cleared with ''), delete; table, tab-separated lines, --json, -q; the codes 1232 (exit
4) and 1233 (exit 6); lengths checked before any request; refused under v3."""

from __future__ import annotations

import json
import re

import pytest

from akool_cli.cli.commands.knowledge.list import KnowledgeListOptions, run_list
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.iostreams import IOStreams


def _make(cli, name: str, *more: str) -> str:
    made = cli(["knowledge", "create", "--name", name, "-q", *more])
    assert made.exit_code == 0, made.stderr
    return made.stdout.strip()


def test_crud(cli, logged_in_v4, tmp_path):
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Answer from the manual.")
    kb = _make(
        cli, "Support", "--prologue", "Hello!", "--prompt-file", str(prompt),
        "--doc", "https://example.com/docs/user%20manual.pdf", "--url", "https://example.com/faq",
    )  # fmt: skip
    [stored] = logged_in_v4.snapshot()["knowledge"]
    assert stored["_id"] == kb and stored["prompt"] == "Answer from the manual."
    assert stored["docs"] == [
        {"name": "user manual.pdf", "url": "https://example.com/docs/user%20manual.pdf", "size": 0}
    ]
    listed = cli(["knowledge", "list"]).stdout.splitlines()
    assert [line.split("\t") for line in listed] == [
        [kb, "Support", "1", "1", listed[0].split("\t")[4]]
    ]
    assert cli(["knowledge", "list", "-q"]).stdout.split() == [kb]
    assert json.loads(cli(["knowledge", "list", "--json"]).stdout)[0]["_id"] == kb
    shown = cli(["knowledge", "show", kb]).stdout
    assert "Hello!" in shown and "user%20manual.pdf" in shown
    updated = cli(["knowledge", "update", kb, "--prologue", "", "--json"])
    assert json.loads(updated.stdout)["prologue"] == ""
    assert logged_in_v4.snapshot()["knowledge"][0]["prologue"] == ""
    assert logged_in_v4.snapshot()["knowledge"][0]["prompt"] == "Answer from the manual."
    assert cli(["knowledge", "delete", kb]).exit_code == 0
    assert logged_in_v4.snapshot()["knowledge"] == []
    gone = cli(["knowledge", "show", kb])
    assert gone.exit_code == 4 and "1232" in gone.stderr
    assert cli(["knowledge", "delete", kb]).exit_code == 4


def test_a_name_taken_exits_6_with_a_hint(cli, logged_in_v4):
    _make(cli, "FAQ")
    again = cli(["knowledge", "create", "--name", "FAQ"])
    assert again.exit_code == 6 and "1233" in again.stderr and "--name" in again.stderr


def test_the_list_on_a_terminal_is_a_table(logged_in_v4, cli):
    _make(cli, "One")
    _make(cli, "Two")
    io = IOStreams.test(tty=True)
    app = AppContext(io=io, base_url_option=logged_in_v4.url)
    assert run_list(KnowledgeListOptions(), app) == 0
    lines = re.sub(r"\x1b\[[0-9;]*m", "", io.stdout.getvalue()).splitlines()
    assert lines[0].split()[:4] == ["ID", "NAME", "DOCS", "URLS"]
    assert [line.split()[1] for line in lines[1:]] == ["Two", "One"]  # newest first


def test_all_walks_pages_until_a_short_one(cli, logged_in_v4):
    made = [_make(cli, f"kb{n}") for n in range(5)]
    seen = logged_in_v4.snapshot()["requests"]
    listed = cli(["knowledge", "list", "--all", "--size", "2", "-q"]).stdout.split()
    assert listed == made[::-1] and logged_in_v4.snapshot()["requests"] - seen == 3


@pytest.mark.parametrize(
    "args, where",
    [
        (["knowledge", "create", "--name", "x" * 101], "at most 100"),
        (["knowledge", "create", "--name", "ok", "--prologue", "p" * 2001], "at most 2000"),
        (["knowledge", "create", "--name", "😀" * 51], "at most 100"),  # UTF-16: 102
        (["knowledge", "create", "--name", "ok", "--prompt", "p" * 10001], "at most 10000"),
        (["knowledge", "create", "--prologue", "hi"], "needs a --name"),
        (["knowledge", "create", "--name", "ok", "--doc", "https://e.com/a.exe"], ".pdf"),
        (["knowledge", "create", "--name", "ok", "--url", "javascript:alert(1)"], "http"),
        (["knowledge", "update", "6698c9d69cf7b0d61d1b6420"], "nothing to update"),
        (["--api-version", "v3", "knowledge", "list"], "v3 has no knowledge bases"),
    ],
)
def test_bad_input_is_refused_before_any_request(cli, logged_in_v4, args, where):
    result = cli(args)
    assert result.exit_code == 2 and where in result.stderr, result.stderr
    assert logged_in_v4.snapshot()["requests"] == 0


def test_a_session_takes_a_knowledge_base_and_completion_offers_it(cli, logged_in_v4):
    from akool_cli.cli.core.completers import complete_knowledge

    kb = _make(cli, "Manual")
    cli(["knowledge", "list"])  # fills the cache completion reads
    assert [value for value, _ in complete_knowledge(None, "")] == [kb]
    made = cli(["session", "create", "--avatar-id", "dvp_Tristan_cloth2_1080P", "-q",
                "--knowledge-id", kb])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert logged_in_v4.state.get(made.stdout.strip(), "v4").params["knowledge_id"] == kb
