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
    text = line[0].text
    for before, box in zip(line, line[1:]):
        text += (COLUMN_SEPARATOR if box.left - before.right > COLUMN_GAP * height else " ") + box.text
    return text
