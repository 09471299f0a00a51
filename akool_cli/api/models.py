"""The models' old home, kept so that ``from akool_cli.api.models import Session`` goes on
working: they live in :mod:`akool_cli.api.types` now (``Avatar``, ``Voice`` and
``Language`` too, loaded when first asked for)."""

from akool_cli.api import types
from akool_cli.api.types import STATUS_BY_NAME as STATUS_BY_NAME
from akool_cli.api.types import STREAM_LABELS as STREAM_LABELS
from akool_cli.api.types import Session as Session
from akool_cli.api.types import StreamUrls as StreamUrls
from akool_cli.api.types import is_secret_key as is_secret_key
from akool_cli.api.types import object_id_time as object_id_time
from akool_cli.api.types import parse_status as parse_status
from akool_cli.api.types import status_label as status_label
from akool_cli.api.types import status_word as status_word
from akool_cli.api.types._shape import expect_list as expect_list
from akool_cli.api.types._shape import expect_object as expect_object

__getattr__ = types.__getattr__
