#!/usr/bin/env bash
# A real tour of `akool` against the offline emulator (run it with `make demo`).
# It uses a throw-away config dir, so your own credentials are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

work=$(mktemp -d)
export AKOOL_CONFIG_DIR="$work/config" AKOOL_STATE_DIR="$work/state"
unset AKOOL_TOKEN AKOOL_API_KEY AKOOL_PROFILE AKOOL_BASE_URL

akool emulator --ready-after 2 --script docs/demo-script.json >"$work/url" 2>"$work/emulator.log" &
emulator=$!
cleanup() {
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The emulator prints its base URL as its first line once it listens.
for _ in $(seq 1 100); do
    [ -s "$work/url" ] && break
    kill -0 "$emulator" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
    sleep 0.1
done
base_url=$(head -n 1 "$work/url")

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' dim=$'\033[2m' off=$'\033[0m'
else bold="" dim="" off=""; fi
say() { printf '\n%s# %s%s\n' "$dim" "$*" "$off"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$off"; }

say "The emulator is serving the Live Avatar API at $base_url"

say "Log in: the key is read from stdin and checked with one API call"
show "echo emulator-key | akool --base-url $base_url auth login --with-api-key"
echo emulator-key | akool --base-url "$base_url" auth login --with-api-key
show "akool auth status"
akool auth status

say "v4 is the API version in use (AKOOL_API_VERSION or --api-version v3 for the old one)"
show "akool help api-versions | head -n 3"
akool help api-versions | head -n 3

say "Choose an avatar, a voice and a language (piped: tab-separated; -q: ids only)"
show "akool avatar list"
akool avatar list
show "akool voice list | head -n 3    # v4: the voices that can stream"
akool voice list | head -n 3
show "akool language list -q | paste -sd' '"
akool language list -q | paste -sd' '

say "A knowledge base the avatar answers from"
show 'KB=$(akool knowledge create --name "Product FAQ" --prompt "Answer from the FAQ." -q)'
KB=$(akool knowledge create --name "Product FAQ" --prompt "Answer from the FAQ." -q)
show "akool knowledge list"
akool knowledge list

say "A v4 session lasts its --duration, charged up front; closing early refunds the rest"
show "akool config set avatar_id dvp_Tristan_cloth2_1080P"
akool config set avatar_id dvp_Tristan_cloth2_1080P
show "akool credit"
akool credit
show 'ID=$(akool session create --duration 600 --knowledge-id "$KB" --wait -q)'
ID=$(akool session create --duration 600 --knowledge-id "$KB" --wait -q)
echo "ID=$ID"
show 'akool session detail "$ID"    # time left; the room token kept 0600, shown masked'
akool session detail "$ID"
show "akool credit    # the duration is paid for"
akool credit

say "Or follow one as it starts: that session alone, a line per change when piped"
show 'OTHER=$(akool session create --duration 60 -q)'
OTHER=$(akool session create --duration 60 -q)
show 'akool session watch "$OTHER" --until live --interval 0.5'
akool session watch "$OTHER" --until live --interval 0.5

say "What v4 lacks is refused before anything is sent"
show 'akool session pause "$ID"; echo "exit $?"'
akool session pause "$ID" || echo "exit $?"

say "One v3 session beside them: its record keeps its version for every later command"
show 'V3=$(akool --api-version v3 session create --avatar-id Kai_1080P_back --wait -q)'
V3=$(akool --api-version v3 session create --avatar-id Kai_1080P_back --wait -q)
show "akool session list --status live    # both versions, a VERSION column"
akool session list --status live
show 'akool session detail "$V3" --json'
akool session detail "$V3" --json

say "Chat with the v3 session (dialogue: the avatar answers), then two piped questions"
show 'akool chat "$V3" --message "Hello there"'
akool chat "$V3" --message "Hello there"
show "printf 'Hi\\nWhat can you do?\\n' | akool chat \"\$V3\" --json"
printf 'Hi\nWhat can you do?\n' | akool chat "$V3" --json

say "Say (retelling: the avatar says the text as it is)"
show 'akool say "$V3" "Welcome to the show"'
akool say "$V3" "Welcome to the show"

say "Every question and answer is in the chat log (SQLite in the state dir)"
show "akool logs list -n 2"
akool logs list -n 2

show 'akool session pause "$V3"    # v3 has pause'
akool session pause "$V3"

say "Close the v4 session (the unused part of its duration is refunded), then every one that bills"
show 'akool session close "$ID"'
akool session close "$ID"
show "akool credit"
akool credit
show "akool session list --all --status billable -q | akool session close -"
akool session list --all --status billable -q | akool session close -
show "akool session list --status billable -q | wc -l"
akool session list --status billable -q | wc -l
show 'akool session close "$ID"    # closing twice is fine'
akool session close "$ID"

say "An ended session stays readable"
show 'akool session detail "$ID"'
akool session detail "$ID"

say "Any endpoint, with the stored credential: akool api (like gh api)"
show 'akool api liveAvatar/session/detail -X GET -f id="$ID"    # under /api/open/v4/'
akool api liveAvatar/session/detail -X GET -f id="$ID"

say "Errors are one line and a documented exit code"
show 'akool chat "$V3" -m "Still there?"; echo "exit $?"'
akool chat "$V3" -m "Still there?" || echo "exit $?"

say "Tour complete (v3 and HTTP). Now v4 chat, in a LiveKit room:"
if why=$(python -c 'from tests import netns; import sys; sys.stdout.write(netns.cannot() or "")') && [ -z "$why" ]; then
    python -m tests.netns -- bash docs/demo_v4.sh
else
    echo "skipped the v4 chat: WebRTC needs a private network namespace here, and this machine cannot make one ($why)"
fi
