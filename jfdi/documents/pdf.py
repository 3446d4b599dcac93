"""PDFs with pypdfium2: the text layer of each page (its runs of text laid out by position, so
that tables keep their columns, and the tables found in it), whether the page needs reading as an image, and page images for
OCR and Dolphin.

PDFium is not thread-safe, so every call into it holds one lock; a page is rendered under the lock
and read by an engine outside it, so that two uploads parse side by side."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import CorruptDocument, EmptyDocument, EncryptedDocument, require
from .images import check_pixels, render_scale, to_rgb
from .layout import Box, blocks_of, tables_of

if TYPE_CHECKING:
    from PIL.Image import Image

PDFIUM_LOCK = threading.Lock()
# Fewer letters and digits than this and a page has no real text layer (a page number, a stray
# mark from a scanner); it is read as an image instead.
MIN_TEXT_CHARS = 20
# A page mostly covered by images with only this much text is a scan with a stamp or a header
# typed onto it: the content is in the image.
SPARSE_TEXT_CHARS = 200
IMAGE_COVERAGE = 0.5
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


@dataclass(frozen=True)
class PdfPage:
    index: int  # 0-based
    blocks: list[str]  # the text layer, block by block
    needs_image: bool
    size_pt: tuple[float, float]
    tables: list[list[list[str]]]  # the tables of the text layer, as rows of cells (layout.tables_of)


def _pdfium():
    return require("pypdfium2", "pypdfium2", "reading PDFs")


class PdfFile:
    def __init__(self, data: bytes, name: str):
        pdfium = _pdfium()
        self.name = name
        with PDFIUM_LOCK:
            try:
                self._pdf = pdfium.PdfDocument(data)
            except pdfium.PdfiumError as exc:
                if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
                    raise EncryptedDocument(
                        f"{name} is password-protected: save or print it as a PDF without a password"
                    ) from None
                raise CorruptDocument(f"{name} is not a readable PDF ({exc}): save or export it again") from None
            self.page_count = len(self._pdf)
        if self.page_count == 0:
            self.close()
            raise EmptyDocument(f"{name} has no pages")

    def __enter__(self) -> "PdfFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with PDFIUM_LOCK:
            self._pdf.close()

    def page(self, index: int) -> PdfPage:
        pdfium = _pdfium()
        import pypdfium2.raw as raw

        with PDFIUM_LOCK:
            try:
                page = self._pdf[index]
            except pdfium.PdfiumError as exc:
                raise CorruptDocument(f"page {index + 1} of {self.name} is damaged ({exc})") from None
            try:
                textpage = page.get_textpage()
                try:
                    runs = _text_runs(textpage)
                finally:
                    textpage.close()
                blocks = blocks_of(runs)
                width, height = page.get_size()
                letters = sum(map(str.isalnum, "".join(blocks)))
                # Counting image area walks every object on the page: only worth it for little text.
                needs_image = letters < MIN_TEXT_CHARS or (
                    letters < SPARSE_TEXT_CHARS
                    and _image_coverage(page, width, height, raw.FPDF_PAGEOBJ_IMAGE) >= IMAGE_COVERAGE
                )
            except pdfium.PdfiumError as exc:
                raise CorruptDocument(f"page {index + 1} of {self.name} is damaged ({exc})") from None
            finally:
                page.close()
        return PdfPage(index, blocks, needs_image, (width, height), tables_of(runs) if not needs_image else [])

    def render(self, page: PdfPage, *, scale: float | None = None, longest_side: int | None = None) -> "Image":
        """The page as an RGB image, at `scale` (1 = 72 dpi) or with its longer side `longest_side`
        pixels, never beyond the pixel limit."""
        width, height = page.size_pt
        wanted = scale if scale is not None else (longest_side or 1000) / max(width, height, 1.0)
        scale = render_scale(width, height, wanted)
        check_pixels(round(width * scale), round(height * scale), f"page {page.index + 1} of {self.name}")
        with PDFIUM_LOCK:
            pdf_page = self._pdf[page.index]
            try:
                bitmap = pdf_page.render(scale=scale)
                image = bitmap.to_pil()
                bitmap.close()
            finally:
                pdf_page.close()
        return to_rgb(image)


def _text_runs(textpage) -> list[Box]:
    runs = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\x00", "").replace("\ufffe", "")
        if text.strip():
            # PDF y grows upwards; negated, it grows downwards like an image's.
            runs.append(Box(" ".join(text.split()), left, -top, right, -bottom))
    return runs


def _image_coverage(page, width: float, height: float, image_type: int) -> float:
    area = max(width * height, 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[image_type], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        w = max(0.0, min(right, width) - max(left, 0.0))
        h = max(0.0, min(top, height) - max(bottom, 0.0))
        covered += w * h
    return min(covered / area, 1.0)
