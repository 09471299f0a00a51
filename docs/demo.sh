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

say "Choose an avatar, a voice and a language (piped: tab-separated; -q: ids only)"
show "akool avatar list -q"
akool avatar list -q
show "akool voice list | head -n 3"
akool voice list | head -n 3
show "akool language list -q | paste -sd' '"
akool language list -q | paste -sd' '
show "akool credit"
akool credit

say "Make Kai the profile's avatar, then create a session and wait until it is live"
show "akool config set avatar_id Kai_1080P_back"
akool config set avatar_id Kai_1080P_back
show 'ID=$(akool session create --wait -q)    # -q prints only the id'
ID=$(akool session create --wait -q)
echo "ID=$ID"

say "Or follow one as it starts: that session alone, a line per change when piped"
show 'OTHER=$(akool session create -q)'
OTHER=$(akool session create -q)
show 'akool session watch "$OTHER" --until live --interval 0.5'
akool session watch "$OTHER" --until live --interval 0.5

show 'akool session detail "$ID"'
akool session detail "$ID"

show "akool session list --status live"
akool session list --status live

show 'akool session detail "$ID" --json'
akool session detail "$ID" --json

show "akool credit    # each session costs credit"
akool credit

say "Chat (dialogue: the avatar answers), then two piped questions as JSON lines"
show 'akool chat "$ID" --message "Hello there"'
akool chat "$ID" --message "Hello there"
show "printf 'Hi\\nWhat can you do?\\n' | akool chat \"\$ID\" --json"
printf 'Hi\nWhat can you do?\n' | akool chat "$ID" --json

say "Say (retelling: the avatar says the text as it is)"
show 'akool say "$ID" "Welcome to the show"'
akool say "$ID" "Welcome to the show"

say "Every question and answer is in the chat log (SQLite in the state dir)"
show "akool logs list -n 2"
akool logs list -n 2

show 'akool session pause "$ID"'
akool session pause "$ID"

say "Close every session that bills (queueing and live) in one pipe; closing twice is fine"
show 'QUEUED=$(akool session create --avatar-id Olivia_1080P_back -q)   # still queueing'
QUEUED=$(akool session create --avatar-id Olivia_1080P_back -q)
show "akool session list --status queueing,live"
akool session list --status queueing,live
show "akool session list --all --status billable -q | akool session close -"
akool session list --all --status billable -q | akool session close -
show "akool session list --status billable -q | wc -l"
akool session list --status billable -q | wc -l
show 'akool session close "$ID"'
akool session close "$ID"

say "An ended session stays readable"
show 'akool session detail "$ID"'
akool session detail "$ID"

say "Any endpoint, with the stored credential: akool api (like gh api)"
show 'akool api liveAvatar/session/detail -X GET -f id="$ID"'
akool api liveAvatar/session/detail -X GET -f id="$ID"

say "Errors are one line and a documented exit code"
show 'akool chat "$ID" -m "Still there?"; echo "exit $?"'
akool chat "$ID" -m "Still there?" || echo "exit $?"

say "Tour complete."
