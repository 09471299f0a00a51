"""Which credential is in use: the resolution order, and secrets kept out of reprs."""

from __future__ import annotations

import pytest

from akool_cli.api.auth import ClientCredentials, Credential, mask
from akool_cli.local.errors import SettingError
from akool_cli.local.profiles import Store
from akool_cli.services.credentials import CLIENT_ENV, resolve_credential


def test_resolution_order(tmp_path):
    store = Store(tmp_path / "c")
    store.save_credential("default", "api_key", "stored")
    assert resolve_credential(store, "default", {})[0] == Credential("api_key", "stored")
    env = {"AKOOL_CLIENT_ID": "id", "AKOOL_CLIENT_SECRET": "sec"}
    found, source = resolve_credential(store, "default", env)
    assert isinstance(found, ClientCredentials) and found.client_id == "id" and source == CLIENT_ENV
    env["AKOOL_API_KEY"] = "k"
    assert resolve_credential(store, "default", env)[0] == Credential("api_key", "k")
    env["AKOOL_TOKEN"] = "t"
    assert resolve_credential(store, "default", env) == (Credential("token", "t"), "AKOOL_TOKEN")
    assert resolve_credential(store, "other", {}) == (None, "none")


@pytest.mark.parametrize("name", ["AKOOL_CLIENT_ID", "AKOOL_CLIENT_SECRET"])
def test_half_a_client_credential_is_a_setting_error(tmp_path, name):
    with pytest.raises(SettingError) as info:
        resolve_credential(Store(tmp_path), "default", {name: "x"})
    assert "is not set" in str(info.value)


def test_reprs_never_show_the_secret():
    cred = Credential("token", "super-secret-token-123456")
    assert "super-secret" not in repr(cred) and "super-secret" not in str(cred)
    client = ClientCredentials("id", "super-secret-value")
    assert "super-secret" not in repr(client) + str(client)
    assert mask("short") == "***" and mask("123456789") == "1…9"  # at most 4 shown
    assert mask("abcdefghijklmnopq") == "ab…pq"
