"""A follow-up answered with an edit block, in a real browser: the code changes where the block
says, the status line says so, and the Changes view shows the diff."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import Reply

CODE = """export default function ReorderForm() {
  return (
    <form className="p-6 space-y-4">
      <label className="block font-medium">SKU</label>
      <button className="bg-blue-600 text-white px-3 py-1">Save</button>
    </form>
  );
}"""
EDIT = ("Sure, here is the change:\n\n```tsx\nsrc/ReorderForm.tsx\n<<<<<<< SEARCH\n"
        '<button className="bg-blue-600 text-white px-3 py-1">Save</button>\n=======\n'
        '<button className="bg-green-600 text-white px-3 py-1">Save</button>\n>>>>>>> REPLACE\n```\n')


@pytest.fixture(scope="module")
def app(tmp_path_factory, claude):
    running = start_app(tmp_path_factory.mktemp("edits"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "10",
    })
    yield running
    running.stop()


def test_a_follow_up_edit_changes_the_code_and_the_changes_view_shows_it(browser, app, claude):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(app.url)
    prompt = page.get_by_label("What do you want to build?")
    expect(prompt).to_be_visible(timeout=30_000)
    status = page.locator("#jfdi-status textarea")

    claude.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    prompt.fill("Build a reorder form")
    page.locator("#jfdi-generate").click()
    expect(status).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    expect(page.locator("#jfdi-changes")).to_contain_text("No changes yet")

    claude.enqueue(Reply(text=EDIT))
    prompt.fill("make the save button green")
    page.locator("#jfdi-generate").click()
    expect(status).to_have_value(re.compile(r"^✅ Claude.*edited 1 file"), timeout=30_000)
    expect(page.locator("#jfdi-code")).to_contain_text('className="bg-green-600 text-white px-3 py-1"')
    changes = page.locator("#jfdi-changes")
    expect(changes).to_contain_text('-      <button className="bg-blue-600 text-white px-3 py-1">Save</button>')
    expect(changes).to_contain_text('+      <button className="bg-green-600 text-white px-3 py-1">Save</button>')
    screenshot(page, "edits-changes")
    context.close()
