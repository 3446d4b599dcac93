"""XLSX sheets as rows of typed cells (numbers, text, booleans, dates as date/datetime).

calamine (Rust) reads a 20,000-row BOM in a fraction of a second, thirty times faster than
openpyxl, but it holds a sheet's whole extent in memory: a stray cell at XFD1048576 would make it
ask for hundreds of gigabytes and abort the process. So each sheet's XML is scanned first (a few
passes of a regular expression over the unpacked part): a sheet taller than the rows wanted, or
wider than the columns kept, is cut to them (its rows past the cap, its cells right of the last
column kept) in a copy that calamine reads instead, so calamine never holds more than rows
wanted x columns kept. The same scan finds formulas saved without their result (a file
written by a program that does not calculate): those cells read empty, and the warning says how
to get the values."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from typing import Iterator
from xml.etree import ElementTree

from .errors import require

_CHUNK = 4 * 1024 * 1024
_NS = rb"(?:[\w.-]+:)?"
_CELL_REF = re.compile(rb" r=\"([A-Z]{1,3})(\d+)\"")  # in <c r="B12">; a <row r="12"> has no letters
_ROW_REF = re.compile(rb"<" + _NS + rb"row\b[^>]*? r=\"(\d+)\"")
# A formula followed by no value, or by an empty one: a number cannot be empty, so unless the
# cell says its result is text (t="str"), nothing was saved.
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"<" + _NS + rb"c\b([^>]*)>\s*<" + _NS + rb"f\b[^>]*(?:/>|>[^<]*</" + _NS + rb"f>)\s*"
    rb"(?:<" + _NS + rb"v\s*/>|<" + _NS + rb"v>\s*</" + _NS + rb"v>)?\s*</" + _NS + rb"c>"
)
# What such a cell ends with, as writers spell it: looked for first, because a regular expression
# over every cell of a large sheet costs more than the rest of the scan.
_NO_VALUE_ENDINGS = (b"</f></c>", b"</f><v></v></c>", b"</f><v/></c>", b"/></c>", b":f>")
# More "<c" than references than this: some cells have no reference (or the count found
# something else), so rows are bounded by their own references too.
_UNREFERENCED_SLACK = 1000
_ATTRIBUTE = re.compile(rb"\s(r|t)=\"([^\"]*)\"")
_ROW_START = re.compile(rb"<" + _NS + rb"row\b(?:[^>]*? r=\"(\d+)\")?")
_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData\b")
_DIMENSION = re.compile(rb"<" + _NS + rb"dimension\b[^>]*/>")
_CELL = re.compile(rb"<" + _NS + rb"c r=\"([A-Z]{1,3})\d+\"[^>]*?(?:/>|>.*?</" + _NS + rb"c>)", re.S)
_VALUE = re.compile(rb"<" + _NS + rb"(?:v|is)>")
_EMPTY_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    rows: int  # the sheet's extent, as far as its XML says
    columns: int
    unsaved_formulas: list[str]  # cell references, A1 style

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass
class Sheet:
    title: str
    rows: list[list[object]]  # from the sheet's first row and column (A1), vertical merges filled
    scan: SheetScan
    trimmed: bool  # read from a copy cut to the rows and columns wanted
    wider: bool  # the cut left out cells with values right of the columns kept


class Workbook:
    """The worksheets of an XLSX file, in workbook order."""

    def __init__(self, data: bytes, max_columns: int):
        self._archive = zipfile.ZipFile(io.BytesIO(data))
        self._max_columns = max_columns
        self._parts = _worksheet_parts(self._archive)
        self._calamine = require("python_calamine", "python-calamine", "reading XLSX")
        self._book = self._calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.titles = [meta.name for meta in self._book.sheets_metadata if meta.typ == self._calamine.SheetTypeEnum.WorkSheet]

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc: object) -> None:
        self._book.close()
        self._archive.close()

    def sheet(self, title: str, max_rows: int) -> Sheet:
        """The sheet's rows, at most `max_rows` of them from the top (empty ones included), and
        one column more than the columns kept (so that a cut can be told from a sheet that ends)."""
        part = self._parts.get(title)
        scan = scan_sheet(self._archive, part, max_rows) if part else SheetScan(0, 0, [])
        book, trimmed, dropped = self._book, False, False
        if part and (scan.rows > max_rows or scan.columns > self._max_columns + 1):
            xml, dropped = trim_sheet(self._archive, part, max_rows, self._max_columns + 1)
            book, trimmed = self._trimmed_copy(part, xml), True
        try:
            sheet = book.get_sheet_by_name(title)
            grid = sheet.to_python(skip_empty_area=False, nrows=max_rows)
            merged = sheet.merged_cell_ranges or []
        finally:
            if trimmed:
                book.close()
        _fill_down(grid, merged)
        return Sheet(title, grid, scan, trimmed, dropped)

    def _trimmed_copy(self, part: str, xml: bytes):
        """A workbook for calamine holding the sheet cut to its first rows and wanted columns:
        the workbook's own parts, the other sheets empty."""
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
            for name in self._archive.namelist():
                if name == part:
                    out.writestr(name, xml)
                elif name in self._parts.values():
                    out.writestr(name, _EMPTY_SHEET)
                elif not name.startswith(("xl/worksheets/", "xl/media/", "xl/drawings/", "xl/charts/", "docProps/")):
                    out.writestr(name, self._archive.read(name))
        copy.seek(0)
        return self._calamine.CalamineWorkbook.from_filelike(copy)


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> the path of its XML part, from xl/workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID))
        if target:
            path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname("xl/workbook.xml"), target))
            parts[sheet.get("name", "")] = path
    return parts


def scan_sheet(archive: zipfile.ZipFile, part: str, enough_rows: int) -> SheetScan:
    """The extent of a worksheet's cells (an upper bound) and its formulas without a saved
    value, from its XML. Past `enough_rows` rows only rows are counted: the sheet will be cut."""
    cells = row_tags = max_column = max_row = referenced = 0
    unsaved: list[str] = []
    try:
        stream = archive.open(part)
    except KeyError:
        return SheetScan(0, 0, [])
    with stream:
        segments = _segments(stream)
        for segment in segments:
            if max(max_row, row_tags) > enough_rows:
                # It will be cut; only its length is wanted now, for the warning: counted fast.
                row_tags += sum(part.count(b"<row") + part.count(b":row") for part in (segment, *segments))
                return SheetScan(max(max_row, row_tags), max_column + max(0, cells - referenced), unsaved)
            refs = _CELL_REF.findall(segment)
            referenced += len(refs)
            if refs:
                max_column = max(max_column, *map(_column_number, {letters for letters, _ in refs}))
                max_row = max(max_row, *map(int, {number for _, number in refs}))
            # Counted the fast way, "<c" also finds <col> and <cfRule>: a few more, a safer bound.
            cells += segment.count(b"<c") + segment.count(b":c ")
            row_tags += segment.count(b"<row") + segment.count(b":row")
            if cells - referenced > _UNREFERENCED_SLACK:  # cells placed by their row's reference
                max_row = max(max_row, *map(int, _ROW_REF.findall(segment)), 0)
            if any(ending in segment for ending in _NO_VALUE_ENDINGS):
                for attributes in _FORMULA_WITHOUT_VALUE.findall(segment):
                    found = dict(_ATTRIBUTE.findall(attributes))
                    if found.get(b"t") not in (b"str", b"inlineStr", b"e"):
                        unsaved.append(found.get(b"r", b"?").decode("ascii", "replace"))
    # A cell without a reference follows the one before it: each may add a column.
    return SheetScan(max(max_row, row_tags), max_column + max(0, cells - referenced), unsaved)


def _segments(stream) -> Iterator[bytes]:
    """The XML in pieces that end where a row starts, so no cell is cut in two."""
    buffer = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer += chunk
        if not chunk:
            if buffer:
                yield buffer
            return
        cut = max(buffer.rfind(b"<row"), buffer.rfind(b":row"))
        cut = buffer.rfind(b"<", 0, cut + 1) if cut > 0 else -1
        if cut > 0:
            yield buffer[:cut]
            buffer = buffer[cut:]


def trim_sheet(archive: zipfile.ZipFile, part: str, max_rows: int, max_columns: int) -> tuple[bytes, bool]:
    """The sheet's XML up to its `max_rows`-th row (or its first row numbered beyond), without
    cells right of column `max_columns` and without its <dimension> (which may claim anything);
    and whether a cell left out on the right held a value."""
    kept: list[bytes] = []
    dropped = False
    rows = 0
    prefix = b""
    with archive.open(part) as stream:
        for segment in _segments(stream):
            if not kept:
                opening = _SHEET_DATA.search(segment)
                prefix = (opening.group(1) or b"") if opening else b""
                segment = _DIMENSION.sub(b"", segment)
            cut = None
            for match in _ROW_START.finditer(segment):
                rows += 1
                number = int(match.group(1) or rows)
                if rows > max_rows or number > max_rows:
                    cut = match.start()
                    break
            xml, lost = _far_cells_removed(segment[:cut], max_columns)
            kept.append(xml)
            dropped = dropped or lost
            if cut is not None:
                kept.append(b"</" + prefix + b"sheetData></" + prefix + b"worksheet>")
                break
    return b"".join(kept), dropped


def _far_cells_removed(xml: bytes, max_columns: int) -> tuple[bytes, bool]:
    lost = False

    def keep(match: re.Match[bytes]) -> bytes:
        nonlocal lost
        if _column_number(match.group(1)) <= max_columns:
            return match.group(0)
        lost = lost or _VALUE.search(match.group(0)) is not None
        return b""

    return _CELL.sub(keep, xml), lost


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _fill_down(rows: list[list], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Give each cell of a range merged over several rows the value of its first cell, in place:
    a part number merged down over three rows belongs to each of them. A range within one row (a
    title or a heading across columns) stays as Excel shows it, in its first cell."""
    for (first_row, first_col), (last_row, last_col) in merged:
        if last_row == first_row or not (0 <= first_row < len(rows)) or first_col >= len(rows[first_row]):
            continue
        value = rows[first_row][first_col]
        for r in range(first_row, min(last_row + 1, len(rows))):
            row = rows[r]
            for c in range(first_col, min(last_col + 1, len(row))):
                row[c] = value
