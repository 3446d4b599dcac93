"""Documents an engineer uploads, parsed for real: pypdfium2's text layer, RapidOCR on the CPU,
openpyxl, python-docx and charset-normalizer. The strings that matter (PO number, SKUs,
quantities, prices) must come out exactly, each line item on one line."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest

from jfdi.documents import parse
from jfdi.documents.session import generation_context, parse_upload
from tests import document_files as files


@pytest.fixture(scope="session")
def docs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("documents")
    files.purchase_order_pdf(folder / "po-2024-0117.pdf")
    files.scanned_po_image(folder / "scan.png")
    files.image_only_pdf(folder / "scan.png", folder / "scan.pdf")
    files.bom_xlsx(folder / "bom.xlsx")
    files.cp1252_csv(folder / "parts.csv")
    files.spec_docx(folder / "spec.docx")
    return folder


def item_line(markdown: str, *values: str) -> bool:
    """Whether one line holds all the values, in order, as whole words."""
    pattern = r"(?<!\S)" + r"\s.*?".join(re.escape(v) for v in values) + r"(?!\S)"
    return any(re.search(pattern, line) for line in markdown.splitlines())


def test_text_pdf_purchase_order_keeps_every_line_item(docs, settings):
    seen = []
    doc = parse(docs / "po-2024-0117.pdf", settings=settings, progress=lambda *a: seen.append(a))
    assert doc.name == "po-2024-0117.pdf"
    assert doc.sha256 == hashlib.sha256((docs / "po-2024-0117.pdf").read_bytes()).hexdigest()
    assert [(p.number, p.engine) for p in doc.pages] == [(1, "text"), (2, "text")]
    assert doc.warnings == ()
    first, second = doc.pages[0].markdown, doc.pages[1].markdown
    assert f"PO Number: {files.PO_NUMBER}" in first and files.PO_NUMBER in second
    assert f"Vendor: {files.VENDOR}" in first
    for sku, description, qty, price, total in files.PO_LINES[:3]:
        assert item_line(first, sku, description, qty, price, total)
    for sku, description, qty, price, total in files.PO_LINES[3:]:
        assert item_line(second, sku, description, qty, price, total)
    assert f"Order total: {files.PO_TOTAL} EUR" in second
    assert doc.markdown == first + "\n\n---\n\n" + second
    assert [(done, total) for done, total, _ in seen] == [(0, 2), (1, 2), (2, 2)]


def test_scanned_image_is_read_by_ocr_on_the_cpu(docs, settings):
    doc = parse(docs / "scan.png", settings=settings)
    assert doc.engines == ["ocr"] and len(doc.pages) == 1
    assert files.SCAN_PO_NUMBER in doc.markdown and "Acme" in doc.markdown
    for sku, _description, qty, price in files.SCAN_LINES:
        assert item_line(doc.markdown, sku, qty, price), doc.markdown
    labels = {e.label for e in doc.pages[0].elements}
    assert labels == {"text"}


def test_auto_reads_text_pages_from_the_layer_and_scanned_pages_with_ocr(docs, settings, tmp_path):
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(docs / "po-2024-0117.pdf"), [0])
    mixed.import_pages(pdfium.PdfDocument(docs / "scan.pdf"), [0])
    mixed.save(tmp_path / "mixed.pdf")
    doc = parse(tmp_path / "mixed.pdf", settings=settings)
    assert [(p.number, p.engine) for p in doc.pages] == [(1, "text"), (2, "ocr")]
    assert files.PO_NUMBER in doc.pages[0].markdown
    assert files.SCAN_PO_NUMBER in doc.pages[1].markdown
    assert item_line(doc.pages[1].markdown, "BRG-6204", "40", "3.15")
    assert doc.metadata() == {"name": "mixed.pdf", "sha256": doc.sha256, "engines": ["text", "ocr"], "pages": 2, "page_count": 2}


def test_forcing_the_text_layer_on_a_scan_says_nothing_was_found(docs, settings):
    doc = parse(docs / "scan.pdf", settings=settings, engine="text")
    assert doc.markdown == "" and doc.engines == ["text"]
    assert any("little or no text layer" in w for w in doc.warnings)
    assert any("no text was found" in w and "ocr" in w for w in doc.warnings)


def test_engine_comes_from_the_setting_when_not_given(docs, settings):
    doc = parse(docs / "scan.pdf", settings=replace(settings, doc_engine="text"))
    assert doc.engines == ["text"] and doc.markdown == ""


def test_page_limit_reads_the_first_pages_and_says_so(docs, settings):
    doc = parse(docs / "po-2024-0117.pdf", settings=replace(settings, max_pages=1))
    assert len(doc.pages) == 1 and doc.page_count == 2
    assert doc.warnings == ("po-2024-0117.pdf has 2 pages; only the first 1 were read (JFDI_MAX_PAGES=1)",)
    assert "Order total" not in doc.markdown
    assert doc.metadata()["pages"] == 1 and doc.metadata()["page_count"] == 2


def test_xlsx_bom_becomes_markdown_tables_per_sheet(docs, settings):
    doc = parse(docs / "bom.xlsx", settings=settings)
    assert [(p.number, p.engine) for p in doc.pages] == [(1, "xlsx"), (2, "xlsx")]
    lines = doc.pages[0].markdown.splitlines()
    assert lines[0] == "## Sheet: BOM"
    assert "| Item | Part Number | Description | Qty | Unit | Unit Cost |" in lines
    assert "| 1 | MTR-0750-3P | Motor 0.75 kW 3-phase | 2 | ea | 189.5 |" in lines
    assert "| 2 | BLT-M8-30 | Hex bolt M8x30 | 48 | ea | 0.42 |" in lines
    assert "| 3 | CBL-4G1.5 | Cable 4G1.5 mm² | 12.5 | m | 2.35 |" in lines
    assert "Revision C, released 2024-03-18" in doc.pages[1].markdown
    assert doc.warnings == (), "a narrow sheet reads whole, without a column-cap warning"


def test_xlsx_sheets_count_against_the_page_limit(docs, settings):
    doc = parse(docs / "bom.xlsx", settings=replace(settings, max_pages=1))
    assert len(doc.pages) == 1 and len(doc.warnings) == 1 and "only the first 1" in doc.warnings[0]


def test_cp1252_csv_is_decoded_with_its_units_intact(docs, settings):
    doc = parse(docs / "parts.csv", settings=settings)
    lines = doc.markdown.splitlines()
    assert lines[0] == "| Part | Description | Spec |"
    assert "| BRG-6204 | Ball bearing | Tolerance ±5 µm |" in lines
    assert "| HTR-220 | Cartridge heater | Max 120 °C |" in lines
    assert "\ufffd" not in doc.markdown and doc.engines == ["csv"]


def test_docx_keeps_headings_lists_and_tables_in_order(docs, settings):
    doc = parse(docs / "spec.docx", settings=settings)
    md = doc.markdown
    assert md.startswith(f"# {files.DOCX_TITLE}\n")
    assert "- IP55 enclosure" in md.splitlines()
    for parameter, value in files.DOCX_TABLE[1:]:
        assert f"| {parameter} | {value} |" in md
    assert md.index("moves totes") < md.index("| Rated power |") < md.index("Approved by: J. Novak")


@pytest.mark.parametrize("suffix, engine", [("txt", "txt"), ("md", "md")])
def test_plain_text_and_markdown_come_through_as_written(tmp_path, settings, suffix, engine):
    body = "# Reorder rules\n\nReorder BLT-M8-30 when stock < 500 pcs.\nLead time: 14 days"
    path = tmp_path / f"rules.{suffix}"
    path.write_text(body + "\n", encoding="utf-8")
    doc = parse(path, settings=settings)
    assert doc.markdown == body and doc.engines == [engine]


def test_a_file_without_extension_is_recognised_by_its_content(docs, settings, tmp_path):
    path = tmp_path / "download"
    path.write_bytes((docs / "po-2024-0117.pdf").read_bytes())
    assert files.PO_NUMBER in parse(path, settings=settings).markdown


def test_upload_session_carries_the_edited_markdown_and_the_metadata(docs, settings):
    steps = []
    first = parse_upload(docs / "po-2024-0117.pdf", settings, progress=lambda *a: steps.append(a))
    assert steps[-1][:2] == (2, 2)
    assert first.summary() == "po-2024-0117.pdf: 2 pages (text)"
    edited = first.edit(first.markdown.replace("250", "300"))
    cleared = parse_upload(docs / "parts.csv", settings).edit("  ")
    references, documents = generation_context([edited, cleared])
    assert [r.name for r in references] == ["po-2024-0117.pdf"]
    assert item_line(references[0].markdown, "BLT-M8-30", "300", "0.42")
    assert documents == [{**first.document.metadata(), "edited": True}]
    assert edited.summary().endswith(", edited")


def test_a_scan_with_a_typed_stamp_is_read_as_an_image(docs, tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from jfdi.documents.pdf import PdfFile

    path = tmp_path / "stamped.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(str(docs / "scan.png"), 0, 200, width=A4[0], height=A4[1] - 200)
    pdf.drawString(40, 100, "Received 2024-03-18 by Plant 2 goods-in")  # a stamp with a real text layer
    pdf.save()
    with PdfFile(path.read_bytes(), path.name) as stamped, PdfFile((docs / "po-2024-0117.pdf").read_bytes(), "po.pdf") as typed:
        assert stamped.page(0).needs_image
        assert not typed.page(0).needs_image and not typed.page(1).needs_image


def test_oversized_tables_are_cut_with_a_warning(settings, tmp_path, monkeypatch):
    from jfdi.documents import office

    monkeypatch.setattr(office, "MAX_TABLE_ROWS", 3)
    monkeypatch.setattr(office, "MAX_TABLE_COLUMNS", 2)
    (tmp_path / "wide.csv").write_text("a,b,c\n1,2,3\n4,5,6\n7,8,9\n")
    doc = parse(tmp_path / "wide.csv", settings=settings)
    assert doc.markdown.splitlines() == ["| a | b |", "| --- | --- |", "| 1 | 2 |", "| 4 | 5 |"]
    assert doc.warnings == (
        "wide.csv: only the first 2 columns were read",
        "wide.csv: the text shows the first 3 of its 4 rows; its dataset has them all",
    )
    assert doc.datasets[0].rows == ((1, 2), (4, 5), (7, 8))
    monkeypatch.setattr(office, "MAX_DATASET_ROWS", 3)
    doc = parse(tmp_path / "wide.csv", settings=settings)
    assert doc.warnings[0] == "wide.csv: only the first 3 rows were read (it has about 4)"
    assert doc.datasets[0].rows == ((1, 2), (4, 5))
