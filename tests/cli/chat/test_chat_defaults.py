"""`akool chat` takes its voice, language and mode from the profile."""

from __future__ import annotations

FAST = ["--answer-idle", "0.15", "--answer-timeout", "10"]


def test_chat_takes_voice_language_and_mode_from_the_profile(cli, logged_in):
    sid = cli(["session", "create", "--avatar-id", "Kai_1080P_back", "-q"]).stdout.strip()
    for key, value in [("voice_id", "v-conf"), ("language", "fr"), ("mode", "retell")]:
        assert cli(["config", "set", key, value]).exit_code == 0
    assert cli(["chat", sid, "-m", "Bonjour", *FAST]).stdout == "Bonjour\n"  # retold
    cli(["chat", sid, "-m", "Salut", "--mode", "dialogue", "--voice-id", "v-flag", *FAST])
    first, second = logged_in.snapshot()["payloads"]
    assert (first["voice_id"], first["language"], first["mode_type"]) == ("v-conf", "fr", 1)
    assert (second["voice_id"], second["language"], second["mode_type"]) == ("v-flag", "fr", 2)
