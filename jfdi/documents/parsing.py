"""parse(): one uploaded file to a Document, page by page, choosing an engine for each page.

`auto` reads a PDF page's text layer when it carries real text; a scanned or image-heavy page, or
an image, goes to Dolphin-v2 when a CUDA GPU is there and to OCR otherwise (and to OCR when
Dolphin cannot be loaded, with a warning). `text`, `ocr` and `dolphin` force one engine for PDFs
and images. Spreadsheets, CSV, DOCX, TXT and MD always go to their own reader: the choice of
engine is about pages that are pictures.

Every table found on the way (a sheet, a CSV, a table in a PDF's text layer, in a DOCX, or read
by OCR or Dolphin) becomes a typed dataset on the Document (datasets.py)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable

from ..config import DOC_ENGINES, Settings, load_settings
from ..errors import BadInput
from . import dolphin as dolphin_engine
from . import office
from .datasets import datasets_of
from .dolphin import PDF_LONGEST_SIDE, DolphinEngine
from .errors import DocumentError, EngineUnavailable
from .images import open_image
from .model import Document, Element, Page, Table
from .ocr import OcrEngine
from .pdf import PdfFile, PdfPage
from .source import page_limit_notice, read_source
from .tables import markdown_table_rows

if TYPE_CHECKING:
    from PIL.Image import Image

Progress = Callable[[int, int, str], None]
# Pages are rendered at 144 dpi for OCR: small print in a table stays legible.
OCR_RENDER_SCALE = 2.0


def parse(
    path: str | os.PathLike,
    *,
    engine: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    dolphin: DolphinEngine | None = None,
) -> Document:
    """Parse the file at `path`. `progress(done_pages, total_pages, message)` is called before
    each page and once at the end; `dolphin` replaces the shared Dolphin-v2 engine (tests, benchmarks).

    Raises a DocumentError (bad input) for a file that cannot be used, EngineUnavailable when the
    engine asked for cannot run here."""
    settings = settings or load_settings()
    mode = (engine or settings.doc_engine).lower()
    if mode not in DOC_ENGINES:
        raise BadInput(f"unknown document engine {engine!r}: use one of {', '.join(DOC_ENGINES)}")
    source = read_source(path, settings.max_upload_mb)
    report = progress or _quiet
    warnings: list[str] = [source.notice] if source.notice else []
    pictures = _PictureReader(mode, settings, dolphin, warnings, report)
    encoding = None
    if source.kind == "pdf":
        pages, count = _parse_pdf(source.data, source.name, mode, settings.max_pages, pictures, warnings, report)
    elif source.kind in ("png", "jpg"):
        if mode == "text":
            raise BadInput(f"{source.name} is an image and has no text layer: use the auto, ocr or dolphin engine")
        report(0, 1, f"reading {source.name}")
        pages, count = [pictures.read(open_image(source.data, source.name), 1, 0, 1)], 1
    else:
        report(0, 1, f"reading {source.name}")
        read = office.read(source.data, source.name, source.kind, settings.max_pages, warnings)
        pages, count, encoding = read.pages, read.count, read.encoding
    if not any(page.markdown for page in pages):
        hint = "; the ocr engine reads scanned pages" if mode == "text" else ""
        warnings.append(f"no text was found in {source.name}{hint}")
    datasets = datasets_of(source.name, pages, warnings)
    document = Document(source.name, source.sha256, tuple(pages), tuple(warnings), count, datasets, encoding)
    report(len(pages), len(pages), f"read {source.name}")
    return document


def _quiet(done: int, total: int, message: str) -> None:
    pass


def _parse_pdf(
    data: bytes, name: str, mode: str, max_pages: int, pictures: "_PictureReader", warnings: list[str], report: Progress
) -> tuple[list[Page], int]:
    pages = []
    with PdfFile(data, name) as pdf:
        total = min(pdf.page_count, max_pages)
        if pdf.page_count > max_pages:
            warnings.append(page_limit_notice(name, pdf.page_count, max_pages))
        for index in range(total):
            report(index, total, f"reading page {index + 1} of {total}")
            try:
                pages.append(_read_pdf_page(pdf, index, total, mode, pictures, warnings))
            except DocumentError as exc:  # one damaged page does not lose the others
                warnings.append(f"{exc}; the page was skipped")
    return pages, pdf.page_count


def _read_pdf_page(pdf: PdfFile, index: int, total: int, mode: str, pictures: "_PictureReader", warnings: list[str]) -> Page:
    page = pdf.page(index)
    if mode == "text" or (mode == "auto" and not page.needs_image):
        if page.needs_image and mode == "text":
            warnings.append(f"page {index + 1} of {pdf.name} has little or no text layer (a scan?)")
        elements = tuple(Element("text", block, i) for i, block in enumerate(page.blocks))
        return Page(index + 1, "text", elements, _tables(page.tables))
    return pictures.read_pdf_page(pdf, page, index, total)


def _tables(grids: list[list[list[str]]]) -> tuple[Table, ...]:
    return tuple(Table(tuple(map(tuple, rows))) for rows in grids)


class _PictureReader:
    """Reads page images with Dolphin-v2 or OCR, deciding which on the first picture it meets (so a
    PDF with a text layer on every page never imports torch)."""

    def __init__(self, mode: str, settings: Settings, dolphin: DolphinEngine | None, warnings: list[str], report: Progress):
        self.mode = mode
        self.settings = settings
        self.warnings = warnings
        self.report = report
        self._dolphin = dolphin
        self._engine: DolphinEngine | OcrEngine | None = None

    def read(self, image: "Image", number: int, done: int, total: int) -> Page:
        engine = self._choose(done, total)
        if isinstance(engine, DolphinEngine):
            elements = engine.read_page(image)
            grids = [rows for e in elements if e.label == "tab" for rows in markdown_table_rows(e.text)]
            return Page(number, "dolphin", tuple(elements), _tables(grids))
        elements, grids = engine.read(image)
        return Page(number, "ocr", tuple(elements), _tables(grids))

    def read_pdf_page(self, pdf: PdfFile, page: PdfPage, done: int, total: int) -> Page:
        engine = self._choose(done, total)
        if isinstance(engine, DolphinEngine):
            image = pdf.render(page, longest_side=PDF_LONGEST_SIDE)
        else:
            image = pdf.render(page, scale=OCR_RENDER_SCALE)
        return self.read(image, page.index + 1, done, total)

    def _choose(self, done: int, total: int) -> DolphinEngine | OcrEngine:
        if self._engine is None:
            self._engine = self._dolphin_engine(done, total) if self._wants_dolphin() else OcrEngine.shared()
        return self._engine

    def _wants_dolphin(self) -> bool:
        return self.mode == "dolphin" or (self.mode == "auto" and dolphin_engine.cuda_available())

    def _dolphin_engine(self, done: int, total: int) -> DolphinEngine | OcrEngine:
        engine = self._dolphin or dolphin_engine.shared_engine(self.settings.doc_model)
        if not engine.loaded:
            self.report(done, total, f"loading Dolphin-v2 ({engine.model_id}); the first document takes a while")
        try:
            engine.load()
        except EngineUnavailable as exc:
            if self.mode == "dolphin":
                raise
            self.warnings.append(f"{exc}; pages were read with OCR instead")
            return OcrEngine.shared()
        if engine.device == "cpu":
            self.warnings.append("no CUDA GPU: Dolphin-v2 ran on the CPU, which takes minutes per page")
        return engine
