"""Nothing lost when Convex is away: the journal first, the push later, never twice.

Each bad case runs a real generation (a fake provider, the real engine and store) with the sync
thread running against a loopback Convex deployment that misbehaves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import httpx
import pytest

from jfdi.engine import Engine
from jfdi.store import Store
from jfdi.store.convex import ConvexClient, generation_to_convex
from jfdi.store.sync import Syncer
from jfdi.store.team import Team
from tests.conftest import REPO
from tests.convex_sample import sample_record
from tests.fakes import FakeProvider
from tests.loopback import ConvexServer, Reply, closed_port, wait_until

FAST = httpx.Timeout(0.3, connect=0.3)


class Clock:
    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def make_team(store: Store, url: str | None, clock=time.time, **syncer) -> Team:
    client = ConvexClient(url, timeout=FAST) if url else None
    options = dict(backoff_s=(0.05, 0.2), poll_s=0.2, clock=clock) | syncer
    return Team(store, client, syncer=Syncer(store, client, **options), read_timeout=FAST)


@pytest.fixture
def make_engine(settings):
    engines = []

    def make(url: str | None, **syncer) -> Engine:
        store = Store(settings.db_path)
        engine = Engine(
            replace(settings, providers=("claude",)),
            providers={"claude": FakeProvider("claude")},
            store=store,
            team=make_team(store, url, **syncer),
        )
        engines.append(engine)
        engine.warm_up()  # as the app's launch: starts the sync thread
        return engine

    yield make
    for engine in engines:
        engine.close()


def generate(engine: Engine) -> tuple[str, float]:
    started = time.monotonic()
    run = engine.generate("Build an inventory reorder form", workspace="Plant 2")
    for _ in run:
        pass
    assert run.generation.status == "ok"
    return run.generation.id, time.monotonic() - started


def stored_once(server: ConvexServer, generation_id: str) -> bool:
    return [d["clientId"] for d in server.generations].count(generation_id) == 1


FAULTS = {
    "answering 5xx": Reply(status=503, error="Service temporarily unavailable"),
    "answering an error status": Reply(error="Transient error while executing function"),
    "slow beyond the timeout": Reply(delay_s=1.0),
    "hanging": Reply(fault="hang_headers"),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_generation_succeeds_at_once_and_reaches_convex_when_it_recovers(make_engine, convex_server, fault):
    clock = Clock()
    convex_server.default = fault
    engine = make_engine(convex_server.url, clock=clock)
    generation_id, seconds = generate(engine)
    assert seconds < 0.5  # no network on the generation path
    assert engine.store.get(generation_id)["status"] == "ok"
    assert wait_until(lambda: engine.team.sync_status().last_error is not None)
    status = engine.team.sync_status()
    assert status.pending == 1 and generation_id in [r["id"] for r in engine.team.history().rows]
    assert "waiting" in status.summary()

    convex_server.default = Reply()
    clock.offset = 3600  # a record whose push Convex refused waits out its own delay first
    engine.team.wake()
    # The pass that pushes it clears the error when it ends, a moment after the outbox empties.
    assert wait_until(lambda: engine.team.sync_status().pending == 0 and engine.team.sync_status().last_error is None, timeout=10)
    assert stored_once(convex_server, generation_id)


def test_convex_refusing_connections_keeps_the_record_until_a_restart_finds_it(make_engine, convex_server):
    engine = make_engine(f"http://127.0.0.1:{closed_port()}")
    generation_id, seconds = generate(engine)
    assert seconds < 0.5
    assert wait_until(lambda: "connection refused" in (engine.team.sync_status().last_error or ""))
    engine.close()

    restarted = make_engine(convex_server.url)  # the app starts again, Convex is back
    assert wait_until(lambda: restarted.team.sync_status().pending == 0)
    assert stored_once(convex_server, generation_id)


def test_closing_while_a_push_hangs_returns_promptly(make_engine, convex_server):
    convex_server.default = Reply(fault="hang_headers")
    engine = make_engine(convex_server.url, backoff_s=(5.0, 5.0))
    generate(engine)
    assert wait_until(lambda: len(convex_server.requests) == 1)
    started = time.monotonic()
    engine.close()
    assert time.monotonic() - started < 1.5
    assert Store(engine.settings.db_path).outbox_count() == 1


def test_convex_being_down_is_not_hammered_by_new_generations(make_engine, convex_server):
    convex_server.default = Reply(status=503)
    engine = make_engine(convex_server.url, backoff_s=(2.0, 60.0))
    generate(engine)
    assert wait_until(lambda: engine.team.sync_status().retry_in_s)
    for _ in range(5):
        generate(engine)
    time.sleep(0.3)
    assert len(convex_server.requests) == 1  # the pass stopped at the first failure and waits
    status = engine.team.sync_status()
    assert status.pending == 6 and 0 < status.retry_in_s <= 2.0
    assert "retrying in" in status.summary() and "HTTP 503" in status.summary()


def test_a_record_convex_refuses_does_not_hold_up_the_others(tmp_path, convex_server):
    store = Store(tmp_path / "jfdi.db")
    clock = Clock()
    team = make_team(store, convex_server.url, clock=clock)
    for i in range(3):
        store.save(sample_record(id=f"gen-{i}", created_at=f"2026-11-26T10:0{i}:00.000Z"))
    convex_server.enqueue(Reply(error="Value is too large"))

    first = team.sync_now()
    assert (first.pushed, first.pending, first.reachable) == (2, 1, True)
    assert "gen-0" in first.error and "Value is too large" in first.error
    assert team.sync_now().pushed == 0  # not retried before its delay
    assert "Value is too large" in team.sync_status().last_error  # still said, from the journal
    clock.offset = 61
    assert team.sync_now().pushed == 1
    assert sorted(d["clientId"] for d in convex_server.generations) == ["gen-0", "gen-1", "gen-2"]
    assert team.sync_status().last_error is None and team.sync_status().last_success_at


def test_a_journal_row_that_cannot_be_sent_is_set_aside(tmp_path, convex_server):
    store = Store(tmp_path / "jfdi.db")
    store.save(sample_record(id="broken", created_at="yesterday"))
    store.save(sample_record(id="fine"))
    result = make_team(store, convex_server.url).sync_now()
    assert (result.pushed, result.pending) == (1, 1) and "broken: cannot be sent" in result.error
    assert [d["clientId"] for d in convex_server.generations] == ["fine"]


def test_status_without_convex_says_history_stays_here(tmp_path):
    store = Store(tmp_path / "jfdi.db")
    store.save(sample_record())
    status = make_team(store, None).sync_status()
    assert not status.configured and status.pending == 1
    assert "CONVEX_URL" in status.summary()


# the CLI, as a user runs it


def cli_process(tmp_path, command: str = "sync", **env) -> subprocess.Popen:
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_DATA_DIR": str(tmp_path / "data")}
    args = [command, "--json"] if command == "history" else [command]
    return subprocess.Popen(
        [sys.executable, "-m", "jfdi", *args], cwd=tmp_path, env={**base, **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def journal(tmp_path, count: int) -> list[str]:
    store = Store(tmp_path / "data" / "jfdi.db")
    ids = [f"gen-{i:02d}" for i in range(count)]
    for i, generation_id in enumerate(ids):
        store.save(sample_record(id=generation_id, created_at=f"2026-11-26T10:{i:02d}:00.000Z"))
    store.close()
    return ids


def test_sync_command_pushes_and_reports(tmp_path, convex_server):
    ids = journal(tmp_path, 3)
    out, err = cli_process(tmp_path, CONVEX_URL=convex_server.url).communicate(timeout=60)
    assert out == "pushed=3 pending=0\n", err
    assert sorted(d["clientId"] for d in convex_server.generations) == ids
    assert cli_process(tmp_path, CONVEX_URL=convex_server.url).communicate(timeout=60)[0] == "pushed=0 pending=0\n"


def test_history_command_shows_the_teams_generations(tmp_path, convex_server):
    journal(tmp_path, 1)
    teammate = sample_record(id="theirs", created_at="2026-11-26T11:00:00.000Z", prompt="a teammate's form")
    ConvexClient(convex_server.url).mutation("generations:create", generation_to_convex(teammate))
    out, err = cli_process(tmp_path, CONVEX_URL=convex_server.url, command="history").communicate(timeout=60)
    rows = json.loads(out)
    assert [(r["id"], r["shared"]) for r in rows] == [("theirs", True), ("gen-00", False)], err
    down = cli_process(tmp_path, CONVEX_URL=f"http://127.0.0.1:{closed_port()}", command="history")
    out, err = down.communicate(timeout=60)
    assert down.returncode == 0 and [r["id"] for r in json.loads(out)] == ["gen-00"]
    assert "showing this machine's only" in err


def test_sync_command_with_convex_down_exits_1_with_the_reason(tmp_path):
    journal(tmp_path, 2)
    process = cli_process(tmp_path, CONVEX_URL=f"http://127.0.0.1:{closed_port()}")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert out == "pushed=0 pending=2\n" and "connection refused" in err and "Traceback" not in err


def test_sync_command_without_convex_says_what_to_set(tmp_path):
    journal(tmp_path, 1)
    process = cli_process(tmp_path)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and out == "pushed=0 pending=1\n" and "CONVEX_URL" in err


def test_a_sync_killed_midway_loses_nothing_and_doubles_nothing(tmp_path, convex_server):
    ids = journal(tmp_path, 12)
    # Five pushes are confirmed; the sixth reaches Convex, whose answer never comes back.
    convex_server.enqueue(*[Reply()] * 5, Reply(fault="hang"))
    process = cli_process(tmp_path, CONVEX_URL=convex_server.url)
    assert wait_until(lambda: len(convex_server.generations) == 6, timeout=30)
    process.send_signal(signal.SIGKILL)
    process.wait(10)

    waiting = Store(tmp_path / "data" / "jfdi.db").outbox_count()
    assert waiting == 7  # the journal still holds the one whose confirmation was lost

    out, err = cli_process(tmp_path, CONVEX_URL=convex_server.url).communicate(timeout=60)
    assert out == "pushed=7 pending=0\n", err
    assert sorted(d["clientId"] for d in convex_server.generations) == ids  # each exactly once
    sent = [args["clientId"] for args in convex_server.calls("generations:create")]
    assert len(sent) == 13 and sent.count(ids[5]) == 2  # the interrupted push was sent again


def test_checks_found_after_the_answer_reach_the_teams_copy(make_engine, convex_server):
    engine = make_engine(convex_server.url)
    engine.providers["claude"].enqueue("export default function A() { return null }")
    gen = list(engine.generate("Build a card"))[-1].generation
    assert wait_until(lambda: len(convex_server.generations) == 1, timeout=10)
    assert convex_server.generations[0].get("checks") is None
    engine.store.set_checks(gen.id, {"syntax_ok": True, "typecheck_ok": False, "type_errors": [{"line": 3}]})
    engine.team.wake()
    assert wait_until(lambda: (convex_server.generations[0].get("checks") or {}).get("typecheck_ok") is False, timeout=10)
    assert len(convex_server.generations) == 1, "the later copy updates the document; it never adds one"


def test_checks_that_arrive_while_the_record_is_on_its_way_are_pushed_next(tmp_path, convex_server, monkeypatch):
    store = Store(tmp_path / "jfdi.db")
    record = sample_record(checks=None)
    store.save(record)
    team = make_team(store, convex_server.url)
    push = team.client.mutation
    checks = {"syntax_ok": True, "typecheck_ok": False, "type_errors": [{"line": 3}]}

    def checks_land_before_convex_answers(path, args, **options):
        answer = push(path, args, **options)
        store.set_checks(record["id"], checks)
        return answer

    monkeypatch.setattr(team.client, "mutation", checks_land_before_convex_answers)
    assert team.sync_now().pushed == 1 and team.sync_status().pending == 1
    assert team.sync_now().pushed == 1 and team.sync_status().pending == 0  # the same checks again: nothing changed
    assert [(d["clientId"], d.get("checks")) for d in convex_server.generations] == [(record["id"], checks)]
