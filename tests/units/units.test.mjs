// @jfdi/units (jfdi/preview/units/units.ts), compiled by tests/units/run.mjs: known conversion
// values, parsing as shops write quantities, tolerance checks on both sides, rounding, and every
// way a wrong number could slip through thrown as an error instead.

import assert from "node:assert/strict";
import { test } from "node:test";

const u = await import(process.env.JFDI_UNITS);

const close = (actual, expected, digits = 9) =>
  assert.ok(Math.abs(actual - expected) <= 10 ** -digits * Math.max(1, Math.abs(expected)), `${actual} is not ${expected}`);

test("length, mass, force, torque, pressure, volume and time convert to known values", () => {
  const known = [
    [1, "in", "mm", 25.4], [1, "ft", "in", 12], [1, "m", "cm", 100], [1, "ft", "mm", 304.8], [250, "µm", "mm", 0.25],
    [1, "lb", "kg", 0.45359237], [1, "kg", "g", 1000], [1, "lb", "g", 453.59237],
    [1, "lbf", "N", 4.4482216152605], [1, "kN", "N", 1000],
    [1, "lbf·ft", "N·m", 1.3558179483314004], [1, "lbf·in", "N·m", 0.1129848290276167], [1, "lbf·ft", "lbf·in", 12],
    [1, "bar", "kPa", 100], [1, "MPa", "bar", 10], [1, "psi", "kPa", 6.894757293168361], [1, "N/mm²", "MPa", 1], [3000, "psi", "bar", 206.8427187950508],
    [1, "gal", "L", 3.785411784], [1, "L", "mL", 1000],
    [1, "h", "min", 60], [1, "min", "s", 60],
  ];
  for (const [value, from, to, expected] of known) close(u.convert(value, from, to), expected);
  close(u.convert(25.4, "mm", "in"), 1);
  close(u.convert(u.convert(17.3, "N·m", "lbf·ft"), "lbf·ft", "N·m"), 17.3, 12);
});

test("temperatures are points on a scale, negative ones included; differences convert without the offset", () => {
  close(u.convert(0, "°C", "°F"), 32);
  close(u.convert(100, "°C", "°F"), 212);
  close(u.convert(-40, "°C", "°F"), -40);
  close(u.convert(-40, "°F", "°C"), -40);
  close(u.convert(-273.15, "°C", "K"), 0);
  close(u.convert(-10, "°C", "K"), 263.15);
  close(u.convert(0, "°F", "°C"), -17.77777777777778);
  close(u.convertDifference(2, "°C", "°F"), 3.6);
  close(u.convertDifference(5, "K", "°C"), 5);
});

test("units are read as shops write them and folded to one symbol", () => {
  const spellings = [["Nm", "N·m"], ["N-m", "N·m"], ["ft-lb", "lbf·ft"], ["in-lb", "lbf·in"], ["lb-ft", "lbf·ft"], ["ºC", "°C"], ["degF", "°F"],
    ["um", "µm"], ["μm", "µm"], ["inch", "in"], ['"', "in"], ["lbs", "lb"], ["MPA", "MPa"], ["PSI", "psi"], ["l", "L"], ["N/mm2", "N/mm²"]];
  for (const [written, symbol] of spellings) assert.equal(u.unitOf(written).symbol, symbol, written);
  assert.deepEqual(u.unitOf("lbf·in"), { symbol: "lbf·in", dimension: "torque" });
  assert.ok(u.units().includes("°F") && u.units().length >= 28);
});

test("a unit mismatch or an unknown unit is an error, never a number", () => {
  assert.throws(() => u.convert(1, "mm", "kg"), { name: "UnitError", message: "cannot convert mm (length) to kg (mass)" });
  assert.throws(() => u.convert(1, "N·m", "N"), /cannot convert N·m \(torque\) to N \(force\)/);
  assert.throws(() => u.convert(1, "°C", "bar"), u.UnitError);
  assert.throws(() => u.convert(1, "furlong", "m"), /unknown unit "furlong": use one of/);
  assert.throws(() => u.convert(1, "C", "°F"), u.UnitError, "a bare C could be coulombs: write °C");
  assert.throws(() => u.convert(Number.NaN, "mm", "in"), u.ParseError);
  assert.throws(() => u.convert(Number.POSITIVE_INFINITY, "mm", "in"), u.ParseError);
});

test("quantities are parsed with their unit, decimal commas and thousands included", () => {
  assert.deepEqual(u.parseQuantity("25.4 mm"), { value: 25.4, unit: "mm" });
  assert.deepEqual(u.parseQuantity("1.000 in"), { value: 1, unit: "in" });
  assert.deepEqual(u.parseQuantity("-40 °C"), { value: -40, unit: "°C" });
  assert.deepEqual(u.parseQuantity("25,4 mm"), { value: 25.4, unit: "mm" });
  assert.deepEqual(u.parseQuantity("1,000 psi"), { value: 1000, unit: "psi" });
  assert.deepEqual(u.parseQuantity("1.250,5 mm", { decimal: "," }), { value: 1250.5, unit: "mm" });
  assert.deepEqual(u.parseQuantity("12Nm"), { value: 12, unit: "N·m" });
  assert.deepEqual(u.parseQuantity("0.25", { unit: "in" }), { value: 0.25, unit: "in" });
  assert.equal(u.parseNumber("1 234,5"), 1234.5);
  assert.equal(u.parseNumber("1,234.5"), 1234.5);
  assert.throws(() => u.parseQuantity("25.4"), { name: "ParseError", message: /has no unit/ });
  assert.throws(() => u.parseQuantity("about 25 mm"), u.ParseError);
  assert.throws(() => u.parseQuantity("25 mm", { expect: "mass" }), /is a length, not a mass/);
  assert.throws(() => u.parseNumber("1,2,3"), u.ParseError);
  assert.throws(() => u.parseNumber("12 mm"), u.ParseError);
});

test("rounding to decimals is half away from zero as written, and to significant figures", () => {
  assert.equal(u.roundDecimals(2.675, 2), 2.68);
  assert.equal(u.roundDecimals(1.005, 2), 1.01);
  assert.equal(u.roundDecimals(-2.675, 2), -2.68);
  assert.equal(u.roundDecimals(-0.0004, 3), 0);
  assert.ok(!Object.is(u.roundDecimals(-0.0004, 3), -0), "no negative zero");
  assert.equal(u.roundDecimals(1e-7, 3), 0);
  assert.equal(u.roundSig(0.0012345, 2), 0.0012);
  assert.equal(u.roundSig(12345, 2), 12000);
  assert.equal(u.roundSig(-25.449, 3), -25.4);
  assert.equal(u.roundSig(0, 3), 0);
  assert.equal(u.roundTo(25.4, { sig: 1 }), 30);
  assert.equal(u.formatNumber(1.5, { sig: 3 }), "1.50");
  assert.equal(u.formatNumber(25.4, { decimals: 3 }), "25.400");
  assert.equal(u.formatNumber(0.0012345, { sig: 2 }), "0.0012");
  assert.equal(u.formatQuantity({ value: 25.4, unit: "Nm" }, { decimals: 1 }), "25.4 N·m");
  assert.throws(() => u.roundSig(1, 0), RangeError);
});

test("symmetric, asymmetric and limit tolerances give their limits", () => {
  const sym = u.symmetric(25.4, 0.05, "mm");
  close(sym.min, 25.35); close(sym.max, 25.45);
  const asym = u.asymmetric(25, 0.1, -0.05, "mm");
  close(asym.min, 24.95); close(asym.max, 25.1);
  const shaft = u.asymmetric(20, -0.02, -0.041, "mm"); // a g6-like shaft: both deviations below nominal
  close(shaft.min, 19.959); close(shaft.max, 19.98);
  assert.deepEqual(u.limits(9.8, 10.2, "N·m"), { kind: "limits", unit: "N·m", min: 9.8, max: 10.2 });
  assert.throws(() => u.symmetric(25, -0.1, "mm"), RangeError);
  assert.throws(() => u.asymmetric(25, -0.1, 0.1, "mm"), /upper deviation/);
  assert.throws(() => u.limits(2, 1, "mm"), /lower limit/);
});

test("tolerances are parsed as drawings write them", () => {
  const cases = [
    ["25.4 ± 0.05 mm", 25.35, 25.45, "symmetric"], ["25.4 +/- 0.05 mm", 25.35, 25.45, "symmetric"],
    ["25.4 +0.1/-0.05 mm", 25.35, 25.5, "asymmetric"], ["25.4 +0.1 -0.05 mm", 25.35, 25.5, "asymmetric"],
    ["25.35 .. 25.45 mm", 25.35, 25.45, "limits"], ["25.35 – 25.45 mm", 25.35, 25.45, "limits"],
    ["12 to 15 N·m", 12, 15, "limits"], ["25,4 ± 0,05 mm", 25.35, 25.45, "symmetric"],
  ];
  for (const [text, min, max, kind] of cases) {
    const tolerance = u.parseTolerance(text);
    close(tolerance.min, min); close(tolerance.max, max);
    assert.equal(tolerance.kind, kind, text);
  }
  assert.equal(u.parseTolerance("max 0.8 µm").max, 0.8);
  assert.equal(u.parseTolerance("max 0.8 µm").min, -Infinity);
  assert.equal(u.parseTolerance("≥ 12 N·m").min, 12);
  assert.equal(u.parseTolerance("10 ± 0.1", { unit: "mm" }).unit, "mm");
  assert.throws(() => u.parseTolerance("10 ± 0.1"), /has no unit/);
  assert.throws(() => u.parseTolerance("about ten"), u.ParseError);
});

test("checks pass on the limits, fail on either side, and convert the measurement's unit", () => {
  const bore = u.parseTolerance("25.4 ± 0.05 mm");
  assert.equal(u.check(25.45, bore).status, "pass", "the upper limit is in tolerance");
  assert.equal(u.check(25.35, bore).status, "pass", "the lower limit is in tolerance");
  assert.equal(u.check(25.46, bore).status, "high");
  assert.equal(u.check(25.34, bore).status, "low");
  assert.equal(u.check(0.8, u.symmetric(0.7, 0.1, "mm")).ok, true, "0.7 + 0.1 is 0.7999999999999999 in binary");
  const inch = u.check("1.000 in", bore);
  assert.equal(inch.ok, true); close(inch.value, 25.4); close(inch.deviation, 0, 12);
  close(u.check({ value: 1.002, unit: "in" }, bore).margin, 25.45 - 25.4508);
  assert.equal(u.check({ value: 1.002, unit: "in" }, bore).status, "high");
  const cold = u.limits(-25, -15, "°C"); // a freezer: a band below zero on both sides
  assert.equal(u.check(-20, cold).ok, true);
  assert.equal(u.check(-10, cold).status, "high");
  assert.equal(u.check("-4 °F", cold).ok, true, "-4 °F is -20 °C");
  assert.equal(u.check("-31 °F", cold).status, "low");
  assert.equal(u.check("0.5 µm", u.parseTolerance("max 0.8 µm")).ok, true);
  assert.throws(() => u.check("25.4 kg", bore), { name: "UnitError", message: "cannot convert kg (mass) to mm (length)" });
  assert.throws(() => u.check(Number.NaN, bore), u.ParseError);
});

test("a tolerance converts to another unit: limits as points, deviations as differences", () => {
  const torque = u.convertTolerance(u.symmetric(20, 2, "N·m"), "lbf·ft");
  close(torque.nominal, 20 / 1.3558179483314004); close(torque.upper, 2 / 1.3558179483314004);
  const oven = u.convertTolerance(u.symmetric(180, 5, "°C"), "°F");
  close(oven.nominal, 356); close(oven.upper, 9); close(oven.min, 347); close(oven.max, 365);
  assert.throws(() => u.convertTolerance(u.symmetric(20, 2, "N·m"), "N"), u.UnitError);
});

// tests/test_units_library.py passes the units that jfdi/documents/units.py finds in headers and
// values: every one that converts must mean the same unit here, so a dataset's column unit can be
// handed straight to convert().
const expected = process.env.JFDI_UNITS_EXPECTED;
test("the units datasets name are the units this module converts", { skip: !expected && "run by tests/test_units_library.py" }, async () => {
  const { readFile } = await import("node:fs/promises");
  const table = JSON.parse(await readFile(expected, "utf8"));
  assert.ok(Object.keys(table).length > 100);
  for (const [alias, [symbol, dimension]] of Object.entries(table)) {
    assert.deepEqual(u.unitOf(alias), { symbol, dimension }, alias);
  }
});
