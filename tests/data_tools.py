"""Generated tools as a model following the system prompt writes them, over the engineer's data:
a BOM viewer (a virtualised table of a data module, a search, a CSV download with @/jfdi/csv) and an inspection
checklist made to print. Used by the browser tests and benchmarks/data.py."""

from __future__ import annotations

from pathlib import Path

from jfdi.documents import parse
from jfdi.documents.module import data_module
from jfdi.config import Settings
from jfdi.preview.provided import provided_for
from tests import spreadsheets as sheets

BOM_VIEWER = """import { useMemo, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { downloadCsv, toCsv } from "@/jfdi/csv";
import { bom, bomColumns } from "./data/bom";

const ROW_HEIGHT = 32;

export default function App() {
  const [query, setQuery] = useState("");
  const rows = useMemo(() => {
    const wanted = query.trim().toLowerCase();
    return wanted ? bom.filter((row) => row.partNumber.toLowerCase().includes(wanted) || row.description.toLowerCase().includes(wanted)) : bom;
  }, [query]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const download = () => downloadCsv("bom-export.csv", toCsv(rows, bomColumns));
  return (
    <div className="p-4 space-y-3">
      <h1 className="text-xl font-semibold">Bill of materials</h1>
      <div className="flex items-center gap-3 print:hidden">
        <input aria-label="Search" placeholder="Search part or description" className="border rounded px-2 py-1"
          value={query} onChange={(event) => setQuery(event.target.value)} />
        <button className="rounded bg-blue-600 text-white px-3 py-1" onClick={download}>Export CSV</button>
        <span data-testid="count">{rows.length} rows</span>
      </div>
      <div role="table" aria-rowcount={rows.length} className="border rounded">
        <div role="row" className="grid grid-cols-10 gap-2 bg-slate-100 px-2 py-1 text-xs font-semibold">
          {bomColumns.map((column) => <div role="columnheader" key={column.key}>{column.header}</div>)}
        </div>
        <div ref={scroller} data-testid="scroller" style={{ height: 480, overflowY: "auto" }}>
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((item) => {
              const row = rows[item.index];
              return (
                <div role="row" key={item.key} className="grid grid-cols-10 gap-2 px-2 text-xs items-center border-t absolute left-0 right-0"
                  style={{ top: item.start, height: ROW_HEIGHT }}>
                  {bomColumns.map((column) => <div role="cell" key={column.key}>{String(row[column.key] ?? "")}</div>)}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
"""

CHECKLIST = """import { useState } from "react";

const CHECKS = Array.from({ length: 60 }, (_, i) => ({
  id: `INS-${String(i + 1).padStart(3, "0")}`,
  part: `CD-${100101 + i}`,
  feature: ["Bore diameter", "Overall length", "Flatness", "Thread M8x1.25", "Surface Ra"][i % 5],
  nominal: ["Ø8.000 ±0.015 mm", "120.0 ±0.2 mm", "0.05 mm", "6g", "1.6 µm"][i % 5],
}));

export default function App() {
  const [measured, setMeasured] = useState<Record<string, string>>({ "INS-001": "8.004" });
  return (
    <div className="p-6 space-y-4 print:p-0">
      <h1 className="text-2xl font-bold">Final inspection checklist: work order WO-4711</h1>
      <p className="hidden print:block" data-testid="print-only">Printed copy: file with the traveler</p>
      <button className="print:hidden rounded bg-emerald-600 text-white px-3 py-1">Save results</button>
      <table className="w-full text-sm border-collapse">
        <thead>
          <tr className="bg-slate-100 text-left">
            <th className="border px-2">Check</th><th className="border px-2">Part number</th><th className="border px-2">Feature</th>
            <th className="border px-2">Nominal</th><th className="border px-2">Measured</th><th className="border px-2">OK</th>
          </tr>
        </thead>
        <tbody>
          {CHECKS.map((check) => (
            <tr key={check.id}>
              <td className="border px-2">{check.id}</td><td className="border px-2">{check.part}</td>
              <td className="border px-2">{check.feature}</td><td className="border px-2">{check.nominal}</td>
              <td className="border px-2">
                <input aria-label={`Measured ${check.id}`} className="border rounded w-24 print:hidden" value={measured[check.id] ?? ""}
                  onChange={(event) => setMeasured({ ...measured, [check.id]: event.target.value })} />
                <span className="hidden print:inline">{measured[check.id] ?? ""}</span>
              </td>
              <td className="border px-2"><input type="checkbox" aria-label={`OK ${check.id}`} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="grid grid-cols-3 gap-8 pt-8">
        {["Inspected by", "Signature", "Date"].map((label) => (
          <div key={label}><div className="border-b border-slate-800 h-8" /><div className="text-xs text-slate-600">{label}</div></div>
        ))}
      </div>
    </div>
  );
}
"""


def bom_project(folder: Path, rows: int, settings: Settings | None = None) -> dict[str, str]:
    """The BOM viewer over a data module of `rows` BOM lines, uploaded as a CSV and parsed, with
    the module of JFDI's own it imports (@/jfdi/csv), as a generation puts them together."""
    csv = sheets.write_csv(folder / "bom.csv", sheets.bom_rows(rows))
    dataset = parse(csv, settings=settings).datasets[0]
    module = data_module(dataset, csv.name)
    files = {module.path: module.text, "src/App.tsx": BOM_VIEWER}
    return {**files, **provided_for(files)}
