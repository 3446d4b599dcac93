"""Office and data files: XLSX and CSV/TSV (BOMs, price lists) as markdown tables and as tables
for typed datasets, DOCX with its headings, lists and tables in document order, TXT and MD as they
are. Text files are decoded as encoding.py says (UTF-8, then cp1252, then a reported guess), so
that "µm" or "°C" in an Excel CSV survive."""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable, Iterator, Sequence

from ..errors import JFDIError
from . import delimited
from .encoding import decode_text
from .errors import CorruptDocument, EmptyDocument, require
from .model import Element, Page, Table
from .source import page_limit_notice
from .tables import markdown_table
from .xlsx import Workbook

# The markdown given to the model holds at most this many rows of a table: its context would not
# hold more. A dataset holds up to MAX_DATASET_ROWS (a generated tool can page through them).
MAX_TABLE_ROWS = 5000
MAX_DATASET_ROWS = 50_000
# A sheet can claim 16,384 columns.
MAX_TABLE_COLUMNS = 200
_DOCX_LIST_STYLES = ("List Bullet", "List Number", "List Paragraph", "List Continue")


@dataclass
class OfficeFile:
    pages: list[Page]
    count: int  # pages (sheets) in the file
    encoding: str | None = None  # a text file's


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


def read(data: bytes, name: str, kind: str, max_pages: int, warnings: list[str]) -> OfficeFile:
    """The pages of an xlsx, csv, tsv, docx, txt or md file."""
    if kind == "xlsx":
        return read_xlsx(data, name, max_pages, warnings)
    if kind in ("csv", "tsv"):
        return read_delimited(data, name, kind, warnings)
    if kind == "docx":
        return read_docx(data, name)
    return read_plain(data, name, kind, warnings)


def read_xlsx(data: bytes, name: str, max_pages: int, warnings: list[str]) -> OfficeFile:
    with _reading(name, "xlsx"), Workbook(data, MAX_TABLE_COLUMNS) as book:
        titles = book.titles
        if len(titles) > max_pages:
            warnings.append(page_limit_notice(name, len(titles), max_pages, "sheets"))
        pages = []
        for number, title in enumerate(titles[:max_pages], start=1):
            where = f"sheet {title!r} of {name}"
            sheet = book.sheet(title, MAX_XLSX_ROWS)
            if sheet.scan.unsaved_formulas:
                warnings.append(_unsaved_formulas_notice(where, sheet.scan.unsaved_formulas))
            cut_at = MAX_XLSX_ROWS if sheet.scan.rows > MAX_XLSX_ROWS else 0
            rows = _collect(sheet.rows, where, warnings, sheet.scan.rows, cut_at, sheet.wider)
            if rows:
                elements = (Element("sec_1", f"Sheet: {title}", 0), Element("tab", _markdown(rows, where, warnings), 1))
                pages.append(Page(number, "xlsx", elements, (Table(_frozen(rows), title),)))
        return OfficeFile(pages, len(titles))


def read_delimited(data: bytes, name: str, kind: str, warnings: list[str]) -> OfficeFile:
    decoded = decode_text(data, name)
    if decoded.notice(name):
        warnings.append(decoded.notice(name))
    with _reading(name, kind):
        reader, delimiter, lines = delimited.read_rows(decoded.text, name, kind, warnings)
        rows = _collect(reader, name, warnings, lines)
    if not rows:
        raise EmptyDocument(f"{name} has no rows")
    table = Table(_frozen(rows), decimal_hint=delimited.decimal_hint(delimiter))
    page = Page(1, kind, (Element("tab", _markdown(rows, name, warnings), 0),), (table,))
    return OfficeFile([page], 1, decoded.encoding)


def read_docx(data: bytes, name: str) -> OfficeFile:
    docx = require("docx", "python-docx", "reading DOCX")
    from docx.table import Table as DocxTable

    with _reading(name, "docx"):
        document = docx.Document(io.BytesIO(data))
        elements, tables = [], []
        for block in document.iter_inner_content():
            if isinstance(block, DocxTable):
                # python-docx gives a merged cell once per grid cell it covers: a title merged
                # across the table repeats in its row, a part number merged down in its rows.
                rows = [[cell.text for cell in row.cells] for row in block.rows]
                label, text = "tab", markdown_table(rows)
                tables.append(Table(_frozen(rows)))
            else:
                label, text = _docx_label(block.style.name if block.style is not None else ""), block.text
            if text.strip():
                elements.append(Element(label, text, len(elements)))
    return OfficeFile([Page(1, "docx", tuple(elements), tuple(tables))], 1)


def read_plain(data: bytes, name: str, kind: str, warnings: list[str]) -> OfficeFile:
    decoded = decode_text(data, name)
    if decoded.notice(name):
        warnings.append(decoded.notice(name))
    text = decoded.text.replace("\r\n", "\n").strip()
    if not text:
        raise EmptyDocument(f"{name} has no text")
    return OfficeFile([Page(1, kind, (Element("text", text, 0),))], 1, decoded.encoding)


def _docx_label(style: str) -> str:
    if style == "Title":
        return "sec_0"
    if style.startswith("Heading "):
        level = style.removeprefix("Heading ").strip()
        return f"sec_{min(int(level), 6) - 1}" if level.isdigit() and int(level) >= 1 else "para"
    return "list" if style.startswith(_DOCX_LIST_STYLES) else "para"


# Rows read, blank ones included, before giving up: a file of a million blank lines is not read to the end.
MAX_SCANNED_ROWS = 2 * MAX_DATASET_ROWS
# Rows of a sheet read: a spreadsheet's blank rows are few, and calamine holds every row it reads.
MAX_XLSX_ROWS = MAX_DATASET_ROWS + 1000


def _collect(
    rows: Iterable[Sequence[object]], where: str, warnings: list[str], total: int, cut_at: int = 0, wide: bool = False
) -> list[list]:
    """The filled rows, at most MAX_DATASET_ROWS and MAX_TABLE_COLUMNS wide, without the columns
    that are empty in every row (spreadsheets often carry blank edges). `total` is how many rows
    the source has, `cut_at` the row `rows` stops at when it stops short of them, and `wide`
    whether filled columns were left out of `rows` already."""
    kept: list[list] = []
    scanned = 0
    for row in rows:
        if len(kept) == MAX_DATASET_ROWS or scanned == MAX_SCANNED_ROWS:
            cut_at = scanned
            break
        scanned += 1
        if not any(_filled(v) for v in row):
            continue
        # A row may be read one column wider than kept: only a filled cell past the cap is lost.
        wide = wide or any(_filled(v) for v in row[MAX_TABLE_COLUMNS:])
        kept.append([None if v == "" else v for v in row[:MAX_TABLE_COLUMNS]])
    if cut_at:
        more = f" (it has about {total:,})" if total > cut_at else ""
        warnings.append(f"{where}: only the first {cut_at:,} rows were read{more}")
    if wide:
        warnings.append(f"{where}: only the first {MAX_TABLE_COLUMNS} columns were read")
    width = max((len(row) for row in kept), default=0)
    used = [c for c in range(width) if any(c < len(row) and _filled(row[c]) for row in kept)]
    return [[row[c] if c < len(row) else None for c in used] for row in kept]


def _markdown(rows: list[list], where: str, warnings: list[str]) -> str:
    if len(rows) > MAX_TABLE_ROWS:
        shown = f"the first {MAX_TABLE_ROWS:,} of its {len(rows):,} rows"
        warnings.append(f"{where}: the text shows {shown}; its dataset has them all")
    return markdown_table([[_cell(v) for v in row] for row in rows[:MAX_TABLE_ROWS]])


def _frozen(rows: list[list]) -> tuple[tuple[object, ...], ...]:
    return tuple(map(tuple, rows))


def _unsaved_formulas_notice(where: str, cells: list[str]) -> str:
    shown = ", ".join(cells[:5]) + (f" and {len(cells) - 5} more" if len(cells) > 5 else "")
    return (f"{where}: {len(cells)} formula{'s have' if len(cells) > 1 else ' has'} no saved result ({shown}), so "
            "they read as empty; open the file in Excel or LibreOffice and save it again to store the results")


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

