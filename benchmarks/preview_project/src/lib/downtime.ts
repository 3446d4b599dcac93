import { z } from "zod";

// Downtime events on Line 4, and what the dashboard computes from them.

export const REASONS = [
  "Changeover",
  "Material shortage",
  "Jam at infeed",
  "Quality hold",
  "Operator break",
  "Sensor fault",
  "Tool wear",
  "Planned maintenance",
] as const;

export type Reason = (typeof REASONS)[number];

export const downtimeEntry = z.object({
  machine: z.string().regex(/^M-\d{3}$/, "Machine ids look like M-104"),
  reason: z.enum(REASONS, { error: "Pick a reason from the list" }),
  minutes: z
    .number({ error: "Minutes must be a number" })
    .int("Whole minutes only")
    .positive("Minutes must be more than 0")
    .max(480, "One entry covers at most a shift (480 minutes)"),
  note: z.string().max(140, "Keep the note under 140 characters").optional(),
});

export type DowntimeEntry = z.infer<typeof downtimeEntry>;

export type ParetoRow = {
  reason: Reason;
  minutes: number;
  share: number;
  cumulative: number;
};

export type ShiftPoint = {
  shift: string;
  availability: number;
  performance: number;
  quality: number;
  oee: number;
};

const MACHINES = ["M-101", "M-102", "M-103", "M-104", "M-105", "M-106"];

// Deterministic sample data: the same events on every load.
function sampleEntries(count: number): DowntimeEntry[] {
  const entries: DowntimeEntry[] = [];
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < count; i += 1) {
    const reason = REASONS[Math.floor(next() ** 1.7 * REASONS.length)];
    entries.push({
      machine: MACHINES[Math.floor(next() * MACHINES.length)],
      reason,
      minutes: 5 + Math.round(next() * 55),
      note: i % 9 === 0 ? "Logged by the line lead" : undefined,
    });
  }
  return entries;
}

export const SAMPLE_ENTRIES = sampleEntries(60);

export function pareto(entries: DowntimeEntry[]): ParetoRow[] {
  const totals = new Map<Reason, number>();
  for (const entry of entries) {
    totals.set(entry.reason, (totals.get(entry.reason) ?? 0) + entry.minutes);
  }
  const sum = [...totals.values()].reduce((a, b) => a + b, 0) || 1;
  let running = 0;
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, minutes]) => {
      running += minutes;
      return {
        reason,
        minutes,
        share: Math.round((minutes / sum) * 1000) / 10,
        cumulative: Math.round((running / sum) * 1000) / 10,
      };
    });
}

export function shiftTrend(days: number): ShiftPoint[] {
  const points: ShiftPoint[] = [];
  for (let day = 0; day < days; day += 1) {
    for (const shift of ["A", "B", "C"]) {
      const wobble = Math.sin(day * 1.3 + shift.charCodeAt(0)) * 4;
      const availability = Math.round(88 + wobble);
      const performance = Math.round(92 - wobble / 2);
      const quality = Math.round(97 + wobble / 4);
      points.push({
        shift: `D${day + 1}${shift}`,
        availability,
        performance,
        quality,
        oee: Math.round((availability * performance * quality) / 10000),
      });
    }
  }
  return points;
}

export function totalMinutes(entries: DowntimeEntry[]): number {
  return entries.reduce((sum, entry) => sum + entry.minutes, 0);
}

export function worstMachine(entries: DowntimeEntry[]): string {
  const byMachine = new Map<string, number>();
  for (const entry of entries) {
    byMachine.set(entry.machine, (byMachine.get(entry.machine) ?? 0) + entry.minutes);
  }
  return [...byMachine.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "none";
}
