import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { Shift } from "../data/plant";

export function OeeTrend({ shifts, target }: { shifts: Shift[]; target: number }) {
  return (
    <section aria-label="OEE trend" className="rounded-lg border p-4">
      <h2 className="mb-2 font-semibold">OEE by shift</h2>
      <LineChart width={640} height={260} data={shifts} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" />
        <YAxis domain={[50, 100]} unit="%" />
        <Tooltip />
        <ReferenceLine y={target} stroke="#dc2626" label="Target" />
        <Line type="monotone" dataKey="oee" stroke="#2563eb" isAnimationActive={false} />
      </LineChart>
    </section>
  );
}
