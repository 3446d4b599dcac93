"""Text laid out by position: boxes of text (OCR detections, runs of a PDF's text layer) put back
into lines, and lines into blocks. A purchase order's table comes out one row per line, its
columns separated by wide spaces, which a model reads as a table; text layers alone lose the
columns. Text side by side is read across, so two-column prose interleaves line by line: the
documents this is for are forms and tables."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

# Words further apart than this many line heights are in different columns.
COLUMN_GAP = 1.5
COLUMN_SEPARATOR = "    "
# A gap between lines this many times the page's usual one starts a new block; lines packed
# tight still need half a line height of space.
BLOCK_GAP = 1.8
MIN_BLOCK_GAP = 0.5
# Lines of a table are no further apart than this many line heights; a table's header has at
# least this share of the cells of its widest line.
TABLE_GAP = 2.5
HEADER_SHARE = 0.8


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def lines_of(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into lines (a box joins a line when its middle falls inside the line's band),
    top to bottom, each left to right."""
    lines: list[list[Box]] = []
    top = bottom = 0.0  # the band of the line being filled
    for box in sorted(boxes, key=lambda b: b.middle):
        if lines and top <= box.middle <= bottom:
            lines[-1].append(box)
            top, bottom = min(top, box.top), max(bottom, box.bottom)
        else:
            lines.append([box])
            top, bottom = box.top, box.bottom
    return [sorted(line, key=lambda b: b.left) for line in lines]


def blocks_of(boxes: list[Box]) -> list[str]:
    lines = lines_of(boxes)
    if not lines:
        return []
    height = median(b.height for b in boxes)
    tops = [min(b.top for b in line) for line in lines]
    bottoms = [max(b.bottom for b in line) for line in lines]
    gaps = [top - bottom for top, bottom in zip(tops[1:], bottoms)]
    threshold = max(BLOCK_GAP * median(gaps), MIN_BLOCK_GAP * height) if gaps else 0.0
    blocks: list[list[str]] = [[_join(lines[0], height)]]
    for line, gap in zip(lines[1:], gaps):
        if gap > threshold:
            blocks.append([])
        blocks[-1].append(_join(line, height))
    return ["\n".join(block) for block in blocks]


def _join(line: list[Box], height: float) -> str:
    return COLUMN_SEPARATOR.join(cell.text for cell in _cells(line, height))


def _cells(line: list[Box], height: float) -> list[Box]:
    """The line's boxes joined into cells: words closer than a column gap are one cell."""
    cells = [line[0]]
    for box in line[1:]:
        last = cells[-1]
        if box.left - last.right > COLUMN_GAP * height:
            cells.append(box)
        else:
            cells[-1] = Box(f"{last.text} {box.text}", last.left, min(last.top, box.top), box.right, max(last.bottom, box.bottom))
    return cells


def tables_of(boxes: list[Box]) -> list[list[list[str]]]:
    """The tables among the boxes, each as rows of cell texts. A table is a run of lines of two
    cells or more with no wide gap between them; its header is the first line of the run with
    nearly as many cells as the widest (key-value lines above it are not part of it), and every
    cell below goes to the header column it overlaps most, so an empty cell stays empty."""
    lines = lines_of(boxes)
    if not lines:
        return []
    height = median(b.height for b in boxes)
    cells = [_cells(line, height) for line in lines]
    tables = []
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and len(cells[end]) >= 2 and (
            end == start or min(b.top for b in lines[end]) - max(b.bottom for b in lines[end - 1]) <= TABLE_GAP * height
        ):
            end += 1
        if end - start >= 2:
            table = _table(cells[start:end])
            if table:
                tables.append(table)
        start = max(end, start + 1)
    return tables


def _table(run: list[list[Box]]) -> list[list[str]] | None:
    widest = max(len(line) for line in run)
    first = next(i for i, line in enumerate(run) if len(line) >= HEADER_SHARE * widest)
    header = run[first]
    # Column k runs from halfway between header cells k-1 and k to halfway between k and k+1.
    bounds = [(a.right + b.left) / 2 for a, b in zip(header, header[1:])]
    spans = list(zip([float("-inf"), *bounds], [*bounds, float("inf")]))
    rows = [[cell.text for cell in header]]
    for line in run[first + 1 :]:
        row = [""] * len(header)
        for cell in line:
            column = max(range(len(spans)), key=lambda k: _overlap(cell, spans[k]))
            row[column] = f"{row[column]} {cell.text}".strip()
        rows.append(row)
    enough = len(rows) >= (2 if len(header) >= 3 else 3)
    return rows if enough else None


def _overlap(cell: Box, span: tuple[float, float]) -> float:
    return min(cell.right, span[1]) - max(cell.left, span[0])
