"""The journal's schema, as the migrations that built it (as simonw/llm's llm/migrations.py).

Append-only: a released migration is never edited, renamed, reordered or removed, because
databases in the field were built by its exact statements. To change the schema, append one
function decorated with @migration. Its place in MIGRATIONS is its number: `PRAGMA user_version`
holds how many have been applied, and Store runs the rest in one transaction when it opens a file."""

from __future__ import annotations

import sqlite3
from typing import Callable

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = []


def migration(step: Migration) -> Migration:
    MIGRATIONS.append(step)
    return step


def upgrade(conn: sqlite3.Connection, to: int | None = None) -> None:
    """Apply the migrations this database lacks, up to number `to` (default: all). The caller
    holds a write transaction, so a failing step leaves the database as it was."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(MIGRATIONS[version:to], start=version + 1):
        step(conn)
        conn.execute(f"PRAGMA user_version = {number}")


@migration
def m001_generations(db: sqlite3.Connection) -> None:
    db.execute(
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
        )"""
    )
    db.execute("CREATE INDEX generations_by_time ON generations (created_at DESC)")
    db.execute("CREATE INDEX generations_by_workspace ON generations (workspace, created_at DESC)")
    db.execute(
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
        )"""
    )


@migration
def m002_documents_workspaces_outbox(db: sqlite3.Connection) -> None:
    # Document metadata ({name, sha256, engine, pages}) of what the user attached.
    db.execute("ALTER TABLE generations ADD COLUMN documents TEXT NOT NULL DEFAULT '[]'")
    # Workspaces: the ones made here, and the team's as last read from Convex.
    db.execute(
        """CREATE TABLE workspaces (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE UNIQUE INDEX workspaces_by_name ON workspaces (name COLLATE NOCASE)")
    # What Convex has not confirmed yet (jfdi/store/sync.py). A trigger queues every generation,
    # whoever writes it; a re-saved one is queued again. queued_at: the record's creation, then
    # the time of Convex's last refusal.
    db.execute(
        """CREATE TABLE outbox (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            tries INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX outbox_refused ON outbox (queued_at) WHERE last_error IS NOT NULL")
    db.execute(
        """CREATE TRIGGER generations_to_outbox AFTER INSERT ON generations BEGIN
            INSERT OR REPLACE INTO outbox (kind, id, queued_at) VALUES ('generation', NEW.id, NEW.created_at);
        END"""
    )
    db.execute("INSERT INTO outbox (kind, id, queued_at) SELECT 'generation', id, created_at FROM generations")
    # Every machine has the default workspace, so it is not queued for Convex.
    db.execute(
        "INSERT INTO workspaces (id, name, created_at) VALUES ('default', 'default', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
    )


@migration
def m003_checks(db: sqlite3.Connection) -> None:
    # The preview's findings for a generation's code: compile checks and runtime errors (JSON).
    db.execute("ALTER TABLE generations ADD COLUMN checks TEXT")
    # They arrive after the answer: queue the record for Convex again, which updates its copy.
    db.execute(
        """CREATE TRIGGER generation_checks_to_outbox AFTER UPDATE OF checks ON generations BEGIN
            INSERT OR REPLACE INTO outbox (kind, id, queued_at) VALUES ('generation', NEW.id, NEW.created_at);
        END"""
    )


@migration
def m004_files(db: sqlite3.Connection) -> None:
    # The project's files, {path: content} as JSON (jfdi/project.py); `code` keeps the entry
    # file's code. NULL for a generation logged before: its files are read from its code.
    db.execute("ALTER TABLE generations ADD COLUMN files TEXT")


@migration
def m005_images(db: sqlite3.Connection) -> None:
    # The images given with a request (ImagePart.metadata(): sha256, name, media_type, width, height,
    # bytes). The files themselves are kept once, by hash, in <data>/images (jfdi/images/store.py).
    db.execute("ALTER TABLE generations ADD COLUMN images TEXT NOT NULL DEFAULT '[]'")


@migration
def m006_shares(db: sqlite3.Connection) -> None:
    # Share links: a random token that opens one generation read-only (jfdi/store/shares.py). A
    # revoked link keeps its row, so that it stays refused everywhere it was synced. No foreign
    # key: a teammate's generation, kept on Convex only, can be shared too.
    db.execute(
        """CREATE TABLE shares (
            token TEXT PRIMARY KEY,
            generation_id TEXT NOT NULL,
            public INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )"""
    )
    db.execute("CREATE INDEX shares_by_time ON shares (created_at DESC)")
    # Queued for Convex when made and when revoked, whoever writes them (the app or the CLI). An
    # entry already waiting stays as it is: the push reads the row as it is then. (Not INSERT OR
    # REPLACE: inside a trigger, the upsert that revokes a link would override it to ABORT.)
    queue = "INSERT INTO outbox (kind, id, queued_at) VALUES ('share', NEW.token, NEW.created_at) ON CONFLICT DO NOTHING;"
    db.execute(f"CREATE TRIGGER shares_to_outbox AFTER INSERT ON shares BEGIN {queue} END")
    db.execute(
        "CREATE TRIGGER share_revoked_to_outbox AFTER UPDATE OF revoked_at ON shares "
        f"WHEN OLD.revoked_at IS NOT NEW.revoked_at BEGIN {queue} END"
    )


@migration
def m007_edits(db: sqlite3.Connection) -> None:
    # How a follow-up's answer was used (jfdi/edits/follow_up.py edit_record, JSON): mode
    # (applied | whole | none), the files it changed, why it was asked again, whether the result
    # parsed. NULL for a new conversation's first answer.
    db.execute("ALTER TABLE generations ADD COLUMN edit TEXT")


@migration
def m008_continues(db: sqlite3.Connection) -> None:
    # Rounds in which an answer cut off at the token limit was continued by the same provider
    # (jfdi/router.py); 0 for a generation logged before.
    db.execute("ALTER TABLE generations ADD COLUMN continues INTEGER NOT NULL DEFAULT 0")

@migration
def m009_versions(db: sqlite3.Connection) -> None:
    # A conversation's versions (jfdi/versions.py): every generation names the conversation it
    # belongs to and how it was made. `kind`: answer, fix, regenerate, rerun (a model answered),
    # or edit, restore, fork (made from files already there). A fork starts a conversation of its
    # own: its parent_id says where it came from, in another conversation.
    db.execute("ALTER TABLE generations ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer'")
    db.execute("ALTER TABLE generations ADD COLUMN conversation_id TEXT")
    # Before this, only a Fix linked to a parent: a generation's conversation is its oldest
    # ancestor here (one whose parent is not in this journal, a teammate's, counts as the oldest).
    parents = dict(db.execute("SELECT id, parent_id FROM generations").fetchall())
    db.executemany("UPDATE generations SET conversation_id = ? WHERE id = ?", [(_root(i, parents), i) for i in parents])
    db.execute("CREATE INDEX generations_by_conversation ON generations (conversation_id, created_at)")


def _root(generation_id: str, parents: dict[str, str | None]) -> str:
    seen = {generation_id}
    while (parent := parents.get(generation_id)) in parents and parent not in seen:
        generation_id = parent
        seen.add(parent)
    return generation_id
