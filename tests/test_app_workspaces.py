"""Workspaces and the team history in the browser: create one, generate in it, filter by it;
the sync state in the status panel; the WebLink page in a sandboxed iframe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import AnthropicServer, ConvexServer, Reply, closed_port, wait_until

CODE = 'export default function Board() {\n  return <div className="p-4">Line B</div>;\n}'


def test_workspace_tags_generations_and_filters_history(tmp_path, browser):
    with AnthropicServer() as claude, ConvexServer() as convex:
        claude.default = Reply(text=CODE)
        app = start_app(tmp_path, {
            "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude",
            "CONVEX_URL": convex.url, "JFDI_WEBLINK_URL": "https://weblink.example.com/workspaces",
        })
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(app.url)
            page.get_by_role("tab", name="Workspaces").click()
            page.locator("#jfdi-workspace-name input, #jfdi-workspace-name textarea").first.fill("Plant 2 line B")
            page.locator("#jfdi-create-workspace").click()
            expect(page.locator("#jfdi-workspace-message")).to_contain_text("created", timeout=10_000)
            expect(page.locator("#jfdi-workspaces")).to_contain_text("Plant 2 line B")
            frame = page.locator("#jfdi-weblink iframe")
            expect(frame).to_have_attribute("src", "https://weblink.example.com/workspaces")
            sandbox = frame.get_attribute("sandbox")
            assert "allow-scripts" in sandbox and "allow-top-navigation" not in sandbox
            screenshot(page, "app-workspaces")

            page.get_by_role("tab", name="Build").click()
            expect(page.locator("#jfdi-workspace input").first).to_have_value("Plant 2 line B")
            page.get_by_label("What do you want to build?").fill("Line B andon board")
            page.locator("#jfdi-generate").click()
            expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile("^✅"), timeout=30_000)
            assert wait_until(lambda: any(d["prompt"] == "Line B andon board" for d in convex.generations), timeout=20)
            stored = next(d for d in convex.generations if d["prompt"] == "Line B andon board")
            assert stored["workspace"] == "Plant 2 line B"
            expect(page.locator("#jfdi-provider-status")).to_contain_text("Convex: in sync", timeout=10_000)

            page.get_by_role("tab", name="History").click()
            expect(page.locator("#jfdi-history")).to_contain_text("Line B andon board", timeout=10_000)
            expect(page.locator("#jfdi-history")).to_contain_text("☁️ team")
            screenshot(page, "app-history-team")
            page.close()
        finally:
            app.stop()


def test_convex_down_leaves_generation_instant_and_the_record_waiting(tmp_path, browser):
    with AnthropicServer() as claude:
        claude.default = Reply(text=CODE)
        app = start_app(tmp_path, {
            "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude",
            "CONVEX_URL": f"http://127.0.0.1:{closed_port()}",
        })
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(app.url)
            page.get_by_label("What do you want to build?").fill("Offline board")
            page.locator("#jfdi-generate").click()
            expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile("^✅"), timeout=30_000)
            expect(page.locator("#jfdi-provider-status")).to_contain_text("1 waiting on this machine", timeout=15_000)
            page.get_by_role("tab", name="History").click()
            expect(page.locator("#jfdi-history")).to_contain_text("Offline board", timeout=10_000)
            expect(page.locator("#jfdi-history-notice")).to_contain_text("this machine's only")
            page.close()
        finally:
            app.stop()
