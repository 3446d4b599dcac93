import { addDays } from "date-fns";

export type Shift = { name: string; oee: number };
export type Part = { id: string; stock: number; due: Date };

export const REPORT_DATE = new Date(2026, 10, 30);

export const SHIFTS: Shift[] = [
  { name: "Mon A", oee: 78 },
  { name: "Mon B", oee: 82 },
  { name: "Tue A", oee: 86 },
  { name: "Tue B", oee: 74 },
  { name: "Wed A", oee: 88 },
  { name: "Wed B", oee: 91 },
  { name: "Thu A", oee: 84 },
];

// 5,000 parts; stock runs 0..999 in a scrambled order, so sorting by it moves every row.
export const PARTS: Part[] = Array.from({ length: 5000 }, (_, i) => ({
  id: `P-${String(i + 1).padStart(5, "0")}`,
  stock: (i * 7919) % 1000,
  due: addDays(REPORT_DATE, i % 30),
}));
