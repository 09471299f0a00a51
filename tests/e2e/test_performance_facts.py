"""Structural facts behind the speed targets (timings live in benchmarks/, not here)."""

from __future__ import annotations

import io

import pytest

from akool_cli.api.auth import Credential
from akool_cli.api.client import Client
from akool_cli.cli.commands.session.list import ListOptions, run_list
from akool_cli.cli.core.context import AppContext
from akool_cli.cli.ui.iostreams import IOStreams


class PageWatcher(io.StringIO):
    """Records how many API requests the emulator had seen at each flush."""

    def __init__(self, emu) -> None:
        super().__init__()
        self.emu = emu
        self.seen_at_flush = []

    def flush(self) -> None:
        if self.getvalue():
            self.seen_at_flush.append(self.emu.snapshot()["requests"])


@pytest.mark.parametrize("as_json, quiet", [(True, False), (False, True), (False, False)])
def test_list_all_in_turn_prints_each_page_before_asking_for_the_next(logged_in, as_json, quiet):
    logged_in.state.seed(30, status=3)
    out = PageWatcher(logged_in)
    streams = IOStreams(stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
    opts = ListOptions(size=10, all_pages=True, as_json=as_json, quiet=quiet, concurrency=1)
    assert run_list(opts, AppContext(io=streams, base_url_option=logged_in.url)) == 0
    assert out.seen_at_flush[:3] == [1, 2, 3]
    assert logged_in.snapshot()["connections"] == 1


@pytest.mark.parametrize("concurrency", [2, 4])
def test_list_all_streams_pages_and_fetches_at_most_n_ahead(logged_in, concurrency):
    logged_in.state.seed(200, status=3)
    out = PageWatcher(logged_in)
    streams = IOStreams(stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
    opts = ListOptions(size=10, all_pages=True, quiet=True, concurrency=concurrency)
    assert run_list(opts, AppContext(io=streams, base_url_option=logged_in.url)) == 0
    assert len(out.seen_at_flush) == 20  # a flush per page: streamed, not held to the end
    for shown, requests in enumerate(out.seen_at_flush, start=1):
        assert requests <= shown + concurrency  # never more than N pages ahead of the output


def test_proxy_variables_are_honoured_once_per_client(emu, monkeypatch):
    from tests.hostile.servers import HostileHTTP

    key = Credential("api_key", "emulator-key")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    remote = "http://api.example.test"  # reached only through the proxy
    with HostileHTTP('body {"code": 1000, "data": {"count": 0, "result": []}}') as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        through = Client(base_url=remote, credential=key, max_retries=0, allow_insecure=True)
        assert through._transport.proxy == ("HTTP_PROXY", proxy.url)
        assert through.sessions.list().count == 0
        monkeypatch.setenv("NO_PROXY", "api.example.test")  # read when a client is made, once
        assert through.sessions.list().count == 0
        [first, second] = [r["target"] for r in proxy.seen.requests]
        assert first.startswith(f"{remote}/api/open/v4/") and second.startswith(remote)
    direct = Client(base_url=remote, credential=key, allow_insecure=True)
    assert direct._transport.proxy is None  # (not sent: the host is not on loopback)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    local = Client(base_url=emu.url, credential=key, max_retries=0)  # never proxied
    assert local._transport.proxy is None and local.sessions.list().count == 0


def test_a_subcommand_right_after_its_group_is_built_alone():
    from typer.main import get_command

    from akool_cli.cli.app import app

    def built(args):
        root = get_command(app)
        ctx = root.make_context("akool", list(args), resilient_parsing=True)
        root.resolve_command(ctx, list(args))
        return sorted(root.commands["session"].commands)

    assert built(["session", "detail", "x"]) == ["detail"]
    assert len(built(["session", "--debug", "detail"])) == 7  # not right after: all
    assert len(built(["session"])) == 7  # its help lists them all
