import { useMemo, useState } from "react";
import { AlertTriangle, CheckCircle2, Factory, Package, Plus, Search, Trash2, Truck } from "lucide-react";
import clsx from "clsx";

type Priority = "low" | "normal" | "urgent";

interface ReorderLine {
  id: number;
  sku: string;
  description: string;
  supplier: string;
  onHand: number;
  reorderPoint: number;
  quantity: number;
  unitCost: number;
  priority: Priority;
}

interface Errors {
  sku?: string;
  supplier?: string;
  quantity?: string;
  unitCost?: string;
}

const SUPPLIERS = ["Acme Fasteners", "Nordic Bearings", "Delta Castings", "Pacific Polymers"];

const INITIAL_LINES: ReorderLine[] = [
  { id: 1, sku: "BRK-104", description: "Brake caliper bracket", supplier: "Delta Castings", onHand: 12, reorderPoint: 40, quantity: 120, unitCost: 14.5, priority: "urgent" },
  { id: 2, sku: "BRG-6204", description: "Deep groove ball bearing", supplier: "Nordic Bearings", onHand: 310, reorderPoint: 250, quantity: 500, unitCost: 2.35, priority: "normal" },
  { id: 3, sku: "FST-M8X30", description: "Hex bolt M8x30 zinc", supplier: "Acme Fasteners", onHand: 1800, reorderPoint: 2500, quantity: 5000, unitCost: 0.08, priority: "normal" },
  { id: 4, sku: "PLY-ABS-BK", description: "ABS pellets, black", supplier: "Pacific Polymers", onHand: 3, reorderPoint: 5, quantity: 10, unitCost: 62, priority: "low" },
];

const SKU_PATTERN = /^[A-Z]{3}-[A-Z0-9]{2,8}$/;

function validate(line: Omit<ReorderLine, "id">): Errors {
  const errors: Errors = {};
  if (!SKU_PATTERN.test(line.sku)) errors.sku = "SKU must look like ABC-1234";
  if (!SUPPLIERS.includes(line.supplier)) errors.supplier = "Choose an approved supplier";
  if (!Number.isInteger(line.quantity) || line.quantity <= 0) errors.quantity = "Quantity must be a whole number above 0";
  if (line.unitCost <= 0) errors.unitCost = "Unit cost must be above 0";
  return errors;
}

function currency(value: number): string {
  return value.toLocaleString("en-US", { style: "currency", currency: "USD" });
}

function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span
      className={clsx(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium",
        priority === "urgent" && "bg-red-100 text-red-800",
        priority === "normal" && "bg-slate-100 text-slate-700",
        priority === "low" && "bg-emerald-100 text-emerald-800",
      )}
    >
      {priority}
    </span>
  );
}

function Field({ label, error, children }: { label: string; error?: string; children: React.ReactNode }) {
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <div className="mt-1">{children}</div>
      {error && <span className="mt-1 block text-xs text-red-600">{error}</span>}
    </label>
  );
}

const EMPTY: Omit<ReorderLine, "id"> = {
  sku: "",
  description: "",
  supplier: SUPPLIERS[0],
  onHand: 0,
  reorderPoint: 0,
  quantity: 1,
  unitCost: 1,
  priority: "normal",
};

export default function InventoryReorderForm() {
  const [lines, setLines] = useState<ReorderLine[]>(INITIAL_LINES);
  const [draft, setDraft] = useState<Omit<ReorderLine, "id">>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [query, setQuery] = useState("");
  const [submitted, setSubmitted] = useState(false);

  const visible = useMemo(
    () => lines.filter((line) => `${line.sku} ${line.description} ${line.supplier}`.toLowerCase().includes(query.toLowerCase())),
    [lines, query],
  );
  const total = useMemo(() => lines.reduce((sum, line) => sum + line.quantity * line.unitCost, 0), [lines]);
  const belowPoint = lines.filter((line) => line.onHand < line.reorderPoint).length;

  function update<K extends keyof Omit<ReorderLine, "id">>(key: K, value: ReorderLine[K]) {
    setDraft((current) => ({ ...current, [key]: value }));
  }

  function addLine(event: React.FormEvent) {
    event.preventDefault();
    const found = validate(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setLines((current) => [...current, { ...draft, id: Math.max(0, ...current.map((l) => l.id)) + 1 }]);
    setDraft(EMPTY);
    setSubmitted(false);
  }

  function removeLine(id: number) {
    setLines((current) => current.filter((line) => line.id !== id));
  }

  return (
    <div className="min-h-screen bg-slate-50 p-6 text-slate-900">
      <header className="mb-6 flex items-center justify-between">
        <div className="flex items-center gap-3">
          <Factory className="h-8 w-8 text-amber-600" />
          <div>
            <h1 className="text-2xl font-bold">Inventory reorder</h1>
            <p className="text-sm text-slate-500">Plant 2 · purchasing queue</p>
          </div>
        </div>
        <div className="flex gap-4 text-sm">
          <span className="flex items-center gap-1"><AlertTriangle className="h-4 w-4 text-red-600" /> {belowPoint} below reorder point</span>
          <span className="flex items-center gap-1"><Truck className="h-4 w-4 text-slate-600" /> {currency(total)} on order</span>
        </div>
      </header>

      <form onSubmit={addLine} className="mb-6 grid grid-cols-2 gap-4 rounded-xl bg-white p-4 shadow-sm md:grid-cols-4">
        <Field label="SKU" error={errors.sku}>
          <input className="w-full rounded border px-2 py-1" value={draft.sku} onChange={(e) => update("sku", e.target.value.toUpperCase())} placeholder="BRK-104" />
        </Field>
        <Field label="Description">
          <input className="w-full rounded border px-2 py-1" value={draft.description} onChange={(e) => update("description", e.target.value)} />
        </Field>
        <Field label="Supplier" error={errors.supplier}>
          <select className="w-full rounded border px-2 py-1" value={draft.supplier} onChange={(e) => update("supplier", e.target.value)}>
            {SUPPLIERS.map((supplier) => <option key={supplier}>{supplier}</option>)}
          </select>
        </Field>
        <Field label="Priority">
          <select className="w-full rounded border px-2 py-1" value={draft.priority} onChange={(e) => update("priority", e.target.value as Priority)}>
            <option value="low">low</option>
            <option value="normal">normal</option>
            <option value="urgent">urgent</option>
          </select>
        </Field>
        <Field label="Quantity" error={errors.quantity}>
          <input type="number" className="w-full rounded border px-2 py-1" value={draft.quantity} onChange={(e) => update("quantity", Number(e.target.value))} />
        </Field>
        <Field label="Unit cost (USD)" error={errors.unitCost}>
          <input type="number" step="0.01" className="w-full rounded border px-2 py-1" value={draft.unitCost} onChange={(e) => update("unitCost", Number(e.target.value))} />
        </Field>
        <div className="col-span-2 flex items-end justify-end gap-2">
          <button type="submit" className="flex items-center gap-1 rounded bg-amber-500 px-4 py-2 font-medium text-white hover:bg-amber-600">
            <Plus className="h-4 w-4" /> Add line
          </button>
        </div>
      </form>

      <div className="mb-3 flex items-center gap-2">
        <Search className="h-4 w-4 text-slate-500" />
        <input className="w-64 rounded border px-2 py-1 text-sm" placeholder="Filter lines" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>

      <table className="w-full overflow-hidden rounded-xl bg-white text-sm shadow-sm">
        <thead className="bg-slate-100 text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="p-2">SKU</th>
            <th className="p-2">Description</th>
            <th className="p-2">Supplier</th>
            <th className="p-2 text-right">On hand</th>
            <th className="p-2 text-right">Qty</th>
            <th className="p-2 text-right">Line total</th>
            <th className="p-2">Priority</th>
            <th className="p-2" />
          </tr>
        </thead>
        <tbody>
          {visible.map((line) => (
            <tr key={line.id} className={clsx("border-t", line.onHand < line.reorderPoint && "bg-red-50")}>
              <td className="p-2 font-mono"><Package className="mr-1 inline h-4 w-4" />{line.sku}</td>
              <td className="p-2">{line.description}</td>
              <td className="p-2">{line.supplier}</td>
              <td className="p-2 text-right">{line.onHand.toLocaleString()}</td>
              <td className="p-2 text-right">{line.quantity.toLocaleString()}</td>
              <td className="p-2 text-right">{currency(line.quantity * line.unitCost)}</td>
              <td className="p-2"><PriorityBadge priority={line.priority} /></td>
              <td className="p-2 text-right">
                <button type="button" aria-label={`Remove ${line.sku}`} onClick={() => removeLine(line.id)} className="text-slate-400 hover:text-red-600">
                  <Trash2 className="h-4 w-4" />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <footer className="mt-6 flex justify-end">
        <button type="button" onClick={() => setSubmitted(true)} className="flex items-center gap-2 rounded bg-slate-900 px-4 py-2 text-white">
          <CheckCircle2 className="h-4 w-4" /> Send {lines.length} lines for approval
        </button>
      </footer>
      {submitted && <p className="mt-3 text-right text-sm text-emerald-700">Sent for approval: {currency(total)} across {lines.length} lines.</p>}
    </div>
  );
}
