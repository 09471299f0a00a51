"""Which pager runs (a pure function of the environment)."""

from __future__ import annotations

import shutil

import pytest

from akool_cli.cli.pager import pager_command


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
