"""The UI's handlers as plain generators: no Gradio server, fake providers."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pytest

from jfdi.engine import Engine
from jfdi.errors import Overloaded
from jfdi.router import Router
from jfdi.store import Store
from jfdi.ui import render
from jfdi.ui.handlers import ChatState, Handlers
from tests.fakes import FakeProvider, Script

CODE = 'export default function Form() {\n  return <form className="p-4">SKU</form>;\n}'
FIXED = CODE.replace("SKU", "SKU and reorder point")


@pytest.fixture
def providers():
    return {
        "claude": FakeProvider("claude", label="Claude", model="claude-sonnet-5-5"),
        "local": FakeProvider("local", label="Seed-Coder (local)", model="seed-coder-8b"),
    }


@pytest.fixture
def handlers(settings, providers):
    router = Router(providers, ["claude", "local"], timeout_s=2, backoff_s=0.01)
    return Handlers(Engine(settings, providers=providers, router=router, store=Store(settings.db_path)))


def final(views):
    views = list(views)
    assert views, "a handler always yields at least one view"
    return views


def test_streams_into_chat_code_and_status(handlers, providers):
    providers["claude"].enqueue(Script(chunks=["```tsx\n", CODE[:30], CODE[30:], "\n```"], delay_s=0.06))
    views = final(handlers.generate("Build a reorder form", "auto", ChatState(), {}, "s1"))
    live, last = views[:-1], views[-1]
    assert live[0].running and live[0].prompt == "", "the prompt box clears as soon as the request goes"
    assert any(v.code and v.code != CODE for v in live), "the code panel fills in while text streams"
    assert last.code == CODE and "```" not in last.code
    assert last.status.startswith("✅ Claude (claude-sonnet-5-5)")
    assert last.chat == [
        {"role": "user", "content": "Build a reorder form"},
        {"role": "assistant", "content": f"```tsx\n{CODE}\n```"},
    ]
    assert last.state.turns == (("Build a reorder form", f"```tsx\n{CODE}\n```"),)


def test_status_says_when_an_answer_was_continued_after_the_token_limit(handlers, providers):
    half = len(CODE) // 2
    providers["claude"].enqueue(Script(chunks=["```tsx\n", CODE[:half]], stop_reason="max_tokens"),
                                Script(chunks=[CODE[half:], "\n```"], delay_s=0.06))
    views = final(handlers.generate("Build a reorder form", "auto", ChatState(), {}, "s1"))
    assert any(v.running and "continuing on Claude after the token limit (1 of 2)" in v.status for v in views)
    last = views[-1]
    assert last.code == CODE
    assert last.status.startswith("✅ Claude") and "continued 1× after the token limit" in last.status


def test_an_answer_still_cut_off_is_never_shown_as_done(handlers, providers):
    pieces = ("```tsx\n", CODE[:20], CODE[20:40])
    providers["claude"].enqueue(*[Script(chunks=[piece], stop_reason="max_tokens") for piece in pieces])
    last = final(handlers.generate("Build a reorder form", "auto", ChatState(), {}, "s1"))[-1]
    assert last.status.startswith("⚠️ cut off at the token limit after 2 continuations: incomplete")
    assert "✅" not in last.status and "continued" not in last.status
    assert last.code == CODE[:40], "the partial code stays in the panel, with the status saying it is incomplete"
    rows, ids, _ = handlers.history()
    assert rows[0][3] == "incomplete"
    assert handlers.open_generation(ids[0], ChatState()).status.endswith("(claude, incomplete)")


def test_a_page_still_loading_sends_no_code_and_is_still_answered(handlers, providers):
    """Enter pressed before the code panel has its value: Gradio sends None for it."""
    providers["claude"].enqueue(CODE)
    assert final(handlers.generate("Build a form", "auto", ChatState(), None, "s1"))[-1].status.startswith("✅")


def test_status_line_names_every_fallback(handlers, providers):
    providers["claude"].enqueue(Script(error=Overloaded("529")), Script(error=Overloaded("529")))
    providers["local"].enqueue(CODE)
    last = final(handlers.generate("Build a form", "auto", ChatState(), {}, "s1"))[-1]
    assert last.status.startswith("✅ Seed-Coder (local)")
    assert "Claude overloaded; retrying" in last.status
    assert "Claude overloaded again; falling back to Seed-Coder (local)" in last.status
    assert "first token" in last.status and "total" in last.status and "tokens" in last.status


def test_follow_up_sends_the_current_code_and_the_earlier_turns(handlers, providers):
    providers["claude"].enqueue(CODE, FIXED)
    first = final(handlers.generate("Build a form", "auto", ChatState(), {}, "s1"))[-1]
    assert first.files == {"src/Form.tsx": CODE}
    edited = {"src/Form.tsx": first.code + "\n// edited by hand"}
    second = final(handlers.generate("Add the reorder point", "auto", first.state, edited, "s1"))[-1]
    request = providers["claude"].requests[-1]
    assert [m.role for m in request.messages] == ["user", "assistant", "user"]
    assert "// edited by hand" in request.messages[-1].content, "follow-ups refine what the code panel shows"
    assert second.code == FIXED and len(second.state.turns) == 2
    assert len(second.chat) == 4


def test_empty_prompt_asks_for_one_and_calls_nothing(handlers, providers):
    views = final(handlers.generate("   ", "auto", ChatState(), {}, "s1"))
    assert len(views) == 1 and "Type what you want to build" in views[0].status
    assert providers["claude"].calls == 0


def test_unknown_provider_is_a_status_message_not_a_crash(handlers):
    views = final(handlers.generate("Build a form", "gpt-9", ChatState(), {}, "s1"))
    assert "unknown provider" in views[-1].status and views[-1].prompt == "Build a form"


def test_every_provider_failing_keeps_the_prompt_and_the_conversation(handlers, providers):
    providers["claude"].enqueue(Script(error=Overloaded("529")), Script(error=Overloaded("529")))
    providers["local"].enqueue(Script(error=Overloaded("down")), Script(error=Overloaded("down")))
    state = ChatState(turns=(("earlier", CODE),))
    last = final(handlers.generate("Build a form", "auto", state, {"src/Form.tsx": CODE}, "s1"))[-1]
    assert last.status.startswith("❌ No provider produced code")
    assert last.prompt == "Build a form" and last.state == state and last.code == CODE


def test_stop_ends_the_generation_and_keeps_the_partial_answer(handlers, providers):
    providers["claude"].enqueue(Script(chunks=[f"line {i}\n" for i in range(200)], delay_s=0.01))
    views = []
    for view in handlers.generate("Build a form", "auto", ChatState(), {}, "s1"):
        views.append(view)
        if len(views) == 3:
            assert handlers.stop("s1")
    last = views[-1]
    assert last.status.startswith("⏹ Stopped")
    assert last.state.turns and last.state.turns[0][1].startswith("line 0")
    record = handlers.engine.store.get(last.state.generation_id)
    assert record["status"] == "stopped" and record["raw"].startswith("line 0")
    assert providers["claude"].cancelled.wait(1)


def test_a_session_is_answering_from_the_ask_until_its_answer_is_over(handlers, providers):
    providers["claude"].enqueue(Script(chunks=["line 1\n", "line 2\n"]))
    handlers.hold("s1")  # Generate pressed: the answer is on its way before its stream starts
    assert handlers.answering("s1") and not handlers.answering("s2")
    views = handlers.generate("Build a form", "auto", ChatState(), {}, "s1")
    next(views)
    assert handlers.answering("s1")
    for _ in views:
        pass
    assert not handlers.answering("s1"), "over, even if the page that asked never says so"
    handlers.hold("s1")
    handlers.release("s1")  # an ask that never reached a stream (nothing to regenerate, say)
    assert not handlers.answering("s1")


def test_stop_only_touches_its_own_session(handlers, providers):
    providers["claude"].enqueue(Script(chunks=["a"] * 50, delay_s=0.01))
    started = threading.Event()
    results = {}

    def run():
        views = []
        for view in handlers.generate("Build", "auto", ChatState(), {}, "user-a"):
            views.append(view)
            started.set()
        results["a"] = views[-1]

    thread = threading.Thread(target=run)
    thread.start()
    started.wait(2)
    assert not handlers.stop("user-b"), "another session has nothing running"
    thread.join(5)
    assert results["a"].status.startswith("✅")


def test_clear_starts_over_in_the_same_workspace(handlers):
    view = handlers.clear(ChatState(turns=(("a", "b"),), workspace="plant-2"), "s1")
    assert (view.chat, view.files, view.state.turns, view.state.workspace) == ([], {}, (), "plant-2")


def test_history_lists_and_reopens_a_generation(handlers, providers):
    providers["claude"].enqueue(CODE, FIXED)
    first = final(handlers.generate("Build a form", "auto", ChatState(), {}, "s1"))[-1]
    final(handlers.generate("Add a field", "auto", first.state, first.files, "s1"))
    rows, ids, notice = handlers.history()
    assert [r[1] for r in rows] == ["Add a field", "Build a form"]
    assert rows[0][2:] == ["claude", "ok", "default", "this machine"]
    assert "not configured" in notice
    view = handlers.open_generation(ids[0], ChatState())
    assert view.files == {"src/Form.tsx": FIXED}
    assert [m["content"] for m in view.chat if m["role"] == "user"] == ["Build a form", "Add a field"]
    assert view.state.generation_id == ids[0]


def test_api_generate_streams_code_without_fences_then_a_final_status(handlers, providers):
    providers["claude"].enqueue(Script(chunks=["Here:\n```tsx\n", CODE, "\n```\nDone."], delay_s=0.06))
    pairs = list(handlers.api_generate("Build a form", "Claude"))
    assert pairs[-1] == (CODE, pairs[-1][1]) and pairs[-1][1].startswith("✅ Claude")
    assert all("```" not in code for code, _ in pairs)
    assert len(pairs) > 2


@pytest.mark.parametrize("handler", ["generate", "api_generate"])
def test_a_fast_stream_is_sent_in_a_few_updates_not_one_per_chunk(handlers, providers, handler):
    lines = [f"// line {i}\n" for i in range(400)]
    providers["claude"].enqueue(Script(chunks=["```tsx\n", *lines, CODE, "\n```"]))
    if handler == "generate":
        updates = [(v.code, v.status) for v in handlers.generate("Build a form", "claude", ChatState(), "", "s1")]
    else:
        updates = list(handlers.api_generate("Build a form", "claude"))
    assert updates[-1][0] == "".join(lines) + CODE and updates[-1][1].startswith("✅ Claude")
    assert len(updates) < 20, "forty users at once must not cost the server an update per chunk each"


def test_a_request_that_must_wait_for_the_set_up_says_preparing(settings):
    slow = FakeProvider("claude", label="Claude", prepare_s=0.3).enqueue(CODE)
    handlers = Handlers(Engine(settings, providers={"claude": slow}, router=Router({"claude": slow}, ["claude"])))
    statuses = [v.status for v in handlers.generate("Build a form", "auto", ChatState(), "", "s1")]
    assert statuses[1].startswith("⏳ preparing Claude..."), statuses
    assert statuses[-1].startswith("✅ Claude")
    assert list(handlers.api_generate("Build a form"))[-1][1].startswith("✅ Claude")


def test_api_status_has_no_secrets(handlers):
    rows = handlers.api_status()
    assert {r["name"] for r in rows} == {"claude", "local"}
    assert all(set(r) >= {"name", "configured", "available", "model", "state", "detail"} for r in rows)


def test_provider_status_markdown_shows_state_model_and_reason():
    from jfdi.providers.base import ProviderStatus

    text = render.provider_status_markdown([
        ProviderStatus("local", "Seed-Coder (local)", True, False, "ByteDance-Seed/Seed-Coder-8B-Instruct", "unavailable", "needs a CUDA GPU"),
        ProviderStatus("claude", "Claude", True, True, "claude-sonnet-5-5", "configured"),
    ])
    assert "🔴 **Seed-Coder (local)** — unavailable" in text and "needs a CUDA GPU" in text
    assert "🟢 **Claude** — configured" in text


def test_workspaces_create_list_and_tag_new_generations(handlers, providers):
    message, created = handlers.create_workspace("Plant 2 line B")
    assert created == "Plant 2 line B" and message.startswith("✅")
    again, refused = handlers.create_workspace("plant 2 LINE b")
    assert refused is None and again.startswith("❌") and "already exists" in again
    empty, none = handlers.create_workspace("   ")
    assert none is None and empty.startswith("❌")
    rows, names = handlers.workspaces()
    assert names == ["default", "Plant 2 line B"] and rows[1][:2] == ["Plant 2 line B", "this machine only"]
    providers["claude"].enqueue(CODE, CODE)
    final(handlers.generate("Build a form", "auto", ChatState(workspace="Plant 2 line B"), {}, "s1"))
    final(handlers.generate("Build a table", "auto", ChatState(), {}, "s1"))
    only = handlers.history("Plant 2 line B")[0]
    assert [r[1] for r in only] == ["Build a form"] and only[0][4] == "Plant 2 line B"


def test_history_merges_the_team_generations_from_convex(settings, providers, convex_server):
    from dataclasses import replace

    from jfdi.store.convex import ConvexClient
    from jfdi.store.team import Team

    store = Store(settings.db_path)
    team = Team(store, ConvexClient(convex_server.url))
    engine = Engine(replace(settings, convex_url=convex_server.url), providers=providers,
                    router=Router(providers, ["claude"], timeout_s=2), store=store, team=team)
    teammate = Handlers(engine)
    providers["claude"].enqueue(CODE, CODE)
    final(teammate.generate("Teammate form", "auto", ChatState(), {}, "s1"))
    assert team.sync_now().pushed == 1
    with closing(sqlite3.connect(settings.db_path)) as db, db:  # as seen from another machine
        db.execute("DELETE FROM generations")
    final(teammate.generate("My own form", "auto", ChatState(), {}, "s1"))
    rows, ids, notice = teammate.history()
    assert [r[1] for r in rows] == ["My own form", "Teammate form"] and notice == ""
    assert rows[1][5] == "☁️ team"
    view = teammate.open_generation(ids[1], ChatState())
    assert view.code == CODE and "Teammate form" in str(view.chat)
    assert "Convex" in teammate.sync_summary()


def test_a_teammates_generation_with_convex_away_is_a_message(settings, providers):
    from jfdi.store.convex import ConvexClient
    from jfdi.store.team import Team
    from tests.loopback import closed_port

    store = Store(settings.db_path)
    team = Team(store, ConvexClient(f"http://127.0.0.1:{closed_port()}", timeout=0.5), read_timeout=0.5)
    offline = Handlers(Engine(settings, providers=providers, router=Router(providers, ["claude"], timeout_s=2), store=store, team=team))
    view = offline.open_generation("a-teammates-id", ChatState(turns=(("earlier", CODE),)))
    assert view.status.startswith("❌ Could not load it from Convex:") and view.files == {}
    assert "earlier" in str(view.chat), "the conversation on screen stays"


def test_documents_are_attached_edited_and_sent_as_reference_data(handlers, providers, tmp_path):
    from tests import document_files as files

    pdf = files.purchase_order_pdf(tmp_path / "po-2024-0117.pdf")
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ\x90\x00")
    pages = []
    state, message = handlers.attach([str(pdf), str(bad)], ChatState(), lambda done, total, m: pages.append((done, total)))
    assert message.splitlines()[0].startswith("📎 po-2024-0117.pdf: 2 pages (text)")
    assert "❌ notes.exe:" in message and "pdf, png" in message
    assert pages[-1] == (2, 2), "per-page progress reaches the last page"
    attachment = state.attachment("po-2024-0117.pdf")
    assert files.PO_NUMBER in attachment.markdown
    state = handlers.edit_attachment(state, "po-2024-0117.pdf", attachment.markdown + "\nNote: deliver to dock 4")
    providers["claude"].enqueue(CODE)
    last = final(handlers.generate("Build a receiving form for this PO", "auto", state, {}, "s1"))[-1]
    sent = providers["claude"].requests[-1].messages[-1].content
    assert '<reference_document name="po-2024-0117.pdf">' in sent
    assert files.PO_NUMBER in sent and "deliver to dock 4" in sent
    record = handlers.engine.store.get(last.state.generation_id)
    assert record["documents"][0]["name"] == "po-2024-0117.pdf" and record["documents"][0]["edited"] is True
    assert record["documents"][0]["pages"] == 2 and record["documents"][0]["engines"] == ["text"]
    assert len(record["documents"][0]["sha256"]) == 64
    assert handlers.remove_attachment(last.state, "po-2024-0117.pdf").attachments == ()


def test_the_code_panel_follows_the_file_being_written_then_shows_the_entry():
    files = {"src/App.tsx": "export default function App() { return null; }",
             "src/styles.css": ".a { color: red; }"}
    writing = render.code_panel(files, running=True)
    assert (writing.selected, writing.text, writing.language) == ("src/styles.css", ".a { color: red; }", "css")
    done = render.code_panel(files)
    assert done.selected == "src/App.tsx"
    assert done.choices == [("▶ src/App.tsx", "src/App.tsx"), ("src/styles.css", "src/styles.css")]
    assert render.code_panel(files, "src/styles.css").selected == "src/styles.css", "a file the user picked stays picked"
    assert render.code_panel(files, "src/gone.ts").selected == "src/App.tsx"
    assert render.code_panel({}).text == ""


def test_a_follow_up_answered_with_an_edit_shows_what_changed_and_says_so(handlers, providers):
    providers["claude"].enqueue(CODE)
    first = final(handlers.generate("Build a form", "auto", ChatState(), {}, "s1"))[-1]
    assert first.changes == "", "a first answer has nothing to compare with"
    providers["claude"].enqueue("src/Form.tsx\n<<<<<<< SEARCH\n  return <form className=\"p-4\">SKU</form>;\n=======\n"
                                "  return <form className=\"p-4\">SKU and reorder point</form>;\n>>>>>>> REPLACE")
    views = final(handlers.generate("Add the reorder point", "auto", first.state, first.files, "s1"))
    last = views[-1]
    assert all(v.files in (first.files, last.files) for v in views), "the edit applies once, to the final answer"
    assert last.code == FIXED and "· edited 1 file" in last.status
    assert ('-  return <form className="p-4">SKU</form>;\n'
            '+  return <form className="p-4">SKU and reorder point</form>;') in last.changes


def test_reopening_a_failed_generation_says_why_it_has_no_code(handlers, providers):
    for name in ("claude", "local"):
        providers[name].enqueue(*[Script(error=Overloaded("overloaded, try later")) for _ in range(2)])
    final(handlers.generate("Build a form", "auto", ChatState(), {}, "s1"))
    _, ids, _ = handlers.history()
    view = handlers.open_generation(ids[0], ChatState())
    assert view.files == {}
    assert "error" in view.status and "overloaded, try later" in view.status
    assert "no code" in view.status


def test_what_is_typed_while_an_answer_streams_is_left_in_the_prompt_box(handlers, providers):
    """The box clears once, when the request goes; the updates after it (one per streamed moment,
    and the last) leave it alone, or the next message being typed is wiped as the answer streams."""
    providers["claude"].enqueue(Script(chunks=["```tsx\n", CODE[:30], CODE[30:], "\n```"], delay_s=0.06))
    views = final(handlers.generate("Build a reorder form", "auto", ChatState(), {}, "s1"))
    assert views[0].prompt == ""
    assert len(views) > 2 and all(view.prompt is None for view in views[1:])


def test_clear_while_an_answer_streams_leaves_the_page_cleared(handlers, providers):
    """Clear stops the generation; the stopped answer's last update must not bring the
    conversation back after the page was emptied (it is still in the history, as stopped)."""
    providers["claude"].enqueue(Script(chunks=[f"// step {i}\n" for i in range(200)], delay_s=0.02))
    views = handlers.generate("Build a long dashboard", "auto", ChatState(workspace="Line 2"), {}, "s1")
    for view in views:
        if "step 3" in view.code or "step 3" in str(view.chat):
            break
    cleared = handlers.clear(view.state, "s1")
    rest = list(views)
    assert rest, "the generator ends with an update"
    assert rest[-1].chat == cleared.chat == [] and rest[-1].files == {}
    assert rest[-1].state.turns == () and rest[-1].state.workspace == "Line 2"
    rows, _, _ = handlers.history()
    assert rows[0][1] == "Build a long dashboard" and rows[0][3] == "stopped"
