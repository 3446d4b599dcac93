"""Files that cannot be used: each is a clear, typed error that says what to do (CLI exit 2), never
a crash, a hang, a stray warning or a file written anywhere."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from dataclasses import replace

import pytest

from jfdi.documents import errors, parse, source
from jfdi.documents.images import MAX_IMAGE_PIXELS, render_scale
from jfdi.errors import BadInput
from tests import document_files as files


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
