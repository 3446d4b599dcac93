"""Document parsing speed: pages per second from a PDF's text layer, seconds per page for OCR on
this CPU (JFDI's OCR settings against RapidOCR's own, in the same run), and seconds per page for
Dolphin-v2 when a CUDA GPU is there.

    python benchmarks/documents.py [--pages 50] [--ocr-pages 3] [--dolphin-model ID_OR_DIR]

The documents are made here: a purchase order of --pages pages (header and a 35-line item table
on each), and scans of its first pages (150 dpi, grey noise) in an image-only PDF. Results go to
benchmarks/results/documents.json and documents.md, with the machine they ran on.

Dolphin-v2 runs only on a CUDA GPU; without one this part is skipped and the results say so. It
uses the weights of --dolphin-model (JFDI_DOC_MODEL by default). Random weights give the speed,
not the quality: they never stop early, so each answer runs to the token limit (a worst case)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jfdi.config import load_settings  # noqa: E402
from jfdi.documents import parse  # noqa: E402
from jfdi.documents.dolphin import DolphinEngine, cuda_available  # noqa: E402
from jfdi.documents.ocr import OcrEngine  # noqa: E402
from jfdi.documents.parsing import OCR_RENDER_SCALE  # noqa: E402
from jfdi.documents.pdf import PdfFile  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TEXT_TARGET_PAGES_PER_S = 50
ITEMS_PER_PAGE = 35


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50, help="pages of the text PDF (default 50)")
    parser.add_argument("--ocr-pages", type=int, default=3, help="scanned pages for OCR (default 3)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs over the text PDF (default 5)")
    parser.add_argument("--dolphin-model", help="Dolphin-v2 hub id or directory (default: JFDI_DOC_MODEL)")
    args = parser.parse_args()
    settings = load_settings()
    settings = dataclasses.replace(settings, max_pages=max(args.pages, args.ocr_pages))

    with tempfile.TemporaryDirectory() as folder:
        text_pdf = purchase_order_pdf(Path(folder) / "po.pdf", args.pages)
        scans = scanned_pdf(text_pdf, Path(folder) / "scans.pdf", args.ocr_pages)
        results = {
            "machine": machine(),
            "text_layer": bench_text(text_pdf, args.pages, args.runs, settings),
            "ocr": bench_ocr(scans, args.ocr_pages, settings),
            "dolphin": bench_dolphin(scans, args.ocr_pages, args.dolphin_model or settings.doc_model, settings),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "documents.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "documents.md").write_text(report(results))
    print(report(results))


def bench_text(pdf: Path, pages: int, runs: int, settings) -> dict:
    parse(pdf, engine="auto", settings=settings)  # warm-up: imports, first open
    timings = {}
    for engine in ("text", "auto"):
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            doc = parse(pdf, engine=engine, settings=settings)
            seconds.append(time.perf_counter() - start)
            assert doc.engines == ["text"] and len(doc.pages) == pages
        timings[engine] = statistics.median(seconds)
    best = pages / timings["auto"]
    return {
        "pages": pages,
        "runs": runs,
        "median_seconds": {k: round(v, 4) for k, v in timings.items()},
        "pages_per_second": {k: round(pages / v, 1) for k, v in timings.items()},
        "target_pages_per_second": TEXT_TARGET_PAGES_PER_S,
        "target_met": best >= TEXT_TARGET_PAGES_PER_S,
        "chars_per_page": len(doc.markdown) // pages,
    }


# What the OCR engine was before JFDI tuned it: RapidOCR's defaults but for detection sized by the
# longer side (the "before" of the comparison).
RAPIDOCR_DEFAULTS = {"det_limit_type": "max"}
OCR_ROUNDS = 3


def bench_ocr(pdf: Path, pages: int, settings) -> dict:
    """The whole OCR path through parse() (render and read), then the reading alone, JFDI's settings
    against RapidOCR's, page by page in turns (so that both see the same load), best and median of
    OCR_ROUNDS rounds, with the load average beside each."""
    from rapidocr_onnxruntime import RapidOCR

    start = time.perf_counter()
    OcrEngine.shared().load()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    doc = parse(pdf, engine="ocr", settings=settings)
    seconds = time.perf_counter() - start
    assert doc.engines == ["ocr"]
    with PdfFile(pdf.read_bytes(), pdf.name) as scans:
        images = [scans.render(scans.page(i), scale=OCR_RENDER_SCALE) for i in range(pages)]
    engines = {"before": OcrEngine(RapidOCR(**RAPIDOCR_DEFAULTS)), "after": OcrEngine.shared()}
    for engine in engines.values():
        engine.read(images[0])  # first run: onnxruntime's own set-up
    timings: dict[str, list[float]] = {name: [] for name in engines}
    loads: dict[str, list[float]] = {name: [] for name in engines}
    texts: dict[str, str] = {}
    for _ in range(OCR_ROUNDS):
        for image in images:
            for name, engine in engines.items():
                began = time.perf_counter()
                elements, _tables = engine.read(image)
                timings[name].append(time.perf_counter() - began)
                loads[name].append(os.getloadavg()[0])
                texts[name] = "\n".join(e.text for e in elements)
    return {
        "pages": pages,
        "render_dpi": round(72 * OCR_RENDER_SCALE),
        "page_pixels": list(images[0].size),
        "model_load_seconds": round(load_s, 2),
        "parse_seconds_per_page": round(seconds / pages, 2),
        "skus_read_exactly": sku_recall(doc.markdown, pages),
        "reading": {
            name: {
                "settings": "RapidOCR's defaults, detection by the longer side" if name == "before"
                else "JFDI's: crops at their own width, no angle classifier, threads that sleep",
                "best_seconds_per_page": round(min(timings[name]), 2),
                "median_seconds_per_page": round(statistics.median(timings[name]), 2),
                "load_average_1min": [round(x, 1) for x in loads[name]],
                "skus_read_exactly_last_page": round(sum(sku in texts[name] for sku in _skus(pages)) / ITEMS_PER_PAGE, 3),
            }
            for name in engines
        },
    }


def bench_dolphin(pdf: Path, pages: int, model: str, settings) -> dict:
    if not cuda_available():
        return {"skipped": "no CUDA GPU on this machine: Dolphin-v2 runs on a GPU only", "model": model}
    engine = DolphinEngine(model)
    start = time.perf_counter()
    try:
        engine.load()
    except Exception as exc:  # the figure is missing either way; say why
        return {"skipped": f"could not load {model}: {exc}", "model": model}
    load_s = time.perf_counter() - start
    import torch

    start = time.perf_counter()
    doc = parse(pdf, engine="dolphin", settings=settings, dolphin=engine)
    seconds = time.perf_counter() - start
    return {
        "model": model,
        "device": torch.cuda.get_device_name(0),
        "pages": pages,
        "model_load_seconds": round(load_s, 1),
        "seconds_per_page": round(seconds / pages, 2),
        "elements_per_page": round(sum(len(p.elements) for p in doc.pages) / pages, 1),
        "skus_read_exactly": sku_recall(doc.markdown, pages),
        "note": "speed with these weights; random weights give the speed, not the quality (every answer runs to the token limit)",
    }


def sku_recall(markdown: str, pages: int) -> float:
    """Share of the scanned pages' SKUs found exactly in the output: a rough check of what was read."""
    skus = [f"SKU-{n:05d}" for n in range(pages * ITEMS_PER_PAGE)]
    return round(sum(sku in markdown for sku in skus) / len(skus), 3)


def _skus(pages: int) -> list[str]:
    """The SKUs of the last scanned page."""
    return [f"SKU-{n:05d}" for n in range((pages - 1) * ITEMS_PER_PAGE, pages * ITEMS_PER_PAGE)]


def purchase_order_pdf(path: Path, pages: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    columns = (40, 120, 330, 400, 470)
    for page in range(pages):
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(40, 800, "PURCHASE ORDER")
        pdf.setFont("Helvetica", 10)
        pdf.drawString(40, 780, f"PO Number: PO-2024-{page:04d}    Vendor: Acme Fasteners GmbH    Page {page + 1} of {pages}")
        for x, title in zip(columns, ("SKU", "Description", "Qty", "Unit price", "Total")):
            pdf.drawString(x, 750, title)
        for row in range(ITEMS_PER_PAGE):
            n = page * ITEMS_PER_PAGE + row
            qty, price = 10 + n % 490, 0.05 + (n % 97) * 0.37
            description = f"Hex bolt M{6 + n % 10}x{20 + n % 60} zinc"
            values = (f"SKU-{n:05d}", description, str(qty), f"{price:.2f}", f"{qty * price:.2f}")
            for x, value in zip(columns, values):
                pdf.drawString(x, 732 - 18 * row, value)
        pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(text_pdf: Path, path: Path, pages: int) -> Path:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    source = pdfium.PdfDocument(text_pdf)
    rng = np.random.default_rng(0)
    scans = []
    for index in range(pages):
        image = source[index].render(scale=150 / 72).to_pil().convert("L")
        noisy = (np.asarray(image, dtype=np.float64) + rng.normal(0, 10, (image.height, image.width))).clip(0, 255)
        scans.append(Image.fromarray(noisy.astype(np.uint8)).rotate(0.3, fillcolor=255).convert("RGB"))
    scans[0].save(path, save_all=True, append_images=scans[1:], resolution=150)
    return path


def machine() -> dict:
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
        cpu = names[0] if names else cpu
    memory = None
    if Path("/proc/meminfo").exists():
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = round(total_kb / 1024 / 1024, 1)
    versions = {}
    for package in ("pypdfium2", "rapidocr-onnxruntime", "onnxruntime", "torch", "transformers", "pillow"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "gpu": _gpu(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


def _gpu() -> str | None:
    if not cuda_available():
        return None
    import torch

    return torch.cuda.get_device_name(0)


def report(results: dict) -> str:
    m, text, ocr, dolphin = results["machine"], results["text_layer"], results["ocr"], results["dolphin"]
    lines = [
        "# Document parsing speed",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, GPU: {m['gpu'] or 'none'}; "
        f"load average at start {m['load_average_at_start']}"
        f"{' (not idle: other work was running)' if max(m['load_average_at_start']) > 0.5 * m['cores'] else ''}.",
        "",
        "| what | result |",
        "|---|---|",
        f"| PDF text layer, `auto` ({text['pages']} pages, median of {text['runs']}) | "
        f"{text['pages_per_second']['auto']} pages/s (target {text['target_pages_per_second']}: "
        f"{'met' if text['target_met'] else 'NOT met'}) |",
        f"| PDF text layer, `text` | {text['pages_per_second']['text']} pages/s |",
        f"| OCR on the CPU, parse() ({ocr['pages']} scanned pages, rendered at {ocr['render_dpi']} dpi) | "
        f"{ocr['parse_seconds_per_page']} s/page (+ {ocr['model_load_seconds']} s to load RapidOCR once) |",
    ]
    for name, reading in ocr["reading"].items():
        loads = reading["load_average_1min"]
        lines.append(
            f"| OCR reading alone, {name} ({reading['settings']}) | best {reading['best_seconds_per_page']} s/page, "
            f"median {reading['median_seconds_per_page']} s/page; load average {min(loads)} to {max(loads)}; "
            f"SKUs read {reading['skus_read_exactly_last_page']:.0%} |"
        )
    if "skipped" in dolphin:
        lines.append(f"| Dolphin-v2 | skipped: {dolphin['skipped']} |")
    else:
        lines.append(
            f"| Dolphin-v2 on {dolphin['device']} ({dolphin['model']}) | {dolphin['seconds_per_page']} s/page "
            f"(+ {dolphin['model_load_seconds']} s to load) |"
        )
    lines += ["", "Command: `python benchmarks/documents.py`", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
