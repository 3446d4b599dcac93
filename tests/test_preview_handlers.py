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
PROJECT = (
    '```tsx src/App.tsx\nimport { oee } from "./lib/oee";\n\nexport default function App() {\n'
    '  return <p className="p-4">OEE {oee(0.9, 0.95, 0.99)}</p>;\n}\n```\n'
    "```ts src/lib/oee.ts\nexport const oee = (a: number, p: number, q: number) => Math.round(a * p * q * 100);\n```\n"
)


def make(settings, tmp_path, **changes):
    settings = replace(settings, **changes)
    claude = FakeProvider("claude", label="Claude", model="claude-test")
    router = Router({"claude": claude}, ["claude"], timeout_s=2)
    engine = Engine(settings, providers={"claude": claude}, router=router, store=Store(settings.db_path))
    return PreviewHandlers(Handlers(engine), downloads=Downloads(tmp_path / "downloads")), claude


def logged(previews, generation_id):
    return previews.handlers.engine.store.get(generation_id)


def generate(previews, prompt):
    return list(previews.handlers.generate(prompt, "auto", ChatState(), {}, "s1"))[-1]


def generate_and_check(previews, prompt):
    """A generation put in the preview and checked, as the app does after every generation."""
    view = generate(previews, prompt)
    token = previews.show(view.files, view.state).token
    previews.checks(token)
    return view, token


def test_checks_are_shown_and_stored_with_the_generation(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(BROKEN)
    view = generate(previews, "A tank level gauge")
    shown = previews.show(view.files, view.state)
    assert shown.component["files"][0] == {"path": "src/Gauge.tsx", "code": BROKEN, "components": ["Gauge"]}
    assert "checking" in shown.summary
    assert shown.can_download
    checked = previews.checks(shown.token)
    assert "❌ types (1)" in checked.summary and checked.can_fix
    assert "src/Gauge.tsx line 2, column 9: `Type 'string' is not assignable to type 'number'.`" in checked.details
    stored = logged(previews, view.state.generation_id)["checks"]
    assert stored["typecheck_ok"] is False and stored["type_errors"][0]["line"] == 2 and stored["runtime_errors"] == []
    again = previews.show(view.files, view.state, shown.token)
    assert again.component == shown.component, "the same version, with the same token: the frame keeps it"
    assert "❌ types (1)" in again.summary, "and its checks are not run again"


def test_runtime_errors_from_the_frame_are_stored_and_offer_a_fix(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    view = generate(previews, "A gauge")
    shown = previews.show(view.files, view.state)
    previews.checks(shown.token)
    report = {"kind": "render", "message": "TypeError: rows is undefined <img src=x>", "line": 3, "file": "src/Gauge.tsx"}
    after = previews.report(shown.token, [report, {"kind": "notice", "message": "rendered with sample props"}])
    assert after.can_fix and "❌ preview: 1 error" in after.summary
    assert "src/Gauge.tsx line 3: render: `TypeError: rows is undefined <img src=x>`" in after.details, "code, not markup"
    stored = logged(previews, view.state.generation_id)["checks"]
    assert stored["ok"] is True and stored["runtime_errors"] == [report]
    assert previews.report("not-a-token", [report]) is None


def test_edited_code_is_previewed_but_not_stored_as_the_generation(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    view = generate(previews, "A gauge")
    edited = previews.show({"src/Gauge.tsx": view.code + "\n// tweak"}, view.state)
    previews.checks(edited.token)
    assert logged(previews, view.state.generation_id)["checks"] is None


def test_an_edit_saved_as_a_version_keeps_the_checks_the_preview_found(settings, tmp_path):
    from jfdi.ui.version_handlers import VersionHandlers

    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    view = generate(previews, "A gauge")
    files = {"src/Gauge.tsx": BROKEN}
    edited = previews.show(files, view.state)
    previews.checks(edited.token)
    saved, _ = VersionHandlers(previews.handlers).save_edit(view.state, files)
    assert previews.show(files, saved, edited.token).token == edited.token, "the same project: the same version on show"
    assert logged(previews, saved.generation_id)["checks"]["typecheck_ok"] is False
    assert logged(previews, view.state.generation_id)["checks"] is None


def test_fix_replaces_the_code_and_links_both_versions_in_history(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(BROKEN, FIXED)
    first, token = generate_and_check(previews, "A tank level gauge")
    views = list(previews.fix(token, first.files, "auto", first.state, "s1"))
    last = views[-1]
    assert last.code == FIXED and last.status.startswith("✅ Claude")
    request = claude.requests[-1].messages[-1].content
    assert BROKEN in request and "src/Gauge.tsx, line 2, column 9: Type 'string' is not assignable" in request
    records = previews.handlers.engine.store.recent(limit=5)
    assert [r["code"] for r in records] == [FIXED, BROKEN]
    assert records[0]["parent_id"] == first.state.generation_id == records[1]["id"]
    assert last.state.generation_id == records[0]["id"]


def test_fix_with_nothing_to_fix_says_so_and_calls_no_model(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    first, token = generate_and_check(previews, "A gauge")
    [view] = previews.fix(token, first.files, "auto", first.state, "s1")
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
    for view in previews.handlers.generate("A gauge", "auto", ChatState(), {}, "s1"):
        token = previews.show(view.files, view.state, token).token  # as if every streamed update were shown
    downloads = previews.downloads.folder
    assert not downloads.exists() or not any(downloads.rglob("*.*")), "showing a version writes nothing"
    path = previews.project_file(token)
    assert path.endswith("/Gauge-vite-project.zip") and previews.project_file(token) == path
    assert [p.name for p in downloads.rglob("*") if p.is_file()] == ["Gauge-vite-project.zip"]
    assert previews.project_file("not-a-token") is None and previews.project_file(None) is None


def test_a_project_is_shown_whole_and_an_edit_to_any_file_is_a_new_version(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(PROJECT)
    view = generate(previews, "An OEE page")
    assert list(view.files) == ["src/App.tsx", "src/lib/oee.ts"] and view.code == view.files["src/App.tsx"]
    shown = previews.show(view.files, view.state)
    assert [f["path"] for f in shown.component["files"]] == ["src/App.tsx", "src/lib/oee.ts"]
    assert shown.component["main"] == "src/App.tsx"
    assert "✅ syntax · ✅ types" in previews.checks(shown.token).summary
    assert logged(previews, view.state.generation_id)["checks"]["ok"] is True
    edited = previews.show({**view.files, "src/lib/oee.ts": "export const oee = (a: number) => a * 2;"}, view.state, shown.token)
    assert edited.component is not None and edited.token != shown.token
    assert edited.component["files"][1]["code"] == "export const oee = (a: number) => a * 2;"
    checked = previews.checks(edited.token)
    assert "❌ types" in checked.summary and "src/App.tsx line" in checked.details, "the error is in the file that calls it"


def test_an_ambiguous_entry_an_import_cycle_and_an_unknown_import_are_explained(settings, tmp_path):
    previews, _ = make(settings, tmp_path)
    files = {
        "src/Orders.tsx": 'import { total } from "./lib/a";\nexport default function Orders() { return <p>{total}</p>; }',
        "src/Parts.tsx": 'import { Bar } from "chart.js";\nexport default function Parts() { return <p>{String(Bar)}</p>; }',
        "src/lib/a.ts": 'import { b } from "./b";\nexport const total = 1;\nexport const a = () => b;',
        "src/lib/b.ts": 'import { a } from "./a";\nexport const b = () => a;',
    }
    shown = previews.show(files, ChatState())
    assert shown.component["main"] == "src/Orders.tsx"
    details = previews.checks(shown.token).details
    assert "Showing src/Orders.tsx: src/Parts.tsx could be the entry too" in details
    assert "Import cycle: `src/lib/a.ts → src/lib/b.ts → src/lib/a.ts`" in details
    assert "use recharts for charts" in details and "❌ imports (1)" in previews.checks(shown.token).summary


def test_a_project_too_large_is_not_previewed_or_checked_and_the_app_says_why(settings, tmp_path):
    previews, _ = make(settings, tmp_path, autofix=0)
    calls = []
    previews.checker = lambda files: calls.append(files)
    app = "export default function App() { return null; }"
    for files, reason in (({f"src/f{i}.ts": "export {}" for i in range(200)}, "200 files"),
                          ({"src/App.tsx": app, "src/big.ts": "x" * 5_000_000}, "5.0 MB")):
        shown = previews.show(files, ChatState())
        assert shown.component["files"] == [] and reason in shown.component["refused"]
        assert reason in shown.details and "not previewed" in shown.summary and not shown.can_download
        assert previews.checks(shown.token).details == shown.details
    assert calls == [], "neither was sent to the checker"
