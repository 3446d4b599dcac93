"""An image as text, for a provider that cannot see (Seed-Coder, a text-only Ollama or OpenRouter
model): Dolphin-v2's layout (headings, fields, tables, checkboxes) when the model is loaded on this
machine's GPU, OCR text laid out by position otherwise.

Reading an image takes seconds, so each is read once: the text is kept by the image's content hash,
in memory and beside the image in the store, and two requests that need the same image at the same
time wait for one reading."""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from typing import Sequence

from ..config import Settings
from ..errors import JFDIError
from ..images.part import ImagePart
from ..images.pixels import to_rgb
from ..images.store import ImageStore
from . import dolphin
from .model import Page
from .ocr import OcrEngine

log = logging.getLogger(__name__)

NOTE = "description"
NOTHING_READ = "(no text could be read from the image)"


@dataclass(frozen=True)
class Description:
    text: str
    engine: str  # dolphin | ocr


class ImageDescriber:
    def __init__(self, settings: Settings, store: ImageStore | None = None):
        self.settings = settings
        self.store = store
        self._known: dict[str, Description] = {}
        self._reading: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def describe(self, image: ImagePart) -> Description:
        """The image's text; EngineUnavailable when neither Dolphin-v2 nor OCR can run here."""
        with self._lock:
            known = self._known.get(image.sha256)
            reading = self._reading.setdefault(image.sha256, threading.Lock())
        if known is not None:
            return known
        with reading:  # a second caller waits here for the first one's reading
            with self._lock:
                known = self._known.get(image.sha256)
            if known is None:
                known = self._kept(image) or self._read(image)
                with self._lock:
                    self._known[image.sha256] = known
        return known

    def prefetch(self, images: Sequence[ImagePart]) -> None:
        """Read images in the background, so that a text-only provider later finds them ready."""

        def read_all() -> None:
            for image in images:
                try:
                    self.describe(image)
                except JFDIError as exc:  # said again, to the user, when a provider needs the text
                    log.info("could not describe %s ahead of time: %s", image.name, exc)
                    return

        if images:
            threading.Thread(target=read_all, daemon=True, name="jfdi-describe").start()

    def _kept(self, image: ImagePart) -> Description | None:
        note = self.store.read_note(image.sha256, NOTE) if self.store else None
        if not note or not isinstance(note.get("text"), str):
            return None
        return Description(note["text"], str(note.get("engine") or "ocr"))

    def _read(self, image: ImagePart) -> Description:
        from PIL import Image

        picture = to_rgb(Image.open(io.BytesIO(image.data)))
        # Dolphin-v2 only when it is loaded already: loading it takes longer than OCR reads a page.
        engine = dolphin.shared_engine(self.settings.doc_model) if dolphin.cuda_available() else None
        if engine is not None and engine.loaded:
            page = Page(1, "dolphin", tuple(engine.read_page(picture)))
        else:
            elements, _tables = OcrEngine.shared().read(picture)
            page = Page(1, "ocr", tuple(elements))
        description = Description(page.markdown or NOTHING_READ, page.engine)
        if self.store is not None:
            self.store.write_note(image.sha256, NOTE, {"text": description.text, "engine": description.engine})
        return description
