"""What this tool keeps on the user's machine: files, profiles and credentials, the record
of created sessions, caches. Imports nothing of the CLI or the API client.

Config dir (``AKOOL_CONFIG_DIR``, else the platform's user config dir for "akool"):
``config.json`` (profiles) and ``credentials.json``. State dir (``AKOOL_STATE_DIR``, else
the platform's user state dir): ``sessions.json``, ``tokens.json``, ``chat_history.json``,
``cache/`` and ``logs.db`` (SQLite). Every JSON file is written atomically (temp file +
rename); every file is 0600, in a private directory.
"""

DEFAULT_PROFILE = "default"
