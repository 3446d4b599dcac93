import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ParetoRow, ShiftPoint } from "../lib/downtime";

type ParetoProps = {
  rows: ParetoRow[];
  highlight?: string;
};

// Bars for each reason's minutes, a line for the cumulative share, and the 80 % mark.
export function DowntimePareto({ rows, highlight }: ParetoProps) {
  return (
    <div className="h-80 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 16, right: 24, bottom: 40, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="reason" angle={-25} textAnchor="end" interval={0} height={60} tick={{ fontSize: 11 }} />
          <YAxis yAxisId="minutes" tick={{ fontSize: 11 }} label={{ value: "min", angle: -90, position: "insideLeft" }} />
          <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend verticalAlign="top" height={24} />
          <Bar
            yAxisId="minutes"
            dataKey="minutes"
            name="Minutes lost"
            fill="#f59e0b"
            isAnimationActive={false}
          />
          <Line
            yAxisId="share"
            type="monotone"
            dataKey="cumulative"
            name="Cumulative %"
            stroke="#1e293b"
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <ReferenceLine yAxisId="share" y={80} stroke="#dc2626" strokeDasharray="4 4" label="80 %" />
        </ComposedChart>
      </ResponsiveContainer>
      {highlight && <p className="mt-1 text-xs text-slate-500">Biggest loss: {highlight}</p>}
    </div>
  );
}

type TrendProps = {
  points: ShiftPoint[];
  target: number;
  lower: number;
};

// OEE by shift against its target and lower control limit.
export function OeeTrend({ points, target, lower }: TrendProps) {
  const below = points.filter((point) => point.oee < lower).length;
  return (
    <div className="space-y-2">
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 12, right: 24, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="shift" tick={{ fontSize: 10 }} interval={2} />
            <YAxis domain={[60, 100]} unit="%" tick={{ fontSize: 11 }} />
            <Tooltip />
            <ReferenceLine y={target} stroke="#16a34a" label="Target" />
            <ReferenceLine y={lower} stroke="#dc2626" strokeDasharray="4 4" label="LCL" />
            <Line type="monotone" dataKey="oee" name="OEE" stroke="#2563eb" dot={{ r: 2 }} isAnimationActive={false} />
            <Line
              type="monotone"
              dataKey="availability"
              name="Availability"
              stroke="#94a3b8"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <p className="text-xs text-slate-500">
        {below === 0 ? "Every shift is above the lower control limit." : `${below} shift(s) below the lower control limit.`}
      </p>
    </div>
  );
}
