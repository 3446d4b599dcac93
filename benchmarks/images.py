"""Images to components: the image set (benchmarks/images.json and images/, made by image_set.py),
through the text path and through each provider that can be reached.

    python benchmarks/images.py [--providers claude,openrouter,ollama,local] [--loopback] [--no-render]
                                [--out benchmarks/results/images]

1. The text path, on its own: each image prepared (as an upload is) and read as text by OCR (as a
   provider that cannot see receives it), cold (nothing cached), timed per image with the load
   average beside it; and how many of the image's expected labels (the `text`, `field` and
   `button` items) that text holds: a model given only the text can do no better.
2. Each image's prompt through each provider (no fallback), checked as benchmarks/run.py checks
   (render in Chromium, the expect items). Per path (the provider sees the image, or gets its text):
   expect-item pass rate and time to the first token (for the text path it includes reading the image).
   --loopback: Claude (sees) and a text-only model on an OpenAI-compatible server are loopback
   servers that check the image parts as the services do and answer every prompt with the same canned
   component; those rows measure the paths (wire format, encoding, OCR, time to first token), not a model.

Writes OUT/images.json and OUT/images.md (with the run's results.json and report.md beside them)."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from benchmarks import run  # noqa: E402
from benchmarks.common import machine  # noqa: E402
from benchmarks.image_set import MANIFEST  # noqa: E402
from jfdi.benchmark.prompts import BenchPrompt, load_prompts  # noqa: E402
from jfdi.config import load_settings  # noqa: E402
from jfdi.documents.describe import ImageDescriber  # noqa: E402
from jfdi.documents.ocr import OcrEngine  # noqa: E402
from jfdi.images import load_images  # noqa: E402
from jfdi.images.pixels import to_rgb  # noqa: E402

OUT = ROOT / "results" / "images"
TARGET_S = 3.0  # a photo described as text, per page, on an idle machine
LABEL_KEYS = {"text": "value", "field": "label", "button": "name"}


def text_path(prompts: list[BenchPrompt]) -> list[dict]:
    settings = load_settings()
    describer = ImageDescriber(settings)  # no store: nothing read before counts
    ocr = OcrEngine.shared()
    began = time.perf_counter()
    ocr.load()
    first = load_images(prompts[0].images, max_upload_mb=settings.max_upload_mb)[0]
    ocr.read(to_rgb(Image.open(io.BytesIO(first.data))))  # onnxruntime sets itself up on the first reading
    warm_up_s = round(time.perf_counter() - began, 2)
    rows = []
    for prompt in prompts:
        load = os.getloadavg()[0]
        began = time.perf_counter()
        image = load_images(prompt.images, max_upload_mb=settings.max_upload_mb)[0]
        prepared = time.perf_counter()
        description = describer.describe(image)
        done = time.perf_counter()
        labels = [(item["kind"], item[LABEL_KEYS[item["kind"]]]) for item in prompt.expect if item["kind"] in LABEL_KEYS]
        found = [pattern for _, pattern in labels if re.search(pattern, description.text, re.IGNORECASE)]
        rows.append(
            {
                "id": prompt.id,
                "image": prompt.images[0].name,
                "pixels": [image.width, image.height],
                "prepare_s": round(prepared - began, 2),
                "read_s": round(done - prepared, 2),
                "total_s": round(done - began, 2),
                "engine": description.engine,
                "chars": len(description.text),
                "labels_found": len(found),
                "labels": len(labels),
                "missing": [p for _, p in labels if p not in found],
                "load_average_1min": round(load, 1),
            }
        )
        rows[-1]["warm_up_s"] = warm_up_s if len(rows) == 1 else None
        print(f"text path: {prompt.id} {rows[-1]['total_s']} s, {len(found)}/{len(labels)} labels", file=sys.stderr)
    return rows


def providers_part(args: argparse.Namespace, out: Path) -> dict | None:
    if not args.providers and not args.loopback:
        return None
    command = ["--prompts", str(MANIFEST), "--out", str(out)] + (["--no-render"] if args.no_render else [])
    if not args.loopback:
        code = run.main(["--providers", args.providers, *command])
        return _per_path(out) if code == 0 else None
    from tests import bench_canned as canned
    from tests.loopback import AnthropicServer, OpenAIServer, Reply

    with tempfile.TemporaryDirectory() as tmp, AnthropicServer() as claude, OpenAIServer() as openrouter:
        claude.default = Reply(text=f"```tsx\n{canned.GOOD}```", usage=(2600, 900), delay_s=0.01)
        openrouter.default = Reply(text=canned.GOOD, usage=(1400, 900), delay_s=0.01)
        os.environ.update(
            {
                "ANTHROPIC_API_KEY": "sk-ant-loopback",
                "ANTHROPIC_BASE_URL": claude.url,
                "OPENROUTER_API_KEY": "sk-or-loopback",
                "OPENROUTER_BASE_URL": f"{openrouter.url}/api/v1",
                "JFDI_OPENROUTER_MODEL": "deepseek/deepseek-chat",  # text-only: the OCR text path
                "JFDI_DATA_DIR": str(Path(tmp) / "data"),
            }
        )
        code = run.main(
            [
                "--providers",
                "claude,openrouter",
                *command,
                "--note",
                "Loopback providers (tests/loopback.py): claude sees the images (checked as Anthropic checks them); "
                "openrouter is a text-only model given the OCR text. Both answer every prompt with the same canned "
                "inventory form: pass rates show the harness, not a model.",
            ]
        )
        received = {
            "claude_images": sum(len(i) for i in claude.images),
            "openrouter_images": sum(len(i) for i in openrouter.images),
        }
    return {**_per_path(out), **received} if code == 0 else None


def _per_path(out: Path) -> dict:
    results = json.loads((out / "results.json").read_text())
    sees = results["meta"].get("sees_images", {})
    paths: dict[str, dict] = {}
    for row in results["rows"]:
        key = f"{row['provider']} ({'image' if sees.get(row['provider']) else 'text: OCR'})"
        entry = paths.setdefault(key, {"runs": 0, "expect_passed": 0, "expect_total": 0, "ttft_s": []})
        entry["runs"] += 1
        entry["expect_passed"] += row["checks"]["expect_passed"] or 0
        entry["expect_total"] += row["checks"]["expect_total"] or 0
        if row["ttft_s"] is not None:
            entry["ttft_s"].append(row["ttft_s"])
    return {
        "paths": {
            key: {
                "runs": e["runs"],
                "expect_pass_rate": round(e["expect_passed"] / e["expect_total"], 3) if e["expect_total"] else None,
                "median_ttft_s": round(statistics.median(e["ttft_s"]), 2) if e["ttft_s"] else None,
                "max_ttft_s": max(e["ttft_s"], default=None),
            }
            for key, e in paths.items()
        }
    }


def report(results: dict) -> str:
    m = results["machine"]
    text = results["text_path"]
    loads = [r["load_average_1min"] for r in text]
    before = results["load_average_at_start"]
    idle = max(before) <= 0.5 * (m["cores"] or 1)
    lines = [
        "# Images to components",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores; commit {m['commit']}; {m['when']}.",
        f"Load average at the start (1, 5, 15 min): {before}"
        + ("" if idle else ": the machine was NOT idle (other work was running); idle times are shorter")
        + f". During the text path (this benchmark's own OCR threads included): {min(loads)} to {max(loads)}.",
        "",
        "## The text path (a provider that cannot see gets this)",
        "",
        f"Each image prepared as an upload is, then read by OCR, nothing cached. Target: <= {TARGET_S:g} s per page, idle. "
        f"Before the first, loading RapidOCR and its first reading (onnxruntime's own set-up, once per process) took "
        f"{text[0]['warm_up_s']} s.",
        "",
        "| image | pixels (prepared) | prepare s | OCR s | total s | load | labels in the text | missing |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in text:
        lines.append(
            f"| {r['image']} | {r['pixels'][0]} x {r['pixels'][1]} | {r['prepare_s']} | {r['read_s']} | {r['total_s']} | "
            f"{r['load_average_1min']} | {r['labels_found']}/{r['labels']} | {', '.join(r['missing']) or '-'} |"
        )
    found = sum(r["labels_found"] for r in text)
    total = sum(r["labels"] for r in text)
    lines += [
        "",
        f"Median {round(statistics.median(r['total_s'] for r in text), 2)} s per image, worst {max(r['total_s'] for r in text)} s; "
        f"labels found in the OCR text: {found}/{total} ({found / total:.0%}).",
        "",
    ]
    part = results.get("providers")
    if part:
        lines += [
            "## Through the providers",
            "",
            "| provider (path) | runs | expect items passed | median time to first token |",
            "|---|---|---|---|",
        ]
        for key, p in part["paths"].items():
            rate = "-" if p["expect_pass_rate"] is None else f"{p['expect_pass_rate']:.0%}"
            lines.append(f"| {key} | {p['runs']} | {rate} | {p['median_ttft_s']} s |")
        if "claude_images" in part:
            lines += [
                "",
                f"Images received by the loopback Claude: {part['claude_images']}; by the text-only model: "
                f"{part['openrouter_images']} (it got their text).",
            ]
        lines += ["", "The full rows: results.json and report.md beside this file."]
    lines += ["", f"Command: `{results['command']}`", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", default="", help="comma-separated, configured as the app is (environment and .env)")
    parser.add_argument("--loopback", action="store_true", help="loopback Claude and a text-only OpenAI-compatible model")
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    prompts = load_prompts(MANIFEST)
    results = {
        "command": "python benchmarks/images.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "images": len(prompts),
        "text_path": text_path(prompts),
    }
    results["providers"] = providers_part(args, args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "images.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "images.md").write_text(report(results))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
