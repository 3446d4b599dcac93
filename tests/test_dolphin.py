"""Dolphin-v2: its published stage-1 and stage-2 output formats parsed, and the whole code path run
end to end on a tiny randomly initialised Qwen2.5-VL on the CPU (random weights: the answers are
gibberish, which is itself the case of a layout that cannot be parsed)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from jfdi.documents import EngineUnavailable, parse
from jfdi.documents import dolphin as dolphin_module
from jfdi.documents import dolphin_format as fmt
from jfdi.documents.dolphin import PDF_LONGEST_SIDE, DolphinEngine, shared_engine
from jfdi.documents.tables import html_tables_to_markdown
from tests import document_files as files


# Stage 1 as Dolphin-v2 writes it (the example in the published utils): boxes in the model's pixels,
# a label, optional tags, [PAIR_SEP] between elements and [RELATION_SEP] where a column ends.
PUBLISHED_LAYOUT = (
    "[210,136,910,172][sec_0][PAIR_SEP][202,217,921,325][para][author][PAIR_SEP][520,341,604,367][para][PAIR_SEP]"
    "[290,404,384,432][sec_1][paper_abstract][PAIR_SEP][156,448,520,723][para][paper_abstract][PAIR_SEP]"
    "[125,740,290,768][sec_1][PAIR_SEP][125,781,552,1143][para][PAIR_SEP][125,1144,552,1400][para][RELATION_SEP]"
    "[573,406,1000,561][para][PAIR_SEP][573,581,1001,943][para][PAIR_SEP][573,962,1001,1222][para][PAIR_SEP]"
    "[573,1241,1001,1475][para][PAIR_SEP][126,1410,551,1470][fnote][PAIR_SEP][21,499,63,1163][watermark][meta_num]"
)
# Stage 2 for a table, as in the published results: HTML, a row-spanning cell.
PUBLISHED_TABLE = (
    "<table><tr><td></td><td></td><td>RACE-middle</td><td>RACE-high</td></tr><tr><td>GPT-3</td><td>175B</td><td>58.4</td>"
    '<td>45.5</td></tr><tr><td rowspan="2">PaLM</td><td>8B</td><td>57.9</td><td>42.3</td></tr><tr><td>62B</td>'
    "<td>64.3</td><td>47.5</td></tr></table>"
)


def test_stage_one_layout_in_the_published_format():
    items = fmt.parse_layout(PUBLISHED_LAYOUT)
    assert len(items) == 14
    assert items[0] == fmt.LayoutItem((210.0, 136.0, 910.0, 172.0), "sec_0", ())
    assert items[1] == fmt.LayoutItem((202.0, 217.0, 921.0, 325.0), "para", ("author",))
    assert items[7].box == (125.0, 1144.0, 552.0, 1400.0) and items[8].box == (573.0, 406.0, 1000.0, 561.0)
    assert [i.label for i in items[-2:]] == ["fnote", "watermark"] and items[-1].tags == ("meta_num",)


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "PURCHASE ORDER PO-2024-0117",  # a photographed page: Dolphin reads it as text
        "[12,30,400,60]",  # a box without a label
        "[12,30,400,60][para][PAIR_SEP][40,70",  # cut off mid-way
        "[para][tab]",
    ],
)
def test_answers_that_are_not_a_layout(answer):
    assert fmt.parse_layout(answer) is None


def test_each_element_gets_its_published_prompt():
    assert fmt.LAYOUT_PROMPT == "Parse the reading order of this document."
    assert fmt.prompt_for("tab") == "Parse the table in the image."
    assert fmt.prompt_for("equ") == "Read formula in the image."
    assert fmt.prompt_for("code") == "Read code in the image."
    assert {fmt.prompt_for(label) for label in ("para", "sec_0", "list", "cap", "fnote", "distorted_page")} == {
        "Read text in the image."
    }


def test_stage_two_answers_become_markdown():
    table = fmt.element_text("tab", PUBLISHED_TABLE)
    assert table.splitlines() == [
        "|  |  | RACE-middle | RACE-high |",
        "| --- | --- | --- | --- |",
        "| GPT-3 | 175B | 58.4 | 45.5 |",
        "| PaLM | 8B | 57.9 | 42.3 |",
        "| PaLM | 62B | 64.3 | 47.5 |",
    ]
    assert fmt.element_text("equ", "$$E = mc^2$$") == "E = mc^2"
    code = "def f():\n    return 1"
    assert fmt.element_text("code", code + "\n") == code
    assert fmt.element_text("tab", "no table here") == "no table here"


def test_html_tables_with_spans_headers_markup_and_a_cut_off_end():
    html = (
        "<table><thead><tr><th colspan='2'>Part</th><th>Qty</th></tr></thead>"
        "<tr><td><b>BLT</b>-M8-30</td><td>bolt | zinc</td><td>250</td></tr>"
        "<tr><td>NUT-M8</td><td>nut<br>M8</td><td>5&amp;0</td>"
    )
    assert html_tables_to_markdown(html).splitlines() == [
        "| Part |  | Qty |",
        "| --- | --- | --- |",
        "| BLT-M8-30 | bolt \\| zinc | 250 |",
        "| NUT-M8 | nut M8 | 5&0 |",
    ]
    assert html_tables_to_markdown("<p>just text</p>") is None
    two = html_tables_to_markdown("<table><tr><td>a</td></tr></table> and <table><tr><td>b</td></tr></table>")
    assert two == "| a |\n| --- |\n\n| b |\n| --- |"


def test_sizes_match_qwen_vl_preprocessing():
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import smart_resize

    # Dolphin-v2's processor: 28-pixel units, 784 to 2,560,000 pixels.
    for width, height in [(634, 896), (896, 634), (1600, 1066), (300, 200), (40, 900), (2000, 1400), (10, 10)]:
        expected_h, expected_w = smart_resize(height, width, 28, 784, 2_560_000)
        assert fmt.model_size(width, height, 28, 784, 2_560_000) == (expected_w, expected_h)
    assert fmt.input_size(3000, 2000) == (1600, 1066)  # the longer side capped at 1600
    assert fmt.input_size(800, 20) == (1120, 28)  # the shorter side raised to 28
    assert fmt.input_size(634, 896) == (634, 896)


def test_boxes_map_back_to_the_page_and_stay_inside_it():
    assert fmt.page_box((100, 50, 300, 150), (644, 896), (1288, 1792)) == (200, 100, 600, 300)
    assert fmt.page_box((-5, 800, 9999, 9999), (644, 896), (644, 896)) == (0, 800, 644, 896)
    assert fmt.page_box((10, 10, 10, 10), (100, 100), (100, 100)) == (10, 10, 11, 11)


def test_mostly_overlapping_boxes_mean_a_distorted_page():
    columns = [(0, 0, 100, 50), (0, 60, 100, 110), (120, 0, 220, 50), (120, 60, 220, 110)]
    assert not fmt.mostly_overlapping(columns)
    assert fmt.mostly_overlapping(columns[:2] + [(10, 5, 110, 55), (5, 65, 105, 115)])
    assert not fmt.mostly_overlapping([(0, 0, 10, 10)])


@pytest.fixture
def engine(tiny_dolphin_dir: Path) -> DolphinEngine:
    return DolphinEngine(str(tiny_dolphin_dir), max_new_tokens=12, batch_size=2)


def test_image_end_to_end_on_a_tiny_qwen2_5_vl(engine, settings, tmp_path):
    files.scanned_po_image(tmp_path / "scan.png")
    seen = []
    doc = parse(tmp_path / "scan.png", settings=settings, engine="dolphin", dolphin=engine, progress=lambda *a: seen.append(a))
    assert engine.loaded and engine.device == "cpu"
    assert doc.engines == ["dolphin"]
    # Random weights never write a layout: the page is read whole, as Dolphin does for photos.
    [element] = doc.pages[0].elements
    assert element.label == "distorted_page" and element.order == 0 and element.text.strip()
    assert doc.markdown == element.text.strip()
    assert any("no CUDA GPU" in w for w in doc.warnings)
    assert any("loading Dolphin-v2" in message for _, _, message in seen) and seen[-1][:2] == (1, 1)


def test_pdf_pages_are_rendered_for_dolphin_as_it_renders_them(engine, settings, tmp_path):
    files.purchase_order_pdf(tmp_path / "po.pdf")
    sizes = []
    read_page = engine.read_page

    def recording(image):
        sizes.append(image.size)
        return read_page(image)

    engine.read_page = recording
    doc = parse(tmp_path / "po.pdf", settings=replace(settings, max_pages=1), engine="dolphin", dolphin=engine)
    assert [(p.number, p.engine) for p in doc.pages] == [(1, "dolphin")]
    assert max(sizes[0]) == PDF_LONGEST_SIDE


def test_stage_two_reads_elements_in_batches_by_prompt_and_keeps_reading_order(engine, tmp_path):
    from PIL import Image

    files.scanned_po_image(tmp_path / "scan.png")
    page = Image.open(tmp_path / "scan.png").convert("RGB")  # 1400 x 800; the model sees 308 x 168
    layout = fmt.parse_layout(
        "[10,5,200,20][sec_0][PAIR_SEP][10,25,300,40][para][PAIR_SEP][10,45,300,100][tab][PAIR_SEP]"
        "[10,100,150,120][fig][PAIR_SEP][10,120,300,130][para][PAIR_SEP][10,130,200,140][equ][PAIR_SEP]"
        "[10,140,300,160][para][PAIR_SEP][2,150,8,166][watermark][meta_num]"
    )
    calls = []
    chat = engine._chat

    def recording(prompts, images):
        calls.append((prompts[0], len(images)))
        return chat(prompts, images)

    engine._chat = recording
    elements = engine.read_elements(page, layout)
    assert [(e.order, e.label) for e in elements] == [
        (0, "sec_0"), (1, "para"), (2, "tab"), (3, "fig"), (4, "para"), (5, "equ"), (6, "para"), (7, "watermark"),
    ]
    assert sorted(calls) == sorted([
        ("Read text in the image.", 2), ("Read text in the image.", 2),  # sec_0 and 3 paras, 2 per batch
        ("Parse the table in the image.", 1),
        ("Read formula in the image.", 1),
    ])
    assert elements[3].text == "" and elements[7].text == ""  # neither a figure nor a watermark is read
    assert all(e.text for e in elements if e.label not in ("fig", "watermark"))


def test_forced_dolphin_that_cannot_load_is_an_engine_error(settings, tmp_path):
    files.scanned_po_image(tmp_path / "scan.png")
    with pytest.raises(EngineUnavailable, match="could not be loaded.*JFDI_DOC_MODEL"):
        parse(tmp_path / "scan.png", settings=settings, engine="dolphin", dolphin=DolphinEngine(str(tmp_path / "no-model")))


def test_auto_with_a_gpu_falls_back_to_ocr_when_dolphin_cannot_load(settings, tmp_path, monkeypatch):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (700, 90), "white")
    ImageDraw.Draw(image).text((20, 25), "PO Number 4500017823", font=ImageFont.truetype(files.FONT, 32), fill="black")
    image.save(tmp_path / "label.png")
    monkeypatch.setattr(dolphin_module, "cuda_available", lambda: True)
    doc = parse(tmp_path / "label.png", settings=replace(settings, doc_model=str(tmp_path / "no-model")))
    assert doc.engines == ["ocr"] and "4500017823" in doc.markdown
    assert any("could not be loaded" in w and "OCR instead" in w for w in doc.warnings)


def test_one_dolphin_model_per_device():
    first = shared_engine("ByteDance/Dolphin-v2")
    assert shared_engine("ByteDance/Dolphin-v2") is first
    other = shared_engine("/models/dolphin-v2-local")
    assert other is not first and shared_engine("/models/dolphin-v2-local") is other
