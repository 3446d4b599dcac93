from __future__ import annotations

import multiprocessing
import sqlite3
import threading

from jfdi.generation import Attempt, Generation
from jfdi.store import Store


def record(i: int = 0, workspace: str = "default", **kw) -> dict:
    gen = Generation(prompt=f"prompt {i}", workspace=workspace, text=f"```tsx\nexport const A{i} = 1;\n```", **kw)
    gen.status, gen.provider, gen.model = "ok", "claude", "claude-sonnet-5-5"
    gen.files = gen.answer.files
    gen.attempts = [Attempt("claude", "claude-sonnet-5-5", "error", "overloaded", None, 0.2), Attempt("claude", "claude-sonnet-5-5", "ok", "", 0.4, 1.5)]
    gen.input_tokens, gen.output_tokens, gen.cost_usd = 100, 50, 0.0007
    return gen.to_record()


def test_round_trip_keeps_every_field(tmp_path):
    store = Store(tmp_path / "jfdi.db")
    saved = record(1)
    store.save(saved)
    loaded = store.get(saved["id"])
    for key in ("id", "created_at", "workspace", "prompt", "provider", "model", "status", "code", "raw", "input_tokens", "output_tokens", "cost_usd", "attempts", "conversation"):
        assert loaded[key] == saved[key], key
    assert loaded["code"] == "export const A1 = 1;"
    assert loaded["files"] == saved["files"] == {"src/App.tsx": "export const A1 = 1;"}
    assert [a["outcome"] for a in loaded["attempts"]] == ["error", "ok"]


def test_recent_is_newest_first_with_limit_and_workspace(tmp_path):
    store = Store(tmp_path / "jfdi.db")
    for i in range(5):
        store.save(record(i, workspace="line-2" if i % 2 else "default"))
    assert [r["prompt"] for r in store.recent(limit=3)] == ["prompt 4", "prompt 3", "prompt 2"]
    assert [r["prompt"] for r in store.recent(workspace="line-2")] == ["prompt 3", "prompt 1"]


def test_the_journal_is_kept_in_wal_mode(tmp_path):
    path = tmp_path / "jfdi.db"
    Store(path).save(record())
    assert Store(path).count() == 1
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_secrets_in_error_messages_are_not_stored(tmp_path):
    store = Store(tmp_path / "jfdi.db")
    saved = record()
    saved["error"] = "401 invalid x-api-key sk-ant-api03-abcdefghijklmnop"
    saved["attempts"][0]["error"] = "Bearer sk-or-v1-0123456789abcdef rejected"
    store.save(saved)
    loaded = store.get(saved["id"])
    assert "sk-ant" not in loaded["error"] and "[redacted]" in loaded["error"]
    assert "sk-or-v1" not in loaded["attempts"][0]["error"]
    raw = (tmp_path / "jfdi.db").read_bytes() + (tmp_path / "jfdi.db-wal").read_bytes()
    assert b"sk-ant-api03" not in raw


def test_concurrent_writers_in_threads(tmp_path):
    store = Store(tmp_path / "jfdi.db")
    errors = []

    def write(n):
        try:
            for i in range(25):
                store.save(record(n * 100 + i))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and store.count() == 150


def _write_in_process(path, n):
    store = Store(path)
    for i in range(20):
        store.save(record(n * 100 + i))


def test_concurrent_writers_in_processes(tmp_path):
    path = tmp_path / "jfdi.db"
    Store(path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_in_process, args=(path, n)) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    assert Store(path).count() == 80
