"""Which pager runs (a pure function of the environment)."""

from __future__ import annotations

import shutil

import pytest

from akool_cli.cli.ui.pager import pager_command


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"AKOOL_PAGER": "most -s", "PAGER": "more"}, ["most", "-s"]),
        ({"PAGER": "more"}, ["more"]),
        ({"AKOOL_PAGER": "", "PAGER": "more"}, None),  # empty: no pager, whatever PAGER says
        ({"PAGER": "cat"}, None),
        ({"PAGER": "less '-R"}, None),  # cannot be read: no pager rather than a wrong one
    ],
)
def test_the_pager_named_by_the_environment(env, expected):
    assert pager_command(env) == expected


def test_the_default_is_less_when_installed():
    expected = ["less", "-FRX"] if shutil.which("less") else None
    assert pager_command({}) == expected


def test_no_less_no_pager_and_no_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing here
    assert pager_command({}) is None


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"TERM": "dumb"}, None),  # less would stop at "Press RETURN to continue"
        ({"TERM": "dumb", "PAGER": "less"}, None),
        ({"TERM": "dumb", "AKOOL_PAGER": "more"}, ["more"]),  # asked for by name: it pages
    ],
)
def test_a_dumb_terminal_pages_only_with_akool_pager(env, expected):
    assert pager_command(env) == expected


def test_a_pager_named_by_pager_that_is_not_installed_is_none(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no less, no more
    assert pager_command({"PAGER": "less -R"}) is None
    assert pager_command({"AKOOL_PAGER": "less -R"}) == ["less", "-R"]  # its failure is said
