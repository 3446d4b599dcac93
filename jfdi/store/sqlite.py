"""The generation log: SQLite in WAL mode, the embedded default and the local journal.

Migrations are append-only: a released step is never edited, a change is a new step. Each
thread gets its own connection; writers serialise on SQLite's lock (BEGIN IMMEDIATE with a busy
timeout), so several app processes and CLI runs can share one file."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..redact import redact

MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE generations (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            workspace TEXT NOT NULL DEFAULT 'default',
            prompt TEXT NOT NULL,
            provider_requested TEXT,
            provider TEXT,
            model TEXT,
            status TEXT NOT NULL,
            error TEXT,
            code TEXT NOT NULL DEFAULT '',
            raw TEXT NOT NULL DEFAULT '',
            stop_reason TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            cost_usd REAL,
            ttft_s REAL,
            total_s REAL,
            notices TEXT NOT NULL DEFAULT '[]',
            conversation TEXT NOT NULL DEFAULT '[]',
            parent_id TEXT
        )""",
        "CREATE INDEX generations_by_time ON generations (created_at DESC)",
        "CREATE INDEX generations_by_workspace ON generations (workspace, created_at DESC)",
        """CREATE TABLE attempts (
            generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            provider TEXT NOT NULL,
            model TEXT,
            outcome TEXT NOT NULL,
            error TEXT,
            ttft_s REAL,
            seconds REAL,
            PRIMARY KEY (generation_id, seq)
        )""",
    ),
    (
        # Document metadata ({name, sha256, engine, pages}) of what the user attached.
        "ALTER TABLE generations ADD COLUMN documents TEXT NOT NULL DEFAULT '[]'",
        # Workspaces: the ones made here, and the team's as last read from Convex.
        """CREATE TABLE workspaces (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX workspaces_by_name ON workspaces (name COLLATE NOCASE)",
        # What Convex has not confirmed yet (jfdi/store/sync.py). A trigger queues every
        # generation, whoever writes it; a re-saved one is queued again. queued_at: the record's
        # creation, then the time of Convex's last refusal.
        """CREATE TABLE outbox (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            tries INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID""",
        "CREATE INDEX outbox_refused ON outbox (queued_at) WHERE last_error IS NOT NULL",
        """CREATE TRIGGER generations_to_outbox AFTER INSERT ON generations BEGIN
            INSERT OR REPLACE INTO outbox (kind, id, queued_at) VALUES ('generation', NEW.id, NEW.created_at);
        END""",
        "INSERT INTO outbox (kind, id, queued_at) SELECT 'generation', id, created_at FROM generations",
        # Every machine has the default workspace, so it is not queued for Convex.
        "INSERT INTO workspaces (id, name, created_at) VALUES ('default', 'default', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    ),
    (
        # The preview's findings for a generation's code: compile checks and runtime errors (JSON).
        "ALTER TABLE generations ADD COLUMN checks TEXT",
        # They arrive after the answer: queue the record for Convex again, which updates its copy.
        """CREATE TRIGGER generation_checks_to_outbox AFTER UPDATE OF checks ON generations BEGIN
            INSERT OR REPLACE INTO outbox (kind, id, queued_at) VALUES ('generation', NEW.id, NEW.created_at);
        END""",
    ),
]

_COLUMNS = (
    "id", "created_at", "workspace", "prompt", "provider_requested", "provider", "model", "status",
    "error", "code", "raw", "stop_reason", "input_tokens", "output_tokens", "cost_usd", "ttft_s",
    "total_s", "notices", "conversation", "parent_id", "documents", "checks",
)
_JSON_COLUMNS = ("notices", "conversation", "documents")


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._migrate()

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) so that writers take
            # the lock up front instead of failing on a read-to-write upgrade.
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def _migrate(self) -> None:
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in statements:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return self.connection().execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front; rolled back if the block raises."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def save(self, record: dict[str, Any]) -> None:
        """Insert or replace a generation and its attempts, in one transaction."""
        row = {column: record.get(column) for column in _COLUMNS}
        row["error"] = redact(row["error"])
        row["notices"] = [redact(n) for n in record.get("notices") or []]
        for column in _JSON_COLUMNS:
            row[column] = json.dumps(row[column] or [])
        row["checks"] = _json_or_null(row["checks"])
        row["code"] = row["code"] or ""
        row["raw"] = row["raw"] or ""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                f"INSERT OR REPLACE INTO generations ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                [row[c] for c in _COLUMNS],
            )
            conn.execute("DELETE FROM attempts WHERE generation_id = ?", (row["id"],))
            conn.executemany(
                "INSERT INTO attempts (generation_id, seq, provider, model, outcome, error, ttft_s, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (row["id"], seq, a["provider"], a.get("model"), a["outcome"], redact(a.get("error")), a.get("ttft_s"), a.get("seconds"))
                    for seq, a in enumerate(record.get("attempts") or [])
                ],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def recent(self, limit: int = 20, workspace: str | None = None) -> list[dict[str, Any]]:
        where, args = ("WHERE workspace = ?", [workspace]) if workspace else ("", [])
        rows = self.connection().execute(
            f"SELECT * FROM generations {where} ORDER BY created_at DESC, rowid DESC LIMIT ?", [*args, limit]
        ).fetchall()
        return self._with_attempts(rows)

    def get(self, generation_id: str) -> dict[str, Any] | None:
        rows = self.connection().execute("SELECT * FROM generations WHERE id = ?", (generation_id,)).fetchall()
        found = self._with_attempts(rows)
        return found[0] if found else None

    def set_checks(self, generation_id: str, checks: dict[str, Any] | None) -> bool:
        """Record what the preview found about a generation's code; False if it is not logged."""
        cursor = self.connection().execute(
            "UPDATE generations SET checks = ? WHERE id = ?", (_json_or_null(checks), generation_id)
        )
        return cursor.rowcount > 0

    def count(self) -> int:
        return self.connection().execute("SELECT COUNT(*) FROM generations").fetchone()[0]

    def _with_attempts(self, rows: Iterable[sqlite3.Row]) -> list[dict[str, Any]]:
        records = [_record(row) for row in rows]
        if not records:
            return records
        by_id = {r["id"]: r for r in records}
        marks = ", ".join("?" * len(by_id))
        for a in self.connection().execute(
            f"SELECT * FROM attempts WHERE generation_id IN ({marks}) ORDER BY generation_id, seq", list(by_id)
        ):
            by_id[a["generation_id"]]["attempts"].append(
                {k: a[k] for k in ("provider", "model", "outcome", "error", "ttft_s", "seconds")}
            )
        return records

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _json_or_null(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _record(row: sqlite3.Row) -> dict[str, Any]:
    record = dict(row)
    for column in _JSON_COLUMNS:
        record[column] = json.loads(record[column] or "[]")
    record["checks"] = json.loads(record["checks"]) if record["checks"] else None
    record["attempts"] = []
    return record
