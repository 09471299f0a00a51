"""Every number the client's behaviour depends on, in one place, with why. (A session's
status numbers are a vocabulary of their own: :mod:`akool_cli.api.types.status`.)"""

DEFAULT_BASE_URL = "https://openapi.akool.com"
API_ROOT = "/api/open"  # every documented path starts with it, then the version
API_PREFIX = f"{API_ROOT}/v3"  # the v3 routes (getToken, the language list, credit)

# The two versions of the API: v3 (the page the project started from) and v4 (what the
# vendor has documented since 2024-12, and the default). A few v4 routes stay under v3,
# as the vendor has them: getToken, the language list, the credit info, avatar create.
API_VERSIONS = ("v3", "v4")
DEFAULT_API_VERSION = "v4"

# A v4 session's duration, in seconds: charged up front when it is created, the unused
# part refunded on close; it ends once the duration runs out. The vendor documents no
# default, so the client always sends one.
DURATION_RANGE = (1, 3600)
DEFAULT_DURATION = 600

# Timeouts (seconds). A whole request — connect, send, every byte of the answer — must be
# done within ``DEFAULT_TIMEOUT`` (a deadline, not a per-read timeout: a server trickling
# a byte at a time cannot hold it); connecting never waits longer than
# ``CONNECT_TIMEOUT_CAP`` (a host that takes longer to accept is not there).
DEFAULT_TIMEOUT = 30.0
CONNECT_TIMEOUT_CAP = 10.0
MAX_TIMEOUT = 600.0

# The largest answer read, after decompression. The API's answers are small — a page of
# 1,000 sessions is about 0.5 MiB — so anything bigger is not the API, and reading it
# would only cost memory (an endless body, a gzip bomb).
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
READ_CHUNK = 64 * 1024

# ``iter_pages`` stops after this many pages (at the most useful size, 1,000 sessions a
# page, that is ten million): a server that ignores ``page`` must not loop forever.
MAX_PAGES = 10_000

# Retries: full-jitter exponential backoff, ``BACKOFF_BASE * 2**attempt`` capped at
# ``BACKOFF_CAP``. A server's Retry-After is honoured when it is no longer than the
# request timeout (the longest the user said one step may take); a longer one is not
# waited for: the call fails at once, saying how long the server asked for.
DEFAULT_MAX_RETRIES = 2
MAX_RETRIES_LIMIT = 10  # AKOOL_MAX_RETRIES above it would keep a failing command going for minutes
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0

# Waiting for a session to become live: poll ``detail`` after ``WAIT_FIRST_DELAY`` seconds,
# each pause 1.5x the last, at most ``WAIT_MAX_DELAY`` (a session goes live within seconds;
# polling faster buys nothing and costs requests), for at most ``DEFAULT_WAIT_TIMEOUT``.
DEFAULT_WAIT_TIMEOUT = 300.0
WAIT_FIRST_DELAY = 0.5
WAIT_MAX_DELAY = 0.9  # so "live" is noticed within a second, at about one request a second
WAIT_GROWTH = 1.5

# Business codes.
SUCCESS = 1000

# A session's status as the API numbers it. 2 is the one that matters: the stream runs and
# the chat rooms accept connections ("live"). 3 means the session is over ("ended").
QUEUEING, LIVE, ENDED, FAILED = 1, 2, 3, 4
STATUS_NAMES = {QUEUEING: "queueing", LIVE: "processing", ENDED: "completed", FAILED: "failed"}
STATUS_WORDS = {QUEUEING: "queueing", LIVE: "live", ENDED: "ended", FAILED: "failed"}
OVER = (ENDED, FAILED)

BUILTIN_AVATARS = ("Kai_1080P_back", "Katha_1080P_back", "Olivia_1080P_back", "who_1080P_back")
V4_AVATAR = "dvp_Tristan_cloth2_1080P"  # the official v4 avatar of the vendor's docs
