"""The catalog models' old home, kept so that old imports go on working: they live in
:mod:`akool_cli.api.types.catalog` now."""

from akool_cli.api.types.catalog import Avatar, Language, Voice

__all__ = ["Avatar", "Language", "Voice"]
