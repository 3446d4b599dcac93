"""What the checks after each render cost: the time from a component's "rendered" message to the
frame's visible check ("seen") and to the end of its accessibility check ("audited": axe-core
loaded into the frame and run, plus the touch targets), in headless Chromium through the app's
own preview page (jfdi/benchmark/render.py). The preview itself never waits for them.

    python benchmarks/render_checks.py [--runs 5]

Writes benchmarks/results/render_checks.json."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, write_results  # noqa: E402
from jfdi.benchmark.render import Renderer  # noqa: E402
from jfdi.code import answer_files  # noqa: E402
from tests import bench_canned as canned  # noqa: E402
from tests.preview_cases import project  # noqa: E402

# A table of 400 rows, every row in the page (not virtualised): a large DOM for both checks.
BIG_TABLE = """export default function Parts() {
  const rows = Array.from({ length: 400 }, (_, i) => ({ id: `P-${1000 + i}`, stock: (i * 37) % 500, bin: `B${i % 40}` }));
  return (
    <table className="m-4 text-sm">
      <thead><tr><th className="px-2 text-left">Part</th><th className="px-2">Stock</th><th className="px-2">Bin</th></tr></thead>
      <tbody>{rows.map((r) => <tr key={r.id}><td className="px-2">{r.id}</td><td className="px-2">{r.stock}</td><td className="px-2">{r.bin}</td></tr>)}</tbody>
    </table>
  );
}
"""

CASES = {
    "inventory form (tests/bench_canned.py GOOD)": answer_files(canned.GOOD).files,
    "plant dashboard project (recharts, zod, tanstack)": project("plant"),
    "5,000-part virtualised table (PARTS_TABLE)": answer_files(canned.PARTS_TABLE).files,
    "400-row table, all rows in the page": {"src/App.tsx": BIG_TABLE},
}


def measure(renderer: Renderer, files: dict[str, str]) -> dict:
    rendered = renderer.render(files)
    return {"rendered_to_seen_ms": rendered.checks_ms["seen"], "rendered_to_audited_ms": rendered.checks_ms["audited"],
            "a11y_violations": rendered.a11y_violations, "blank": rendered.blank}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {"command": "python benchmarks/render_checks.py " + " ".join(sys.argv[1:]), "machine": machine(),
               "load": os.getloadavg(), "cases": {}}
    with Renderer() as renderer:
        for name, files in CASES.items():
            runs = [measure(renderer, files) for _ in range(args.runs)]
            results["cases"][name] = {
                key: round(statistics.median(r[key] for r in runs)) for key in ("rendered_to_seen_ms", "rendered_to_audited_ms")
            } | {"runs": args.runs, "a11y_violations": runs[-1]["a11y_violations"], "blank": runs[-1]["blank"]}
            print(name, results["cases"][name], flush=True)
    print(write_results("render_checks", results))


if __name__ == "__main__":
    main()
