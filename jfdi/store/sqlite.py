"""The generation log: SQLite in WAL mode, the embedded default and the local journal.

The schema is built by the append-only migrations in migrations.py. Each thread gets its own
connection; writers serialise on SQLite's lock (BEGIN IMMEDIATE with a busy timeout), so several
app processes and CLI runs can share one file."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..code import answer_files
from ..errors import ConfigError
from ..redact import redact
from .migrations import upgrade

_COLUMNS = (
    "id", "created_at", "workspace", "prompt", "provider_requested", "provider", "model", "status",
    "error", "code", "raw", "stop_reason", "input_tokens", "output_tokens", "cost_usd", "ttft_s",
    "total_s", "notices", "conversation", "parent_id", "documents", "checks", "files", "images", "edit", "continues",
    "kind", "conversation_id",
)
_JSON_COLUMNS = ("notices", "conversation", "documents", "images")
_SHARES = (
    "SELECT s.token, s.generation_id, s.public, s.created_at, s.revoked_at, g.prompt "
    "FROM shares s LEFT JOIN generations g ON g.id = s.generation_id"
)


class Store:
    """The journal. Every statement it runs is here or in migrations.py, and every write goes
    through `_transaction`, so callers see records, workspaces and the outbox, never SQL."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection()
        except (OSError, sqlite3.OperationalError) as exc:  # a file in the way, no permission, a read-only disk
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ConfigError(f"cannot keep the generation log at {self.path}: {reason}; "
                              "set JFDI_DATA_DIR (or JFDI_DB) to a folder JFDI can write") from None
        with self._transaction() as conn:
            upgrade(conn)

    def _connection(self) -> sqlite3.Connection:
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

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front; rolled back if the block raises."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _read(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self._connection().execute(sql, list(args)).fetchall()

    @property
    def schema_version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    # generations

    def save(self, record: dict[str, Any]) -> None:
        """Insert or replace a generation and its attempts, in one transaction."""
        row = {column: record.get(column) for column in _COLUMNS}
        row["error"] = redact(row["error"])
        row["notices"] = [redact(n) for n in record.get("notices") or []]
        for column in _JSON_COLUMNS:
            row[column] = json.dumps(row[column] or [])
        row["checks"] = _json_or_null(row["checks"])
        row["edit"] = _json_or_null(row["edit"])
        row["files"] = _json_or_null(row["files"])
        row["code"] = row["code"] or ""
        row["raw"] = row["raw"] or ""
        row["continues"] = row["continues"] or 0
        row["kind"] = row["kind"] or "answer"
        row["conversation_id"] = row["conversation_id"] or row["id"]
        with self._transaction() as conn:
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

    def recent(self, limit: int = 20, workspace: str | None = None) -> list[dict[str, Any]]:
        where, args = ("WHERE workspace = ?", [workspace]) if workspace else ("", [])
        rows = self._read(f"SELECT * FROM generations {where} ORDER BY created_at DESC, rowid DESC LIMIT ?", [*args, limit])
        return self._with_attempts(rows)

    def get(self, generation_id: str) -> dict[str, Any] | None:
        found = self._with_attempts(self._read("SELECT * FROM generations WHERE id = ?", [generation_id]))
        return found[0] if found else None

    def set_checks(self, generation_id: str, checks: dict[str, Any] | None) -> bool:
        """Record what the preview found about a generation's code; False if it is not logged."""
        with self._transaction() as conn:
            cursor = conn.execute("UPDATE generations SET checks = ? WHERE id = ?", (_json_or_null(checks), generation_id))
        return cursor.rowcount > 0

    def timeline(self, generation_id: str) -> list[dict[str, Any]]:
        """Every version of the conversation `generation_id` belongs to, oldest first; empty when
        the generation is not in this journal."""
        rows = self._read(
            "SELECT * FROM generations WHERE conversation_id = (SELECT conversation_id FROM generations WHERE id = ?) "
            "ORDER BY created_at, rowid",
            [generation_id],
        )
        return self._with_attempts(rows)

    def count(self) -> int:
        return self._read("SELECT COUNT(*) FROM generations")[0][0]

    def _with_attempts(self, rows: Iterable[sqlite3.Row]) -> list[dict[str, Any]]:
        records = [_record(row) for row in rows]
        if not records:
            return records
        by_id = {r["id"]: r for r in records}
        marks = ", ".join("?" * len(by_id))
        for a in self._read(f"SELECT * FROM attempts WHERE generation_id IN ({marks}) ORDER BY generation_id, seq", list(by_id)):
            by_id[a["generation_id"]]["attempts"].append(
                {k: a[k] for k in ("provider", "model", "outcome", "error", "ttft_s", "seconds")}
            )
        return records

    # workspaces

    def workspaces(self) -> list[dict[str, Any]]:
        """Every workspace, oldest first, each with `waiting`: True while Convex has not confirmed it."""
        rows = self._read(
            "SELECT w.id, w.name, w.created_at, o.id IS NOT NULL AS waiting FROM workspaces w "
            "LEFT JOIN outbox o ON o.kind = 'workspace' AND o.id = w.id ORDER BY w.created_at, w.rowid"
        )
        return [{**dict(row), "waiting": bool(row["waiting"])} for row in rows]

    def add_workspace(self, workspace_id: str, created_at: str, name: Callable[[list[str]], str]) -> str:
        """Insert a workspace made here and queue it for Convex, in one transaction. `name` gets
        the names in use and returns the name to keep, or raises to insert nothing: the check and
        the insert see the same names, even with other processes writing."""
        with self._transaction() as conn:
            taken = [r[0] for r in conn.execute("SELECT name FROM workspaces")]
            row = {"id": workspace_id, "name": name(taken), "created_at": created_at}
            conn.execute("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :created_at)", row)
            conn.execute("INSERT INTO outbox (kind, id, queued_at) VALUES ('workspace', :id, :created_at)", row)
        return row["name"]

    def remember_workspaces(self, rows: Iterable[dict[str, Any]]) -> None:
        """Keep the team's workspaces as read from Convex ({id, name, created_at}), so the list still
        shows them offline. They are on Convex already, so they are not queued; a name that is
        here already keeps its row."""
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :created_at) ON CONFLICT DO NOTHING",
                list(rows),
            )

    # share links (jfdi/store/shares.py)

    def add_share(self, row: dict[str, Any]) -> None:
        """Insert a link ({token, generation_id, public, created_at, revoked_at}), or revoke one that
        is here already (nothing else about a link ever changes); triggers queue it for Convex."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO shares (token, generation_id, public, created_at, revoked_at) "
                "VALUES (:token, :generation_id, :public, :created_at, :revoked_at) "
                "ON CONFLICT (token) DO UPDATE SET revoked_at = COALESCE(shares.revoked_at, excluded.revoked_at)",
                row,
            )

    def share(self, token: str) -> dict[str, Any] | None:
        rows = self._read(f"{_SHARES} WHERE s.token = ?", [token])
        return dict(rows[0]) if rows else None

    def shares(self, limit: int = 100) -> list[dict[str, Any]]:
        """Links made or revoked here, newest first, each with its generation's prompt if logged here."""
        return [dict(row) for row in self._read(f"{_SHARES} ORDER BY s.created_at DESC, s.rowid DESC LIMIT ?", [limit])]

    # the outbox: what Convex has not confirmed yet (jfdi/store/sync.py)

    def outbox(self) -> list[dict[str, Any]]:
        """Every entry ({kind, id, tries, queued_at}) in the order to push them: fresh entries before
        the ones Convex refused (fewest refusals first); among them workspaces, then generations,
        then share links (a link that reached Convex before its generation would open nothing),
        oldest first."""
        rows = self._read(
            "SELECT kind, id, tries, queued_at FROM outbox ORDER BY tries, "
            "CASE kind WHEN 'workspace' THEN 0 WHEN 'generation' THEN 1 ELSE 2 END, queued_at, id"
        )
        return [dict(row) for row in rows]

    def outbox_count(self) -> int:
        return self._read("SELECT COUNT(*) FROM outbox")[0][0]

    def outbox_waiting(self, kind: str, ids: Iterable[str]) -> set[str]:
        """Which of these ids of `kind` are still in the outbox."""
        ids = list(ids)
        marks = ", ".join("?" * len(ids))
        return {row[0] for row in self._read(f"SELECT id FROM outbox WHERE kind = ? AND id IN ({marks})", [kind, *ids])}

    def outbox_last_refusal(self) -> dict[str, Any] | None:
        """The entry ({kind, id, last_error}) that Convex refused last, if one is still waiting."""
        rows = self._read("SELECT kind, id, last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY queued_at DESC LIMIT 1")
        return dict(rows[0]) if rows else None

    def queued_record(self, kind: str, key: str) -> dict[str, Any] | None:
        """The record an outbox entry stands for, as the sync sends it; None once it is gone."""
        if kind == "generation":
            return self.get(key)
        if kind == "share":
            rows = self._read("SELECT token, generation_id, public, created_at, revoked_at FROM shares WHERE token = ?", [key])
            return dict(rows[0]) if rows else None
        rows = self._read("SELECT * FROM workspaces WHERE id = ?", [key])
        return dict(rows[0]) if rows else None

    def outbox_done(self, kind: str, key: str, pushed: dict[str, Any] | None = None) -> None:
        """Convex holds `pushed` (None: the record is gone from the journal): take the entry out of
        the outbox, unless the record changed while it was on its way (re-saved, or its checks
        arrived); then the entry stays for the next pass."""
        with self._transaction() as conn:
            if pushed is None or self.queued_record(kind, key) == pushed:
                conn.execute("DELETE FROM outbox WHERE kind = ? AND id = ?", (kind, key))

    def outbox_refused(self, kind: str, key: str, error: str, at: str) -> None:
        """Convex refused the record at `at` (ISO time): count the try and keep why, redacted."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE outbox SET tries = tries + 1, last_error = ?, queued_at = ? WHERE kind = ? AND id = ?",
                (redact(error), at, kind, key),
            )

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
    record["edit"] = json.loads(record["edit"]) if record["edit"] else None
    # Logged before files were kept (migration 4): the code was the one text the panel held.
    record["files"] = json.loads(record["files"]) if record["files"] is not None else answer_files(record["code"]).files
    record["attempts"] = []
    return record
