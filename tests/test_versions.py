"""The version timeline (jfdi/versions.py) and the Versions view's handlers, as plain generators:
no Gradio server, fake providers, a real journal."""

from __future__ import annotations

import pytest

from jfdi.errors import AuthError, UnknownVersion
from jfdi.ui.diff_view import ADDED, REMOVED
from jfdi.ui.handlers import ChatState
from jfdi.ui.version_handlers import VersionHandlers
from jfdi.versions import Versions, checks_word
from tests.fakes import Script
from tests.test_ui_handlers import handlers, providers  # noqa: F401 - the same fakes and handlers

FORM = 'export default function Form() {\n  return <form className="p-4">SKU</form>;\n}'
GREEN = FORM.replace('"p-4"', '"p-4 bg-green-600"')
LOT = FORM.replace("SKU", "SKU <input name=\"lot\" />")
PATH = "src/Form.tsx"


def fenced(code: str) -> str:
    return f"Here it is:\n\n```tsx\n{code}\n```\n"


@pytest.fixture
def versions(handlers):
    return VersionHandlers(handlers)


def last(views):
    views = list(views)
    assert views, "a handler always yields at least one view"
    return views[-1]


def two_answers(handlers, providers):
    """A conversation of two answers: the form, then the form made green."""
    providers["claude"].enqueue(fenced(FORM), fenced(GREEN))
    first = last(handlers.generate("Build a reorder form", "auto", ChatState(), {}, "s1"))
    second = last(handlers.generate("Make it green", "auto", first.state, first.files, "s1"))
    assert second.files == {PATH: GREEN}
    return first, second


def kinds(versions, state):
    return [(row[1], row[2]) for row in versions.panel(state).rows]


# -- the log --------------------------------------------------------------------------------------


def test_every_answer_is_a_version_linked_to_the_one_it_followed(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    timeline = Versions(handlers.engine).timeline(second.state.generation_id)
    assert [v["id"] for v in timeline.versions] == [first.state.generation_id, second.state.generation_id]
    assert [v["parent_id"] for v in timeline.versions] == [None, first.state.generation_id]
    assert [v["kind"] for v in timeline.versions] == ["answer", "answer"]
    assert {v["conversation_id"] for v in timeline.versions} == {first.state.generation_id}
    # Another conversation (after Clear) is a timeline of its own.
    providers["claude"].enqueue(fenced(LOT))
    other = last(handlers.generate("A lot tracker", "auto", ChatState(), {}, "s1"))
    assert [v["id"] for v in handlers.engine.store.timeline(other.state.generation_id)] == [other.state.generation_id]
    assert len(handlers.engine.store.timeline(first.state.generation_id)) == 2
    assert handlers.engine.store.timeline("no-such-id") == []


def test_an_unknown_id_has_no_timeline(handlers):
    with pytest.raises(UnknownVersion, match="no generation 'nope'"):
        Versions(handlers.engine).timeline("nope")


def test_the_panel_lists_each_version_with_its_prompt_provider_time_and_checks(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    handlers.engine.store.set_checks(first.state.generation_id, {"ok": False, "syntax_errors": [{"message": "x"}]})
    handlers.engine.store.set_checks(second.state.generation_id, {"ok": True, "runtime_errors": []})
    view = versions.panel(second.state)
    assert [row[0] for row in view.rows] == ["1", "▶ 2"], "the current version is marked"
    assert [row[2] for row in view.rows] == ["Build a reorder form", "Make it green"]
    assert [row[3] for row in view.rows] == ["claude", "claude"]
    assert [row[5] for row in view.rows] == ["failed (1)", "passed"]
    assert view.rows[0][4][2] == "-" and view.summary.startswith("**Version 2 of 2**")
    assert view.current == second.state.generation_id and view.made_from == first.state.generation_id
    assert view.can_undo and not view.can_redo and view.can_regenerate
    assert versions.panel(first.state).can_undo is False, "undo is disabled at the first version"
    assert versions.panel(ChatState()).rows == [] and not versions.panel(ChatState()).can_undo


def test_checks_word():
    assert checks_word(None) == "not checked"
    assert checks_word({"ok": None}) == "not checked"
    assert checks_word({"ok": True, "runtime_errors": []}) == "passed"
    assert checks_word({"ok": True, "runtime_errors": [{"message": "boom"}]}) == "failed (1)"


# -- undo and redo --------------------------------------------------------------------------------


def test_undo_after_a_new_answer_returns_to_the_previous_version_and_redo_comes_back(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    undone = versions.undo(second.state, second.files, ())
    assert undone.view.files == {PATH: FORM}, "the code panel follows"
    assert undone.view.state.generation_id == first.state.generation_id
    assert undone.view.state.turns == first.state.turns, "the chat is the conversation as it was then"
    assert undone.view.status.startswith("↩️ Undo: back to version 1")
    assert undone.trail == (second.state.generation_id,)

    at_first = versions.undo(undone.view.state, undone.view.files, undone.trail)
    assert at_first.view.state == undone.view.state and "Nothing to undo" in at_first.view.status

    redone = versions.redo(undone.view.state, undone.view.files, undone.trail)
    assert redone.view.files == {PATH: GREEN} and redone.view.state.generation_id == second.state.generation_id
    assert redone.view.state.turns == second.state.turns and redone.trail == ()
    assert "Nothing to redo" in versions.redo(redone.view.state, redone.view.files, redone.trail).view.status
    assert handlers.engine.store.count() == 2, "moving along the timeline makes no version"


def test_redo_goes_back_to_the_branch_it_came_from(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    providers["local"].enqueue(fenced(LOT))
    sibling = last(versions.regenerate(second.state, second.files, "local", "s1"))  # newer child of version 1
    back = versions.undo(second.state, second.files, ())
    assert versions.redo(back.view.state, back.view.files, back.trail).view.state.generation_id == second.state.generation_id
    fresh = versions.redo(back.view.state, back.view.files, ())  # a reloaded page has no trail: the newest
    assert fresh.view.state.generation_id == sibling.state.generation_id


# -- manual edits ---------------------------------------------------------------------------------


def test_an_edit_is_saved_once_as_a_version_and_undo_redo_move_over_it(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    edited = {PATH: GREEN.replace("SKU", "Part number")}
    saved, message = versions.save_edit(second.state, edited)
    assert message.startswith("💾") and saved.turns == second.state.turns
    record = handlers.engine.store.get(saved.generation_id)
    assert (record["kind"], record["parent_id"], record["files"]) == ("edit", second.state.generation_id, edited)
    assert record["provider"] is None and record["conversation_id"] == first.state.generation_id
    # Leaving the editor and pressing Save at once: both read the state from before the first save.
    again, _ = versions.keep_edit(second.state, edited)
    assert again.generation_id == saved.generation_id and handlers.engine.store.count() == 3
    assert "Nothing to save" in versions.save_edit(saved, edited)[1]
    assert not versions.can_save(saved, edited) and versions.can_save(saved, {PATH: "x"})

    undone = versions.undo(saved, edited, ())
    assert undone.view.files == {PATH: GREEN}
    assert versions.redo(undone.view.state, undone.view.files, undone.trail).view.files == edited


def test_undo_keeps_an_unsaved_edit_as_a_version_that_redo_brings_back(handlers, providers, versions):
    _, second = two_answers(handlers, providers)
    edited = {PATH: GREEN + "\n// tweak"}
    undone = versions.undo(second.state, edited, ())
    assert undone.view.files == {PATH: GREEN}, "undo reverts the edit first"
    assert versions.redo(undone.view.state, undone.view.files, undone.trail).view.files == edited
    assert kinds(versions, undone.view.state)[-1] == ("edit", "Edited by hand")


def test_a_follow_up_after_an_edit_is_made_from_the_edit(handlers, providers, versions):
    _, second = two_answers(handlers, providers)
    state, _ = versions.keep_edit(second.state, {PATH: GREEN + "\n// mine"})
    providers["claude"].enqueue(fenced(LOT))
    third = last(handlers.generate("Add a lot field", "auto", state, {PATH: GREEN + "\n// mine"}, "s1"))
    assert handlers.engine.store.get(third.state.generation_id)["parent_id"] == state.generation_id
    assert [k for k, _ in kinds(versions, third.state)] == ["answer", "answer", "edit", "answer"]


# -- restore, compare, fork -----------------------------------------------------------------------


def test_restore_makes_a_new_version_and_overwrites_nothing(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    restored = versions.restore(second.state, second.files, first.state.generation_id)
    view = restored.view
    assert view.files == {PATH: FORM} and view.status.startswith("♻️ Restored version 1 as version 3")
    record = handlers.engine.store.get(view.state.generation_id)
    assert record["kind"] == "restore" and record["parent_id"] == second.state.generation_id
    assert record["prompt"] == "Restored version 1: Build a reorder form"
    assert handlers.engine.store.get(second.state.generation_id)["files"] == {PATH: GREEN}, "version 2 is unchanged"
    assert view.state.turns == second.state.turns, "the chat goes on from where it was"
    assert versions.undo(view.state, view.files, ()).view.files == {PATH: GREEN}, "undo takes the restore back"
    assert "no version 'elsewhere' in this conversation" in versions.restore(second.state, second.files, "elsewhere").view.status


def test_compare_shows_each_changed_file_escaped(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    html = versions.compare(second.state, first.state.generation_id, second.state.generation_id)
    assert "version 1</b> → <b>version 2" in html and "1 file changed" in html
    assert "src/Form.tsx</code> changed (+1 −1)" in html
    # Side by side, in one row: the line as it was (removed) on the left, as it is (added) on the right.
    row = next(r for r in html.split("<tr>") if "bg-green-600" in r)
    before, after = row.split(f"{REMOVED}\">", 2)[2], row.split(f"{ADDED}\">", 2)[2]
    assert before.startswith("  return &lt;form className=&quot;p-4&quot;&gt;SKU&lt;/form&gt;;</td>")
    assert after.startswith("  return &lt;form className=&quot;p-4 bg-green-600&quot;&gt;SKU&lt;/form&gt;;</td>")
    assert '<th colspan="2">version 1</th><th colspan="2">version 2</th>' in html
    assert "<form" not in html, "generated code is shown, never rendered"
    same = versions.compare(second.state, second.state.generation_id, second.state.generation_id)
    assert "the files are the same" in same
    assert "Pick two versions" in versions.compare(second.state, None, second.state.generation_id)


def test_fork_starts_a_new_conversation_from_a_copy(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    forked = versions.fork(second.state, second.files, first.state.generation_id).view
    record = handlers.engine.store.get(forked.state.generation_id)
    assert (record["kind"], record["parent_id"]) == ("fork", first.state.generation_id)
    assert record["conversation_id"] == record["id"] and record["files"] == {PATH: FORM}
    assert forked.files == {PATH: FORM} and forked.state.turns == first.state.turns
    assert [v["id"] for v in handlers.engine.store.timeline(record["id"])] == [record["id"]]
    assert len(handlers.engine.store.timeline(second.state.generation_id)) == 2, "the original conversation is as it was"
    assert not versions.panel(forked.state).can_undo, "a fork is its conversation's first version"
    providers["claude"].enqueue(fenced(LOT))
    follow = last(handlers.generate("Add a lot field", "auto", forked.state, forked.files, "s1"))
    assert [v["kind"] for v in handlers.engine.store.timeline(follow.state.generation_id)] == ["fork", "answer"]


# -- regenerate and rerun -------------------------------------------------------------------------


def test_regenerate_asks_the_last_prompt_again_on_another_provider_beside_the_old_answer(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    providers["local"].enqueue(fenced(LOT))
    again = last(versions.regenerate(second.state, second.files, "local", "s1"))
    request = providers["local"].requests[-1]
    assert request.messages[-1].content.count("Make it green") == 1 and "bg-green-600" not in request.messages[-1].content, \
        "the same prompt, asked of the version it was asked of"
    record = handlers.engine.store.get(again.state.generation_id)
    assert (record["kind"], record["parent_id"], record["provider"]) == ("regenerate", first.state.generation_id, "local")
    assert record["prompt"] == "Make it green" and again.files == {PATH: LOT}
    assert again.state.turns[0] == first.state.turns[0] and len(again.state.turns) == 2
    assert handlers.engine.store.get(second.state.generation_id)["files"] == {PATH: GREEN}, "the old answer stays"


def test_regenerating_the_first_answer_stays_in_the_conversation(handlers, providers, versions):
    providers["claude"].enqueue(fenced(FORM), fenced(GREEN))
    first = last(handlers.generate("Build a reorder form", "auto", ChatState(), {}, "s1"))
    again = last(versions.regenerate(first.state, first.files, "claude", "s1"))
    assert again.files == {PATH: GREEN} and again.state.turns[0][0] == "Build a reorder form"
    assert len(again.state.turns) == 1
    timeline = handlers.engine.store.timeline(first.state.generation_id)
    assert [(v["kind"], v["parent_id"]) for v in timeline] == [("answer", None), ("regenerate", None)]


def test_a_failed_regenerate_leaves_the_session_where_it_was(handlers, providers, versions):
    _, second = two_answers(handlers, providers)
    providers["local"].enqueue(Script(error=AuthError("bad key")))
    after = last(versions.regenerate(second.state, second.files, "local", "s1"))
    assert after.state == second.state and after.files == second.files and after.status.startswith("❌")
    assert not versions.panel(second.state).can_redo, "a failed answer is nothing to go forward to"


def test_edit_and_rerun_an_earlier_prompt_makes_a_new_version_from_that_point(handlers, providers, versions):
    first, second = two_answers(handlers, providers)
    assert versions.prompt_of(second.state, second.state.generation_id) == "Make it green"
    providers["claude"].enqueue(fenced(LOT))
    rerun = last(versions.rerun(second.state, second.files, second.state.generation_id, "Add a lot field instead", "auto", "s1"))
    record = handlers.engine.store.get(rerun.state.generation_id)
    assert (record["kind"], record["parent_id"]) == ("rerun", first.state.generation_id)
    assert record["prompt"] == "Add a lot field instead"
    assert [t[0] for t in rerun.state.turns] == ["Build a reorder form", "Add a lot field instead"]
    assert "Make it green" not in str(providers["claude"].requests[-1].messages), "the rerun starts before that prompt"
    saved, _ = versions.save_edit(second.state, {PATH: "export default function X() { return null }"})
    refused = last(versions.rerun(saved, {}, saved.generation_id, "x", "auto", "s1"))
    assert "was not answered by a model" in refused.status and refused.state == saved


def test_a_reloaded_page_opens_its_version_again(handlers, providers, versions):
    _, second = two_answers(handlers, providers)
    reopened = versions.open(second.state.generation_id, ChatState())
    assert reopened.files == second.files and reopened.state.turns == second.state.turns
    assert versions.panel(reopened.state).current == second.state.generation_id


def test_a_fix_is_a_version_of_kind_fix(handlers, providers):
    first, _ = two_answers(handlers, providers)
    providers["claude"].enqueue(fenced(LOT))
    fixed = last(handlers.generate("Fix these errors", "auto", first.state, first.files, "s1", kind="fix"))
    record = handlers.engine.store.get(fixed.state.generation_id)
    assert (record["kind"], record["parent_id"]) == ("fix", first.state.generation_id)


def test_an_answer_without_code_is_a_version_that_keeps_the_files_before_it(handlers, providers, versions):
    _, second = two_answers(handlers, providers)
    # A file a project cannot hold: no code, asked for again with the reason, then for the whole file.
    providers["claude"].enqueue(*["```python scrap.py\nprint(1)\n```"] * 3)
    failed = last(handlers.generate("Make it purple", "auto", second.state, second.files, "s1"))
    assert failed.status.startswith("❌") and failed.files == {PATH: GREEN}
    assert versions.panel(failed.state).rows[-1][:2] == ["▶ 3", "answer (error)"]
    assert not versions.can_save(failed.state, failed.files), "the panel still shows the files before it: no edit"
    assert versions.keep_edit(failed.state, failed.files) == (failed.state, "")
    undone = versions.undo(failed.state, failed.files, ())
    assert undone.view.files == {PATH: GREEN}
    assert undone.view.state.generation_id == second.state.generation_id
    assert "Nothing to redo" in versions.redo(undone.view.state, undone.view.files, undone.trail).view.status, \
        "a failed answer is nothing to go forward to"


def test_code_typed_into_an_empty_panel_starts_a_conversation_with_nothing_to_regenerate(handlers, providers, versions):
    saved, message = versions.save_edit(ChatState(), {PATH: FORM})
    assert message.startswith("💾") and handlers.engine.store.get(saved.generation_id)["parent_id"] is None
    view = versions.panel(saved)
    assert view.rows[0][1:3] == ["edit", "Edited by hand"] and not view.can_regenerate and not view.can_undo
    refused = last(versions.regenerate(saved, {PATH: FORM}, "auto", "s1"))
    assert "nothing to regenerate" in refused.status and refused.state == saved
    assert providers["claude"].calls == 0
    assert versions.save_edit(ChatState(), {PATH: "  "}) == (ChatState(), "Nothing to save: the code panel is empty.")
