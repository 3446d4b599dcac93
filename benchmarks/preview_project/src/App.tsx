import { useMemo, useState } from "react";
import { AlertTriangle, Clock, Factory, Plus } from "lucide-react";
import { DowntimePareto, OeeTrend } from "./components/DowntimeCharts";
import {
  type DowntimeEntry,
  REASONS,
  SAMPLE_ENTRIES,
  downtimeEntry,
  pareto,
  shiftTrend,
  totalMinutes,
  worstMachine,
} from "./lib/downtime";

type Draft = {
  machine: string;
  reason: string;
  minutes: string;
  note: string;
};

type FieldErrors = Partial<Record<keyof Draft, string>>;

const EMPTY: Draft = { machine: "", reason: "", minutes: "", note: "" };

function Kpi({ label, value, tone }: { label: string; value: string; tone: "ok" | "warn" | "info" }) {
  const colours = {
    ok: "border-emerald-200 bg-emerald-50 text-emerald-800",
    warn: "border-amber-200 bg-amber-50 text-amber-800",
    info: "border-slate-200 bg-slate-50 text-slate-800",
  };
  return (
    <div className={`rounded-lg border p-4 ${colours[tone]}`}>
      <p className="text-xs uppercase tracking-wide opacity-70">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
    </div>
  );
}

function Field({ label, error, children }: { label: string; error?: string; children: React.ReactNode }) {
  return (
    <label className="block space-y-1 text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      {children}
      {error && <span role="alert" className="block text-xs text-red-600">{error}</span>}
    </label>
  );
}

export default function App() {
  const [entries, setEntries] = useState<DowntimeEntry[]>(SAMPLE_ENTRIES);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);

  const rows = useMemo(() => pareto(entries), [entries]);
  const trend = useMemo(() => shiftTrend(7), []);
  const minutes = totalMinutes(entries);
  const worst = worstMachine(entries);
  const averageOee = Math.round(trend.reduce((sum, point) => sum + point.oee, 0) / trend.length);

  function update(field: keyof Draft, value: string) {
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = downtimeEntry.safeParse({
      machine: draft.machine.trim(),
      reason: draft.reason,
      minutes: draft.minutes === "" ? Number.NaN : Number(draft.minutes),
      note: draft.note.trim() || undefined,
    });
    if (!parsed.success) {
      const next: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as keyof Draft;
        next[field] = next[field] ?? issue.message;
      }
      setErrors(next);
      setSaved(null);
      return;
    }
    setEntries((current) => [parsed.data, ...current]);
    setDraft(EMPTY);
    setErrors({});
    setSaved(`${parsed.data.minutes} min on ${parsed.data.machine} logged`);
  }

  return (
    <main className="mx-auto max-w-6xl space-y-6 p-6 text-slate-900">
      <header className="flex items-center justify-between">
        <h1 className="flex items-center gap-2 text-2xl font-bold">
          <Factory className="h-6 w-6 text-amber-600" /> Line 4 downtime · Plant 2 · purchasing queue
        </h1>
        <span className="flex items-center gap-1 text-sm text-slate-500">
          <Clock className="h-4 w-4" /> last 7 days
        </span>
      </header>

      <section className="grid grid-cols-1 gap-4 sm:grid-cols-4">
        <Kpi label="Downtime" value={`${minutes} min`} tone={minutes > 1500 ? "warn" : "info"} />
        <Kpi label="Events" value={String(entries.length)} tone="info" />
        <Kpi label="Average OEE" value={`${averageOee} %`} tone={averageOee >= 80 ? "ok" : "warn"} />
        <Kpi label="Worst machine" value={worst} tone="warn" />
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="rounded-lg border p-4">
          <h2 className="mb-2 font-semibold">Downtime Pareto</h2>
          <DowntimePareto rows={rows} highlight={rows[0]?.reason} />
        </div>
        <div className="rounded-lg border p-4">
          <h2 className="mb-2 font-semibold">OEE by shift</h2>
          <OeeTrend points={trend} target={85} lower={78} />
        </div>
      </section>

      <section className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <form aria-label="Log downtime" onSubmit={submit} className="space-y-3 rounded-lg border p-4" noValidate>
          <h2 className="flex items-center gap-2 font-semibold">
            <Plus className="h-4 w-4" /> Log downtime
          </h2>
          <Field label="Machine" error={errors.machine}>
            <input
              className="w-full rounded border px-2 py-1"
              value={draft.machine}
              placeholder="M-104"
              onChange={(event) => update("machine", event.target.value)}
            />
          </Field>
          <Field label="Reason" error={errors.reason}>
            <select
              className="w-full rounded border px-2 py-1"
              value={draft.reason}
              onChange={(event) => update("reason", event.target.value)}
            >
              <option value="">Choose…</option>
              {REASONS.map((reason) => (
                <option key={reason} value={reason}>
                  {reason}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Minutes" error={errors.minutes}>
            <input
              type="number"
              className="w-full rounded border px-2 py-1"
              value={draft.minutes}
              onChange={(event) => update("minutes", event.target.value)}
            />
          </Field>
          <Field label="Note" error={errors.note}>
            <input className="w-full rounded border px-2 py-1" value={draft.note} onChange={(event) => update("note", event.target.value)} />
          </Field>
          <button type="submit" className="w-full rounded bg-amber-600 px-3 py-2 font-medium text-white hover:bg-amber-700">
            Log it
          </button>
          {saved && <p className="text-sm text-emerald-700">{saved}</p>}
        </form>

        <div className="rounded-lg border p-4 lg:col-span-2">
          <h2 className="mb-2 flex items-center gap-2 font-semibold">
            <AlertTriangle className="h-4 w-4 text-amber-600" /> Latest events
          </h2>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1">Machine</th>
                <th className="py-1">Reason</th>
                <th className="py-1 text-right">Minutes</th>
                <th className="py-1">Note</th>
              </tr>
            </thead>
            <tbody>
              {entries.slice(0, 12).map((entry, index) => (
                <tr key={`${entry.machine}-${index}`} className="border-t">
                  <td className="py-1 font-mono">{entry.machine}</td>
                  <td className="py-1">{entry.reason}</td>
                  <td className="py-1 text-right">{entry.minutes}</td>
                  <td className="py-1 text-slate-500">{entry.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}
