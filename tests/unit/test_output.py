"""The output layer: streams for tests, the colour policy, tables and fields."""

from __future__ import annotations

import re

from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.table import Column, Table, render_fields

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG_ID = "f" * 40


def _table() -> Table:
    table = Table(Column("ID", min_width=24), Column("STATUS"), Column("URL", elastic=True))
    table.add_row(LONG_ID, "live", "http://example/" + "x" * 300, styles=["", "green", ""])
    table.add_row("b" * 24, "ended", None)
    return table


def test_piped_tables_are_tab_separated_with_a_dash_for_nothing():
    io = IOStreams.test()
    _table().print(io)
    lines = io.stdout.getvalue().splitlines()
    assert lines[0].split("\t")[:2] == [LONG_ID, "live"]
    assert lines[1] == "b" * 24 + "\tended\t-"
    assert not ANSI.search(io.stdout.getvalue())


def test_terminal_tables_align_never_cut_ids_and_cut_the_elastic_column():
    io = IOStreams.test(tty=True)
    io.console().width = 100
    _table().print(io)
    lines = [ANSI.sub("", line) for line in io.stdout.getvalue().splitlines()]
    assert lines[0].split()[:2] == ["ID", "STATUS"]
    assert lines[1].startswith(LONG_ID)  # the id is whole
    assert "…" in lines[1] and all(len(line) <= 100 for line in lines)
    assert lines[1].index("live") == lines[2].index("ended")  # aligned


def test_colour_only_to_a_terminal_and_never_with_no_color():
    plain = IOStreams.test(tty=True)
    _table().print(plain)
    assert "\x1b[32m" not in plain.stdout.getvalue()
    coloured = IOStreams.test(tty=True, color=True)
    _table().print(coloured)
    assert "\x1b[32m" in coloured.stdout.getvalue()  # live in green
    assert not IOStreams.test(color=True).color  # piped: no colour even when allowed


def test_fields_align_and_skip_empty_values():
    io = IOStreams.test()
    render_fields(io, [("id", "abc"), ("status", "live (processing, 2)"), ("none", None)], 2)
    assert io.stdout.getvalue() == "id      abc\nstatus  live (processing, 2)\n"


def test_errors_and_hints_go_to_stderr():
    io = IOStreams.test()
    io.error("it broke (code 1219)", "try again")
    io.warn("careful")
    assert io.stdout.getvalue() == ""
    assert (
        io.stderr.getvalue() == "error: it broke (code 1219)\nhint: try again\nwarning: careful\n"
    )


def test_json_is_compact_when_piped_and_indented_on_a_terminal():
    piped, tty = IOStreams.test(), IOStreams.test(tty=True)
    piped.json({"a": [1, "é"]})
    tty.json({"a": 1})
    assert piped.stdout.getvalue() == '{"a":[1,"é"]}\n'
    assert tty.stdout.getvalue() == '{\n  "a": 1\n}\n'
