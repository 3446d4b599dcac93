"""The live preview in a real browser, in the app as a user runs it, with a login on (JFDI_AUTH):
components render and react, every kind of failure is shown with its line, Fix replaces the
code, and generated code cannot get out of its sandbox."""

from __future__ import annotations

import http.server
import io
import re
import threading
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jfdi.preview import ASSETS
from jfdi.store import Store
from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import Reply
from tests.preview_cases import CASES

USER, PASSWORD = "ana", "pw-preview"

COUNTER = """import { useState } from "react";
import { Package } from "lucide-react";

export default function ReorderCounter() {
  const [count, setCount] = useState(0);
  return (
    <div className="p-6 space-y-3">
      <h1 className="flex items-center gap-2 text-xl font-bold"><Package className="h-5 w-5" /> Reorder point</h1>
      <button className="rounded bg-amber-500 px-3 py-1 text-slate-950" onClick={() => setCount(count + 1)}>Pallets: {count}</button>
    </div>
  );
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, claude):
    running = start_app(tmp_path_factory.mktemp("preview"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude",
        "JFDI_TIMEOUT_S": "10", "JFDI_AUTH": f"{USER}:{PASSWORD}",
    })
    yield running
    running.stop()


@pytest.fixture(scope="module")
def session(browser, app):
    """One login for the module; every test opens its own page (its own Gradio session) in it."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    page.goto(app.url)
    page.get_by_label("username").fill(USER)
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_label("What do you want to build?")).to_be_visible(timeout=30_000)
    page.close()
    yield context
    context.close()


@pytest.fixture
def page(session, app):
    page = session.new_page()
    page.goto(app.url)
    expect(page.get_by_label("What do you want to build?")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Preview").click()
    yield page
    page.close()


def generate(page, claude, code: str, prompt: str = "Build it") -> None:
    claude.enqueue(Reply(chunks=[code[i:i + 60] for i in range(0, len(code), 60)], delay_s=0.005))
    page.get_by_label("What do you want to build?").fill(prompt)
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(r"^✅"), timeout=20_000)


def preview_state(page, state: str):
    expect(page.locator("#jfdi-preview [data-state]").first).to_have_attribute("data-state", state, timeout=20_000)


def frame(page):
    return page.frame_locator("#jfdi-preview iframe.jfdi-preview-frame:not(.jfdi-preview-spare)")


def test_a_component_renders_and_reacts_to_a_click(page, claude, app):
    generate(page, claude, COUNTER)
    preview_state(page, "rendered")
    button = frame(page).get_by_role("button", name="Pallets: 0")
    expect(button).to_be_visible()
    expect(frame(page).locator("svg.lucide")).to_have_count(1)
    expect(button).to_have_css("background-color", "oklch(0.769 0.188 70.08)")  # Tailwind 4 amber-500: the classes were styled
    button.click()
    expect(frame(page).get_by_role("button", name="Pallets: 1")).to_be_visible()
    expect(page.locator("#jfdi-checks")).to_contain_text("✅ syntax · ✅ types", timeout=20_000)
    expect(page.locator("#jfdi-checks")).to_contain_text("♿ ✅", timeout=20_000)
    expect(page.locator("#jfdi-fix")).to_be_disabled()
    details = page.locator("#jfdi-preview-details")
    expect(details).to_contain_text("Accessibility: no serious or critical problems (axe-core 4.14.1")
    screenshot(page, "preview-rendered")


def test_a_syntax_error_shows_its_line(page, claude):
    generate(page, claude, "export default function Form() {\n  const qty = ;\n  return <form />;\n}")
    preview_state(page, "error")
    expect(frame(page).locator("[data-jfdi-problem]")).to_contain_text("Syntax error (line 2, column 15)")
    expect(frame(page).locator("[data-jfdi-problem]")).to_contain_text("const qty = ;")
    expect(page.locator("#jfdi-preview-details")).to_contain_text("line 2, column 15", timeout=20_000)
    expect(page.locator("#jfdi-checks")).to_contain_text("❌ syntax", timeout=20_000)
    screenshot(page, "preview-syntax-error")


def test_a_component_that_throws_shows_the_runtime_error(page, claude):
    code = "type Row = { sku: string };\nexport default function Rows() {\n  const rows = undefined as unknown as Row[];\n  return <ul>{rows.map((r) => <li key={r.sku}>{r.sku}</li>)}</ul>;\n}"
    generate(page, claude, code)
    preview_state(page, "error")
    problem = frame(page).locator("[data-jfdi-problem]")
    expect(problem).to_contain_text("threw an error while rendering (line 4)")
    expect(problem).to_contain_text("Cannot read properties of undefined (reading 'map')")
    details = page.locator("#jfdi-preview-details")
    expect(details).to_contain_text("In the preview", timeout=20_000)
    expect(details).to_contain_text("line 4: render: TypeError: Cannot read properties of undefined")
    expect(page.locator("#jfdi-fix")).to_be_enabled()
    screenshot(page, "preview-runtime-error")


def test_an_unknown_import_names_the_module(page, claude):
    generate(page, claude, 'import { motion } from "framer-motion";\nexport default function Panel() {\n  return <motion.div>Panel</motion.div>;\n}')
    preview_state(page, "error")
    problem = frame(page).locator("[data-jfdi-problem]")
    expect(problem).to_contain_text('Cannot import framer-motion (line 1)')
    expect(problem).to_contain_text('The preview cannot load "framer-motion"')
    expect(page.locator("#jfdi-preview-details")).to_contain_text("framer-motion", timeout=20_000)


def test_a_multi_file_answer_renders_and_a_component_with_props_gets_samples(page, claude):
    answer = (
        "**src/types.ts**\n```ts\nexport type Item = { sku: string };\n```\n\n"
        "```tsx title=\"src/ItemList.tsx\"\nimport type { Item } from \"./types\";\n\n"
        "export default function ItemList({ items, onPick }: { items: Item[]; onPick: (sku: string) => void }) {\n"
        "  return <section><h2>Bin items</h2>{items.map((i) => <p key={i.sku} onClick={() => onPick(i.sku)}>{i.sku}</p>)}</section>;\n"
        "}\n```\n"
    )
    generate(page, claude, answer)
    preview_state(page, "rendered")
    expect(frame(page).get_by_role("heading")).to_have_text("Bin items")
    details = page.locator("#jfdi-preview-details")
    expect(details).to_contain_text("rendered with sample props", timeout=20_000)
    expect(page.locator("#jfdi-checks")).to_contain_text("✅ syntax · ✅ types", timeout=20_000)


def test_without_a_default_export_the_last_component_renders(page, claude):
    generate(page, claude, "const LIMIT = 3;\nfunction Badge() { return <b>limit {LIMIT}</b>; }\nfunction StockPanel() { return <div>Stock panel <Badge /></div>; }")
    preview_state(page, "rendered")
    expect(frame(page).locator("#root")).to_have_text("Stock panel limit 3")


def test_editing_the_code_updates_the_preview(page, claude):
    generate(page, claude, COUNTER)
    preview_state(page, "rendered")
    page.get_by_role("tab", name="Code").click()
    page.locator("#jfdi-code .cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(COUNTER.replace("Reorder point", "Safety stock"))
    page.get_by_role("tab", name="Preview").click()
    expect(frame(page).get_by_role("heading")).to_have_text("Safety stock", timeout=20_000)


def test_fix_sends_the_errors_back_and_replaces_the_code(page, claude, app):
    broken = COUNTER.replace("useState(0)", 'useState<number>("none")')
    generate(page, claude, broken, prompt="Pallet counter")
    expect(page.locator("#jfdi-checks")).to_contain_text("❌ types (1)", timeout=20_000)
    claude.enqueue(Reply(text=COUNTER.replace("Reorder point", "Fixed point")))
    page.locator("#jfdi-fix").click()
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(r"^✅"), timeout=20_000)
    expect(frame(page).get_by_role("heading")).to_have_text("Fixed point", timeout=20_000)
    expect(page.locator("#jfdi-checks")).to_contain_text("✅ syntax · ✅ types", timeout=20_000)
    sent = claude.requests[-1].body["messages"][-1]["content"]
    assert "Fix the current code" in str(sent) and "not assignable" in str(sent)
    records = Store(Path(app.env["JFDI_DATA_DIR"]) / "jfdi.db").recent(limit=2)
    assert [r["prompt"].startswith("Fix the current code") for r in records] == [True, False]
    assert records[0]["parent_id"] == records[1]["id"]
    assert records[1]["checks"]["type_errors"][0]["code"] == "TS2345"


def test_a_blank_render_and_accessibility_problems_are_shown_and_go_to_fix(page, claude, app):
    white = ('export default function Shift() {\n  return <div className="p-6 bg-white"><h1 className="text-xl text-white">'
             'Shift report</h1><p className="text-white">No downtime</p></div>;\n}')
    generate(page, claude, white, prompt="Pallet counter")
    preview_state(page, "rendered")
    checks = page.locator("#jfdi-checks")
    expect(checks).to_contain_text("❌ nothing visible", timeout=20_000)
    expect(page.locator("#jfdi-preview-details")).to_contain_text("Nothing visible")
    expect(page.locator("#jfdi-fix")).to_be_enabled()
    # Two small buttons side by side: too close for WCAG 2.5.8's spacing exception.
    tiny = COUNTER.replace(
        COUNTER[COUNTER.index("<button"):COUNTER.index("</button>") + len("</button>")],
        '<p>Pallets: {count}</p><button className="text-xs" onClick={() => setCount(count + 1)}>+</button>'
        '<button className="text-xs" onClick={() => setCount(count - 1)}>-</button>')
    claude.enqueue(Reply(text=tiny))
    page.locator("#jfdi-fix").click()
    expect(frame(page).get_by_role("button", name="+")).to_be_visible(timeout=20_000)
    sent = str(claude.requests[-1].body["messages"][-1]["content"])
    assert "blank: the component rendered nothing visible" in sent
    expect(checks).to_contain_text("♿ 1 serious", timeout=30_000)
    expect(checks).not_to_contain_text("nothing visible")
    details = page.locator("#jfdi-preview-details")
    expect(details).to_contain_text("touch-target (serious): Touch targets must be at least 24x24 px")
    expect(details).to_contain_text('2 elements, the first: button "+"')
    expect(page.locator("#jfdi-fix")).to_be_enabled()
    screenshot(page, "preview-accessibility")
    claude.enqueue(Reply(text=COUNTER))
    page.locator("#jfdi-fix").click()
    expect(frame(page).get_by_role("button", name="Pallets: 0")).to_be_visible(timeout=20_000)
    sent = str(claude.requests[-1].body["messages"][-1]["content"])
    assert "Accessibility problems (serious and critical, WCAG 2.2 AA)" in sent and "touch-target (serious)" in sent
    expect(checks).to_contain_text("♿ ✅", timeout=20_000)
    records = Store(Path(app.env["JFDI_DATA_DIR"]) / "jfdi.db").recent(limit=3)
    assert [a["rule"] for a in records[1]["checks"]["accessibility"]] == ["touch-target"]


def test_the_project_download_is_a_vite_project(page, claude):
    generate(page, claude, COUNTER)
    button = page.locator("#jfdi-download-project")
    expect(button).to_be_enabled(timeout=20_000)
    with page.expect_download() as download:
        button.click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = archive.namelist()
    assert "ReorderCounter/package.json" in names and "ReorderCounter/src/ReorderCounter.tsx" in names
    assert archive.read("ReorderCounter/src/ReorderCounter.tsx").decode().startswith('import { useState } from "react";')


class Canary(http.server.ThreadingHTTPServer):
    """Counts every request that reaches it: generated code must never make one."""

    def __init__(self):
        self.paths: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                canary.paths.append(self.path)
                self.send_response(200)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


def test_generated_code_cannot_leave_the_sandbox(page, claude, app):
    canary = Canary()
    try:
        probe = (CASES / "probe.tsx").read_text().replace("__APP__", app.url).replace("__CANARY__", canary.url)
        generate(page, claude, probe, prompt="probe")
        results = frame(page).locator("#probe")
        expect(results).to_contain_text("dynamic import", timeout=20_000)
        found = dict(re.findall(r'"([^"]+)": "([^"]*)"', results.inner_text()))
        allowed = {name: value for name, value in found.items() if not value.startswith("blocked")}
        assert len(found) == 14 and not allowed, f"reached from the preview: {allowed}"
        # Then it tries to leave (a form, a link, a meta refresh, location): the page's
        # frame-src policy stops the navigation before any request is made.
        frame(page).get_by_role("button", name="Try to leave").click()
        expect(page.locator(".jfdi-preview-note")).to_contain_text("tried to open another page", timeout=10_000)
        page.wait_for_timeout(1000)
        assert canary.paths == [], "no request left the preview"
        sandbox = page.locator("#jfdi-preview iframe").first.get_attribute("sandbox")
        assert set(sandbox.split()) == {"allow-scripts", "allow-forms", "allow-downloads"}
        screenshot(page, "preview-sandbox-probe")
    finally:
        canary.shutdown()


def test_the_libraries_come_from_the_app_behind_the_login(page, app):
    vendor = str(ASSETS["vendor"])
    status = page.evaluate("(path) => fetch('gradio_api/file=' + path).then((r) => r.status)", vendor)
    assert status == 200
    with page.context.browser.new_context() as anonymous:  # no login
        response = anonymous.request.get(app.url + "gradio_api/file=" + vendor)
        assert response.status in (401, 403)
