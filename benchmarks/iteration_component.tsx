import { useMemo, useState } from "react";

type Status = "ok" | "low" | "critical";

interface Part {
  sku: string;
  description: string;
  location: string;
  onHand: number;
  reorderPoint: number;
  leadTimeDays: number;
  unitCost: number;
  supplier: string;
}

interface OrderLine {
  sku: string;
  quantity: number;
  needBy: string;
}

const PARTS: Part[] = [
  { sku: "BRG-6204-2RS", description: "Deep groove ball bearing 20x47x14", location: "A-01-03", onHand: 42, reorderPoint: 60, leadTimeDays: 7, unitCost: 3.85, supplier: "Kugel GmbH" },
  { sku: "BLT-M8X30-88", description: "Hex bolt M8x30 grade 8.8 zinc", location: "B-04-11", onHand: 1250, reorderPoint: 800, leadTimeDays: 3, unitCost: 0.09, supplier: "Fastenal" },
  { sku: "ORG-NBR-32X3", description: "O-ring NBR 70 32x3 mm", location: "C-02-07", onHand: 95, reorderPoint: 200, leadTimeDays: 5, unitCost: 0.22, supplier: "Seal Supply Co" },
  { sku: "MTR-0.75KW-4P", description: "Induction motor 0.75 kW 4-pole IE3", location: "D-10-01", onHand: 2, reorderPoint: 3, leadTimeDays: 21, unitCost: 212.0, supplier: "Drives Direct" },
  { sku: "FLT-HYD-10UM", description: "Hydraulic filter element 10 um", location: "C-06-02", onHand: 14, reorderPoint: 12, leadTimeDays: 10, unitCost: 27.5, supplier: "Hydro Parts" },
  { sku: "BLT-V-A42", description: "V-belt A42 classical section", location: "B-09-05", onHand: 6, reorderPoint: 10, leadTimeDays: 4, unitCost: 8.4, supplier: "Belt World" },
  { sku: "SNS-IND-M12", description: "Inductive sensor M12 PNP NO", location: "E-01-09", onHand: 18, reorderPoint: 15, leadTimeDays: 14, unitCost: 34.9, supplier: "SensorTech" },
  { sku: "CBL-4X1.5-50M", description: "Control cable 4x1.5 mm2, 50 m drum", location: "E-05-01", onHand: 1, reorderPoint: 2, leadTimeDays: 6, unitCost: 96.0, supplier: "Cable House" },
  { sku: "GRS-EP2-400G", description: "Grease EP2 lithium 400 g cartridge", location: "F-02-04", onHand: 30, reorderPoint: 24, leadTimeDays: 2, unitCost: 4.1, supplier: "LubeMax" },
  { sku: "CPL-JAW-L100", description: "Jaw coupling L100 with spider", location: "A-07-02", onHand: 0, reorderPoint: 4, leadTimeDays: 12, unitCost: 18.75, supplier: "Kugel GmbH" },
];

const SUPPLIERS = Array.from(new Set(PARTS.map((part) => part.supplier))).sort();

function statusOf(part: Part): Status {
  if (part.onHand === 0 || part.onHand < part.reorderPoint / 2) {
    return "critical";
  }
  if (part.onHand < part.reorderPoint) {
    return "low";
  }
  return "ok";
}

function suggestedQuantity(part: Part): number {
  const shortfall = part.reorderPoint * 2 - part.onHand;
  return Math.max(0, Math.ceil(shortfall));
}

function formatMoney(value: number): string {
  return value.toLocaleString("en-US", { style: "currency", currency: "USD" });
}

function addDays(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return date.toISOString().slice(0, 10);
}

const STATUS_STYLES: Record<Status, string> = {
  ok: "bg-emerald-100 text-emerald-800",
  low: "bg-amber-100 text-amber-800",
  critical: "bg-red-100 text-red-800",
};

function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${STATUS_STYLES[status]}`}>
      {status}
    </span>
  );
}

interface FormErrors {
  sku?: string;
  quantity?: string;
  needBy?: string;
}

function validate(line: OrderLine): FormErrors {
  const errors: FormErrors = {};
  if (!PARTS.some((part) => part.sku === line.sku)) {
    errors.sku = "Pick a part from the list";
  }
  if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
    errors.quantity = "Quantity must be a whole number above zero";
  }
  if (!line.needBy) {
    errors.needBy = "Enter the date the parts are needed";
  } else if (line.needBy < new Date().toISOString().slice(0, 10)) {
    errors.needBy = "The need-by date is in the past";
  }
  return errors;
}

export default function App() {
  const [search, setSearch] = useState("");
  const [supplier, setSupplier] = useState("all");
  const [onlyBelow, setOnlyBelow] = useState(false);
  const [draft, setDraft] = useState<OrderLine>({ sku: "", quantity: 0, needBy: addDays(14) });
  const [errors, setErrors] = useState<FormErrors>({});
  const [lines, setLines] = useState<OrderLine[]>([]);
  const [submitted, setSubmitted] = useState(false);

  const visible = useMemo(() => {
    const query = search.trim().toLowerCase();
    return PARTS.filter((part) => {
      if (supplier !== "all" && part.supplier !== supplier) {
        return false;
      }
      if (onlyBelow && statusOf(part) === "ok") {
        return false;
      }
      return !query || part.sku.toLowerCase().includes(query) || part.description.toLowerCase().includes(query);
    });
  }, [search, supplier, onlyBelow]);

  const orderTotal = lines.reduce((sum, line) => {
    const part = PARTS.find((candidate) => candidate.sku === line.sku);
    return sum + (part ? part.unitCost * line.quantity : 0);
  }, 0);

  function pick(part: Part) {
    setDraft({ sku: part.sku, quantity: suggestedQuantity(part), needBy: addDays(part.leadTimeDays + 2) });
    setErrors({});
  }

  function addLine() {
    const found = validate(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setLines((current) => [...current.filter((line) => line.sku !== draft.sku), draft]);
    setDraft({ sku: "", quantity: 0, needBy: addDays(14) });
  }

  function removeLine(sku: string) {
    setLines((current) => current.filter((line) => line.sku !== sku));
  }

  return (
    <div className="min-h-screen bg-slate-50 p-6">
      <header className="mb-6">
        <h1 className="text-2xl font-bold text-slate-900">Reorder Board</h1>
        <p className="text-sm text-slate-600">Parts below their reorder point, and the purchase order being drafted.</p>
      </header>

      <section className="mb-4 flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          Search
          <input
            className="rounded border border-slate-300 px-2 py-1"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="SKU or description"
          />
        </label>
        <label className="flex flex-col text-sm">
          Supplier
          <select className="rounded border border-slate-300 px-2 py-1" value={supplier} onChange={(event) => setSupplier(event.target.value)}>
            <option value="all">All suppliers</option>
            {SUPPLIERS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={onlyBelow} onChange={(event) => setOnlyBelow(event.target.checked)} />
          Only parts below reorder point
        </label>
      </section>

      <table className="mb-8 w-full border-collapse bg-white text-sm shadow-sm">
        <thead>
          <tr className="bg-slate-100 text-left">
            <th className="px-3 py-2">SKU</th>
            <th className="px-3 py-2">Description</th>
            <th className="px-3 py-2">Location</th>
            <th className="px-3 py-2 text-right">On hand</th>
            <th className="px-3 py-2 text-right">Reorder point</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {visible.map((part) => (
            <tr key={part.sku} className="border-t border-slate-200">
              <td className="px-3 py-2 font-mono">{part.sku}</td>
              <td className="px-3 py-2">{part.description}</td>
              <td className="px-3 py-2">{part.location}</td>
              <td className="px-3 py-2 text-right">{part.onHand}</td>
              <td className="px-3 py-2 text-right">{part.reorderPoint}</td>
              <td className="px-3 py-2">
                <StatusBadge status={statusOf(part)} />
              </td>
              <td className="px-3 py-2">
                <button className="rounded bg-blue-600 px-2 py-1 text-white" onClick={() => pick(part)}>
                  Reorder
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <section className="rounded bg-white p-4 shadow-sm">
        <h2 className="mb-3 text-lg font-semibold">Draft purchase order</h2>
        <div className="mb-3 grid grid-cols-3 gap-3">
          <label className="flex flex-col text-sm">
            Part
            <input className="rounded border border-slate-300 px-2 py-1 font-mono" value={draft.sku} readOnly />
            {errors.sku && <span className="text-xs text-red-600">{errors.sku}</span>}
          </label>
          <label className="flex flex-col text-sm">
            Quantity
            <input
              type="number"
              className="rounded border border-slate-300 px-2 py-1"
              value={draft.quantity}
              onChange={(event) => setDraft({ ...draft, quantity: Number(event.target.value) })}
            />
            {errors.quantity && <span className="text-xs text-red-600">{errors.quantity}</span>}
          </label>
          <label className="flex flex-col text-sm">
            Need by
            <input
              type="date"
              className="rounded border border-slate-300 px-2 py-1"
              value={draft.needBy}
              onChange={(event) => setDraft({ ...draft, needBy: event.target.value })}
            />
            {errors.needBy && <span className="text-xs text-red-600">{errors.needBy}</span>}
          </label>
        </div>
        <button className="rounded bg-blue-600 px-3 py-1 text-white" onClick={addLine}>
          Add line
        </button>
        <ul className="mt-4 divide-y divide-slate-200">
          {lines.map((line) => (
            <li key={line.sku} className="flex items-center justify-between py-2 text-sm">
              <span className="font-mono">{line.sku}</span>
              <span>
                {line.quantity} pcs by {line.needBy}
              </span>
              <button className="text-red-600" onClick={() => removeLine(line.sku)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div className="mt-4 flex items-center justify-between">
          <span className="font-semibold">Total {formatMoney(orderTotal)}</span>
          <button
            className="rounded bg-emerald-600 px-3 py-1 text-white disabled:opacity-50"
            disabled={lines.length === 0}
            onClick={() => setSubmitted(true)}
          >
            Submit order
          </button>
        </div>
        {submitted && <p className="mt-2 text-sm text-emerald-700">Order submitted to purchasing.</p>}
      </section>
    </div>
  );
}
