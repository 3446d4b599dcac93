"""Documents in the browser: upload a BOM, see and edit its text, and generate from it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import document_files as files
from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import AnthropicServer, Reply

CODE = 'export default function Bom() {\n  return <table className="min-w-full">BOM</table>;\n}'


def test_upload_edit_and_generate_from_a_document(tmp_path, browser):
    bom = files.bom_xlsx(tmp_path / "pump-bom.xlsx")
    with AnthropicServer() as claude:
        claude.default = Reply(text=CODE)
        app = start_app(tmp_path / "app", {"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude"})
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.goto(app.url)
            page.get_by_role("button", name=re.compile("Documents")).click()
            page.locator("#jfdi-upload input[type=file]").set_input_files(str(bom))
            expect(page.locator("#jfdi-doc-summary")).to_contain_text("pump-bom.xlsx", timeout=30_000)
            text = page.locator("#jfdi-doc-markdown textarea")
            expect(text).to_have_value(re.compile(re.escape(files.BOM_ROWS[1][1])), timeout=10_000)
            text.fill(text.input_value() + "\nReorder point for every SKU: 40")
            screenshot(page, "app-documents")
            page.get_by_label("What do you want to build?").fill("A BOM table with reorder points for this pump")
            page.locator("#jfdi-generate").click()
            expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile("^✅"), timeout=30_000)
            page.close()
        finally:
            app.stop()
        sent = claude.requests[-1].body["messages"][-1]["content"]
        assert '<reference_document name="pump-bom.xlsx">' in sent
        assert files.BOM_ROWS[1][1] in sent and "Reorder point for every SKU: 40" in sent


def test_an_erp_export_named_xls_is_taken_and_read_as_csv(tmp_path, browser):
    export = tmp_path / "stock-export.xls"
    export.write_text("Part No\tDescription\tOn hand\nBRK-1001\tBracket, steel\t12\n")
    with AnthropicServer() as claude:
        app = start_app(tmp_path / "app", {"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
                                           "JFDI_PROVIDERS": "claude"})
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.goto(app.url)
            page.get_by_role("button", name=re.compile("Documents")).click()
            page.locator("#jfdi-upload input[type=file]").set_input_files(str(export))
            expect(page.locator("#jfdi-doc-summary")).to_contain_text("read as CSV", timeout=30_000)
            expect(page.locator("#jfdi-doc-markdown textarea")).to_have_value(re.compile("BRK-1001"), timeout=10_000)
            page.close()
        finally:
            app.stop()
