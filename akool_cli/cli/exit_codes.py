"""The exit-code contract. Documented in the README and `akool help exit-codes`."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    API = 1  # another API error, an unreadable local file, an internal error
    USAGE = 2  # bad options or input, refused before any request
    AUTH = 3  # no credential, or the API rejected it
    NOT_FOUND = 4
    PERMISSION = 5  # no permission, cannot be operated, account banned
    INVALID_PARAMETER = 6  # the API said a parameter is wrong (1003)
    NETWORK = 7  # unreachable, timed out, 5xx/429, not the API's JSON, still busy
    SESSION = 8  # the session failed or ended
    TIMEOUT = 9  # a wait or an answer took longer than allowed
    PAYMENT = 10  # the account cannot pay: quota, credit, subscription
    INTERRUPTED = 130  # Ctrl-C (SIGINT), SIGHUP, SIGQUIT
    TERMINATED = 143  # SIGTERM
