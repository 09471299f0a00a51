"""The chat log: every question of ``chat`` and ``say`` with its answer, in a SQLite
database in the state dir (``logs.db``, 0600).

Several processes may write at once: the database is in WAL mode and every connection
waits for a lock (``BUSY_TIMEOUT``) rather than failing. A credential is never stored:
there is no column for one, and the base URL is stored without any password in it.

The file is used only when it is ours, checked before anything is written to it: a
regular file, not a symbolic link (nor its ``-wal``, ``-shm`` or ``-journal``), marked
with our ``application_id`` and holding no table we do not know. Anything else — another
application's database linked or copied there — is refused and left as it is.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from akool_cli.local.errors import ForeignFileError, LocalError
from akool_cli.local.ownership import check_directory, check_own_file, ensure_private_dir

FILE_NAME = "logs.db"
SCHEMA_VERSION = 3  # 2: ended_by; 3: role
APPLICATION_ID = 0x414B4F4C  # "AKOL" in the database header: this file is akool's chat log
TABLES = frozenset({"exchanges"})  # every table of ours (SQLite's own are sqlite_*)
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite opens these by name beside the log
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
    message_id  TEXT,
    ended_by    TEXT,
    role        TEXT
);
CREATE INDEX IF NOT EXISTS exchanges_by_session ON exchanges (session_id, id);
"""

OUTCOMES = ("answered", "sent", "timed_out", "abandoned", "heard")
# Whose words a row holds: a question typed (and its answer), or a person heard by voice
# in a v4 room (the room's transcript: never an answer).
ROLES = ("question", "transcript")


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
    ended_by: Optional[str] = None  # an answer's: marker, fin, quiet or interrupted
    role: str = "question"  # one of ROLES
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


def _names(tables: Any) -> str:
    return ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")


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

    def _foreign(self, why: str) -> ForeignFileError:
        return ForeignFileError(
            f"the chat log {self.path} {why}; it was left as it is", path=self.path
        )

    def _check_path(self) -> bool:
        """Whether the log exists; ForeignFileError for a symbolic link (the log's or a
        file SQLite keeps beside it) or anything that is not a regular file."""
        for suffix in ("", *SIDE_FILES):
            path = Path(f"{self.path}{suffix}")
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                if not suffix:
                    return False
                continue
            except OSError as exc:
                raise self._fail(exc) from None
            what = "is" if not suffix else f"has {path.name} beside it, which is"
            if stat.S_ISLNK(mode):
                raise self._foreign(f"{what} a symbolic link, and akool does not follow one")
            if not stat.S_ISREG(mode):
                raise self._foreign(f"{what} not a regular file")
        return True

    def _connect(self, *, create: bool) -> Optional[sqlite3.Connection]:
        if self._db is not None:
            return self._db
        check_directory(self.path.parent)  # not a directory another user prepared
        if self._check_path():
            check_own_file(self.path)  # nor a log another user made
        else:
            if not create:
                return None
            ensure_private_dir(self.path.parent)
            try:  # created private before SQLite opens it (its -wal and -shm follow its mode)
                flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                os.close(os.open(self.path, flags, 0o600))
            except OSError as exc:
                raise self._fail(exc) from None
            self._check_path()
        try:
            db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            self._open_ours(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            if "not a database" in str(exc):
                raise self._foreign("is not a SQLite database") from None
            raise self._fail(exc) from None
        except BaseException:
            db.close()
            raise
        self._db = db
        return db

    def _open_ours(self, db: sqlite3.Connection) -> None:
        """Check the file is ours, then put it in WAL mode and set it up. Several processes
        opening a new log at once may find it locked while one of them switches its
        journal mode (SQLite does not wait for that): they try again, within BUSY_TIMEOUT."""
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self._check_ours(db)  # before anything is written: WAL mode is a write
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                self._set_up(db)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def _identity(self, db: sqlite3.Connection) -> Any:
        """(application_id, user_version, the names of its tables) as the file says, read
        in one transaction: another process setting the log up meanwhile is seen before
        or after, never half-way (an id of 0 with the new version)."""
        outer = db.in_transaction
        if not outer:
            db.execute("BEGIN")
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            rows = db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            tables = {name for (name,) in rows if not name.startswith("sqlite_")}
        finally:
            if not outer and db.in_transaction:
                db.execute("COMMIT")
        return app_id, version, tables

    def _check_ours(self, db: sqlite3.Connection) -> None:
        """ForeignFileError unless the file is our log (of any version), an empty database
        (one we just created), or our log as versions without an application id wrote it."""
        app_id, version, tables = self._identity(db)
        empty = (app_id, version, tables) == (0, 0, set())
        unmarked = app_id == 0 and version == 1 and tables == TABLES  # before the id was set
        if app_id == APPLICATION_ID:
            if version > SCHEMA_VERSION:
                raise LocalError(
                    f"the chat log {self.path} was written by a newer akool "
                    f"(schema {version}; this one reads {SCHEMA_VERSION})"
                )
            if tables - TABLES:
                raise self._foreign(f"holds tables akool does not know ({_names(tables - TABLES)})")
        elif not (empty or unmarked):
            held = f"tables {_names(tables)}" if tables else "no tables"
            raise self._foreign(
                f"is not akool's (another application's database? application id {app_id}, "
                f"version {version}, {held})"
            )

    def _set_up(self, db: sqlite3.Connection) -> None:
        """Create the tables (or bring an older log up to date) in one transaction, checked
        again inside it: another process may have done it since."""
        if self._identity(db)[:2] == (APPLICATION_ID, SCHEMA_VERSION):
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            self._check_ours(db)
            if self._identity(db)[:2] != (APPLICATION_ID, SCHEMA_VERSION):
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                columns = {row[1] for row in db.execute("PRAGMA table_info(exchanges)")}
                if "ended_by" not in columns:  # a log of schema 1: its rows kept
                    db.execute("ALTER TABLE exchanges ADD COLUMN ended_by TEXT")
                if "role" not in columns:  # schema 2 or older: its rows are questions
                    db.execute("ALTER TABLE exchanges ADD COLUMN role TEXT")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

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
        return list(self.iter_recent(limit, session_id))

    def iter_recent(
        self, limit: Optional[int] = None, session_id: Optional[str] = None
    ) -> Iterator[Dict]:
        """What ``recent`` returns, one row at a time as SQLite reads it: a log of any
        size is walked in constant memory."""
        db = self._connect(create=False)
        if db is None:
            return
        where, params = ("WHERE session_id = ?", [session_id]) if session_id else ("", [])
        names = ("id", *COLUMNS)
        try:
            if limit is not None:  # where the last ``limit`` start: walk back along the ids
                first = db.execute(
                    f"SELECT id FROM exchanges {where} ORDER BY id DESC LIMIT 1 OFFSET ?",
                    [*params, limit - 1],
                ).fetchone()
                if first is not None:
                    where = f"{where} {'AND' if where else 'WHERE'} id >= ?"
                    params.append(first[0])
            cursor = db.execute(
                f"SELECT {', '.join(names)} FROM exchanges {where} ORDER BY id", params
            )
            for row in cursor:
                yield dict(zip(names, row))
        except sqlite3.Error as exc:
            raise self._fail(exc) from None

    def marked(self, session_id: str) -> bool:
        """Whether an answer of this session was ended by its room's marker before (v3
        ``answer_ended``, v4 ``fin``): a room that marks its answers."""
        db = self._connect(create=False)
        if db is None:
            return False
        query = "SELECT 1 FROM exchanges WHERE session_id = ? AND ended_by IN (?, ?) LIMIT 1"
        try:
            return db.execute(query, [session_id, "marker", "fin"]).fetchone() is not None
        except sqlite3.Error as exc:
            raise self._fail(exc) from None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ChatLog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
