"""Office and data files: XLSX and CSV (BOMs, price lists) as markdown tables, DOCX with its
headings, lists and tables in document order, TXT and MD as they are.

Text files are decoded as UTF-8 when they are, otherwise in the encoding charset-normalizer
detects: a CSV exported by Excel on Windows is cp1252, and "µm" or "°C" must survive."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Iterator

from ..errors import JFDIError
from .errors import CorruptDocument, EmptyDocument, require
from .model import Element, Page
from .source import page_limit_notice
from .tables import markdown_table

# A table larger than this is not read to the end: the model's context would not hold it anyway,
# and a sheet can claim 16,384 columns.
MAX_TABLE_ROWS = 5000
MAX_TABLE_COLUMNS = 200
_CSV_DELIMITERS = ",;\t|"
_DOCX_LIST_STYLES = ("List Bullet", "List Number", "List Paragraph", "List Continue")


@contextmanager
def _reading(name: str, kind: str) -> Iterator[None]:
    # The parsers raise many different exceptions on damaged files (KeyError for a missing part,
    # ValueError, zipfile and XML errors...); each means the same thing to the user.
    try:
        yield
    except JFDIError:
        raise
    except Exception as exc:
        what = f"{type(exc).__name__}: {exc}"
        raise CorruptDocument(f"{name} is not a readable {kind.upper()} file ({what}): save it again") from None


def decode_text(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    charset_normalizer = require("charset_normalizer", "charset-normalizer", "detecting a text encoding")
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise CorruptDocument(f"{name} does not look like text in any known encoding: is it really a text file?")
    return str(best)


def read(data: bytes, name: str, kind: str, max_pages: int, warnings: list[str]) -> tuple[list[Page], int]:
    """The pages of an xlsx, csv, docx, txt or md file, and how many the file has."""
    if kind == "xlsx":
        return read_xlsx(data, name, max_pages, warnings)
    if kind == "csv":
        return read_csv(data, name, warnings)
    if kind == "docx":
        return read_docx(data, name)
    return read_plain(data, name, kind)


def read_xlsx(data: bytes, name: str, max_pages: int, warnings: list[str]) -> tuple[list[Page], int]:
    openpyxl = require("openpyxl", "openpyxl", "reading XLSX")
    with _reading(name, "xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = book.worksheets
            if len(sheets) > max_pages:
                warnings.append(page_limit_notice(name, len(sheets), max_pages, "sheets"))
            pages = []
            for number, sheet in enumerate(sheets[:max_pages], start=1):
                cells = sheet.iter_rows(values_only=True, max_col=MAX_TABLE_COLUMNS + 1)
                rows = _trim(_capped(cells, f"sheet {sheet.title!r} of {name}", warnings))
                if rows:
                    table = markdown_table([[_cell(v) for v in row] for row in rows])
                    elements = (Element("sec_1", f"Sheet: {sheet.title}", 0), Element("tab", table, 1))
                    pages.append(Page(number, "xlsx", elements))
            return pages, len(sheets)
        finally:
            book.close()


def read_csv(data: bytes, name: str, warnings: list[str]) -> tuple[list[Page], int]:
    text = decode_text(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=_CSV_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    with _reading(name, "csv"):
        rows = _trim(_capped(csv.reader(io.StringIO(text, newline=""), dialect), name, warnings))
    if not rows:
        raise EmptyDocument(f"{name} has no rows")
    return [Page(1, "csv", (Element("tab", markdown_table(rows), 0),))], 1


def read_docx(data: bytes, name: str) -> tuple[list[Page], int]:
    docx = require("docx", "python-docx", "reading DOCX")
    from docx.table import Table

    with _reading(name, "docx"):
        document = docx.Document(io.BytesIO(data))
        elements = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows = [[cell.text for cell in row.cells] for row in block.rows]
                label, text = "tab", markdown_table(rows)
            else:
                label, text = _docx_label(block.style.name if block.style is not None else ""), block.text
            if text.strip():
                elements.append(Element(label, text, len(elements)))
    return [Page(1, "docx", tuple(elements))], 1


def read_plain(data: bytes, name: str, kind: str) -> tuple[list[Page], int]:
    text = decode_text(data, name).replace("\r\n", "\n").strip()
    if not text:
        raise EmptyDocument(f"{name} has no text")
    return [Page(1, kind, (Element("text", text, 0),))], 1


def _docx_label(style: str) -> str:
    if style == "Title":
        return "sec_0"
    if style.startswith("Heading "):
        level = style.removeprefix("Heading ").strip()
        return f"sec_{min(int(level), 6) - 1}" if level.isdigit() and int(level) >= 1 else "para"
    return "list" if style.startswith(_DOCX_LIST_STYLES) else "para"


def _capped(rows, where: str, warnings: list[str]) -> list[tuple]:
    kept = []
    wide = False
    for row in rows:
        if len(kept) == MAX_TABLE_ROWS:
            warnings.append(f"{where}: only the first {MAX_TABLE_ROWS} rows were read")
            break
        # Read-only openpyxl pads every row to max_col: only a filled cell past the cap is lost.
        wide = wide or any(_filled(v) for v in tuple(row)[MAX_TABLE_COLUMNS:])
        kept.append(tuple(row)[:MAX_TABLE_COLUMNS])
    if wide:
        warnings.append(f"{where}: only the first {MAX_TABLE_COLUMNS} columns were read")
    return kept


def _trim(rows: list[tuple]) -> list[list]:
    """Drop empty rows, and columns empty in every row (spreadsheets often carry blank edges)."""
    rows = [list(row) for row in rows if any(_filled(v) for v in row)]
    width = max((len(row) for row in rows), default=0)
    used = [c for c in range(width) if any(c < len(row) and _filled(row[c]) for row in rows)]
    return [[row[c] if c < len(row) else None for c in used] for row in rows]


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.10g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)

