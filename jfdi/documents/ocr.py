"""OCR on the CPU with RapidOCR (PaddleOCR's models on onnxruntime; they ship with the package,
so it works offline). The detected boxes are laid out as text by position (see layout.py)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .errors import require
from ..images.pixels import shrink_to
from .layout import Box, blocks_of
from .model import Element

if TYPE_CHECKING:
    from PIL.Image import Image

# RapidOCR works on at most 2000 pixels a side; shrinking first spares it a full-size copy of a
# 50-megapixel photo.
OCR_LONGEST_SIDE = 2000
MIN_CONFIDENCE = 0.5


class OcrEngine:
    """One RapidOCR instance per process, created on first use (about half a second)."""

    _shared: "OcrEngine | None" = None
    _shared_lock = threading.Lock()

    def __init__(self) -> None:
        self._reader: Any = None
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> "OcrEngine":
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def load(self) -> None:
        """Create the reader now (it is created on first use otherwise)."""
        with self._lock:
            self._load()

    def _load(self) -> Any:
        if self._reader is None:
            rapidocr = require("rapidocr_onnxruntime", "rapidocr-onnxruntime", "OCR")
            # Detection sized by the longer side: the default (shorter side raised to 736 pixels)
            # turns a 700 x 90 label into a 5700 x 736 image and takes seconds instead of a half.
            self._reader = rapidocr.RapidOCR(det_limit_type="max")
        return self._reader

    def read(self, image: "Image") -> list[Element]:
        import numpy as np

        pixels = np.asarray(shrink_to(image, OCR_LONGEST_SIDE))
        # onnxruntime already uses every core for one image; two at once only compete.
        with self._lock:
            results, _timings = self._load()(pixels)
        boxes = [_box(points, text) for points, text, score in results or () if score >= MIN_CONFIDENCE and text.strip()]
        return [Element("text", block, order) for order, block in enumerate(blocks_of(boxes))]


def _box(points: list[list[float]], text: str) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Box(text.strip(), min(xs), min(ys), max(xs), max(ys))
