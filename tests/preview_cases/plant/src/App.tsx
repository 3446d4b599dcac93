import { format } from "date-fns";
import { Factory } from "lucide-react";
import { OeeTrend } from "./components/OeeTrend";
import { PartsTable } from "./components/PartsTable";
import { ReceivingForm } from "./components/ReceivingForm";
import { PARTS, REPORT_DATE, SHIFTS } from "./data/plant";

export default function App() {
  return (
    <main className="mx-auto max-w-5xl space-y-6 p-6">
      <h1 className="flex items-center gap-2 text-2xl font-bold text-slate-800">
        <Factory className="h-6 w-6" /> Plant 2 · {format(REPORT_DATE, "d MMM yyyy")}
      </h1>
      <OeeTrend shifts={SHIFTS} target={85} />
      <ReceivingForm />
      <PartsTable parts={PARTS} />
    </main>
  );
}
