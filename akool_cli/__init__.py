"""akool-cli: a command-line tool for Akool's Live Avatar API."""

__version__ = "0.1.0"
