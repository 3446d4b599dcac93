"""The app in a real browser: type, generate, stop, clear, and two users who never see each other."""

from __future__ import annotations

import re

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
    running = start_app(tmp_path_factory.mktemp("browser"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
        "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "10",
    })
    yield running
    running.stop()


def open_page(browser, app):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
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
