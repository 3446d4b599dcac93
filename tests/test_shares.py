"""Share links below the UI: kept in the journal, pushed to Convex after their generation, found
and revoked from another replica, and refused when unknown, revoked or malformed."""

from __future__ import annotations

import httpx
import pytest

from jfdi.engine import Engine
from jfdi.errors import BadInput
from jfdi.services import Services
from jfdi.store import Store
from jfdi.store.convex import ConvexClient, share_from_convex, share_to_convex
from jfdi.store.shares import TOKEN, Share, merged, new_token, token_of
from jfdi.store.team import Team
from tests.convex_sample import sample_record
from tests.fakes import FakeProvider
from tests.loopback import Reply

FAST = httpx.Timeout(0.3, connect=0.3)


def replica(tmp_path, name: str, convex_url: str | None) -> Team:
    """One machine of the team: its own journal, the shared Convex deployment."""
    store = Store(tmp_path / name / "jfdi.db")
    return Team(store, ConvexClient(convex_url, timeout=FAST) if convex_url else None, read_timeout=FAST)


def services_for(settings, team: Team) -> Services:
    return Services(Engine(settings, providers={"claude": FakeProvider("claude")}, store=team.store, team=team))


def test_a_link_is_a_long_random_token_kept_in_the_journal_with_its_generation(tmp_path):
    team = replica(tmp_path, "a", None)
    team.store.save(sample_record())
    first = team.add_share(sample_record()["id"], public=False)
    second = team.add_share(sample_record()["id"], public=True)
    assert TOKEN.fullmatch(first.token) and len(first.token) >= 22, "at least 128 random bits"
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000 and all(t.isalnum() for t in tokens), "no '-' to be read as a command-line option"
    assert first.token != second.token and sample_record()["id"] not in first.path
    assert first.path == f"/share/{first.token}"
    found = team.share(first.token)
    assert (found.generation_id, found.public, found.active) == (sample_record()["id"], False, True)
    links, notice = team.shares()
    assert [s.token for s in links] == [second.token, first.token]
    assert links[0].prompt == sample_record()["prompt"] and "not configured" in notice


def test_revoking_is_kept_and_queued_and_cannot_be_undone(tmp_path):
    team = replica(tmp_path, "a", None)
    share = team.add_share("g1", public=False)
    team.store.outbox_done("share", share.token, team.store.queued_record("share", share.token))
    revoked = team.revoke_share(share.token)
    assert not revoked.active and not team.share(share.token).active
    assert ("share", share.token) in {(e["kind"], e["id"]) for e in team.store.outbox()}, "the revocation waits for Convex"
    team.store.add_share(share.row())  # the live copy again (a late write): the revocation stays
    assert not team.share(share.token).active
    assert team.revoke_share("x" * 32) is None


def test_a_link_is_pushed_after_its_generation(tmp_path):
    team = replica(tmp_path, "a", None)
    share = team.add_share("g1", public=False)
    team.store.save(sample_record(id="g1"))  # logged after the link, as a slow answer might be
    assert [(e["kind"], e["id"]) for e in team.store.outbox()] == [("generation", "g1"), ("share", share.token)]


def test_a_link_made_on_one_replica_opens_and_is_revoked_on_another(tmp_path, settings, convex_server):
    a, b = replica(tmp_path, "a", convex_server.url), replica(tmp_path, "b", convex_server.url)
    a.store.save(sample_record())
    share = services_for(settings, a).share(sample_record()["id"])
    assert b.share(share.token) is None, "nothing reaches the other replica before the sync"
    assert a.sync_now().pushed == 2
    on_b = services_for(settings, b)
    found = on_b.link(share.token)
    assert found is not None and b.get(found.generation_id)["code"] == sample_record()["code"]
    on_b.revoke_share(f"https://jfdi.example/share/{share.token}")
    assert b.sync_now().pushed == 1
    assert services_for(settings, a).link(share.token) is None, "revoked on b: refused on a too"
    assert a.shares()[0][0].revoked_at is not None
    assert [d["token"] for d in convex_server.shares] == [share.token], "pushed twice, kept once"


def test_with_convex_away_a_replica_answers_for_its_own_links(tmp_path, convex_server):
    a = replica(tmp_path, "a", convex_server.url)
    share = a.add_share("g1", public=True)
    convex_server.enqueue(Reply(status=503), Reply(status=503))
    assert a.share(share.token) == share
    links, notice = a.shares()
    assert [s.token for s in links] == [share.token] and "unavailable" in notice


def test_sharing_refuses_what_cannot_be_shared(tmp_path, settings):
    team = replica(tmp_path, "a", None)
    services = services_for(settings, team)
    team.store.save(sample_record(id="failed", code="", status="error", error="No provider produced code."))
    with pytest.raises(BadInput, match="no generation 'nope'"):
        services.share("nope")
    with pytest.raises(BadInput, match="no code to share"):
        services.share("failed")
    team.store.save(sample_record(id="cut", status="error", stop_reason="max_tokens",
                                  error="cut off at the token limit after 2 continuations: incomplete"))
    with pytest.raises(BadInput, match="not shared: its answer was cut off at the token limit"):
        services.share("cut")
    with pytest.raises(BadInput, match="no share link"):
        services.revoke_share("not-a-token")


@pytest.mark.parametrize("token", ["", "short", "../../etc/passwd", "a" * 31 + "!", "a" * 200])
def test_malformed_tokens_are_simply_not_found(tmp_path, settings, token):
    assert services_for(settings, replica(tmp_path, "a", None)).link(token) is None


def test_a_pasted_link_or_a_token_names_the_same_link():
    token = "Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ"
    for text in (token, f" {token} ", f"https://x.hf.space/share/{token}", f"/share/{token}/"):
        assert token_of(text) == token
    assert token_of("https://x.hf.space/") is None


def test_the_convex_shape_round_trips_and_revocations_merge_to_the_earliest():
    share = Share("Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ", "g1", True, "2026-11-26T10:00:00.000Z")
    revoked_here = share.row() | {"revoked_at": "2026-11-26T12:00:00.000Z"}
    assert share_from_convex(share_to_convex(revoked_here)) == revoked_here | {"prompt": None, "public": True}
    team_copy = Share.from_row(revoked_here | {"revoked_at": "2026-11-26T11:00:00.000Z"})
    assert merged(share, team_copy).revoked_at == "2026-11-26T11:00:00.000Z"
    assert merged(None, share) == share and merged(share, None) == share
