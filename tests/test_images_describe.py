"""An image as text for a provider that cannot see: OCR on a rendered form, read once per image
(kept by content hash, in memory and beside the image), Dolphin-v2's layout when it is loaded."""

from __future__ import annotations

import threading

import pytest

from jfdi.documents import dolphin
from jfdi.documents.describe import ImageDescriber
from jfdi.documents.model import Element
from jfdi.documents.ocr import OcrEngine
from jfdi.images import prepare_image
from jfdi.images.store import ImageStore
from tests import image_files as files

FORM = prepare_image(files.form_png(), "inspection.png")


@pytest.fixture
def reads(monkeypatch):
    """Every OCR reading, counted (the real OCR still runs)."""
    seen = []
    real = OcrEngine.read

    def counted(self, image):
        seen.append(image.size)
        return real(self, image)

    monkeypatch.setattr(OcrEngine, "read", counted)
    return seen


def test_ocr_reads_the_forms_title_fields_and_sign_off(settings, reads):
    description = ImageDescriber(settings).describe(FORM)
    assert description.engine == "ocr"
    for label in (files.FORM_TITLE, *files.FORM_FIELDS, files.FORM_SIGN_OFF):
        assert label.lower() in description.text.lower(), label
    assert reads == [(1240, 1754)]


def test_each_image_is_read_once_even_by_two_requests_at_once_and_after_a_restart(settings, reads, tmp_path):
    store = ImageStore(tmp_path / "images")
    describer = ImageDescriber(settings, store)
    results = []
    threads = [threading.Thread(target=lambda: results.append(describer.describe(FORM))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1 and len({r.text for r in results}) == 1
    assert describer.describe(FORM) == results[0] and len(reads) == 1
    restarted = ImageDescriber(settings, store)  # a new process: the text kept beside the image
    assert restarted.describe(FORM) == results[0] and len(reads) == 1


def test_dolphin_reads_the_layout_when_it_is_loaded(settings, monkeypatch):
    class LoadedDolphin:
        loaded = True

        def read_page(self, image):
            return [Element("sec_0", "FIRST ARTICLE INSPECTION", 0), Element("tab", "| Feature | Nominal |\n|---|---|", 1)]

    monkeypatch.setattr(dolphin, "cuda_available", lambda: True)
    monkeypatch.setattr(dolphin, "shared_engine", lambda model_id: LoadedDolphin())
    description = ImageDescriber(settings).describe(FORM)
    assert description.engine == "dolphin"
    assert description.text == "# FIRST ARTICLE INSPECTION\n\n| Feature | Nominal |\n|---|---|"


def test_dolphin_not_loaded_yet_is_not_waited_for(settings, monkeypatch, reads):
    class Unloaded:
        loaded = False

        def read_page(self, image):
            raise AssertionError("loading Dolphin-v2 takes longer than OCR reads the page")

    monkeypatch.setattr(dolphin, "cuda_available", lambda: True)
    monkeypatch.setattr(dolphin, "shared_engine", lambda model_id: Unloaded())
    assert ImageDescriber(settings).describe(FORM).engine == "ocr" and len(reads) == 1
