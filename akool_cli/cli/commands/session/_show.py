"""A session shown as fields (``create`` and ``detail``): every field a user needs."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from akool_cli.api.auth import mask
from akool_cli.api.types.session import STREAM_LABELS, Session, is_secret_key
from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.table import render_fields
from akool_cli.services.sessions import merged_stream_urls


def session_rows(
    session: Session, record: Optional[Dict[str, Any]]
) -> List[Tuple[str, Optional[str]]]:
    """Every field a user needs: ``stream_urls`` by the service's one rule (the API's answer,
    the record of ``create`` filling what it omits), extra keys under their own name,
    secrets among them masked."""
    urls = merged_stream_urls(session, record)
    rows: List[Tuple[str, Optional[str]]] = [
        ("id", session.id),
        ("status", session.status_label if session.status is not None else None),
        ("task id", session.task_id),
    ]
    for key, label in STREAM_LABELS.items():
        value = urls.get(key)
        rows.append((label, value if isinstance(value, str) else None))
    for key, value in urls.items():
        if key in STREAM_LABELS or value in (None, ""):
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        rows.append((key, mask(text) if is_secret_key(key) else text))
    return rows


def show_session(io: IOStreams, session: Session, record: Optional[Dict[str, Any]]) -> None:
    render_fields(io, session_rows(session, record), status=session.status)
