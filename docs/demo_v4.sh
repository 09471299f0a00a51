#!/usr/bin/env bash
# The v4 part of the tour: chat with a v4 avatar in the emulator's LiveKit room. WebRTC
# leaves loopback out, so `make demo` runs this inside a private network namespace
# (python -m tests.netns) where it can make one; elsewhere it says why it skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
address=${AKOOL_TEST_NETNS:?run inside a private network namespace}

work=$(mktemp -d)
export AKOOL_CONFIG_DIR="$work/config" AKOOL_STATE_DIR="$work/state" AKOOL_LOGS=0
unset AKOOL_TOKEN AKOOL_API_KEY AKOOL_PROFILE AKOOL_BASE_URL
akool emulator --host "$address" --ready-after 1 >"$work/url" 2>"$work/emulator.log" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; wait "$emulator" 2>/dev/null || true; rm -rf "$work"' EXIT
until [ -s "$work/url" ]; do
    kill -0 "$emulator" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
    sleep 0.1
done
export AKOOL_BASE_URL=$(head -n 1 "$work/url") AKOOL_API_KEY=emulator-key
export AKOOL_INSECURE=1  # the namespace's address is not loopback: plain http is allowed here

bold=$'\e[1m' dim=$'\e[2m' off=$'\e[0m'
[ -t 1 ] || { bold='' dim='' off=''; }
say() { printf '\n%s# %s%s\n' "$dim" "$*" "$off"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$off"; }

say "v4 (the default): create a session of 120 s, chat in its LiveKit room, close it (every way out)"
show 'akool chat --avatar-id dvp_Tristan_cloth2_1080P --duration 120 -m "Hello" --json'
akool chat --avatar-id dvp_Tristan_cloth2_1080P --duration 120 -m "Hello" --json

say "Keep one, then talk to it again: the room's events as JSON Lines, the answer last"
show 'akool chat --avatar-id dvp_Tristan_cloth2_1080P --keep -m Hi   # 600 s'
akool chat --avatar-id dvp_Tristan_cloth2_1080P --keep -m Hi 2>"$work/kept"
cat "$work/kept"
ID=$(sed -n 's/^Kept session \([0-9a-f]*\);.*/\1/p' "$work/kept")
show 'akool chat "$ID" --events --json -m "What can you do?"'
akool chat "$ID" --events --json -m "What can you do?"
show 'akool say "$ID" "Welcome to the show" --until-spoken --json   # returns at audio_end'
akool say "$ID" "Welcome to the show" --until-spoken --json

show 'akool session close "$ID"   # kept with --keep: closed by hand'
akool session close "$ID"

say "v4 tour complete."
