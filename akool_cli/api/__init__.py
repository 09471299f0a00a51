"""The HTTP layer: client, resources, models and errors. Imports nothing from the CLI.

Import :class:`Client` from :mod:`akool_cli.api.client`; this package module stays
light so that importing the error classes does not import requests.
"""

DEFAULT_BASE_URL = "https://openapi.akool.com"
API_PREFIX = "/api/open/v3"
DEFAULT_TIMEOUT = 30.0

# A session's status as the API numbers it. 2 is the one that matters: the stream runs and
# the chat rooms accept connections ("live"). 3 means the session is over ("ended").
QUEUEING, LIVE, ENDED, FAILED = 1, 2, 3, 4
STATUS_NAMES = {QUEUEING: "queueing", LIVE: "processing", ENDED: "completed", FAILED: "failed"}
STATUS_WORDS = {QUEUEING: "queueing", LIVE: "live", ENDED: "ended", FAILED: "failed"}
OVER = (ENDED, FAILED)
BUILTIN_AVATARS = ("Kai_1080P_back", "Katha_1080P_back", "Olivia_1080P_back", "who_1080P_back")
