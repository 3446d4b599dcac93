import { useRef, useState } from "react";
import {
  type ColumnDef, type SortingState, flexRender, getCoreRowModel, getSortedRowModel, useReactTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { format } from "date-fns";
import type { Part } from "../data/plant";

const columns: ColumnDef<Part>[] = [
  { accessorKey: "id", header: "Part" },
  { accessorKey: "stock", header: "Stock" },
  { accessorKey: "due", header: "Next delivery", cell: (info) => format(info.getValue<Date>(), "yyyy-MM-dd") },
];

export function PartsTable({ parts }: { parts: Part[] }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data: parts, columns, state: { sorting }, onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(),
  });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 32, overscan: 5 });
  const items = virtual.getVirtualItems();
  const before = items.length ? items[0].start : 0;
  const after = items.length ? virtual.getTotalSize() - items[items.length - 1].end : 0;
  return (
    <section aria-label="Parts" className="rounded-lg border p-4">
      <h2 className="font-semibold">{rows.length.toLocaleString("en-US")} parts</h2>
      <div ref={scroller} className="h-80 overflow-auto" tabIndex={0} role="region" aria-label="Parts list">
        <table className="w-full text-sm">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} className="cursor-pointer text-left" onClick={header.column.getToggleSortingHandler()}>
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    {{ asc: " ▲", desc: " ▼" }[header.column.getIsSorted() as string] ?? ""}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {before > 0 && <tr style={{ height: before }} />}
            {items.map((item) => {
              const row = rows[item.index];
              return (
                <tr key={row.id} className="h-8 border-t">
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                  ))}
                </tr>
              );
            })}
            {after > 0 && <tr style={{ height: after }} />}
          </tbody>
        </table>
      </div>
    </section>
  );
}
