"""Follow-ups through the engine: edit blocks applied once the answer is final, a failing block
re-asked on the same provider with the reason, then the whole file; elided code asked for in
full, then refused, keeping the previous version. With the in-process fake (as the local
provider) and with the real HTTP clients against each service's loopback server."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jfdi.engine import Engine
from jfdi.errors import BadInput
from jfdi.generation import Finished, Notice
from jfdi.router import Router
from jfdi.store import Store
from jfdi.ui.render import final_status
from tests.fakes import FakeProvider
from tests.loopback import Reply

APP = """import { useState } from "react";

export default function App() {
  const [qty, setQty] = useState(0);
  return (
    <form className="p-4">
      <input value={qty} onChange={(e) => setQty(Number(e.target.value))} />
      <button className="bg-blue-600 text-white">Save</button>
    </form>
  );
}
"""
CURRENT = {"src/App.tsx": APP}


def edit(search: str, replace_with: str, path: str = "src/App.tsx") -> str:
    return f"{path}\n<<<<<<< SEARCH\n{search}\n=======\n{replace_with}\n>>>>>>> REPLACE"


BLUE_BUTTON = '      <button className="bg-blue-600 text-white">Save</button>'
GREEN_BUTTON = BLUE_BUTTON.replace("bg-blue-600", "bg-green-600")
GREEN = "Here is the change:\n\n```tsx\n" + edit(BLUE_BUTTON, GREEN_BUTTON) + "\n```\n"
MISSING = edit(BLUE_BUTTON.replace("bg-blue-600", "bg-red-600"), GREEN_BUTTON)
ELIDED = edit('      <button className="bg-blue-600 text-white">Save</button>',
              '      <button className="bg-green-600 text-white">Save</button>\n      {/* ... rest of the form unchanged */}')
WHOLE_GREEN = "```tsx src/App.tsx\n" + APP.replace("bg-blue-600", "bg-green-600") + "```\n"


def fake_engine(settings, name: str = "local") -> tuple[Engine, FakeProvider]:
    fake = FakeProvider(name)
    engine = Engine(settings, providers={name: fake}, router=Router({name: fake}, [name]), store=Store(settings.db_path))
    return engine, fake


def finish(run) -> object:
    events = list(run)
    assert isinstance(events[-1], Finished)
    return run.generation


def test_edit_blocks_change_only_what_they_name_and_the_code_shown_while_streaming_stays_the_current_one(settings):
    engine, fake = fake_engine(settings)
    fake.enqueue(GREEN)
    run = engine.generate("make the save button green", current_files=CURRENT, parent_id="p1")
    shown = []
    for _event in run:
        shown.append(dict(run.generation.current_files))
    gen = run.generation
    assert gen.status == "ok" and gen.parent_id == "p1"
    assert gen.files == {"src/App.tsx": APP.replace("bg-blue-600", "bg-green-600")}
    assert gen.edit == {"mode": "applied", "changed": ["src/App.tsx"], "reasks": [], "parsed": True, "parse_note": ""}
    assert all(files == CURRENT for files in shown[:-2]), "edit blocks never show up as code before they are applied"
    assert "<<<<<<< SEARCH" in fake.requests[0].system and "```tsx src/App.tsx" in fake.requests[0].messages[-1].content
    assert " edit=applied " in gen.summary()
    assert engine.store.get(gen.id)["edit"]["mode"] == "applied"


def test_a_block_that_does_not_apply_is_re_asked_once_on_the_same_provider_with_the_reason(settings):
    engine, fake = fake_engine(settings)
    fake.enqueue(MISSING, GREEN)
    run = engine.generate("make the save button green", current_files=CURRENT)
    events = list(run)
    gen = run.generation
    assert gen.status == "ok" and "bg-green-600" in gen.files["src/App.tsx"]
    assert gen.edit["reasks"] == ["SEARCH text not found"] and gen.edit["mode"] == "applied"
    again = fake.requests[1].messages
    assert [m.role for m in again[-2:]] == ["assistant", "user"] and again[-2].content == MISSING
    assert "this SEARCH text is not in src/App.tsx" in again[-1].content and "bg-red-600" in again[-1].content
    assert gen.text == GREEN, "the answer kept is the one that was used"
    # Said while it happens; said once at the end, by the edit (render.final_status), not twice.
    assert any(isinstance(e, Notice) and e.message == "re-asking local: SEARCH text not found" for e in events)
    assert not any("re-asking" in n for n in gen.notices)
    status = final_status(gen, {"local": "Seed-Coder (local)"})
    assert status.count("SEARCH text not found") == 1 and "re-asked once: SEARCH text not found" in status


def test_still_failing_the_whole_file_is_asked_for(settings):
    engine, fake = fake_engine(settings)
    fake.enqueue(MISSING, MISSING, WHOLE_GREEN)
    gen = finish(engine.generate("make the save button green", current_files=CURRENT))
    assert gen.status == "ok" and gen.edit["mode"] == "whole" and len(gen.edit["reasks"]) == 2
    assert "Send the complete new version of src/App.tsx" in fake.requests[2].messages[-1].content
    assert gen.files == {"src/App.tsx": APP.replace("bg-blue-600", "bg-green-600").rstrip("\n")}


def test_blocks_failing_after_the_whole_file_was_asked_for_keep_the_previous_version(settings):
    engine, fake = fake_engine(settings)
    fake.enqueue(MISSING, MISSING, MISSING)
    gen = finish(engine.generate("make the save button green", current_files=CURRENT))
    assert gen.status == "error" and gen.files == CURRENT and fake.calls == 3
    assert gen.error.startswith("kept the previous version: SEARCH text not found")
    assert " edit=none " in gen.summary()


def test_elided_code_is_asked_for_in_full_once_then_refused_and_the_previous_version_kept(settings):
    engine, fake = fake_engine(settings)
    elided = APP.replace("  return (", "  // ... rest of the component unchanged\n  return (")
    elided_whole = f"```tsx src/App.tsx\n{elided}```"
    fake.enqueue(ELIDED, elided_whole)
    gen = finish(engine.generate("make the save button green", current_files=CURRENT))
    assert gen.status == "error" and gen.files == CURRENT
    assert gen.error.startswith("kept the previous version: the answer elided code")
    assert "rest of the component unchanged" in gen.error
    assert "Send the complete new version of src/App.tsx" in fake.requests[1].messages[-1].content
    assert gen.edit == {"mode": "none", "changed": [], "reasks": ["the answer elided code"], "parsed": None, "parse_note": ""}


def test_an_edit_that_breaks_the_syntax_is_not_saved(settings):
    engine, fake = fake_engine(settings)
    broken = edit("  const [qty, setQty] = useState(0);", "  const [qty, setQty] = useState(0;")
    fake.enqueue(broken, GREEN)
    gen = finish(engine.generate("start at zero", current_files=CURRENT))
    assert gen.edit["reasks"] == ["the result does not parse"] and "useState(0;" not in gen.files["src/App.tsx"]
    assert "does not parse" not in gen.error and "')' expected" in fake.requests[1].messages[-1].content


def test_when_the_parse_cannot_run_the_status_says_so(settings):
    from jfdi.preview.checks import CheckResult

    fake = FakeProvider("local").enqueue(GREEN)
    engine = Engine(settings, providers={"local": fake}, router=Router({"local": fake}, ["local"]), store=Store(settings.db_path),
                    parse=lambda files: CheckResult(syntax_ok=None, notes=("checks unavailable: Node.js is not installed",)))
    gen = finish(engine.generate("make the save button green", current_files=CURRENT))
    from jfdi.edits.follow_up import describe

    assert gen.status == "ok" and gen.edit["parsed"] is None
    assert describe(gen.edit) == "edited 1 file · not parse-checked (checks unavailable: Node.js is not installed)"


def test_a_stopped_follow_up_keeps_the_current_files(settings):
    from tests.fakes import Script

    engine, fake = fake_engine(settings)
    fake.enqueue(Script(chunks=[GREEN[:40], GREEN[40:]], delay_s=5))
    run = engine.generate("make the save button green", current_files=CURRENT)
    for event in run:
        run.cancel.set()
    assert run.generation.status == "stopped" and run.generation.files == CURRENT


def test_a_follow_up_to_a_logged_generation_continues_its_conversation(settings):
    engine, fake = fake_engine(settings)
    fake.enqueue("```tsx src/App.tsx\n" + APP + "```", GREEN)
    first = finish(engine.generate("Build an order form"))
    second = finish(engine.follow_up("make the save button green", first.id))
    assert second.parent_id == first.id and second.status == "ok" and "bg-green-600" in second.code
    assert [m.role for m in fake.requests[1].messages] == ["user", "assistant", "user"]
    with pytest.raises(BadInput, match="no generation 'nope' in the log"):
        engine.follow_up("again", "nope")


@pytest.mark.parametrize("provider", ["claude", "openrouter", "ollama"])
def test_every_http_provider_answers_with_edits_a_failing_block_and_elided_code(
    provider, loopback_settings, anthropic_server, openai_server, ollama_server
):
    server = {"claude": anthropic_server, "openrouter": openai_server, "ollama": ollama_server}[provider]
    engine = Engine(replace(loopback_settings, providers=(provider,)))
    try:
        server.enqueue(Reply(text=GREEN))
        applied = finish(engine.generate("make the save button green", provider=provider, current_files=CURRENT))
        assert applied.status == "ok" and applied.edit["mode"] == "applied" and applied.provider == provider
        assert "bg-green-600" in applied.files["src/App.tsx"]

        server.enqueue(Reply(text=MISSING), Reply(text=GREEN))
        reasked = finish(engine.generate("make the save button green", provider=provider, current_files=CURRENT))
        assert reasked.status == "ok" and reasked.edit["reasks"] == ["SEARCH text not found"]
        assert "this SEARCH text is not in src/App.tsx" in str(server.requests[-1].body)

        server.enqueue(Reply(text=ELIDED), Reply(text=ELIDED))
        refused = finish(engine.generate("make the save button green", provider=provider, current_files=CURRENT))
        assert refused.status == "error" and refused.files == CURRENT and "elided" in refused.error
    finally:
        engine.close()
