"""OCR on the CPU with RapidOCR (PaddleOCR's models on onnxruntime; they ship with the package,
so it works offline). The detected boxes are laid out as text by position, and the tables among
them found by position too (see layout.py).

Where the time went on a scanned A4 page at 144 dpi (182 text boxes, benchmarks/documents.py):
recognition, not detection. RapidOCR pads every batch of crops to at least 320 pixels wide (its
`rec_img_shape`), and most boxes on a form are short (a quantity, a SKU), so recognition mostly
read padding; read at their own width they give the same text in half the time. The angle
classifier, which turns upside-down lines, is skipped: pages and photos arrive upright (EXIF
orientation is applied first). onnxruntime's threads no longer spin while they wait, which on a
shared 2-core machine burns the CPU that another process (or the other thread) needs, and the
memory arena is on, so that crops of many widths reuse their buffers."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .errors import require
from ..images.pixels import shrink_to
from .layout import Box, blocks_of, tables_of
from .model import Element

if TYPE_CHECKING:
    from PIL.Image import Image

# RapidOCR works on at most 2000 pixels a side; shrinking first spares it a full-size copy of a
# 50-megapixel photo.
OCR_LONGEST_SIDE = 2000
MIN_CONFIDENCE = 0.5
# Detection sized by the longer side: the default (shorter side raised to 736 pixels) turns a
# 700 x 90 label into a 5700 x 736 image and takes seconds instead of a half. Crops are read at
# their own width (48 pixels high, padded to the widest of their batch only).
READER_OPTIONS = {"det_limit_type": "max", "use_cls": False, "rec_img_shape": [3, 48, 48]}


class OcrEngine:
    """One RapidOCR instance per process, created on first use (about half a second)."""

    _shared: "OcrEngine | None" = None
    _shared_lock = threading.Lock()

    def __init__(self, reader: Any = None) -> None:
        # `reader`: a RapidOCR made elsewhere (the benchmark compares it with JFDI's own settings).
        self._reader: Any = reader
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
            self._reader = _with_quiet_sessions(rapidocr.RapidOCR(**READER_OPTIONS))
        return self._reader

    def read(self, image: "Image") -> tuple[list[Element], list[list[list[str]]]]:
        """The page's text blocks, and the tables among them as rows of cells (layout.tables_of)."""
        import numpy as np

        pixels = np.asarray(shrink_to(image, OCR_LONGEST_SIDE))
        # onnxruntime already uses every core for one image; two at once only compete.
        with self._lock:
            results, _timings = self._load()(pixels)
        boxes = [_box(points, text) for points, text, score in results or () if score >= MIN_CONFIDENCE and text.strip()]
        return [Element("text", block, order) for order, block in enumerate(blocks_of(boxes))], tables_of(boxes)


def _box(points: list[list[float]], text: str) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Box(text.strip(), min(xs), min(ys), max(xs), max(ys))


def _with_quiet_sessions(reader: Any) -> Any:
    """The reader with its detection and recognition sessions made again, with the memory arena on
    and threads that sleep instead of spinning (RapidOCR 1.4 fixes both the other way)."""
    import onnxruntime
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    models = update_model_path(read_yaml(DEFAULT_CFG_PATH))
    for holder, part in ((reader.text_det.infer, "Det"), (reader.text_rec.session, "Rec")):
        model = models[part]["model_path"]
        holder.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    return reader
