"""Multi-file projects with the library set, in the app as a user runs it (Chromium): each library
actually draws (a chart's points, a zod message in a form, a table sorting 5,000 rows), the files
are in the code panel and an edit to any of them re-renders, the downloads hold the main file and
the whole tree, and bad answers are refused with a message while the app carries on."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import Reply
from tests.preview_cases import project

PLANT = project("plant")


def answer(files: dict[str, str]) -> str:
    """A model's answer naming each file in its fence, with a line of prose around them."""
    blocks = "\n\n".join(f"```{path.rpartition('.')[2]} {path}\n{code}\n```" for path, code in files.items())
    return f"Here is the plant dashboard as a small project.\n\n{blocks}\n\nEach file goes under src/."


@pytest.fixture(scope="module")
def app(tmp_path_factory, claude):
    running = start_app(tmp_path_factory.mktemp("projects"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "10",
    })
    yield running
    running.stop()


@pytest.fixture
def page(browser, app):
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    page.goto(app.url)
    expect(page.get_by_label("What do you want to build?")).to_be_visible(timeout=30_000)
    yield page
    context.close()


def generate(page, claude, text: str, prompt: str = "A plant dashboard", status: str = r"^✅") -> None:
    claude.enqueue(Reply(chunks=[text[i:i + 400] for i in range(0, len(text), 400)], delay_s=0.002))
    page.get_by_label("What do you want to build?").fill(prompt)
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(status), timeout=30_000)


def frame(page):
    return page.frame_locator("#jfdi-preview iframe.jfdi-preview-frame:not(.jfdi-preview-spare)")


def rendered(page):
    expect(page.locator("#jfdi-preview [data-state]").first).to_have_attribute("data-state", "rendered", timeout=30_000)


def first_row(page) -> str:
    return frame(page).locator("section[aria-label=Parts] tbody tr:has(td)").first.inner_text()


def test_a_project_with_every_library_renders_and_each_library_draws(page, claude):
    generate(page, claude, answer(PLANT))
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(r"5 files"))
    page.get_by_role("tab", name="Preview").click()
    rendered(page)
    view = frame(page)
    expect(view.get_by_role("heading", level=1)).to_have_text("Plant 2 · 30 Nov 2026")  # date-fns

    # recharts: an SVG line chart with a point per shift and the target line
    chart = view.locator("section[aria-label='OEE trend'] svg.recharts-surface")
    expect(chart.locator(".recharts-line-dot")).to_have_count(7)
    expect(chart.locator(".recharts-reference-line")).to_have_count(1)
    expect(chart).to_contain_text("Target")
    assert chart.locator(".recharts-line-curve").get_attribute("d").count("C") >= 6, "the line runs through the points"

    # react-hook-form + zod through @hookform/resolvers: zod's messages appear, then the receipt
    form = view.locator("form[aria-label=Receiving]")
    form.get_by_role("button", name="Receive").click()
    expect(form.get_by_role("alert").first).to_have_text("PO number looks like PO-1234")
    form.get_by_label("PO number").fill("PO-1234")
    form.get_by_label("Quantity").fill("-5")
    form.get_by_role("button", name="Receive").click()
    expect(form.get_by_role("alert")).to_have_text("Quantity must be more than 0")
    form.get_by_label("Quantity").fill("12")
    form.get_by_role("button", name="Receive").click()
    expect(form).to_contain_text("Received 12 on PO-1234")

    # @tanstack/react-table + react-virtual: 5,000 rows, a few dozen in the page, sorted by a click
    parts = view.locator("section[aria-label=Parts]")
    expect(parts.get_by_role("heading")).to_have_text("5,000 parts")
    assert parts.locator("tbody tr:has(td)").count() < 60, "the rows are virtualised"
    assert first_row(page).split("\t")[0] == "P-00001"
    parts.get_by_role("columnheader", name="Stock").click()
    expect(parts.get_by_role("columnheader", name="Stock ▼")).to_be_visible()
    assert first_row(page).split("\t")[:2] == ["P-00322", "999"]
    parts.get_by_role("columnheader", name="Stock ▼").click()
    rows = [r.split("\t")[:2] for r in parts.locator("tbody tr:has(td)").all_inner_texts()[:2]]
    assert rows == [["P-00001", "0"], ["P-01001", "0"]]

    expect(page.locator("#jfdi-checks")).to_contain_text("✅ syntax · ✅ types", timeout=60_000)
    expect(page.locator("#jfdi-checks")).to_contain_text("♿ ✅", timeout=60_000)
    page.wait_for_timeout(500)  # the frame's reports arrive in batches
    expect(page.locator("#jfdi-checks")).not_to_contain_text("❌")
    expect(page.locator("#jfdi-fix")).to_be_disabled()
    loaded = page.evaluate("() => window.jfdiPreview.events.filter((e) => e.rendered).pop().libraries")
    assert set(loaded) == {"recharts", "zod", "react-hook-form", "hookform-resolvers", "tanstack-table", "tanstack-virtual",
                           "date-fns"}, "the bundles the code imports, each loaded once"
    assert not any(bundle["ahead"] for bundle in loaded.values()), "the first project after the page loads fetches them"
    screenshot(page, "preview-project-libraries")


def test_the_files_are_in_the_code_panel_and_editing_any_of_them_re_renders(page, claude):
    generate(page, claude, answer(PLANT))
    page.get_by_role("tab", name="Preview").click()
    rendered(page)
    page.get_by_role("tab", name="Code").click()
    picker = page.locator("#jfdi-files")
    expect(picker.get_by_label("▶ src/App.tsx")).to_be_checked()
    for path in PLANT:
        expect(picker.get_by_text(path)).to_be_visible()
    expect(page.locator("#jfdi-code")).to_contain_text("export default function App()")
    picker.get_by_text("src/data/plant.ts").click()
    expect(page.locator("#jfdi-code")).to_contain_text("export const SHIFTS")
    page.locator("#jfdi-code .cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(PLANT["src/data/plant.ts"].replace('"Mon A"', '"Sun A"'))
    page.get_by_role("tab", name="Preview").click()
    trend = frame(page).locator("section[aria-label='OEE trend']")
    expect(trend).to_contain_text("Sun A", timeout=20_000)
    expect(trend).not_to_contain_text("Mon A")
    loaded = page.evaluate("() => window.jfdiPreview.events.filter((e) => e.rendered).pop().libraries")
    assert loaded and all(bundle["ahead"] for bundle in loaded.values()), "the next version's frame had them loaded ahead"
    page.get_by_role("tab", name="Code").click()
    picker.get_by_text("src/App.tsx").click()
    expect(page.locator("#jfdi-code")).to_contain_text("export default function App()")
    screenshot(page, "code-panel-files")

    with page.expect_download() as main_file:
        page.locator("#jfdi-download").click()
    assert main_file.value.suggested_filename == "App.tsx"
    assert Path(main_file.value.path()).read_text() == PLANT["src/App.tsx"].rstrip() + "\n"
    page.get_by_role("tab", name="Preview").click()
    with page.expect_download() as project_zip:
        page.locator("#jfdi-download-project").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(project_zip.value.path()).read_bytes()))
    assert {f"App/{path}" for path in PLANT} | {"App/package.json", "App/src/main.tsx"} <= set(archive.namelist())
    assert '"Sun A"' in archive.read("App/src/data/plant.ts").decode(), "the project as edited"


def test_an_import_outside_the_set_names_the_alternative_and_fix_sends_it(page, claude):
    chart = ('import { Line } from "react-chartjs-2";\n\n'
             "export default function App() {\n  return <Line data={{ datasets: [] }} />;\n}")
    generate(page, claude, chart)
    page.get_by_role("tab", name="Preview").click()
    problem = frame(page).locator("[data-jfdi-problem]")
    expect(problem).to_contain_text("Cannot import react-chartjs-2 (line 1)", timeout=20_000)
    expect(problem).to_contain_text("use recharts for charts")
    expect(page.locator("#jfdi-checks")).to_contain_text("❌ imports (1)", timeout=60_000)
    fixed = 'import { Line, LineChart } from "recharts";\n\nexport default function App() {\n' \
            '  return <LineChart width={300} height={200} data={[{ v: 1 }, { v: 3 }]}><Line dataKey="v" /></LineChart>;\n}'
    claude.enqueue(Reply(text=fixed))
    page.locator("#jfdi-fix").click()
    expect(frame(page).locator(".recharts-line-dot")).to_have_count(2, timeout=30_000)
    sent = str(claude.requests[-1].body["messages"][-1]["content"])
    assert "use recharts for charts" in sent and "Fix the current code" in sent


def test_a_project_too_large_is_refused_with_a_message_and_the_app_carries_on(page, claude):
    many = {f"src/lib/part{i}.ts": f"export const part{i} = {i};" for i in range(200)}
    generate(page, claude, answer(many), prompt="Two hundred files", status=r"^❌")
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile("the project has 200 files; JFDI takes at most 50"))
    generate(page, claude, answer(PLANT), prompt="The dashboard again")
    page.get_by_role("tab", name="Preview").click()
    rendered(page)
    expect(frame(page).locator(".recharts-line-dot")).to_have_count(7)
