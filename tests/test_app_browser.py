"""The app in a real browser: type, generate, stop, clear, and two users who never see each other."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import Reply

CODE = """import { useState } from "react";

export default function ReorderForm() {
  const [qty, setQty] = useState(0);
  return (
    <form className="p-6 space-y-4 max-w-md">
      <label className="block font-medium">SKU</label>
      <input className="border rounded px-2 py-1 w-full" />
      <label className="block font-medium">Reorder point</label>
      <input type="number" className="border rounded px-2 py-1 w-full" value={qty} onChange={e => setQty(+e.target.value)} />
    </form>
  );
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory, claude):
    tmp = tmp_path_factory.mktemp("browser")
    for name, age_s in (("stale", 25 * 3600), ("fresh", 3600)):  # downloads an earlier run of the app left
        path = tmp / "data" / "downloads" / name / "Form.tsx"
        path.parent.mkdir(parents=True)
        path.write_text("export default function Form() {}\n")
        for each in (path, path.parent):
            os.utime(each, (time.time() - age_s, time.time() - age_s))
    running = start_app(tmp, {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
        "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "10",
    })
    yield running
    running.stop()


def open_page(browser, app):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(app.url)
    expect(page.get_by_label("What do you want to build?")).to_be_visible(timeout=30_000)
    return context, page


def status_of(page):
    return page.locator("#jfdi-status textarea")


def test_generate_shows_code_and_provider(browser, app, claude):
    claude.enqueue(Reply(chunks=["```tsx\n", *[CODE[i:i + 40] for i in range(0, len(CODE), 40)], "\n```"], delay_s=0.05))
    context, page = open_page(browser, app)
    expect(page.get_by_role("heading", name="JFDI")).to_be_visible()
    prompt = page.get_by_label("What do you want to build?")
    expect(prompt).to_have_attribute("placeholder", re.compile("inventory reorder form"))
    prompt.fill("Build an inventory reorder form with validation")
    page.locator("#jfdi-generate").click()
    expect(status_of(page)).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    expect(page.locator("#jfdi-code")).to_contain_text("export default function ReorderForm")
    expect(page.locator("#jfdi-chat")).to_contain_text("Build an inventory reorder form with validation")
    expect(prompt).to_have_value("")
    screenshot(page, "app-generated")
    context.close()


def test_an_answer_still_cut_off_at_the_token_limit_is_shown_as_incomplete(browser, app, claude):
    """Its code is all there and compiles (the cut came in the prose after it); the status line and
    the checks still say incomplete, never done."""
    cut = CODE.index("useState(0)") + 4
    claude.enqueue(Reply(text=f"```tsx\n{CODE[:cut]}", stop="max_tokens"),
                   Reply(text=f"{CODE[cut:]}\n```\n\nThe form keeps", stop="max_tokens"),
                   Reply(text=" the reorder point", stop="max_tokens"))
    context, page = open_page(browser, app)
    page.get_by_label("What do you want to build?").fill("Build an inventory reorder form with validation")
    page.locator("#jfdi-generate").click()
    expect(status_of(page)).to_have_value(re.compile(r"^⚠️ cut off at the token limit after 2 continuations: incomplete"),
                                          timeout=30_000)
    expect(page.locator("#jfdi-code")).to_contain_text("export default function ReorderForm")
    checks = page.locator("#jfdi-checks")
    expect(checks).to_contain_text("incomplete: cut off at the token limit", timeout=30_000)
    expect(checks).not_to_contain_text("checking", timeout=30_000)
    expect(checks).not_to_contain_text("✅")
    screenshot(page, "app-cut-off-at-the-token-limit")
    context.close()


def test_enter_submits(browser, app, claude):
    claude.enqueue(Reply(text=CODE))
    context, page = open_page(browser, app)
    prompt = page.get_by_label("What do you want to build?")
    prompt.fill("a purchase-order table with sorting")
    prompt.press("Enter")
    expect(status_of(page)).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    context.close()


def test_stop_keeps_the_partial_answer_then_clear_starts_over(browser, app, claude):
    slow = [f"// step {i}\n" for i in range(400)]
    claude.enqueue(Reply(chunks=slow, delay_s=0.05))
    context, page = open_page(browser, app)
    page.get_by_label("What do you want to build?").fill("Build a long dashboard")
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-code")).to_contain_text("step 3", timeout=30_000)
    page.locator("#jfdi-stop").click()
    expect(status_of(page)).to_have_value(re.compile(r"^⏹ Stopped"), timeout=10_000)
    expect(page.locator("#jfdi-chat")).to_contain_text("step 0")
    screenshot(page, "app-stopped")
    page.locator("#jfdi-clear").click()
    expect(page.locator("#jfdi-chat")).not_to_contain_text("step 0")
    expect(status_of(page)).to_have_value("")
    context.close()


def test_the_next_message_typed_while_an_answer_streams_is_kept(browser, app, claude):
    claude.enqueue(Reply(chunks=["```tsx\n", *[f"// step {i}\n" for i in range(40)], CODE, "\n```"], delay_s=0.05))
    context, page = open_page(browser, app)
    prompt = page.get_by_label("What do you want to build?")
    prompt.fill("Build a reorder form")
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-code")).to_contain_text("step 3", timeout=30_000)
    prompt.fill("add a reorder-quantity column")
    expect(status_of(page)).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    expect(prompt).to_have_value("add a reorder-quantity column")
    context.close()


def test_clear_while_an_answer_streams_leaves_the_page_empty(browser, app, claude):
    claude.enqueue(Reply(chunks=[f"// step {i}\n" for i in range(200)], delay_s=0.05))
    context, page = open_page(browser, app)
    page.get_by_label("What do you want to build?").fill("Build a long dashboard")
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-code")).to_contain_text("step 3", timeout=30_000)
    page.locator("#jfdi-clear").click()
    page.wait_for_timeout(3000)  # the stopped generation's last update has come by now
    expect(page.locator("#jfdi-chat")).not_to_contain_text("step 0")
    expect(page.locator("#jfdi-chat")).not_to_contain_text("Build a long dashboard")
    expect(status_of(page)).to_have_value("")
    context.close()


def test_two_browser_sessions_do_not_share_a_chat(browser, app, claude):
    claude.enqueue(Reply(text=CODE))
    first_context, first = open_page(browser, app)
    second_context, second = open_page(browser, app)
    first.get_by_label("What do you want to build?").fill("Secret plant 7 reorder form")
    first.locator("#jfdi-generate").click()
    expect(status_of(first)).to_have_value(re.compile(r"^✅"), timeout=30_000)
    expect(first.locator("#jfdi-chat")).to_contain_text("Secret plant 7")
    second.wait_for_timeout(500)
    expect(second.locator("#jfdi-chat")).not_to_contain_text("Secret plant 7")
    expect(second.locator("#jfdi-status textarea")).to_have_value("")
    screenshot(second, "app-second-session")
    first_context.close()
    second_context.close()


def test_history_tab_reopens_a_generation(browser, app, claude):
    claude.enqueue(Reply(text=CODE.replace("ReorderForm", "HistoryForm")))
    context, page = open_page(browser, app)
    page.get_by_label("What do you want to build?").fill("History check form")
    page.locator("#jfdi-generate").click()
    expect(status_of(page)).to_have_value(re.compile(r"^✅"), timeout=30_000)
    page.locator("#jfdi-clear").click()
    page.get_by_role("tab", name="History").click()
    row = page.locator("#jfdi-history").get_by_text("History check form").first
    expect(row).to_be_visible(timeout=10_000)
    screenshot(page, "app-history")
    row.click()
    expect(page.locator("#jfdi-code")).to_contain_text("HistoryForm", timeout=10_000)
    expect(page.locator("#jfdi-chat")).to_contain_text("History check form")
    context.close()


def download_files(app) -> set[Path]:
    return {p for p in (Path(app.env["JFDI_DATA_DIR"]) / "downloads").rglob("*") if p.is_file()}


def test_downloads_older_than_a_day_are_removed_when_the_app_starts(app):
    folders = {p.parent.name for p in download_files(app)}
    assert "fresh" in folders and "stale" not in folders


def test_a_streamed_generation_writes_a_file_only_when_a_download_is_asked_for(browser, app, claude):
    before = download_files(app)
    cuts = [round(i * len(CODE) / 50) for i in range(51)]
    claude.enqueue(Reply(chunks=[CODE[a:b] for a, b in zip(cuts, cuts[1:])], delay_s=0.06))
    context, page = open_page(browser, app)
    page.get_by_label("What do you want to build?").fill("Build an inventory reorder form")
    page.locator("#jfdi-generate").click()
    expect(status_of(page)).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    assert download_files(app) == before, "50 streamed updates, no download asked for: no file"
    button = page.locator("#jfdi-download")
    for _ in range(2):  # asked for twice: the same file
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == "ReorderForm.tsx"
        assert Path(download.value.path()).read_text() == CODE + "\n"
    assert len(download_files(app) - before) == 1
    page.get_by_role("tab", name="Preview").click()
    with page.expect_download() as project:
        page.locator("#jfdi-download-project").click()
    assert project.value.suggested_filename == "ReorderForm-vite-project.zip"
    archive = zipfile.ZipFile(io.BytesIO(Path(project.value.path()).read_bytes()))
    assert archive.read("ReorderForm/src/ReorderForm.tsx").decode() == CODE + "\n"
    assert len(download_files(app) - before) == 2
    context.close()
