"""How fast the preview follows a generation, and what the checks cost.

    python benchmarks/preview.py [--runs 10] [--checks 10]

1. Time from the final token to the rendered preview, in the app as a user runs it: a loopback
   Claude server streams a 200-line component (benchmarks/preview_component.tsx) into
   `python app.py`, Chromium shows the Preview tab, and the time runs from the server sending
   the last text chunk to the frame's "rendered" message reaching the page (after React's
   commit, on the next animation frame). Split into the app's part (the code reaching the
   frame's host) and the frame's part (compile and render). Target (issue 4): <= 500 ms median.
2. `check(code)` (syntax and TypeScript) for the same component: the first check in a fresh
   process, then warm checks of changed versions."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_results  # noqa: E402
from tests.apprunner import start_app  # noqa: E402
from tests.browser import launch_chromium  # noqa: E402
from tests.loopback import AnthropicServer, Reply  # noqa: E402

COMPONENT = (Path(__file__).resolve().parent / "preview_component.tsx").read_text()
CHUNKS = 60  # the answer arrives in this many pieces, 10 ms apart


def version(run: int) -> str:
    # Every run differs, as every generation does; the same code twice is not re-rendered.
    return COMPONENT.replace("Plant 2 · purchasing queue", f"Plant 2 · purchasing queue · run {run}")


def wall_ms(monotonic_s: float) -> float:
    """A time.monotonic() reading as wall-clock milliseconds, comparable with the browser's Date.now()."""
    return (time.time() - time.monotonic() + monotonic_s) * 1000


def preview_latencies(tmp: Path, runs: int) -> list[dict]:
    from playwright.sync_api import expect, sync_playwright

    rows = []
    with AnthropicServer() as claude:
        env = {"ANTHROPIC_API_KEY": "sk-ant-benchmark", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude"}
        app = start_app(tmp / "app", env)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.goto(app.url)
                prompt = page.get_by_label("What do you want to build?")
                expect(prompt).to_be_visible(timeout=30_000)
                page.get_by_role("tab", name="Preview").click()
                for run in range(runs + 1):  # run 0 warms up the app, the checker and the browser
                    code = version(run)
                    size = -(-len(code) // CHUNKS)
                    claude.enqueue(Reply(chunks=[code[i:i + size] for i in range(0, len(code), size)], delay_s=0.01))
                    before = len(claude.sent_at)
                    seen = page.evaluate("(window.jfdiPreview || {events: []}).events.length")
                    prompt.fill(f"Build an inventory reorder form with validation ({run})")
                    page.locator("#jfdi-generate").click()
                    page.wait_for_function(
                        "(seen) => window.jfdiPreview.events.slice(seen).some((e) => e.rendered)", arg=seen, timeout=60_000
                    )
                    events = page.evaluate("(seen) => window.jfdiPreview.events.slice(seen)", seen)
                    expect(page.frame_locator("#jfdi-preview iframe.jfdi-preview-frame:not(.jfdi-preview-spare)")
                           .get_by_text(f"run {run}")).to_be_visible()
                    last_token = wall_ms(claude.sent_at[before:][-1])
                    shown = next(e["shown"] for e in events if "shown" in e)
                    rendered = next(e for e in events if e.get("rendered"))
                    if run:
                        rows.append({
                            "final_token_to_rendered_ms": round(rendered["rendered"] - last_token, 1),
                            "final_token_to_frame_ms": round(shown - last_token, 1),
                            "frame_compile_and_render_ms": round(rendered["ms"], 1),
                        })
                    expect(page.locator("#jfdi-checks")).to_contain_text("types", timeout=60_000)
                browser.close()
        finally:
            app.stop()
    return rows


def check_times(checks: int) -> dict:
    from jfdi.preview.checks import Checker

    checker = Checker()
    try:
        started = time.monotonic()
        first = checker.check(version(0))
        cold = time.monotonic() - started
        warm = []
        for run in range(1, checks + 1):
            started = time.monotonic()
            result = checker.check(version(run))
            warm.append(time.monotonic() - started)
            assert result.ok, result
    finally:
        checker.close()
    return {
        "tools": first.tools,
        "first_check_s": round(cold, 3),
        "warm_check_ms": summary([w * 1000 for w in warm]),
    }


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[max(0, int(len(ordered) * 0.9) - 1)], 1),
        "min": round(ordered[0], 1),
        "max": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--checks", type=int, default=10)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as name:
        rows = preview_latencies(Path(name), args.runs)
    checks = check_times(args.checks)
    latency = summary([r["final_token_to_rendered_ms"] for r in rows])
    results = {
        "benchmark": "preview",
        "command": f"python benchmarks/preview.py --runs {args.runs} --checks {args.checks}",
        "machine": {
            **machine(),
            "chromium": _chromium(),
            "load_average_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        },
        "component_lines": COMPONENT.count("\n"),
        "final_token_to_rendered_ms": latency,
        "final_token_to_frame_ms": summary([r["final_token_to_frame_ms"] for r in rows]),
        "frame_compile_and_render_ms": summary([r["frame_compile_and_render_ms"] for r in rows]),
        "runs": rows,
        "check": checks,
        "targets": {"final_token_to_rendered_median_ms": 500},
        "met": {"final_token_to_rendered": latency["median"] <= 500},
    }
    write_results("preview", results)
    print(f"final token -> rendered preview: {latency}")
    print(f"  of which the app (code reaches the frame): {results['final_token_to_frame_ms']}")
    print(f"  and the frame (compile + render): {results['frame_compile_and_render_ms']}")
    print(f"check(code): first {checks['first_check_s']} s, warm {checks['warm_check_ms']} ({checks['tools']})")


def _chromium() -> str:
    import subprocess

    from tests.browser import CHROMIUM

    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"[\d.]+", out)
    return match.group(0) if match else ""


if __name__ == "__main__":
    main()
