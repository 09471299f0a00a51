"""The chat log: every question of ``chat`` and ``say`` with its answer, in a SQLite
database in the state dir (``logs.db``, 0600).

Several processes may write at once: the database is in WAL mode and every connection
waits for a lock (``BUSY_TIMEOUT``) rather than failing. A credential is never stored:
there is no column for one, and the base URL is stored without any password in it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Dict, List, Optional

from akool_cli.local.errors import LocalError
from akool_cli.local.files import ensure_private_dir

FILE_NAME = "logs.db"
SCHEMA_VERSION = 1
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another to finish

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exchanges (
    id          INTEGER PRIMARY KEY,
    time        TEXT    NOT NULL,
    profile     TEXT,
    base_url    TEXT,
    session_id  TEXT,
    avatar_id   TEXT,
    voice_id    TEXT,
    language    TEXT,
    mode        TEXT,
    command     TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    answer      TEXT,
    outcome     TEXT    NOT NULL,
    elapsed_ms  INTEGER,
    frames      INTEGER,
    message_id  TEXT
);
CREATE INDEX IF NOT EXISTS exchanges_by_session ON exchanges (session_id, id);
"""

OUTCOMES = ("answered", "sent", "timed_out", "abandoned")


@dataclass
class Exchange:
    """One question and what came of it (``outcome``: one of ``OUTCOMES``)."""

    command: str  # chat | say
    question: str
    outcome: str
    answer: Optional[str] = None
    elapsed_ms: Optional[int] = None
    frames: Optional[int] = None
    message_id: Optional[str] = None
    profile: Optional[str] = None
    base_url: Optional[str] = None
    session_id: Optional[str] = None
    avatar_id: Optional[str] = None
    voice_id: Optional[str] = None
    language: Optional[str] = None
    mode: Optional[str] = None
    time: str = ""  # ISO 8601 in UTC; now, when left empty

    def __post_init__(self) -> None:
        if not self.time:
            self.time = now_iso()


COLUMNS = tuple(f.name for f in fields(Exchange))


def now_iso() -> str:
    seconds = time.time()
    millis = int((seconds % 1) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


_SURROGATES = re.compile("[\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """Text SQLite can hold: a lone surrogate (from a server's broken JSON) becomes U+FFFD."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    return value


class ChatLog:
    """The database at ``path``; opened on first use, created (0600) when missing."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db: Optional[sqlite3.Connection] = None

    def _fail(self, exc: BaseException) -> LocalError:
        return LocalError(f"cannot use the chat log {self.path}: {exc}")

    def _connect(self, *, create: bool) -> Optional[sqlite3.Connection]:
        if self._db is not None:
            return self._db
        if not self.path.exists():
            if not create:
                return None
            ensure_private_dir(self.path.parent)
            try:  # created private before SQLite opens it (its -wal and -shm follow its mode)
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            except OSError as exc:
                raise self._fail(exc) from None
        try:
            db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                db.close()
                raise LocalError(
                    f"the chat log {self.path} was written by a newer akool "
                    f"(schema {version}; this one reads {SCHEMA_VERSION})"
                )
            if version < SCHEMA_VERSION:
                db.executescript(_SCHEMA)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        self._db = db
        return db

    def add(self, exchange: Exchange) -> int:
        """Store one exchange; its row id."""
        if exchange.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {exchange.outcome!r}")
        db = self._connect(create=True)
        assert db is not None
        values = {k: _storable(v) for k, v in asdict(exchange).items()}
        names = ", ".join(COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        try:
            cursor = db.execute(
                f"INSERT INTO exchanges ({names}) VALUES ({marks})",
                [values[name] for name in COLUMNS],
            )
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        return int(cursor.lastrowid or 0)

    def recent(self, limit: Optional[int] = None, session_id: Optional[str] = None) -> List[Dict]:
        """The last ``limit`` exchanges (all when None), oldest first; of one session if
        ``session_id``. Each a dict with ``id`` and every field of ``Exchange``."""
        db = self._connect(create=False)
        if db is None:
            return []
        where, params = ("WHERE session_id = ?", [session_id]) if session_id else ("", [])
        query = f"SELECT id, {', '.join(COLUMNS)} FROM exchanges {where} ORDER BY id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        try:
            rows = db.execute(query, params).fetchall()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        names = ("id", *COLUMNS)
        return [dict(zip(names, row)) for row in reversed(rows)]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ChatLog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
