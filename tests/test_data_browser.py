"""The engineer's data in the preview, in Chromium: the preview's own host, sandbox and runtime
(jfdi/benchmark/render.py serves them on a loopback page). A BOM of thousands of rows renders
through a virtualised table and scrolls to its last row; its CSV download leaves the sandbox as a
file; and Print prints the tool alone, on Letter and A4, with Tailwind's print: variant."""

from __future__ import annotations

import csv
import io

import pytest

from jfdi.benchmark.render import Renderer
from jfdi.documents import parse
from jfdi.preview.page import print_request
from tests import spreadsheets as sheets
from tests.browser import ARTIFACTS
from tests.data_tools import CHECKLIST, bom_project

ROWS = 2000


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as renderer:
        if not renderer.available():
            pytest.fail("Chromium and Playwright are needed: apt-get install chromium; pip install playwright")
        yield renderer


def _frame(page):
    return page.frame_locator(".jfdi-preview-frame:not(.jfdi-preview-spare)")


def test_a_big_dataset_renders_scrolls_to_its_last_row_and_downloads_as_csv(renderer, tmp_path, settings):
    files = bom_project(tmp_path, ROWS, settings)
    rendered = renderer.render(files)
    assert rendered.renders, rendered.errors
    page, frame = renderer.page, _frame(renderer.page)
    assert frame.get_by_test_id("count").inner_text() == f"{ROWS} rows"
    assert frame.locator("[role=row]").count() < 60, "only the visible rows are in the DOM"
    last = sheets.bom_rows(ROWS)[-1]
    frame.get_by_test_id("scroller").evaluate("(box) => { box.scrollTop = box.scrollHeight; }")
    last_row = frame.locator("[role=row]", has_text=last[1])
    last_row.wait_for(timeout=5000)
    assert last_row.is_visible() and "2024-" in last_row.inner_text()

    frame.get_by_label("Search").fill("CD-1000")  # CD-100001 .. CD-100009 and CD-1000xx ...
    with page.expect_download(timeout=10_000) as started:
        frame.get_by_role("button", name="Export CSV").click()
    download = started.value
    assert download.suggested_filename == "bom-export.csv"
    saved = tmp_path / "export.csv"
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark, for Excel on Windows"
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == sheets.bom_rows(1)[0]  # the headers as written
    assert [row[1] for row in table[1:]] == [f"CD-{100000 + i}" for i in range(1, 100)]
    assert parse(saved, settings=settings).datasets[0].columns[5].unit == "mm"  # it reads back as it went in


def test_print_prints_the_tool_alone_on_letter_and_a4(renderer, settings):
    rendered = renderer.render({"src/App.tsx": CHECKLIST})
    assert rendered.renders, rendered.errors
    page, frame = renderer.page, _frame(renderer.page)
    frame.get_by_label("Measured INS-002").fill("119.93")
    page.evaluate(f"() => {print_request('#preview')}")
    copy = page.locator("iframe.jfdi-print-frame")
    copy.wait_for(state="attached", timeout=5000)
    assert copy.get_attribute("sandbox") == "allow-same-origin allow-modals", "the copy runs no script"
    printed = page.frame_locator("iframe.jfdi-print-frame")
    printed.locator("h1").wait_for(state="attached", timeout=5000)
    html = copy.evaluate("(frame) => frame.contentDocument.documentElement.outerHTML")
    assert "<script" not in html and "jfdi-preview" not in html.replace("jfdi-preview/", "")
    assert "Final inspection checklist" in html and 'value="119.93"' in html

    # The copy on a page of its own, as the printer gets it.
    paper = page.context.browser.new_page()
    try:
        paper.set_content(html)
        paper.emulate_media(media="print")
        assert not paper.get_by_role("button", name="Save results").is_visible(), "print:hidden hides it on paper"
        assert paper.get_by_test_id("print-only").is_visible(), "hidden print:block shows on paper"
        assert paper.get_by_text("119.93", exact=True).is_visible(), "a measured value prints as text"
        for size in ("Letter", "A4"):
            pdf = paper.pdf(format=size, print_background=True, prefer_css_page_size=True)
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"checklist-{size}.pdf").write_bytes(pdf)
            pages = _pdf_pages(pdf, ARTIFACTS / f"checklist-{size}")
            text = "\n".join(pages)
            assert len(pages) >= 2 and "INS-001" in pages[0] and "INS-060" in pages[-1]
            assert "Signature" in pages[-1] and "Save results" not in text and "Printed copy" in text
            # The table's header repeats on every page; no row is cut across two.
            assert all("Part number" in p for p in pages)
            assert sum(text.count(f"INS-{n:03d}") for n in range(1, 61)) == 60
    finally:
        paper.close()


def _pdf_pages(pdf: bytes, png_stem) -> list[str]:
    """Each page's text; the first page also as a PNG, to look at."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document[0].render(scale=1.5).to_pil().save(f"{png_stem}.png")
    return texts


def test_the_upload_to_preview_benchmark_runs_on_a_small_bom(renderer, tmp_path, settings):
    """benchmarks/data.py's preview part, at 1,000 rows: what it measures is there (no timing asserted)."""
    from benchmarks.data import bench_preview, preview_report

    result = bench_preview(tmp_path, settings, rows=1000, runs=1, renderer=renderer)
    assert result["ran"] and result["last_row_shown"]
    run = result["runs_detail"][0]
    assert run["errors"] == [] and run["count_shown"] == "1000 rows" and run["rows_in_dom"] < 60
    assert run["total_s"] >= run["parse_s"] + run["render_s"] and run["frame_heap_mb"] and run["page_heap_mb"]
    assert result["module_load"]["rows"] == 1000
    assert "1,000-row BOM: upload to a scrollable preview" in "\n".join(preview_report(result))
