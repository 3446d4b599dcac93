"""The Benchmarks tab: pick providers and prompts, run with progress, see the table and the chart."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import bench_canned as canned
from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import AnthropicServer, Reply


def test_run_a_benchmark_from_the_app(tmp_path, browser):
    with AnthropicServer() as claude:
        claude.default = Reply(text=canned.GOOD)
        app = start_app(tmp_path, {"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude"})
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1400})
            page.goto(app.url)
            page.get_by_role("tab", name="Benchmarks").click()
            providers = page.locator("#jfdi-bench-providers")
            expect(providers.get_by_label("Claude")).to_be_checked()
            prompts = page.locator("#jfdi-bench-prompts")
            for box in prompts.get_by_role("checkbox").all():
                if box.is_checked():
                    box.uncheck()
            prompts.get_by_label(re.compile("inventory-form: Create an inventory form")).check()
            page.locator("#jfdi-bench-run").click()
            expect(page.locator("#jfdi-bench-message")).to_contain_text("1 run(s)", timeout=120_000)
            table = page.locator("#jfdi-bench-table")
            expect(table).to_contain_text("claude")
            expect(table).to_contain_text("100.0")
            expect(page.locator("#jfdi-bench-chart img")).to_be_visible()
            expect(page.locator("#jfdi-bench-criteria")).to_contain_text("within 10% of Claude")
            screenshot(page, "app-benchmarks")
            page.close()
        finally:
            app.stop()
    assert len(claude.requests) == 1
