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
    router = Router({"claude": claude}, ["claude"], timeout_s=2, max_continues=settings.max_continues)
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
    assert stored["accessibility"] is None, "not checked yet, not passed"
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


# What the frame reports after a render (jfdi/preview/audit.js; tests/test_preview_render_checks.py
# shows a real frame sending them).
SEEN_NOTHING = {"kind": "seen", "message": "0 visible elements", "text": 0, "elements": 0, "width": 0, "height": 0}
BLANK = {"kind": "blank", "message": "the component rendered nothing visible"}
SMALL_BUTTONS = {"kind": "a11y", "message": "touch-target (serious): ...", "rule": "touch-target", "impact": "serious",
                 "help": "Touch targets must be at least 24x24 px", "target": 'button "+"', "html": '<button class="p-0">',
                 "count": 2}
NO_LABEL = {"kind": "a11y", "message": "label (critical): ...", "rule": "label", "impact": "critical",
            "help": "Form elements must have labels", "target": "input", "html": "<input>", "count": 1}


def audited(violations, **more):
    return {"kind": "audited", "message": f"axe-core 4.14.1 and touch targets of 24 px: {violations} serious or critical",
            "violations": violations, "tool": "axe-core 4.14.1 and touch targets of 24 px", **more}


def test_a_blank_render_and_accessibility_problems_are_shown_stored_and_sent_to_fix(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED, FIXED)
    first, token = generate_and_check(previews, "A gauge")
    assert "♿" not in previews.report(token, [SEEN_NOTHING]).summary, "no badge before the check ran"
    after = previews.report(token, [BLANK, SMALL_BUTTONS, NO_LABEL, audited(2)])
    assert "❌ nothing visible" in after.summary and "♿ 2 serious" in after.summary and after.can_fix
    assert "Nothing visible" in after.details
    listed = '`touch-target (serious): Touch targets must be at least 24x24 px; 2 elements, the first: button "+"'
    assert listed in after.details
    stored = logged(previews, first.state.generation_id)["checks"]
    assert [a["rule"] for a in stored["accessibility"]] == ["touch-target", "label"] and stored["seen"]["elements"] == 0
    assert stored["runtime_errors"] == [BLANK]
    list(previews.fix(token, first.files, "auto", first.state, "s1"))
    request = claude.requests[-1].messages[-1].content
    assert "blank: the component rendered nothing visible" in request
    assert "Accessibility problems (serious and critical, WCAG 2.2 AA):" in request
    assert "- label (critical): Form elements must have labels; input: <input>" in request


def test_a_clean_accessibility_check_shows_a_badge_and_needs_no_fix(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    first, token = generate_and_check(previews, "A gauge")
    seen = {**SEEN_NOTHING, "message": "3 visible elements", "elements": 3, "text": 12}
    view = previews.report(token, [seen, {"kind": "warning", "message": "deprecated prop"}, audited(0)])
    assert "♿ ✅" in view.summary and not view.can_fix
    assert "ℹ️ On screen: `3 visible elements`" in view.details
    assert "✅ Accessibility: no serious or critical problems (axe-core 4.14.1" in view.details
    assert "`console.warn`: `deprecated prop`" in view.details


def test_errors_cannot_crowd_out_the_findings_after_the_render(settings, tmp_path):
    previews, claude = make(settings, tmp_path)
    claude.enqueue(FIXED)
    first, token = generate_and_check(previews, "A gauge")
    previews.report(token, [{"kind": "console", "message": f"log {i}"} for i in range(50)])
    view = previews.report(token, [NO_LABEL, audited(1)])
    assert "♿ 1 serious" in view.summary


def test_the_gloves_setting_reaches_the_frame(settings, tmp_path):
    previews, claude = make(settings, tmp_path, gloves=True)
    assert previews.show({"src/App.tsx": FIXED}, ChatState()).component["target_px"] == 44
    plain, _ = make(settings, tmp_path / "plain", db_path=tmp_path / "plain.db")
    assert plain.show({"src/App.tsx": FIXED}, ChatState()).component["target_px"] == 24


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


def test_an_answer_cut_off_at_the_token_limit_never_passes_its_checks(settings, tmp_path):
    """Cut off in the prose after the code: what there is parses and type-checks, and still the
    checks say incomplete rather than pass, here and where they are stored."""
    previews, claude = make(settings, tmp_path, max_continues=0)
    claude.enqueue(Script(chunks=[f"```tsx\n{FIXED}\n```\n\nThis gauge shows the tank", " level in"], stop_reason="max_tokens"))
    view, token = generate_and_check(previews, "A tank level gauge")
    checked = previews.checks(token)
    assert checked.summary.startswith("**Checks** ⚠️ incomplete: cut off at the token limit")
    assert "✅" not in checked.summary
    assert checked.details.startswith("⚠️ **Incomplete**: cut off at the token limit without a continuation")
    assert "pass" not in checked.details
    stored = logged(previews, view.state.generation_id)["checks"]
    assert stored["ok"] is False and stored["incomplete"].startswith("cut off at the token limit")
    assert stored["syntax_ok"] is True, "the checks themselves are kept as they ran"
    audit_passed = previews.report(token, [audited(0)])
    assert "✅" not in audit_passed.summary and "✅" not in audit_passed.details, "nor does its accessibility pass"
    assert "ℹ️ Accessibility: no serious or critical problems" in audit_passed.details
