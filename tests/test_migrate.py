"""The journal's migrations (as simonw/llm's tests/test_migrate.py): a journal written by the first
release opens in this one with nothing lost, an up-to-date one opens unchanged, and a migration that
fails leaves the file as it was."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from jfdi.generation import Attempt, Generation
from jfdi.store import Store, migrations
from jfdi.store.migrations import MIGRATIONS, upgrade


def first_release_records() -> list[dict]:
    """Generations as the first release kept them: a retried answer, a failure, and a follow-up."""
    answered = Generation(
        prompt="Build an inventory reorder form", provider_requested="auto", workspace="Plant 2",
        id="gen-1", created_at="2025-03-04T08:00:00.125Z", text="```tsx\nexport default function Reorder() {}\n```",
    )
    answered.provider, answered.model, answered.status, answered.stop_reason = "claude", "claude-sonnet-4-5", "ok", "end_turn"
    answered.attempts = [Attempt("claude", "claude-sonnet-4-5", "error", "overloaded", None, 0.25),
                         Attempt("claude", "claude-sonnet-4-5", "ok", "", 0.412, 3.5)]
    answered.notices = ["Claude was overloaded; retried once"]
    answered.input_tokens, answered.output_tokens, answered.cost_usd = 1200, 345, 0.0087
    answered.ttft_s, answered.total_s = 0.412, 3.75
    answered.conversation = [{"prompt": answered.prompt, "answer": answered.text}]

    failed = Generation(prompt="A scrap log table", provider_requested="local", id="gen-2", created_at="2025-03-04T08:05:00.000Z")
    failed.status, failed.error = "error", "every provider failed: local (no GPU)"
    failed.attempts = [Attempt("local", "seed-coder-8b", "error", "no GPU", None, 0.01)]

    follow_up = Generation(
        prompt="Make the quantity field required", provider_requested="auto", workspace="Plant 2", parent_id="gen-1",
        id="gen-3", created_at="2025-03-04T08:10:00.000Z", text="```tsx\nexport default function Reorder2() {}\n```",
    )
    follow_up.provider, follow_up.model, follow_up.status = "openrouter", "anthropic/claude-sonnet-4.5", "ok"
    follow_up.attempts = [Attempt("claude", "claude-sonnet-4-5", "skipped", "cooling down", None, 0.0),
                          Attempt("openrouter", "anthropic/claude-sonnet-4.5", "ok", "", 0.8, 2.0)]
    follow_up.conversation = [*answered.conversation, {"prompt": follow_up.prompt, "answer": follow_up.text}]
    for gen in (answered, failed, follow_up):
        gen.files = gen.answer.files if gen.status == "ok" else {}
    return [g.to_record() for g in (answered, failed, follow_up)]


def first_release_journal(path: Path, records: list[dict]) -> None:
    """The journal as the first release left it: m001's schema only, filled through its columns."""
    with closing(sqlite3.connect(path)) as db, db:
        upgrade(db, to=1)
        columns = [c[1] for c in db.execute("PRAGMA table_info(generations)")]
        assert "documents" not in columns and "checks" not in columns and "files" not in columns
        for record in records:
            row = {**record, "notices": json.dumps(record["notices"]), "conversation": json.dumps(record["conversation"])}
            db.execute(f"INSERT INTO generations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                       [row[c] for c in columns])
            db.executemany(
                "INSERT INTO attempts (generation_id, seq, provider, model, outcome, error, ttft_s, seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(record["id"], seq, a["provider"], a["model"], a["outcome"], a["error"], a["ttft_s"], a["seconds"])
                 for seq, a in enumerate(record["attempts"])],
            )


def schema(path: Path) -> tuple:
    with closing(sqlite3.connect(path)) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        return version, db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_first_release_journal_migrates_to_the_latest_with_nothing_lost(tmp_path):
    path = tmp_path / "jfdi.db"
    records = first_release_records()
    first_release_journal(path, records)
    assert schema(path)[0] == 1

    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    # Every column and every attempt; the new columns read as none, files from the code, and each
    # generation is a version of the conversation its parent links lead back to (m007).
    conversations = {"gen-1": "gen-1", "gen-2": "gen-2", "gen-3": "gen-1"}
    for record in records:
        assert store.get(record["id"]) == {**record, "documents": [], "checks": None, "kind": "answer",
                                           "conversation_id": conversations[record["id"]]}
    assert [r["id"] for r in store.timeline("gen-3")] == ["gen-1", "gen-3"] == [r["id"] for r in store.timeline("gen-1")]
    assert store.get("gen-1")["files"] == {"src/Reorder.tsx": "export default function Reorder() {}"}
    assert [r["id"] for r in store.recent(workspace="Plant 2")] == ["gen-3", "gen-1"]
    with closing(sqlite3.connect(path)) as db:  # the stored defaults, not just how they read back
        assert db.execute("SELECT DISTINCT documents, checks FROM generations").fetchall() == [("[]", None)]

    # m002 queued what the journal already held, for the sync to push to Convex.
    assert store.outbox() == [{"kind": "generation", "id": r["id"], "tries": 0, "queued_at": r["created_at"]} for r in records]
    assert [(w["id"], w["name"], w["waiting"]) for w in store.workspaces()] == [("default", "default", False)]

    # The triggers work on the old rows: checks arriving later queue the generation again.
    store.outbox_done("generation", "gen-1")
    assert store.set_checks("gen-1", {"syntax_ok": True}) and store.get("gen-1")["checks"] == {"syntax_ok": True}
    assert store.outbox_waiting("generation", ["gen-1"]) == {"gen-1"}
    assert not store.set_checks("missing", {"syntax_ok": True})


def test_a_project_logged_before_files_were_kept_reads_its_files_from_its_code(tmp_path):
    """Before migration 4 a multi-file answer was logged as one text with a `// File:` line per file."""
    path = tmp_path / "jfdi.db"
    record = first_release_records()[0]
    record["code"] = ("// File: src/lib/limits.ts\nexport const MAX = 5;\n\n// File: src/Reorder.tsx\n"
                      'import { MAX } from "./lib/limits";\nexport default function Reorder() { return MAX; }')
    first_release_journal(path, [record])
    assert Store(path).get("gen-1")["files"] == {
        "src/lib/limits.ts": "export const MAX = 5;",
        "src/Reorder.tsx": 'import { MAX } from "./lib/limits";\nexport default function Reorder() { return MAX; }',
    }


def test_opening_an_up_to_date_journal_changes_nothing(tmp_path):
    path = tmp_path / "jfdi.db"
    store = Store(path)
    record = first_release_records()[0]
    store.save(record)
    store.outbox_done("generation", record["id"])  # pushed to Convex
    store.close()
    before = schema(path)

    reopened = Store(path)
    assert schema(path) == before
    assert reopened.outbox() == []  # m002 run again would queue the pushed generation once more
    assert [w["name"] for w in reopened.workspaces()] == ["default"]
    assert reopened.get(record["id"]) == record


def test_a_failing_migration_leaves_the_journal_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "jfdi.db"
    records = first_release_records()
    first_release_journal(path, records)
    before = schema(path)

    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (id TEXT)")
        db.execute("CREATE INDEX generations_by_nothing ON generations (no_such_column)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, m999_broken])
    with pytest.raises(sqlite3.OperationalError, match="no_such_column"):
        Store(path)
    assert schema(path) == before  # the released steps after m001 went through, and were rolled back with the broken one

    monkeypatch.undo()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert [store.get(r["id"])["attempts"] for r in records] == [r["attempts"] for r in records]


def test_m007_puts_each_generation_in_the_conversation_its_parent_links_lead_to(tmp_path):
    """Before m007 only a Fix named a parent; a parent not in this journal (a teammate's) ends the walk."""
    path = tmp_path / "jfdi.db"
    with closing(sqlite3.connect(path)) as db, db:
        upgrade(db, to=6)
        rows = [("a", None, "08:00"), ("b", "a", "08:01"), ("c", "b", "08:02"), ("d", None, "08:03"),
                ("e", "teammates", "08:04"), ("f", "e", "08:05")]
        db.executemany("INSERT INTO generations (id, created_at, prompt, status, parent_id) VALUES (?, ?, 'p', 'ok', ?)",
                       [(i, f"2026-12-01T{t}:00.000Z", parent) for i, parent, t in rows])
    store = Store(path)
    assert {r["id"]: (r["conversation_id"], r["kind"]) for r in store.recent(limit=10)} == {
        "a": ("a", "answer"), "b": ("a", "answer"), "c": ("a", "answer"), "d": ("d", "answer"),
        "e": ("e", "answer"), "f": ("e", "answer"),
    }
    assert [r["id"] for r in store.timeline("b")] == ["a", "b", "c"], "oldest first"
    assert [r["id"] for r in store.timeline("f")] == ["e", "f"]
    assert store.timeline("teammates") == []
