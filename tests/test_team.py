"""The team's view: history merged from Convex and the journal, and workspaces, with Convex up,
away, or not configured."""

from __future__ import annotations

import time

import httpx
import pytest

from jfdi.errors import BadInput
from jfdi.store import Store
from jfdi.store.convex import ConvexClient, generation_to_convex
from jfdi.store.team import Team
from tests.convex_sample import sample_record
from tests.loopback import Reply, closed_port

FAST = httpx.Timeout(0.3, connect=0.3)


def at(minute: int) -> str:
    return f"2026-11-26T10:{minute:02d}:00.000Z"


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "jfdi.db")


def team_for(store: Store, url: str | None) -> Team:
    return Team(store, ConvexClient(url, timeout=FAST) if url else None, read_timeout=FAST)


def teammate_pushed(server, generation_id: str, minute: int, workspace: str = "Plant 2") -> None:
    record = sample_record(id=generation_id, created_at=at(minute), workspace=workspace, prompt=f"teammate {generation_id}")
    ConvexClient(server.url).mutation("generations:create", generation_to_convex(record))


def test_history_merges_the_team_and_this_machines_waiting_ones_newest_first(store, convex_server):
    team = team_for(store, convex_server.url)
    store.save(sample_record(id="mine-synced", created_at=at(1)))
    team.sync_now()
    store.save(sample_record(id="mine-waiting", created_at=at(4)))  # not pushed yet
    teammate_pushed(convex_server, "theirs-a", 2)
    teammate_pushed(convex_server, "theirs-b", 5, workspace="Line 4")

    history = team.history(limit=10)
    assert history.team and not history.notice
    assert [(r["id"], r["shared"]) for r in history.rows] == [
        ("theirs-b", True), ("mine-waiting", False), ("theirs-a", True), ("mine-synced", True),
    ]
    assert history.rows[0]["input_tokens"] == 1200 and history.rows[0]["attempts"][1]["outcome"] == "ok"
    assert set(history.rows[0]) == set(history.rows[1])  # one shape, wherever a row came from
    assert [r["id"] for r in team.history(limit=2).rows] == ["theirs-b", "mine-waiting"]
    assert [r["id"] for r in team.history(workspace="Line 4").rows] == ["theirs-b"]


@pytest.mark.parametrize("reply", [Reply(fault="hang_headers"), Reply(status=502)], ids=["hanging", "5xx"])
def test_history_falls_back_to_this_machine_quickly_and_says_so(store, convex_server, reply):
    store.save(sample_record(id="mine", created_at=at(1)))
    convex_server.default = reply
    started = time.monotonic()
    history = team_for(store, convex_server.url).history()
    assert time.monotonic() - started < 1.0
    assert not history.team and [r["id"] for r in history.rows] == ["mine"]
    assert "this machine" in history.notice


def test_history_without_convex_is_the_journal_and_says_why(store):
    store.save(sample_record(id="mine"))
    history = team_for(store, None).history()
    assert [r["id"] for r in history.rows] == ["mine"] and not history.rows[0]["shared"]
    assert "CONVEX_URL" in history.notice


def test_a_teammates_generation_opens_from_convex(store, convex_server):
    teammate_pushed(convex_server, "theirs", 3)
    record = team_for(store, convex_server.url).get("theirs")
    assert record["prompt"] == "teammate theirs" and record["conversation"][0]["answer"]
    assert team_for(store, convex_server.url).get("nobody") is None


def test_a_timeline_merges_the_versions_a_teammate_added(store, convex_server):
    """A teammate opened this conversation from the History and went on with it."""
    team = team_for(store, convex_server.url)
    store.save(sample_record(id="first", conversation_id="first", created_at=at(1)))
    store.save(sample_record(id="edit", conversation_id="first", parent_id="first", kind="edit", created_at=at(3)))
    team.sync_now()
    theirs = sample_record(id="theirs", conversation_id="first", parent_id="first", created_at=at(2), prompt="teammate's")
    ConvexClient(convex_server.url).mutation("generations:create", generation_to_convex(theirs))
    assert [(r["id"], r["kind"]) for r in team.timeline("edit")] == [("first", "answer"), ("theirs", "answer"), ("edit", "edit")]
    assert [r["id"] for r in team.timeline("theirs")] == ["first", "theirs", "edit"], "a teammate's version finds it too"
    convex_server.default = Reply(status=502)
    assert [r["id"] for r in team_for(store, convex_server.url).timeline("edit")] == ["first", "edit"], \
        "with Convex away, this machine's versions"
    assert team_for(store, None).timeline("nobody") == []


def test_workspaces_list_the_teams_and_this_machines(store, convex_server):
    ConvexClient(convex_server.url).mutation(
        "workspaces:create", {"clientId": "w-team", "name": "Line 4", "createdAt": 1700000000000}
    )
    team = team_for(store, convex_server.url)
    made = team.create_workspace("  Plant   2 ")
    assert (made.name, made.status) == ("Plant 2", "waiting to sync")
    assert [(w.name, w.status) for w in team.list_workspaces()] == [
        ("Line 4", "shared"), ("default", "shared"), ("Plant 2", "waiting to sync"),
    ]
    assert team.sync_now().pushed == 1
    assert [w.name for w in team.list_workspaces() if w.status == "shared"] == ["Line 4", "default", "Plant 2"]
    assert sorted(d["name"] for d in convex_server.workspaces) == ["Line 4", "Plant 2"]


def test_workspaces_made_offline_wait_and_the_teams_are_remembered(store, convex_server):
    ConvexClient(convex_server.url).mutation(
        "workspaces:create", {"clientId": "w-team", "name": "Line 4", "createdAt": 1700000000000}
    )
    team_for(store, convex_server.url).list_workspaces()  # seen once while Convex was up
    offline = team_for(store, f"http://127.0.0.1:{closed_port()}")
    offline.create_workspace("Receiving")
    assert [(w.name, w.status) for w in offline.list_workspaces()] == [
        ("Line 4", "shared"), ("default", "shared"), ("Receiving", "waiting to sync"),
    ]
    assert offline.sync_now().pending == 1


@pytest.mark.parametrize(
    "name, message",
    [
        ("   ", "the workspace name is empty"),
        ("x" * 41, "41 characters long: keep it to 40"),
        ("<script>", "starts with a letter or digit"),
        ("DEFAULT", 'a workspace named "default" already exists'),
        ("plant 2", 'a workspace named "Plant 2" already exists'),
    ],
)
def test_workspace_names_that_cannot_be_used_say_why(store, name, message):
    team = team_for(store, None)
    team.create_workspace("Plant 2")
    with pytest.raises(BadInput, match=message):
        team.create_workspace(name)
    assert [w.name for w in team.list_workspaces()] == ["default", "Plant 2"]
    assert team.list_workspaces()[1].status == "this machine only"
