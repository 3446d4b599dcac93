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
