"""The Versions view in Chromium, against a loopback Claude: edit, undo, redo, restore, compare,
fork, regenerate, and a reload that brings the timeline back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import Reply

FORM = """export default function ReorderForm() {
  return (
    <form className="p-6 space-y-4">
      <label className="block font-medium">SKU</label>
      <input className="border rounded px-2 py-1" />
    </form>
  );
}"""
GREEN = FORM.replace('"p-6 space-y-4"', '"p-6 space-y-4 bg-green-100"')
LOT = FORM.replace(">SKU<", ">Lot number<")


@pytest.fixture(scope="module")
def app(tmp_path_factory, claude):
    running = start_app(tmp_path_factory.mktemp("versions"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
        "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "10",
    })
    yield running
    running.stop()


@pytest.fixture
def page(browser, app):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    page.goto(app.url)
    expect(page.get_by_label("What do you want to build?")).to_be_visible(timeout=30_000)
    yield page
    context.close()


def ask(page, claude, prompt: str, code: str) -> None:
    claude.enqueue(Reply(text=f"```tsx\n{code}\n```"))
    page.get_by_label("What do you want to build?").fill(prompt)
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(r"^✅"), timeout=30_000)


def versions_tab(page):
    page.get_by_role("tab", name="Versions").click()
    return page.locator("#jfdi-versions")


def code(page):
    return page.locator("#jfdi-code")


def status(page):
    return page.locator("#jfdi-status textarea")


def test_undo_redo_an_edit_and_a_reload(page, claude):
    ask(page, claude, "Build a reorder form", FORM)
    ask(page, claude, "Make it green", GREEN)
    table = versions_tab(page)
    expect(table).to_contain_text("Make it green", timeout=30_000)
    expect(page.locator("#jfdi-versions-summary")).to_contain_text("Version 2 of 2", timeout=30_000)
    expect(page.locator("#jfdi-redo")).to_be_disabled()

    page.locator("#jfdi-undo").click()
    expect(status(page)).to_have_value(re.compile("^↩️ Undo: back to version 1"), timeout=30_000)
    expect(code(page)).not_to_contain_text("bg-green-100")
    expect(page.locator("#jfdi-chat")).not_to_contain_text("Make it green")
    expect(page.locator("#jfdi-undo")).to_be_disabled(timeout=30_000)  # the first version

    page.locator("#jfdi-redo").click()
    expect(status(page)).to_have_value(re.compile("^↪️ Redo: forward to version 2"), timeout=30_000)
    expect(code(page)).to_contain_text("bg-green-100")

    # A manual edit is saved as a version when the editor is left.
    page.get_by_role("tab", name="Code").click()
    page.locator("#jfdi-code .cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(GREEN.replace(">SKU<", ">Part number<"))
    versions_tab(page)
    expect(status(page)).to_have_value(re.compile("^💾 Your edit is saved"), timeout=30_000)
    expect(table).to_contain_text("Edited by hand", timeout=30_000)
    expect(table).to_contain_text(re.compile(r"Edited by hand\W+—\W+[\d: -]+passed"), timeout=30_000)  # its checks, kept
    expect(page.locator("#jfdi-versions-summary")).to_contain_text("Version 3 of 3", timeout=30_000)
    expect(page).to_have_url(re.compile(r"\?v=[0-9a-f]{32}$"), timeout=30_000)
    edited_at = page.url
    screenshot(page, "versions-edited")

    page.locator("#jfdi-undo").click()
    expect(code(page)).not_to_contain_text("Part number", timeout=30_000)
    expect(page).not_to_have_url(edited_at, timeout=30_000)  # the address follows the current version
    page.locator("#jfdi-redo").click()
    expect(code(page)).to_contain_text("Part number", timeout=30_000)
    expect(page).to_have_url(edited_at, timeout=30_000)

    page.reload()  # the address keeps the version: the timeline comes back
    expect(code(page)).to_contain_text("Part number", timeout=30_000)
    expect(page.locator("#jfdi-chat")).to_contain_text("Make it green")
    versions_tab(page)
    expect(page.locator("#jfdi-versions-summary")).to_contain_text("Version 3 of 3", timeout=30_000)
    expect(page.locator("#jfdi-versions")).to_contain_text("Edited by hand")


def test_restore_compare_fork_and_regenerate(page, claude):
    ask(page, claude, "Build a lot tracker", FORM)
    ask(page, claude, "Make it green", GREEN)
    table = versions_tab(page)
    expect(table).to_contain_text("Make it green", timeout=30_000)

    # Compare: the previous version with the current one, by default.
    page.locator("#jfdi-compare").click()
    diff = page.locator("#jfdi-diff")
    expect(diff).to_contain_text("version 1 → version 2", timeout=30_000)
    expect(diff).to_contain_text("src/ReorderForm.tsx changed (+1 −1)")
    # Side by side: the line as it was on the left, as it is on the right, in one row.
    changed = diff.locator("tr", has_text="bg-green-100")
    expect(changed.locator("td").nth(1)).to_have_text('    <form className="p-6 space-y-4">')
    expect(changed.locator("td").nth(3)).to_have_text('    <form className="p-6 space-y-4 bg-green-100">')
    screenshot(page, "versions-compare")

    # Restore version 1: a new version 3, version 2 stays.
    table.get_by_text("Build a lot tracker").filter(visible=True).first.click()
    expect(page.get_by_label("Its prompt: edit it and rerun from there")).to_have_value("Build a lot tracker", timeout=30_000)
    page.locator("#jfdi-restore").click()
    expect(status(page)).to_have_value(re.compile("^♻️ Restored version 1 as version 3"), timeout=30_000)
    expect(code(page)).not_to_contain_text("bg-green-100")
    expect(table).to_contain_text("Restored version 1: Build a lot tracker", timeout=30_000)
    expect(table).to_contain_text("Make it green")

    # Regenerate: the last answer (Make it green) asked again, beside the old one.
    claude.enqueue(Reply(text=f"```tsx\n{LOT}\n```"))
    page.locator("#jfdi-regenerate").click()
    expect(status(page)).to_have_value(re.compile(r"^✅"), timeout=30_000)
    expect(code(page)).to_contain_text("Lot number")
    expect(page.locator("#jfdi-versions-summary")).to_contain_text("Version 4 of 4", timeout=30_000)
    expect(table).to_contain_text("regenerate")
    assert "Make it green" in str(claude.requests[-1].body["messages"][-1]["content"])

    # Fork version 2 into a conversation of its own.
    table.get_by_text("Make it green").filter(visible=True).first.click()
    page.locator("#jfdi-fork").click()
    expect(status(page)).to_have_value(re.compile("^🍴 Forked version 2"), timeout=30_000)
    expect(code(page)).to_contain_text("bg-green-100")
    expect(page.locator("#jfdi-versions-summary")).to_contain_text("Version 1 of 1", timeout=30_000)
    expect(table).to_contain_text("Forked from: Make it green")
    expect(page.locator("#jfdi-undo")).to_be_disabled()
    screenshot(page, "versions-forked")


def test_nothing_moves_the_conversation_while_an_answer_streams(page, claude):
    ask(page, claude, "Build a bin label form", FORM)
    ask(page, claude, "Make it green", GREEN)
    versions_tab(page)
    undo = page.locator("#jfdi-undo")
    expect(undo).to_be_enabled(timeout=30_000)
    expect(page.locator("#jfdi-regenerate")).to_be_enabled()

    claude.enqueue(Reply(chunks=["```tsx\n", *LOT.splitlines(keepends=True), "```\n"], delay_s=0.4))  # about 4 s
    page.get_by_label("What do you want to build?").fill("Call it a lot number")
    page.locator("#jfdi-generate").click()
    expect(status(page)).to_have_value(re.compile("^⏳"), timeout=10_000)
    for held in ("#jfdi-undo", "#jfdi-redo", "#jfdi-regenerate", "#jfdi-restore", "#jfdi-fork", "#jfdi-rerun"):
        expect(page.locator(held)).to_be_disabled()
    expect(status(page)).to_have_value(re.compile(r"^⏳"))  # still answering: the buttons were held while it streamed

    expect(status(page)).to_have_value(re.compile(r"^✅"), timeout=30_000)
    expect(undo).to_be_enabled(timeout=30_000)
    expect(page.locator("#jfdi-regenerate")).to_be_enabled()
    expect(page.locator("#jfdi-versions-summary")).to_contain_text("Version 3 of 3")
