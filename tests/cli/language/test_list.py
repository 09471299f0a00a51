"""`akool language list` against the emulator: a table on a terminal."""

from __future__ import annotations

import json
import re

from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.emulator.catalog import LANGUAGES


def test_language_list(cli, logged_in):
    result = cli(["language", "list"])
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0].split("\t")
    assert first[:2] == ["en", "English"]
    assert cli(["language", "list", "-q"]).stdout.split() == [x["lang_code"] for x in LANGUAGES]
    data = json.loads(cli(["language", "list", "--json"]).stdout)
    assert data[1] == LANGUAGES[1]


def test_language_list_on_a_terminal_is_a_table(logged_in):
    from akool_cli.cli.commands.language.list import LanguageListOptions, run_list

    streams = IOStreams.test(tty=True)
    assert (
        run_list(LanguageListOptions(), AppContext(io=streams, base_url_option=logged_in.url)) == 0
    )
    lines = re.sub(r"\x1b\[[0-9;]*m", "", streams.stdout.getvalue()).splitlines()  # bold header
    assert lines[0].split()[:2] == ["CODE", "NAME"] and lines[1].split()[:2] == ["en", "English"]
    assert f"{len(LANGUAGES)} languages." in streams.stderr.getvalue()
