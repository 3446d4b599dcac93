"""The preview's handlers with fake providers and the real checker: checks and runtime errors
stored with the generation, the Fix button, and automatic fixing."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from jfdi.engine import Engine
from jfdi.router import Router
from jfdi.store import Store
from jfdi.ui.downloads import Downloads
from jfdi.ui.handlers import ChatState, Handlers
from jfdi.ui.preview_handlers import PreviewHandlers
from tests.fakes import FakeProvider, Script

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the checks (.ci/run installs it)")

BROKEN = 'export default function Gauge() {\n  const level: number = "high";\n  return <p className="p-4">{level}</p>;\n}'
FIXED = 'export default function Gauge() {\n  const level: number = 72;\n  return <p className="p-4">{level}%</p>;\n}'


def make(settings, tmp_path, **changes):
    settings = replace(settings, **changes)
    claude = FakeProvider("claude", label="Claude", model="claude-test")
    router = Router({"claude": claude}, ["claude"], timeout_s=2)
    engine = Engine(settings, providers={"claude": claude}, router=router, store=Store(settings.db_path))
    return PreviewHandlers(Handlers(engine), downloads=Downloads(tmp_path / "downloads")), claude


def logged(previews, generation_id):
    return previews.handlers.engine.store.get(generation_id)


def generate(previews, prompt):
    return list(previews.handlers.generate(prompt, "auto", ChatState(), "", "s1"))[-1]


def generate_and_check(previews, prompt):
    """A generation put in the preview and checked, as the app does after every generation."""
    view = generate(previews, prompt)
    token = previews.show(view.code, view.state).token
    previews.checks(token)
    return view, token


def test_checks_are_shown_and_stored_with_the_generation(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(BROKEN)
    view = generate(previews, "A tank level gauge")
    shown = previews.show(view.code, view.state)
    assert shown.component["files"][0]["code"] == BROKEN and "checking" in shown.summary
    assert shown.can_download
    checked = previews.checks(shown.token)
    assert "❌ types (1)" in checked.summary and checked.can_fix
    assert "line 2, column 9: `Type 'string' is not assignable to type 'number'.`" in checked.details
    stored = logged(previews, view.state.generation_id)["checks"]
    assert stored["typecheck_ok"] is False and stored["type_errors"][0]["line"] == 2 and stored["runtime_errors"] == []
    assert previews.show(view.code, view.state, shown.token).component is None, "the same code is not sent again"


def test_runtime_errors_from_the_frame_are_stored_and_offer_a_fix(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    view = generate(previews, "A gauge")
    shown = previews.show(view.code, view.state)
    previews.checks(shown.token)
    report = {"kind": "render", "message": "TypeError: rows is undefined <img src=x>", "line": 3, "file": "Component.tsx"}
    after = previews.report(shown.token, [report, {"kind": "notice", "message": "rendered with sample props"}])
    assert after.can_fix and "❌ preview: 1 error" in after.summary
    assert "line 3: render: `TypeError: rows is undefined <img src=x>`" in after.details, "shown as code, not markup"
    stored = logged(previews, view.state.generation_id)["checks"]
    assert stored["ok"] is True and stored["runtime_errors"] == [report]
    assert previews.report("not-a-token", [report]) is None


def test_edited_code_is_previewed_but_not_stored_as_the_generation(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    view = generate(previews, "A gauge")
    edited = previews.show(view.code + "\n// tweak", view.state)
    previews.checks(edited.token)
    assert logged(previews, view.state.generation_id)["checks"] is None


def test_fix_replaces_the_code_and_links_both_versions_in_history(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(BROKEN, FIXED)
    first, token = generate_and_check(previews, "A tank level gauge")
    views = list(previews.fix(token, first.code, "auto", first.state, "s1"))
    last = views[-1]
    assert last.code == FIXED and last.status.startswith("✅ Claude")
    request = claude.requests[-1].messages[-1].content
    assert BROKEN in request and "line 2, column 9: Type 'string' is not assignable" in request
    records = previews.handlers.engine.store.recent(limit=5)
    assert [r["code"] for r in records] == [FIXED, BROKEN]
    assert records[0]["parent_id"] == first.state.generation_id == records[1]["id"]
    assert last.state.generation_id == records[0]["id"]


def test_fix_with_nothing_to_fix_says_so_and_calls_no_model(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    first, token = generate_and_check(previews, "A gauge")
    [view] = previews.fix(token, first.code, "auto", first.state, "s1")
    assert view.status.startswith("✅ Nothing to fix") and view.code == FIXED and claude.calls == 1


def test_autofix_runs_one_round_after_a_failed_check(settings, tmp_path):
    previews, claude = make(settings, tmp_path, autofix=1)
    claude.enqueue(BROKEN, BROKEN.replace('"high"', '"higher"'))
    first, token = generate_and_check(previews, "A gauge")
    views = list(previews.autofix(token, "auto", first.state, "s1"))
    assert views and views[-1].code != BROKEN
    assert claude.calls == 2, "one round only, although the fix still fails its check"
    fixed = logged(previews, views[-1].state.generation_id)
    assert fixed["parent_id"] == first.state.generation_id and fixed["checks"]["typecheck_ok"] is False


def test_autofix_is_off_by_default_and_skips_passing_code(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(BROKEN)
    first, token = generate_and_check(previews, "A gauge")
    assert list(previews.autofix(token, "auto", first.state, "s1")) == [] and claude.calls == 1
    on, claude_on = make(settings, tmp_path / "on", autofix=3, db_path=tmp_path / "on.db")
    claude_on.enqueue(FIXED)
    passing, token = generate_and_check(on, "A gauge")
    assert list(on.autofix(token, "auto", passing.state, "s1")) == [] and claude_on.calls == 1


def test_versions_shown_write_no_file_and_the_project_is_built_when_asked_for(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    cuts = [round(i * len(FIXED) / 50) for i in range(51)]
    claude.enqueue(Script(chunks=[FIXED[a:b] for a, b in zip(cuts, cuts[1:])], delay_s=0.002))
    token = None
    for view in previews.handlers.generate("A gauge", "auto", ChatState(), "", "s1"):
        token = previews.show(view.code, view.state, token).token  # as if every streamed update were shown
    downloads = previews.downloads.folder
    assert not downloads.exists() or not any(downloads.rglob("*.*")), "showing a version writes nothing"
    path = previews.project_file(token)
    assert path.endswith("/Gauge-vite-project.zip") and previews.project_file(token) == path
    assert [p.name for p in downloads.rglob("*") if p.is_file()] == ["Gauge-vite-project.zip"]
    assert previews.project_file("not-a-token") is None and previews.project_file(None) is None
