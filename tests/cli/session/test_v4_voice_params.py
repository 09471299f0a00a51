"""--voice-params as a person writes it: read by the one strict JSON reader (NaN and
Infinity refused, the option named), and checked against what the notes document of it
(its keys, their types, speed 0.8-1.2) before the billable create is sent."""

from __future__ import annotations

import json

import pytest

V4_AVATAR = "dvp_Tristan_cloth2_1080P"


@pytest.mark.parametrize(
    "text, said",
    [
        ('{"speed": NaN}', "--voice-params is not JSON: NaN is not JSON"),
        ('{"speed": Infinity}', "--voice-params is not JSON: Infinity is not JSON"),
        ('{"speed": 1e999}', "--voice-params is not JSON: the number 1e999 is out of range"),
        ('{"speed": 1.5}', "--voice-params: speed must be a number from 0.8 to 1.2, not 1.5"),
        ('{"speed": "1.0"}', "speed must be a number from 0.8 to 1.2, not '1.0'"),
        ('{"speed": true}', "speed must be a number from 0.8 to 1.2, not True"),
        ('{"pron_map": {"akool": 1}}', "pron_map must be an object of strings"),
        ('{"stt_language": 7}', "stt_language must be a string, not 7"),
        ('{"stt_type": "whisper"}', "stt_type must be one of openai_realtime"),
        ('{"turn_detection": {"threshold": 2}}', "turn_detection.threshold must be a number"),
        ('{"turn_detection": {"silence_duration_ms": 1.5}}', "a whole number of milliseconds"),
        ('{"turn_detection": "server_vad"}', "turn_detection must be a JSON object"),
        ('{"elevenlabs_settings": {"style": -1}}', "elevenlabs_settings.style must be"),
        ('{"pitch": 2}', "pitch is not a key the API documents (it knows speed, pron_map,"),
        ('{"turn_detection": {"mode": 1}}', "turn_detection.mode is not a key the API"),
    ],
)
def test_a_bad_voice_params_is_refused_naming_the_option_before_any_request(
    cli, logged_in_v4, text, said
):
    result = cli(["session", "create", "--avatar-id", V4_AVATAR, "--voice-params", "-"], input=text)
    assert result.exit_code == 2, result.stderr
    assert said in result.stderr and "InvalidJSONError" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("error: --voice-params")
    assert len(result.stderr.strip().splitlines()) <= 2  # the line, and a hint
    assert logged_in_v4.snapshot()["requests"] == 0


def test_every_documented_key_is_sent_as_given(cli, logged_in_v4, tmp_path):
    params = {
        "speed": 0.8,
        "pron_map": {"akool": "ai ku er"},
        "stt_language": "en",
        "stt_type": "openai_realtime",
        "turn_detection": {
            "type": "server_vad",
            "threshold": 0.5,
            "prefix_padding_ms": 300,
            "silence_duration_ms": 500,
        },
        "elevenlabs_settings": {"model_id": "eleven_flash_v2_5", "use_speaker_boost": True},
    }
    path = tmp_path / "voice.json"
    path.write_text(json.dumps(params))
    made = cli(["session", "create", "--avatar-id", V4_AVATAR, "-q", "--voice-params", str(path)])
    assert made.exit_code == 0, made.stderr
    sid = made.stdout.strip()
    assert logged_in_v4.state.get(sid, "v4").params["voice_params"] == params


def test_the_emulators_script_is_read_by_the_strict_reader_too(cli, tmp_path):
    script = tmp_path / "script.json"
    script.write_text('{"*": NaN}')
    result = cli(["emulator", "--port", "0", "--script", str(script)])
    assert result.exit_code == 2
    assert f"the script {script} is not JSON: NaN is not JSON" in result.stderr
