"""The HTTP layer: client, resources, models and errors. Imports nothing from the CLI.

Import :class:`Client` from :mod:`akool_cli.api.client`; this package module stays
light so that importing the error classes does not import requests.
"""

DEFAULT_BASE_URL = "https://openapi.akool.com"
API_PREFIX = "/api/open/v3"
DEFAULT_TIMEOUT = 30.0
STATUS_NAMES = {1: "queueing", 2: "processing", 3: "completed", 4: "failed"}
BUILTIN_AVATARS = ("Kai_1080P_back", "Katha_1080P_back", "Olivia_1080P_back", "who_1080P_back")
