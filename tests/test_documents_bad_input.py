"""Files that cannot be used: each is a clear, typed error that says what to do (CLI exit 2), never
a crash, a hang, a stray warning or a file written anywhere."""

from __future__ import annotations

import io
import struct
import time
import warnings
import zipfile
import zlib
from dataclasses import replace

import pytest

from jfdi.documents import errors, parse, source
from jfdi.documents.images import MAX_IMAGE_PIXELS, render_scale
from jfdi.errors import BadInput
from tests import document_files as files
from tests import spreadsheets as sheets


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header, with a few bytes of pixel data (a decompression bomb
    needs no more to make a decoder allocate width x height)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def parse_quietly(path, settings, **kw):
    """parse() with every warning turned into an error, so none can slip out."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return parse(path, settings=settings, **kw)


def test_missing_file(settings, tmp_path):
    with pytest.raises(errors.DocumentNotFound, match="no such file"):
        parse_quietly(tmp_path / "po.pdf", settings)


@pytest.mark.parametrize("name", ["po.pdf", "bom.xlsx", "notes.txt", "scan.png"])
def test_empty_file(settings, tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(errors.EmptyDocument, match="is empty"):
        parse_quietly(tmp_path / name, settings)


def test_over_the_size_limit_names_the_setting(settings, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * 3000)
    with pytest.raises(errors.DocumentTooLarge, match=r"over the 0\.002 MB limit.*JFDI_MAX_UPLOAD_MB"):
        parse_quietly(path, replace(settings, max_upload_mb=0.002))


@pytest.mark.parametrize("name", ["drawing.dwg", "macro.xlsm", "old.doc", "archive.zip", "README"])
def test_unsupported_types_list_the_supported_ones(settings, tmp_path, name):
    (tmp_path / name).write_bytes(b"PK\x03\x04 not a document JFDI reads")
    with pytest.raises(errors.UnsupportedDocument) as info:
        parse_quietly(tmp_path / name, settings)
    assert "pdf, png, jpg, jpeg, xlsx, csv, tsv, docx, txt, md" in str(info.value)


def test_password_protected_pdf(settings, tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 720, "PO-2024-0117")
    pdf.save()
    with pytest.raises(errors.EncryptedDocument, match="password"):
        parse_quietly(path, settings)


def test_truncated_pdf(settings, tmp_path):
    whole = files.purchase_order_pdf(tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(errors.CorruptDocument, match="not a readable PDF"):
        parse_quietly(tmp_path / "cut.pdf", settings)


@pytest.mark.parametrize("name", ["po.pdf", "scan.png", "photo.jpg"])
def test_content_that_is_not_what_the_name_says(settings, tmp_path, name):
    (tmp_path / name).write_text("<html>Access denied</html>")
    with pytest.raises(errors.CorruptDocument, match="not a valid"):
        parse_quietly(tmp_path / name, settings)


def test_truncated_image(settings, tmp_path):
    files.scanned_po_image(tmp_path / "whole.png")
    whole = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(whole[: len(whole) // 3])
    with pytest.raises(errors.CorruptDocument, match="not a readable image"):
        parse_quietly(tmp_path / "cut.png", settings)


@pytest.mark.parametrize(
    "width, height",
    [
        (8000, 8000),  # 64 MP: over JFDI's limit, under Pillow's own warning threshold
        (60000, 60000),  # 3.6 GP: Pillow itself would raise DecompressionBombError
    ],
)
def test_decompression_bombs_are_refused_before_decoding(settings, tmp_path, width, height):
    assert width * height > MAX_IMAGE_PIXELS
    (tmp_path / "bomb.png").write_bytes(png_header_only(width, height))
    with pytest.raises(errors.DocumentTooLarge, match="megapixels"):
        parse_quietly(tmp_path / "bomb.png", settings)


def test_huge_pdf_pages_render_within_the_pixel_limit():
    scale = render_scale(14400, 14400, 2.0)  # the largest page PDF allows, 200 inches square
    assert (14400 * scale) ** 2 <= MAX_IMAGE_PIXELS
    assert render_scale(595, 842, 2.0) == 2.0


def test_damaged_xlsx_and_docx(settings, tmp_path):
    for name in ("bom.xlsx", "spec.docx"):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("hello.txt", "not an office document")
        (tmp_path / name).write_bytes(archive.getvalue())
        with pytest.raises(errors.CorruptDocument, match="not a readable"):
            parse_quietly(tmp_path / name, settings)
        (tmp_path / name).write_bytes(b"PK\x03\x04" + b"\x00" * 200)
        with pytest.raises(errors.CorruptDocument):
            parse_quietly(tmp_path / name, settings)


def test_password_protected_office_file(settings, tmp_path):
    (tmp_path / "bom.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(errors.EncryptedDocument, match="without a password"):
        parse_quietly(tmp_path / "bom.xlsx", settings)


def test_zip_bomb_is_refused_from_the_archive_directory(settings, tmp_path, monkeypatch):
    files.bom_xlsx(tmp_path / "bom.xlsx")
    monkeypatch.setattr(source, "MAX_UNPACKED_BYTES", 1024)  # the real limit is 300 MB
    with pytest.raises(errors.DocumentTooLarge, match="unpacks to"):
        parse_quietly(tmp_path / "bom.xlsx", settings)


def test_binary_data_named_csv(settings, tmp_path):
    (tmp_path / "parts.csv").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(errors.CorruptDocument, match="text"):
        parse_quietly(tmp_path / "parts.csv", settings)


def test_csv_with_only_blank_lines(settings, tmp_path):
    (tmp_path / "parts.csv").write_text(";;\n\n;;\n")
    with pytest.raises(errors.EmptyDocument, match="no rows"):
        parse_quietly(tmp_path / "parts.csv", settings)


def test_unknown_engine_and_a_text_layer_for_an_image(settings, tmp_path):
    files.scanned_po_image(tmp_path / "scan.png")
    with pytest.raises(BadInput, match="use one of auto, dolphin, text, ocr"):
        parse_quietly(tmp_path / "scan.png", settings, engine="magic")
    with pytest.raises(BadInput, match="no text layer"):
        parse_quietly(tmp_path / "scan.png", settings, engine="text")


def test_nothing_is_written_while_parsing(settings, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    files.purchase_order_pdf(folder / "po.pdf")
    files.bom_xlsx(folder / "bom.xlsx")
    before = sorted(p for p in tmp_path.rglob("*"))
    for name in ("po.pdf", "bom.xlsx"):
        parse_quietly(folder / name, settings)
    assert sorted(p for p in tmp_path.rglob("*")) == before


# --- tables that are too big, too odd or ambiguous: a clear message or a documented fallback, in bounded time


@pytest.mark.timeout(120)
def test_a_million_row_csv_is_read_up_to_the_dataset_cap(settings, tmp_path):
    from jfdi.documents.office import MAX_DATASET_ROWS

    lines = "".join(f"P-{i},{i % 97},{i * 0.5}\n" for i in range(1_000_000))
    (tmp_path / "log.csv").write_text("Part,Qty,Length [mm]\n" + lines)
    start = time.monotonic()
    doc = parse_quietly(tmp_path / "log.csv", settings)
    assert time.monotonic() - start < 60
    assert len(doc.datasets[0].rows) == MAX_DATASET_ROWS - 1
    assert f"log.csv: only the first {MAX_DATASET_ROWS:,} rows were read (it has about 1,000,001)" in doc.warnings


@pytest.mark.timeout(180)
def test_a_million_row_sheet_is_cut_not_loaded_whole(settings, tmp_path):
    from jfdi.documents.office import MAX_DATASET_ROWS

    rows = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r % 50}</v></c></row>' for r in range(2, 1_000_002))
    sheets.raw_xlsx(tmp_path / "big.xlsx", [sheets.xml_row(1, ["Item", "Qty (pcs)"]), *rows])
    start = time.monotonic()
    doc = parse_quietly(tmp_path / "big.xlsx", settings)
    assert time.monotonic() - start < 90
    assert len(doc.datasets[0].rows) == MAX_DATASET_ROWS - 1
    assert any(f"only the first {MAX_DATASET_ROWS:,} rows were read (it has about 1,000,001)" in w for w in doc.warnings)


@pytest.mark.timeout(120)
def test_two_thousand_columns_are_cut_to_the_column_cap(settings, tmp_path):
    from jfdi.documents.office import MAX_TABLE_COLUMNS

    header = [f"Sensor {c} [°C]" for c in range(2000)]
    body = [[str(r + c) for c in range(2000)] for r in range(50)]
    sheets.write_csv(tmp_path / "wide.csv", [header, *body])
    numbers = ([int(v) for v in row] for row in body)
    sheets.raw_xlsx(tmp_path / "wide.xlsx", (sheets.xml_row(r + 1, row) for r, row in enumerate([header, *numbers])))
    for name in ("wide.csv", "wide.xlsx"):
        doc = parse_quietly(tmp_path / name, settings)
        (data,) = doc.datasets
        assert len(data.columns) == MAX_TABLE_COLUMNS and len(data.rows) == 50, name
        assert data.columns[-1].unit == "°C" and data.columns[-1].type == "integer"
        assert any(f"only the first {MAX_TABLE_COLUMNS} columns were read" in w for w in doc.warnings), name


def test_a_cell_far_from_the_table_does_not_make_the_sheet_huge(settings, tmp_path):
    """calamine would ask for 1,048,576 x 16,384 cells and abort the process: the sheet is cut."""
    rows = [sheets.xml_row(1, ["Part", "Qty"]), sheets.xml_row(2, ["A-1", 4]), sheets.xml_row(3, ["A-2", 6]),
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']
    sheets.raw_xlsx(tmp_path / "stray.xlsx", rows)
    doc = parse_quietly(tmp_path / "stray.xlsx", settings)
    assert doc.datasets[0].rows == (("A-1", 4), ("A-2", 6))
    rows = [sheets.xml_row(1, ["Part", "Qty"]), sheets.xml_row(2, ["A-1", 4]).replace("</row>", '<c r="XFD2"><v>9</v></c></row>')]
    sheets.raw_xlsx(tmp_path / "wide.xlsx", rows)
    doc = parse_quietly(tmp_path / "wide.xlsx", settings)
    assert doc.datasets[0].rows == (("A-1", 4),)
    assert any("only the first" in w and "columns were read" in w for w in doc.warnings)


def test_formulas_without_saved_results_are_named(settings, tmp_path):
    rows = [["Part", "Qty", "Price", "Total"], ["A-1", 2, 1.5, "=B2*C2"], ["A-2", 4, 2.0, "=B3*C3"]]
    sheets.write_xlsx(tmp_path / "po.xlsx", {"PO": rows})
    doc = parse_quietly(tmp_path / "po.xlsx", settings)
    assert any("2 formulas have no saved result (D2, D3)" in w and "save it again" in w for w in doc.warnings)
    assert [c.empty for c in doc.datasets[0].columns] == [0, 0, 0, 2]


def test_an_ambiguous_separator_is_read_one_way_and_said(settings, tmp_path):
    (tmp_path / "odd.csv").write_text("Part,Note;Qty\nA,x;1\nB,y;2\nC,z;3\n")
    doc = parse_quietly(tmp_path / "odd.csv", settings)
    assert any("the separator could be" in w for w in doc.warnings)
    assert len(doc.datasets[0].columns) == 2


def test_mixed_types_and_a_header_of_numbers(settings, tmp_path):
    (tmp_path / "mixed.csv").write_text("Part,Qty,Due\nA,3,2024-03-01\nB,three,soon\nC,4,2024-03-05\n")
    doc = parse_quietly(tmp_path / "mixed.csv", settings)
    assert [c.type for c in doc.datasets[0].columns] == ["text", "text", "text"]
    assert doc.datasets[0].rows[1] == ("B", "three", "soon"), "nothing is lost"
    assert any("mixes numbers and text" in w for w in doc.warnings)
    (tmp_path / "years.csv").write_text("2022,2023,2024\n1,2,3\n4,5,6\n")
    doc = parse_quietly(tmp_path / "years.csv", settings)
    assert [c.name for c in doc.datasets[0].columns] == ["2022", "2023", "2024"]


def test_a_zip_bomb_that_lies_about_its_sizes_is_refused(settings, tmp_path):
    """The archive says its sheet unpacks to 1,000 bytes; it unpacks to megabytes. Reading stops at
    what the archive declares (which the 300 MB limit already bounds) and the file is refused."""
    rows = [sheets.xml_row(1, ["Part", "Qty"])] + [f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 100_000)]
    data = bytearray(sheets.raw_xlsx(tmp_path / "honest.xlsx", rows).read_bytes())
    part = b"xl/worksheets/sheet1.xml"
    for header, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = data.find(header)
        while at != -1:
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            name_length = struct.unpack_from("<H", data, at + (26 if header == b"PK\x03\x04" else 28))[0]
            if bytes(data[name_at : name_at + name_length]) == part:
                struct.pack_into("<I", data, at + size_at, 1000)
            at = data.find(header, at + 4)
    (tmp_path / "liar.xlsx").write_bytes(data)
    with pytest.raises(errors.CorruptDocument, match="save it again"):
        parse_quietly(tmp_path / "liar.xlsx", settings)


@pytest.mark.parametrize("name, separator", [("bom.xlsx", ","), ("bom.xls", ";"), ("stock.xls", "\t")])
def test_a_csv_with_an_excel_name_is_read_as_the_csv_it_is(settings, tmp_path, name, separator):
    """ERP exports and "Save as" with the old name give text files called .xlsx or .xls: their
    rows are all there, read as CSV, and the user is told why."""
    rows = [["Part No", "Description", "Qty"], ["BRK-1001", "Bracket, steel", "12"], ["BLT-0420", "Bolt M8", "250"]]
    path = sheets.write_csv(tmp_path / name, rows, delimiter=separator)
    document = parse_quietly(path, settings)
    assert "BRK-1001" in document.markdown and "BLT-0420" in document.markdown
    assert [len(dataset.rows) for dataset in document.datasets] == [2]
    assert any(f"{name} is a text file" in warning and "read as CSV" in warning for warning in document.warnings)


def test_an_html_page_named_xlsx_is_still_refused(settings, tmp_path):
    (tmp_path / "report.xlsx").write_text("<html><body>Session expired</body></html>")
    with pytest.raises(errors.CorruptDocument, match="not a valid XLSX"):
        parse_quietly(tmp_path / "report.xlsx", settings)


def test_an_excel_97_workbook_says_how_to_make_it_readable(settings, tmp_path):
    (tmp_path / "bom.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(errors.UnsupportedDocument, match=r"bom\.xls is an Excel 97-2003 workbook: save it as \.xlsx"):
        parse_quietly(tmp_path / "bom.xls", settings)


def test_a_quote_that_never_closes_does_not_swallow_the_rows_after_it(settings, tmp_path):
    """A typed description that opens a quote and never closes it: read as a CSV reader does,
    every line after it becomes one cell of that row, and those rows are gone without a word."""
    path = tmp_path / "parts.csv"
    path.write_text('Part,Description,Qty\nA-1,"Heavy duty bracket,3\nB-2,Bolt M8,5\nC-3,Nut M8,7\n')
    document = parse_quietly(path, settings)
    assert [len(dataset.rows) for dataset in document.datasets] == [3]
    assert "| B-2 | Bolt M8 | 5 |" in document.markdown and "| C-3 | Nut M8 | 7 |" in document.markdown
    assert any("line 2" in warning and "never closed" in warning for warning in document.warnings)


def test_quotes_inside_and_around_fields_are_not_taken_for_an_unclosed_one(settings, tmp_path):
    path = tmp_path / "parts.csv"
    path.write_text('Part,Description,Qty\nA-1,3/4"" valve,3\nB-2,"Bolt ""M8"", zinc",5\nC-3,"Nut\nM8",7\n')
    document = parse_quietly(path, settings)
    assert not any("never closed" in warning for warning in document.warnings)
    assert [len(dataset.rows) for dataset in document.datasets] == [3]
    assert 'Bolt "M8", zinc' in document.markdown
