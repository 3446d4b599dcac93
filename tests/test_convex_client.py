"""The Convex HTTP API client against a loopback deployment: values, typed errors, timeouts, and
the journal <-> Convex document mapping that both sides of the wire rely on."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from jfdi.store.convex import (
    MAX_DOCUMENT_BYTES,
    ConvexClient,
    ConvexFunctionError,
    ConvexRejected,
    ConvexUnavailable,
    generation_from_convex,
    generation_to_convex,
)
from tests.conftest import REPO
from tests.convex_sample import FIXTURE, sample_record
from tests.loopback import ConvexServer, LoopbackServer, Reply, closed_port

FAST = httpx.Timeout(0.5, connect=0.5)


def test_a_mutation_and_a_query_return_the_functions_values(convex_server):
    client = ConvexClient(convex_server.url, timeout=FAST)
    created = client.mutation("generations:create", generation_to_convex(sample_record()))
    assert created["created"] is True
    again = client.mutation("generations:create", generation_to_convex(sample_record()))
    assert again == {"id": created["id"], "created": False}
    [doc] = client.query("generations:recent", {"limit": 5})
    assert doc["clientId"] == sample_record()["id"]
    request = convex_server.requests[0]
    assert request.path == "/api/mutation" and request.body["format"] == "json"
    assert request.body["path"] == "generations:create"


def test_the_auth_token_goes_as_a_bearer_header_and_a_wrong_one_says_what_to_check():
    with ConvexServer(auth_token="convex-token-abc123456") as server:
        assert ConvexClient(server.url, auth_token="convex-token-abc123456").query("workspaces:list") == []
        with pytest.raises(ConvexRejected) as caught:
            ConvexClient(server.url, auth_token="wrong-token-0000000000").query("workspaces:list")
    assert caught.value.status == 401 and not caught.value.transient
    assert "CONVEX_AUTH_TOKEN" in str(caught.value) and "wrong-token" not in str(caught.value)


def test_a_function_that_throws_is_a_function_error_with_its_message(convex_server):
    convex_server.enqueue(Reply(error="Value is too large"))
    with pytest.raises(ConvexFunctionError, match="generations:create failed on Convex: .*Value is too large") as caught:
        ConvexClient(convex_server.url).mutation("generations:create", generation_to_convex(sample_record()))
    assert caught.value.status == 560 and not caught.value.transient
    with pytest.raises(ConvexFunctionError, match="Could not find public function for 'generations:nope'"):
        ConvexClient(convex_server.url).query("generations:nope")


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_are_transient(convex_server, status):
    convex_server.enqueue(Reply(status=status, error="busy"))
    with pytest.raises(ConvexUnavailable, match=f"HTTP {status}") as caught:
        ConvexClient(convex_server.url).query("workspaces:list")
    assert caught.value.transient


def test_a_url_that_is_not_a_convex_deployment_is_refused_with_its_answer():
    with LoopbackServer() as other:  # answers 404 to everything
        with pytest.raises(ConvexRejected, match="HTTP 404"):
            ConvexClient(other.url).query("workspaces:list")


def test_nothing_listening_is_reported_at_once():
    started = time.monotonic()
    with pytest.raises(ConvexUnavailable, match="connection refused"):
        ConvexClient(f"http://127.0.0.1:{closed_port()}", timeout=FAST).query("workspaces:list")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("reply", [Reply(fault="hang_headers"), Reply(delay_s=3.0)], ids=["hanging", "slow"])
def test_a_hanging_or_slow_deployment_times_out(convex_server, reply):
    convex_server.enqueue(reply)
    started = time.monotonic()
    with pytest.raises(ConvexUnavailable, match="did not answer workspaces:list within 0.5 s"):
        ConvexClient(convex_server.url, timeout=FAST).query("workspaces:list")
    assert time.monotonic() - started < 1.5


def test_a_dropped_connection_is_transient(convex_server):
    convex_server.enqueue(Reply(fault="reset"))
    with pytest.raises(ConvexUnavailable):
        ConvexClient(convex_server.url, timeout=FAST).query("workspaces:list")


def test_numbers_that_json_cannot_carry_are_refused_before_sending(convex_server):
    with pytest.raises(ConvexRejected, match="cannot send"):
        ConvexClient(convex_server.url).mutation("generations:create", generation_to_convex(sample_record(cost_usd=float("nan"))))
    assert convex_server.requests == []


def test_the_python_side_sends_what_the_convex_tests_check_against_the_schema():
    # convex/functions/generations.test.ts pushes this file through the real schema validators.
    assert generation_to_convex(sample_record()) == json.loads((REPO / FIXTURE).read_text())


def test_a_record_survives_the_trip_through_convex(convex_server):
    client = ConvexClient(convex_server.url)
    record = sample_record()
    client.mutation("generations:create", generation_to_convex(record))
    back = generation_from_convex(client.query("generations:get", {"clientId": record["id"]}))
    assert back == {k: record[k] for k in back}
    assert set(back) == set(record) and isinstance(back["input_tokens"], int) and back["continues"] == 1


def test_a_record_pushed_before_continuations_were_counted_reads_as_none():
    doc = generation_to_convex(sample_record())
    del doc["continues"]
    assert generation_from_convex(doc)["continues"] == 0


def test_a_version_keeps_its_kind_and_conversation_and_an_older_record_starts_its_own(convex_server):
    client = ConvexClient(convex_server.url)
    edit = sample_record(id="edit-1", kind="edit", parent_id="first", conversation_id="first")
    client.mutation("generations:create", generation_to_convex(edit))
    back = generation_from_convex(client.query("generations:get", {"clientId": "edit-1"}))
    assert (back["kind"], back["conversation_id"], back["parent_id"]) == ("edit", "first", "first")
    older = {k: v for k, v in generation_to_convex(sample_record(id="older")).items() if k not in ("kind", "conversationId")}
    client.mutation("generations:create", older)
    back = generation_from_convex(client.query("generations:get", {"clientId": "older"}))
    assert (back["kind"], back["conversation_id"]) == ("answer", "older")


def test_a_conversation_too_long_for_one_convex_document_keeps_its_latest_turns():
    turns = [{"prompt": f"change {i}", "answer": "x" * 100_000} for i in range(12)]
    record = sample_record(conversation=turns)
    doc = generation_to_convex(record)
    assert len(json.dumps(doc).encode()) <= MAX_DOCUMENT_BYTES
    assert doc["conversation"][-1]["prompt"] == "change 11" and doc["conversationOmitted"] == 12 - len(doc["conversation"])
    assert doc["code"] == record["code"] and len(record["conversation"]) == 12  # the journal keeps all of it


def test_a_data_module_too_large_for_convex_leaves_the_code_files_and_a_notice():
    from jfdi.project import DATA_MODULE_MARKER

    files = {"src/data/bom.ts": DATA_MODULE_MARKER + " bom.csv\n" + "x" * 1_500_000,
             "src/App.tsx": "export default function App() {}"}
    doc = generation_to_convex(sample_record(files=files))
    assert len(json.dumps(doc).encode()) <= MAX_DOCUMENT_BYTES
    assert [f["path"] for f in doc["files"]] == ["src/App.tsx"]
    assert doc["notices"][-1].startswith("src/data/bom.ts: the uploaded data is too large for the team store")


def test_every_field_of_an_attached_documents_metadata_reaches_convex(tmp_path, settings):
    from jfdi.documents.session import generation_context, parse_upload
    from tests import document_files

    attachment = parse_upload(document_files.cp1252_csv(tmp_path / "parts.csv"), settings)
    _, documents = generation_context([attachment.edit(attachment.markdown + "\nchecked")])
    doc = generation_to_convex(sample_record(documents=documents))
    assert doc["documents"] == [{"name": "parts.csv", "sha256": documents[0]["sha256"], "engines": ["csv"],
                                 "pages": 1, "pageCount": 1, "edited": True}]
    assert generation_from_convex({**doc, "_id": "x", "_creationTime": 0.0})["documents"] == documents
