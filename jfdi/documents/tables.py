"""Tables as markdown: from rows of cells (spreadsheets, DOCX) and from HTML (Dolphin's table output).

The first row is the header. A cell spanning several rows is repeated in each, so that every row
of a purchase order still says which part it is about when read on its own; a cell spanning
columns fills the first and leaves the others empty."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterable, Sequence


def markdown_table(rows: Iterable[Sequence[object]]) -> str:
    grid = [[_cell(value) for value in row] for row in rows]
    width = max((len(row) for row in grid), default=0)
    if width == 0:
        return ""
    grid = [row + [""] * (width - len(row)) for row in grid]
    lines = [_row(grid[0]), _row(["---"] * width)]
    lines.extend(_row(row) for row in grid[1:])
    return "\n".join(lines)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown_table_rows(text: str) -> list[list[list[str]]]:
    """The rows of each markdown table in `text` (as markdown_table writes them), header first."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines() + [""]:
        line = line.strip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            cells = [cell.strip().replace("\\|", "|") for cell in _UNESCAPED_BAR.split(line[1:-1])]
            if not all(_SEPARATOR_CELL.match(cell) for cell in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")


def html_tables_to_markdown(html: str) -> str | None:
    """Each <table> in `html` as a markdown table, blank-line separated; None when there is none."""
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    tables = [markdown_table(_place_spans(rows)) for rows in parser.tables if rows]
    tables = [table for table in tables if table]
    return "\n\n".join(tables) if tables else None


class _TableParser(HTMLParser):
    """Collects tables as rows of (text, rowspan, colspan); markup inside a cell is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._open: list[list[list[tuple[str, int, int]]]] = []  # nested tables
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append([])
        elif not self._open:
            return
        elif tag == "tr":
            self._finish_cell()
            self._open[-1].append([])
        elif tag in ("td", "th"):
            self._finish_cell()
            values = dict(attrs)
            self._cell = []
            self._span = (_span(values.get("rowspan")), _span(values.get("colspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        if tag in ("td", "th", "tr"):
            self._finish_cell()
        elif tag == "table":
            self._finish_cell()
            self.tables.append(self._open.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def close(self) -> None:
        super().close()
        while self._open:  # a table cut off mid-way (the model ran out of tokens): keep what came
            self._finish_cell()
            self.tables.append(self._open.pop())

    def _finish_cell(self) -> None:
        if self._cell is None:
            return
        rows = self._open[-1]
        if not rows:
            rows.append([])
        rows[-1].append(("".join(self._cell).strip(), *self._span))
        self._cell = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _place_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(min(rowspan, len(rows) - r)):
                grid[(r + dr, c)] = text
                for dc in range(1, colspan):
                    grid.setdefault((r + dr, c + dc), "")
            c += colspan
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
