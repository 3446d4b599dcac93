"""Dolphin-v2's prompts and output formats, as published with the model (bytedance/Dolphin, the
Dolphin-v2 model card). Pure functions: nothing here loads a model.

Stage 1 answers "Parse the reading order of this document." with the page's elements in reading
order, each a box in absolute pixels of the image the model saw, a label and optional tags:

    [210,136,910,172][sec_0][PAIR_SEP][202,217,921,325][para][author][PAIR_SEP]...

([RELATION_SEP] separates elements too). An answer that is not a bracketed list like this means
the model saw a photographed or distorted page: it is then read whole, as published. Stage 2
reads each element's crop with the prompt for its label: tables come back as HTML, formulas as
LaTeX, code with its indentation, everything else as text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .tables import html_tables_to_markdown

LAYOUT_PROMPT = "Parse the reading order of this document."
TEXT_PROMPT = "Read text in the image."
ELEMENT_PROMPTS = {
    "tab": "Parse the table in the image.",
    "equ": "Read formula in the image.",
    "code": "Read code in the image.",
}
WHOLE_PAGE = "distorted_page"
# Dolphin-v2's own preprocessing before its processor: the longer side at most 1600 pixels, the
# shorter at least 28.
MAX_SIDE = 1600
MIN_SIDE = 28
# More than this share of boxes overlapping another (IoU above 0.1) means the layout is not to
# be trusted (a photographed page); the published pipeline then reads the page whole.
OVERLAP_IOU = 0.1
OVERLAP_SHARE = 0.25
# Crops this small or smaller hold nothing legible.
MIN_CROP = 3

_SEPARATORS = re.compile(r"\[(?:PAIR_SEP|RELATION_SEP)\]")
_BOX = re.compile(r"\[(\d*\.?\d+),(\d*\.?\d+),(\d*\.?\d+),(\d*\.?\d+)\]")
_BRACKETED = re.compile(r"\[([^\]]+)\]")


@dataclass(frozen=True)
class LayoutItem:
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in the model's pixels
    label: str
    tags: tuple[str, ...] = ()


def parse_layout(answer: str) -> list[LayoutItem] | None:
    """Stage 1's answer as layout items in reading order; None when it is not a layout."""
    answer = answer.strip()
    if not (answer.startswith("[") and answer.endswith("]")):
        return None
    items = []
    for segment in _SEPARATORS.split(answer):
        box = _BOX.search(segment)
        names = [n.strip() for n in _BRACKETED.findall(segment) if not _BOX.fullmatch(f"[{n}]")]
        if box and names and names[0]:
            x1, y1, x2, y2 = (float(v) for v in box.groups())
            items.append(LayoutItem((x1, y1, x2, y2), names[0], tuple(names[1:])))
    return items or None


def prompt_for(label: str) -> str:
    return ELEMENT_PROMPTS.get(label, TEXT_PROMPT)


def element_text(label: str, answer: str) -> str:
    """Stage 2's answer as the element's markdown-ready text."""
    answer = answer.strip()
    if label == "tab":
        return html_tables_to_markdown(answer) or answer
    if label == "equ":
        return answer.strip("$").strip()
    return answer


def input_size(width: int, height: int) -> tuple[int, int]:
    """The size Dolphin-v2 resizes a page or crop to before its processor sees it."""
    scale = 1.0
    if max(width, height) > MAX_SIDE:
        scale = MAX_SIDE / max(width, height)
    new_w, new_h = max(1, int(width * scale)), max(1, int(height * scale))
    if min(new_w, new_h) < MIN_SIDE:
        grow = MIN_SIDE / min(new_w, new_h)
        new_w, new_h = max(MIN_SIDE, int(new_w * grow)), max(MIN_SIDE, int(new_h * grow))
    return new_w, new_h


def model_size(width: int, height: int, factor: int, min_pixels: int, max_pixels: int) -> tuple[int, int]:
    """The size Qwen2.5-VL's image processor resizes to: both sides multiples of `factor` (patch
    size times merge size), the area between `min_pixels` and `max_pixels`, the aspect kept.
    Stage 1's boxes are in these pixels."""
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if w * h > max_pixels:
        beta = math.sqrt(width * height / max_pixels)
        h = max(factor, math.floor(height / beta / factor) * factor)
        w = max(factor, math.floor(width / beta / factor) * factor)
    elif w * h < min_pixels:
        beta = math.sqrt(min_pixels / (width * height))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    return w, h


def page_box(box: tuple[float, ...], seen: tuple[int, int], page: tuple[int, int]) -> tuple[int, int, int, int]:
    """A stage-1 box mapped from the model's pixels (`seen`) to the page image's, inside the page."""
    (seen_w, seen_h), (page_w, page_h) = seen, page
    sx, sy = page_w / seen_w, page_h / seen_h
    x1 = min(max(int(box[0] * sx), 0), page_w - 1)
    y1 = min(max(int(box[1] * sy), 0), page_h - 1)
    x2 = max(x1 + 1, min(int(box[2] * sx), page_w))
    y2 = max(y1 + 1, min(int(box[3] * sy), page_h))
    return x1, y1, x2, y2


def mostly_overlapping(boxes: list[tuple[int, int, int, int]]) -> bool:
    if len(boxes) < 2:
        return False
    overlapping = sum(
        any(_iou(box, other) > OVERLAP_IOU for j, other in enumerate(boxes) if j != i) for i, box in enumerate(boxes)
    )
    return overlapping / len(boxes) > OVERLAP_SHARE


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
