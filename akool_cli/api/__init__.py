"""The HTTP layer: client, resources, models and errors. Imports nothing from the CLI.

Import :class:`Client` from :mod:`akool_cli.api.client`; this package module stays
light so that importing the error classes does not import requests.
"""

DEFAULT_BASE_URL = "https://openapi.akool.com"
API_PREFIX = "/api/open/v3"
