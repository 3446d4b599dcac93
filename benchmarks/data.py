"""Typed datasets: how well the schema inference types the columns of shop spreadsheets, and how
long a 20,000-row BOM takes from upload to its dataset.

    python benchmarks/data.py [--runs 5]

The spreadsheets are tests/spreadsheets.py's CORPUS, made here: BOMs, purchase-order exports,
inspection plans, torque logs, stock lists in English, French, German and Spanish conventions,
with the awkward headers of real files; each lists the type and unit every column must get.
Targets: at least 95% of columns typed right, every unit a header names found. Results go to
benchmarks/results/data.json and data.md, with the machine and its load."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import RESULTS, machine, write_results  # noqa: E402
from jfdi.config import load_settings  # noqa: E402
from jfdi.documents import parse  # noqa: E402
from jfdi.documents.units import header_unit  # noqa: E402
from tests import spreadsheets as sheets  # noqa: E402

TYPE_TARGET = 0.95
BOM_ROWS = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed parses of the 20,000-row BOM (default 5)")
    args = parser.parse_args()
    settings = load_settings()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        accuracy = bench_accuracy(Path(folder), settings)
        timing = bench_bom(Path(folder), settings, args.runs)
    results = {
        "command": "python benchmarks/data.py" + (f" --runs {args.runs}" if args.runs != 5 else ""),
        "machine": {
            **machine(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "accuracy": accuracy,
        "bom_20000": timing,
    }
    write_results("data", results)
    (RESULTS / "data.md").write_text(report(results))
    print(report(results))


def bench_accuracy(folder: Path, settings) -> dict:
    files, misses = [], []
    typed = units_right = total = header_units = header_units_found = 0
    for case in sheets.CORPUS:
        doc = parse(case.build(folder / case.file), settings=settings)
        found = {d.name: {c.name: c for c in d.columns} for d in doc.datasets}
        right = 0
        for name, expected in case.expected.items():
            columns = found.get(name, {})
            for header, want_type, want_unit in expected:
                column = columns.get(header)
                got = (column.type, column.unit) if column else (None, None)
                total += 1
                typed += got[0] == want_type
                units_right += got[1] == want_unit
                right += got == (want_type, want_unit)
                if header_unit(header):
                    header_units += 1
                    header_units_found += got[1] == header_unit(header)
                if got != (want_type, want_unit):
                    misses.append({"file": case.file, "column": header, "expected": [want_type, want_unit], "got": list(got)})
        files.append(
            {
                "file": case.file,
                "columns": sum(len(c) for c in case.expected.values()),
                "right": right,
                "rows": sum(len(d.rows) for d in doc.datasets),
                "warnings": list(doc.warnings),
            }
        )
    return {
        "spreadsheets": len(sheets.CORPUS),
        "columns": total,
        "typed_right": typed,
        "type_accuracy": round(typed / total, 4),
        "unit_accuracy": round(units_right / total, 4),
        "header_units": header_units,
        "header_units_found": header_units_found,
        "target_met": typed / total >= TYPE_TARGET and header_units_found == header_units,
        "misses": misses,
        "files": files,
    }


def bench_bom(folder: Path, settings, runs: int) -> dict:
    rows = sheets.bom_rows(BOM_ROWS)
    paths = {"xlsx": sheets.write_xlsx(folder / "bom.xlsx", {"BOM": rows}), "csv": sheets.write_csv(folder / "bom.csv", rows)}
    timings = {}
    for kind, path in paths.items():
        parse(path, settings=settings)  # warm-up: imports, first open
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            doc = parse(path, settings=settings)
            seconds.append(time.perf_counter() - start)
            assert len(doc.datasets[0].rows) == BOM_ROWS
        tracemalloc.start()
        parse(path, settings=settings)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        timings[kind] = {
            "bytes": path.stat().st_size,
            "median_s": round(statistics.median(seconds), 3),
            "min_s": round(min(seconds), 3),
            "python_peak_mb": round(peak / 1024 / 1024, 1),
        }
    return {"rows": BOM_ROWS, "columns": len(rows[0]), "runs": runs, **timings}


def report(results: dict) -> str:
    accuracy, bom, box = results["accuracy"], results["bom_20000"], results["machine"]
    lines = [
        "# Typed datasets: schema inference and speed",
        "",
        f"`{results['command']}` on {box['cpu']} ({box['cores']} cores), Python {box['python']}, commit {box['commit']}, "
        f"{box['when']}. Load average before {box['load_average_before']}, after {box['load_average_after']}"
        + (
            " (the machine was shared and busy: timings are slower than on an idle one)."
            if box["load_average_before"][0] > 1.5
            else "."
        ),
        "",
        "## Column types and units",
        "",
        f"{accuracy['spreadsheets']} spreadsheets (tests/spreadsheets.py), {accuracy['columns']} columns: "
        f"**{accuracy['type_accuracy']:.1%} typed right** (target {TYPE_TARGET:.0%}), "
        f"units right in {accuracy['unit_accuracy']:.1%}, "
        f"**{accuracy['header_units_found']} of {accuracy['header_units']} units named in a header found**. "
        f"Target {'met' if accuracy['target_met'] else 'NOT met'}.",
        "",
        "| file | columns | right | rows |",
        "|---|---|---|---|",
        *(f"| {f['file']} | {f['columns']} | {f['right']} | {f['rows']} |" for f in accuracy["files"]),
        "",
    ]
    if accuracy["misses"]:
        lines += (
            ["Misses:", ""]
            + [f"- {m['file']}, {m['column']!r}: expected {m['expected']}, got {m['got']}" for m in accuracy["misses"]]
            + [""]
        )
    lines += [
        "## A 20,000-row BOM to its dataset",
        "",
        f"{bom['rows']:,} rows x {bom['columns']} columns, `parse()` from the file to the typed dataset (and the markdown), "
        f"median of {bom['runs']} runs after a warm-up.",
        "",
        "| file | size | median | best | Python peak memory |",
        "|---|---|---|---|---|",
        *(
            f"| {kind} | {bom[kind]['bytes'] / 1024 / 1024:.1f} MB | {bom[kind]['median_s']} s | {bom[kind]['min_s']} s | "
            f"{bom[kind]['python_peak_mb']} MB |"
            for kind in ("xlsx", "csv")
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
