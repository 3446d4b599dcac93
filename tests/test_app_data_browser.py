"""The whole flow in the app, in Chromium: attach a BOM CSV, generate, the preview shows the real
rows from src/data/bom.ts (the model wrote none of them), and 🖨️ Print prints the tool alone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import spreadsheets as sheets
from tests.data_tools import BOM_VIEWER
from tests.test_preview_browser import app, generate, page, session  # noqa: F401  (the app and a logged-in page)

ROWS = 1500


def test_an_attached_bom_reaches_the_preview_and_prints_without_the_app(page, claude, tmp_path):  # noqa: F811
    csv = sheets.write_csv(tmp_path / "bom.csv", sheets.bom_rows(ROWS))
    page.get_by_role("button", name=re.compile("Documents")).click()
    page.locator("#jfdi-upload input[type=file]").set_input_files(str(csv))
    expect(page.locator("#jfdi-doc-summary")).to_contain_text("bom.csv", timeout=30_000)
    generate(page, claude, BOM_VIEWER, prompt="Show the BOM with a search and a CSV export")

    sent = claude.requests[-1].body["messages"][-1]["content"]
    sent = sent if isinstance(sent, str) else "".join(part.get("text", "") for part in sent)
    assert "<project_data>" in sent and f"CD-{100000 + ROWS}" not in sent, "the model reads a sample, never every row"

    frame = page.frame_locator("#jfdi-preview .jfdi-preview-frame:not(.jfdi-preview-spare)")
    expect(frame.get_by_test_id("count")).to_have_text(f"{ROWS} rows", timeout=20_000)
    expect(frame.locator("[role=row]", has_text="CD-100001")).to_be_visible()
    expect(page.locator("#jfdi-files")).to_contain_text("src/data/bom.ts")

    page.locator("#jfdi-print").click()
    copy = page.locator("iframe.jfdi-print-frame")
    expect(copy).to_be_attached(timeout=10_000)
    page.frame_locator("iframe.jfdi-print-frame").locator("h1").wait_for(state="attached", timeout=10_000)
    printed = copy.evaluate("(frame) => frame.contentDocument.body.innerText")
    assert "Bill of materials" in printed and "CD-100001" in printed
    assert "What do you want to build?" not in printed and "Generated code" not in printed, "no app chrome on paper"
