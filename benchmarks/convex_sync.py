"""Speed of the journal and of the sync to Convex.

    python benchmarks/convex_sync.py [--history-rows 100000] [--writes 2000] [--pushes 2000]

Measures (targets from issue 6):
  - a local log write (Store.save of a typical generation, the outbox trigger included): p95 <= 5 ms
  - the 50 most recent of 100,000 generations (Store.recent, and Team.history without Convex): <= 50 ms
  - sync throughput: generations pushed per second to a loopback Convex deployment (tests/loopback.py)
    over the HTTP API. A real deployment adds its network round trip to every push.
Writes benchmarks/results/convex_sync.json with the machine it ran on."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_results  # noqa: E402
from jfdi.store import Store  # noqa: E402
from jfdi.store.convex import ConvexClient  # noqa: E402
from jfdi.store.sync import Syncer  # noqa: E402
from jfdi.store.team import Team  # noqa: E402
from tests.convex_sample import sample_record  # noqa: E402
from tests.loopback import ConvexServer  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
WORKSPACES = ("default", "Plant 2", "Line 4", "Receiving")


def record(i: int) -> dict:
    created = (START + timedelta(seconds=i)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return sample_record(id=f"gen-{i:07d}", created_at=created, workspace=WORKSPACES[i % len(WORKSPACES)])


def percentiles(samples_ms: list[float]) -> dict:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 3), "p95_ms": round(cuts[94], 3), "p99_ms": round(cuts[98], 3),
            "max_ms": round(max(samples_ms), 3), "n": len(samples_ms)}


def timed(action, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_writes(folder: Path, count: int) -> dict:
    store = Store(folder / "writes.db")
    samples = []
    for i in range(count):
        item = record(i)
        started = time.perf_counter()
        store.save(item)
        samples.append((time.perf_counter() - started) * 1000)
    store.close()
    return percentiles(samples)


def bench_recent(folder: Path, rows: int) -> dict:
    store = Store(folder / "history.db")
    started = time.perf_counter()
    for i in range(rows):
        store.save(record(i))
    filled_s = time.perf_counter() - started
    # The benchmark's own edits and questions go to the file, past the Store.
    with closing(sqlite3.connect(store.path)) as db:
        with db:  # as after a sync: all but the newest 50 are on Convex
            db.execute("DELETE FROM outbox WHERE id < ?", (f"gen-{rows - 50:07d}",))
        plan = db.execute("EXPLAIN QUERY PLAN SELECT * FROM generations ORDER BY created_at DESC, rowid DESC LIMIT 50").fetchall()
    team = Team(store, None)
    results = {
        "rows": rows,
        "fill_s": round(filled_s, 1),
        "store_recent_50": percentiles(timed(lambda: store.recent(limit=50), 200)),
        "store_recent_50_workspace": percentiles(timed(lambda: store.recent(limit=50, workspace="Plant 2"), 200)),
        "team_history_50_local": percentiles(timed(lambda: team.history(limit=50), 200)),
        "query_plan": [row[-1] for row in plan],
    }
    assert [r["id"] for r in store.recent(limit=2)] == [f"gen-{rows - 1:07d}", f"gen-{rows - 2:07d}"]
    store.close()
    return results


def serve_convex(conn) -> None:
    """A loopback Convex deployment in its own process, so that it does not share the GIL with the
    syncer being measured; answers how many generations it holds when told to stop."""
    with ConvexServer() as server:
        conn.send(server.url)
        conn.recv()
        conn.send((len(server.generations), len(json.dumps(server.requests[0].body))))


def bench_push(folder: Path, count: int) -> dict:
    store = Store(folder / "push.db")
    for i in range(count):
        store.save(record(i))
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=serve_convex, args=(theirs,), daemon=True)
    process.start()
    client = ConvexClient(ours.recv())
    syncer = Syncer(store, client)
    started = time.perf_counter()
    result = syncer.push_pending()
    seconds = time.perf_counter() - started
    client.close()
    ours.send("stop")
    stored, request_bytes = ours.recv()
    process.join(10)
    store.close()
    assert result.ok and result.pushed == count and stored == count
    return {"generations": count, "seconds": round(seconds, 2), "per_second": round(count / seconds, 1),
            "request_bytes_each": request_bytes,
            "mode": "one generations:create per record, sequential, HTTP/1.1 keep-alive; server in another process"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history-rows", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--pushes", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {
            "command": "python benchmarks/convex_sync.py",
            "machine": {**machine(), "sqlite": sqlite3.sqlite_version},
            "local_write": bench_writes(folder, args.writes),
            "recent_50": bench_recent(folder, args.history_rows),
            "sync_push": bench_push(folder, args.pushes),
            "targets": {"local_write_p95_ms": 5, "recent_50_of_100k_ms": 50},
        }
    path = write_results("convex_sync", results)
    write, recent, push = results["local_write"], results["recent_50"], results["sync_push"]
    print(f"local log write: p50 {write['p50_ms']} ms, p95 {write['p95_ms']} ms (target <= 5 ms)")
    for name in ("store_recent_50", "store_recent_50_workspace", "team_history_50_local"):
        print(f"{name} of {recent['rows']:,}: p50 {recent[name]['p50_ms']} ms, p95 {recent[name]['p95_ms']} ms (target <= 50 ms)")
    print(f"sync to loopback Convex: {push['per_second']} generations/s ({push['generations']} in {push['seconds']} s)")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
