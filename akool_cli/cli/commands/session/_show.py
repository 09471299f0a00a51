"""A session shown as fields (``create`` and ``detail``): every field a user needs — v3's
stream URLs, or v4's stream type, time left and room credentials (tokens masked)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from akool_cli.api.auth import mask
from akool_cli.api.types.session import STREAM_LABELS, Session, is_secret_key
from akool_cli.cli.ui.iostreams import IOStreams
from akool_cli.cli.ui.table import render_fields
from akool_cli.services.sessions import merged_stream_urls

CHAT_ROOMS = ("client_chat_room_url", "server_chat_room_url")


def merged_credentials(session: Session, record: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """A v4 session's credentials: the API's latest answer wins, the record of create's
    answer fills what it leaves out (detail and list leave out every token)."""
    remembered = (record or {}).get("credentials")
    found = dict(remembered) if isinstance(remembered, dict) else {}
    found.update({k: v for k, v in session.credentials.items() if v not in (None, "")})
    return found


def _value_rows(values: Dict[str, Any], skip: Any = ()) -> List[Tuple[str, Optional[str]]]:
    """Each key under its own name, a secret masked."""
    rows: List[Tuple[str, Optional[str]]] = []
    for key, value in values.items():
        if key in skip or value in (None, ""):
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        rows.append((key, mask(text) if is_secret_key(key) else text))
    return rows


def v4_rows(session: Session, record: Optional[Dict[str, Any]]) -> List[Tuple[str, Optional[str]]]:
    from akool_cli.cli.commands.session._v4 import left_text, time_left

    stream_type = session.stream_type or (record or {}).get("stream_type")
    left = time_left(record) if not session.is_over else 0.0
    rows: List[Tuple[str, Optional[str]]] = [
        ("id", session.id),
        ("api version", "v4"),
        ("status", session.status_label if session.status is not None else None),
        ("stream type", stream_type if isinstance(stream_type, str) else None),
        ("time left", left_text(left, (record or {}).get("duration"))),
    ]
    if session.is_over:  # its room refuses every connection now: not worth showing
        return rows
    return rows + _value_rows(merged_credentials(session, record))


def session_rows(
    session: Session, record: Optional[Dict[str, Any]]
) -> List[Tuple[str, Optional[str]]]:
    """Every field a user needs: ``stream_urls`` by the service's one rule (the API's answer,
    the record of ``create`` filling what it omits), extra keys under their own name,
    secrets among them masked; a v4 session's by ``v4_rows``; the rooms of a session
    that is over left out (they refuse every connection now)."""
    if session.api_version == "v4":
        return v4_rows(session, record)
    urls = merged_stream_urls(session, record)
    if session.is_over:  # its rooms refuse every connection now: not worth showing
        urls = {k: v for k, v in urls.items() if k not in CHAT_ROOMS}
    rows: List[Tuple[str, Optional[str]]] = [
        ("id", session.id),
        ("status", session.status_label if session.status is not None else None),
        ("task id", session.task_id),
    ]
    for key, label in STREAM_LABELS.items():
        value = urls.get(key)
        rows.append((label, value if isinstance(value, str) else None))
    return rows + _value_rows(urls, skip=STREAM_LABELS)


def show_session(io: IOStreams, session: Session, record: Optional[Dict[str, Any]]) -> None:
    render_fields(io, session_rows(session, record), status=session.status)
