import { useState } from "react";
import { Package, AlertTriangle } from "lucide-react";
import clsx from "clsx";

type Line = { sku: string; qty: number };

export default function ReorderList() {
  const [lines, setLines] = useState<Line[]>([{ sku: "BRK-104", qty: 12 }]);
  return (
    <ul className={clsx("p-4", lines.length > 0 && "space-y-2")}>
      {lines.map((line) => (
        <li key={line.sku} onClick={() => setLines(lines.filter((l) => l !== line))}>
          <Package className="h-4 w-4" /> {line.sku} <AlertTriangle size={12} /> {line.qty}
        </li>
      ))}
    </ul>
  );
}
