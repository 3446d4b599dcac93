"""Canned answers to the benchmark's inventory-form prompt, each deserving a different score."""

GOOD = """import { useState } from "react";

type Errors = Partial<Record<"sku" | "quantity" | "reorder", string>>;

export default function InventoryForm() {
  const [sku, setSku] = useState("");
  const [quantity, setQuantity] = useState("");
  const [reorder, setReorder] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [saved, setSaved] = useState(false);

  function validate(): boolean {
    const next: Errors = {};
    if (!sku.trim()) next.sku = "SKU is required";
    if (quantity === "" || Number(quantity) < 0) next.quantity = "Quantity must be a positive number";
    if (reorder === "" || Number(reorder) < 0) next.reorder = "Reorder point must be zero or more";
    setErrors(next);
    return Object.keys(next).length === 0;
  }

  return (
    <form
      className="max-w-md p-6 space-y-4 bg-white rounded-lg shadow"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(validate());
      }}
    >
      <label className="block">
        <span className="text-sm font-medium text-gray-700">SKU</span>
        <input className="mt-1 w-full border rounded px-2 py-1" value={sku} onChange={(e) => setSku(e.target.value)} />
      </label>
      {errors.sku && <p className="text-sm text-red-600">{errors.sku}</p>}
      <label className="block">
        <span className="text-sm font-medium text-gray-700">Quantity</span>
        <input type="number" className="mt-1 w-full border rounded px-2 py-1" value={quantity}
          onChange={(e) => setQuantity(e.target.value)} />
      </label>
      {errors.quantity && <p className="text-sm text-red-600">{errors.quantity}</p>}
      <label className="block">
        <span className="text-sm font-medium text-gray-700">Reorder point</span>
        <input type="number" className="mt-1 w-full border rounded px-2 py-1" value={reorder}
          onChange={(e) => setReorder(e.target.value)} />
      </label>
      {errors.reorder && <p className="text-sm text-red-600">{errors.reorder}</p>}
      <button type="submit" className="px-4 py-2 bg-blue-600 text-white rounded">Save</button>
      {saved && <p className="text-sm text-green-700">Saved</p>}
    </form>
  );
}
"""

# An answer cut off mid-way: the commonest syntax error in practice.
SYNTAX_ERROR = GOOD[: GOOD.index("      {errors.quantity")]

THROWS = """export default function InventoryForm() {
  const items: { sku: string }[] | undefined = undefined;
  return (
    <div className="p-6 bg-white rounded shadow">
      <h1 className="text-xl font-bold">Inventory</h1>
      {items!.map((item) => <p key={item.sku}>{item.sku}</p>)}
    </div>
  );
}
"""

MISSING_LABEL = GOOD.replace(
    """      <label className="block">
        <span className="text-sm font-medium text-gray-700">Reorder point</span>
        <input type="number" className="mt-1 w-full border rounded px-2 py-1" value={reorder}
          onChange={(e) => setReorder(e.target.value)} />
      </label>
      {errors.reorder && <p className="text-sm text-red-600">{errors.reorder}</p>}
""", "")

IGNORES_PROMPT = """import { useState } from "react";

export default function Counter() {
  const [count, setCount] = useState(0);
  return (
    <div className="p-6 flex items-center gap-4 bg-white rounded shadow">
      <button className="px-3 py-1 bg-gray-200 rounded" onClick={() => setCount(count - 1)}>Decrement</button>
      <span className="text-2xl font-bold">{count}</span>
      <button className="px-3 py-1 bg-blue-600 text-white rounded" onClick={() => setCount(count + 1)}>Increment</button>
    </div>
  );
}
"""

NO_CODE = "I'm sorry, but I can't help with building that form."

# Good answers to the prompts that need the library set (chart, validated form, large table).

OEE_TREND = """import { Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

const SHIFTS = Array.from({ length: 21 }, (_, i) => ({
  shift: `D${Math.floor(i / 3) + 1}${"ABC"[i % 3]}`,
  oee: 72 + ((i * 7) % 19),
}));

export default function OeeDashboard() {
  return (
    <section className="p-6 space-y-2">
      <h1 className="text-xl font-bold">Line 4 OEE, last 7 days</h1>
      <LineChart width={720} height={300} data={SHIFTS}>
        <XAxis dataKey="shift" />
        <YAxis domain={[60, 100]} />
        <Tooltip />
        <ReferenceLine y={85} stroke="red" label="Target 85%" />
        <Line dataKey="oee" stroke="#2563eb" isAnimationActive={false} />
      </LineChart>
    </section>
  );
}
"""

PO_FORM_ZOD = """import { useState } from "react";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";

const schema = z.object({
  po: z.string().regex(/^PO-\\d{4}$/, "PO number must match PO-1234"),
  supplier: z.string().min(1, "Supplier is required"),
  quantity: z.number({ error: "Quantity must be a number" }).int().positive("Quantity must be positive"),
  needBy: z.string().min(1, "Need-by date is required"),
});
type PurchaseOrder = z.infer<typeof schema>;

export default function PurchaseOrderForm() {
  const [saved, setSaved] = useState("");
  const { register, handleSubmit, formState: { errors } } = useForm<PurchaseOrder>({ resolver: zodResolver(schema), mode: "onTouched" });
  return (
    <form className="max-w-md p-6 space-y-3" onSubmit={handleSubmit((po) => setSaved(po.po))}>
      <label className="block">PO number<input className="border rounded px-2 w-full" {...register("po")} /></label>
      {errors.po && <p className="text-sm text-red-600">{errors.po.message}</p>}
      <label className="block">Supplier<input className="border rounded px-2 w-full" {...register("supplier")} /></label>
      {errors.supplier && <p className="text-sm text-red-600">{errors.supplier.message}</p>}
      <label className="block">Quantity<input type="number" className="border rounded px-2 w-full" {...register("quantity", { valueAsNumber: true })} /></label>
      {errors.quantity && <p className="text-sm text-red-600">{errors.quantity.message}</p>}
      <label className="block">Need-by date<input type="date" className="border rounded px-2 w-full" {...register("needBy")} /></label>
      {errors.needBy && <p className="text-sm text-red-600">{errors.needBy.message}</p>}
      <button type="submit" className="rounded bg-blue-600 px-3 py-1 text-white">Submit</button>
      {saved && <p className="text-green-700">Saved {saved}</p>}
    </form>
  );
}
"""

PARTS_TABLE = """import { useState } from "react";
import {
  type ColumnDef, type SortingState, flexRender, getCoreRowModel, getFilteredRowModel, getPaginationRowModel,
  getSortedRowModel, useReactTable,
} from "@tanstack/react-table";

type Part = { part: string; description: string; stock: number; bin: string };
const PARTS: Part[] = Array.from({ length: 5000 }, (_, i) => ({
  part: `PN-${String(i + 1).padStart(5, "0")}`,
  description: ["Hex bolt M8", "Bearing 6204", "Gasket kit", "Hydraulic hose", "Limit switch"][i % 5] + ` rev ${i % 7}`,
  stock: (i * 7919) % 1000,
  bin: `A${(i % 40) + 1}-${(i % 6) + 1}`,
}));
const columns: ColumnDef<Part>[] = [
  { accessorKey: "part", header: "Part number" },
  { accessorKey: "description", header: "Description" },
  { accessorKey: "stock", header: "Stock" },
  { accessorKey: "bin", header: "Bin" },
];

export default function PartsTable() {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [search, setSearch] = useState("");
  const table = useReactTable({
    data: PARTS, columns, state: { sorting, globalFilter: search }, onSortingChange: setSorting, onGlobalFilterChange: setSearch,
    getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(), getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(), initialState: { pagination: { pageSize: 50 } },
  });
  return (
    <div className="p-4 space-y-2">
      <p className="text-sm">{PARTS.length.toLocaleString("en-US")} parts</p>
      <input type="search" placeholder="Search parts" className="border rounded px-2" value={search} onChange={(e) => setSearch(e.target.value)} />
      <table className="w-full text-sm">
        <thead>{table.getHeaderGroups().map((g) => (
          <tr key={g.id}>{g.headers.map((h) => (
            <th key={h.id} className="text-left cursor-pointer" onClick={h.column.getToggleSortingHandler()}>
              {flexRender(h.column.columnDef.header, h.getContext())}
            </th>
          ))}</tr>
        ))}</thead>
        <tbody>{table.getRowModel().rows.map((row) => (
          <tr key={row.id}>{row.getVisibleCells().map((cell) => <td key={cell.id}>{String(cell.getValue())}</td>)}</tr>
        ))}</tbody>
      </table>
    </div>
  );
}
"""
