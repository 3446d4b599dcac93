"""The Benchmarks tab: pick providers and prompts, run with progress, see the table and the chart."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests import bench_canned as canned
from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import AnthropicServer, Reply


VERDICT = '{"score": 82, "notes": "The form and its fields show; the labels are readable."}'


def answer(request):
    """The code for the benchmark's prompt; a verdict for the judge, who is sent screenshots."""
    sent = json.dumps((request.body or {}).get("messages", []))
    return Reply(text=VERDICT if '"type": "image"' in sent else canned.GOOD)


def test_run_a_benchmark_from_the_app_with_a_judge(tmp_path, browser):
    with AnthropicServer() as claude:
        claude.reply_for = answer
        claude.default = None
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
            page.get_by_label(re.compile("^Judge")).click()
            page.get_by_role("option", name="Claude").click()
            page.locator("#jfdi-bench-run").click()
            message = page.locator("#jfdi-bench-message")
            expect(message).to_contain_text("1 run(s)", timeout=120_000)
            expect(message).to_contain_text("the judge scored 1 of 1 run(s)")
            table = page.locator("#jfdi-bench-table")
            expect(table).to_contain_text("claude")
            expect(table).to_contain_text("100.0")
            expect(table).to_contain_text("82/100 (1 of 1)")
            for header in ("Blank", "Console errors", "A11y issues", "Judge"):
                expect(table).to_contain_text(header)
            expect(page.locator("#jfdi-bench-chart img")).to_be_visible()
            expect(page.locator("#jfdi-bench-criteria")).to_contain_text("within 10% of Claude")
            screenshot(page, "app-benchmarks")
            page.close()
        finally:
            app.stop()
    assert len(claude.requests) == 2  # the answer, then the judge with its three screenshots
    assert len(claude.images[-1]) == 3
