/**
 * @jfdi/units: the units and tolerances of a machine shop, for the tools JFDI generates.
 *
 *   convert(1, "in", "mm")                        // 25.4
 *   parseQuantity("1.000 in")                     // { value: 1, unit: "in" }
 *   check("25.43 mm", parseTolerance("25.4 ± 0.05 mm"))   // { ok: true, status: "pass", ... }
 *   formatNumber(2.675, { decimals: 2 })          // "2.68"
 *
 * A unit is written as a shop writes it ("mm", "Nm", "lbf-ft", "°C", "psi") and folded to one
 * symbol (units() lists them): the same symbols JFDI puts in a dataset's schema. Converting
 * between dimensions (mm to kg), an unknown unit, or text that is not a quantity throws: a
 * wrong number is never returned in silence. Temperatures convert as points on a scale
 * (0 °C = 32 °F); a difference of temperatures converts with convertDifference (2 °C = 3.6 °F).
 *
 * Plain ES module, no dependencies.
 */

export type Dimension = "length" | "mass" | "force" | "torque" | "pressure" | "temperature" | "volume" | "time";

/** An unknown unit, or units of different dimensions. */
export class UnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnitError";
  }
}

/** Text that is not a quantity or a tolerance, or a tolerance that cannot be. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParseError";
  }
}

export interface Quantity {
  value: number;
  unit: string;
}

interface UnitDef {
  symbol: string;
  dimension: Dimension;
  factor: number; // value in the dimension's base unit = value * factor + offset
  offset: number;
  aliases: string[];
}

const LBF_IN_N = 0.45359237 * 9.80665; // exact by definition: 4.4482216152605 N
const DEFINITIONS: UnitDef[] = [
  unitDef("µm", "length", 1e-6, ["μm", "um", "micron", "microns"]),
  unitDef("mm", "length", 1e-3, ["millimeter", "millimetre", "millimeters", "millimetres"]),
  unitDef("cm", "length", 1e-2, ["centimeter", "centimetre", "centimeters", "centimetres"]),
  unitDef("m", "length", 1, ["meter", "metre", "meters", "metres", "mtr"]),
  unitDef("in", "length", 0.0254, ["inch", "inches", "in.", "\"", "″", "zoll", "pouce", "pouces"]),
  unitDef("ft", "length", 0.3048, ["feet", "foot", "ft."]),
  unitDef("g", "mass", 1e-3, ["gram", "grams", "gramm", "gramme", "grammes"]),
  unitDef("kg", "mass", 1, ["kilogram", "kilograms", "kilogramm", "kilogramme", "kilogrammes", "kgs"]),
  unitDef("lb", "mass", 0.45359237, ["lbs", "lb.", "lbs.", "pound", "pounds"]),
  unitDef("N", "force", 1, ["newton", "newtons"]),
  unitDef("kN", "force", 1e3, []),
  unitDef("lbf", "force", LBF_IN_N, []),
  unitDef("N·m", "torque", 1, ["Nm", "N.m", "N-m", "N*m", "N m", "N⋅m", "newton-meter", "newton metre"]),
  unitDef("lbf·ft", "torque", LBF_IN_N * 0.3048, ["lbf-ft", "lbf.ft", "lbf ft", "ft-lb", "ft·lb", "ft-lbf", "ft·lbf", "ft.lb", "lb-ft", "lb·ft", "ft lb", "ft lbf", "ftlb", "ft-lbs", "lb.ft"]),
  unitDef("lbf·in", "torque", LBF_IN_N * 0.0254, ["lbf-in", "lbf.in", "lbf in", "in-lb", "in·lb", "in-lbf", "in·lbf", "in.lb", "lb-in", "lb·in", "in lb", "in lbf", "inlb", "in-lbs", "lb.in"]),
  unitDef("Pa", "pressure", 1, ["pascal"]),
  unitDef("kPa", "pressure", 1e3, []),
  unitDef("MPa", "pressure", 1e6, []),
  unitDef("N/mm²", "pressure", 1e6, ["N/mm2", "N/mm^2"]),
  unitDef("bar", "pressure", 1e5, []),
  unitDef("psi", "pressure", LBF_IN_N / (0.0254 * 0.0254), []),
  unitDef("°C", "temperature", 1, ["ºC", "° C", "degC", "deg C", "deg. C", "celsius", "℃"], 273.15),
  unitDef("°F", "temperature", 5 / 9, ["ºF", "° F", "degF", "deg F", "deg. F", "fahrenheit", "℉"], 273.15 - (32 * 5) / 9),
  unitDef("K", "temperature", 1, ["kelvin"]),
  unitDef("L", "volume", 1, ["l", "liter", "litre", "liters", "litres", "ltr", "Ltr"]),
  unitDef("mL", "volume", 1e-3, ["ml"]),
  unitDef("gal", "volume", 3.785411784, ["gallon", "gallons", "US gal"]),
  unitDef("s", "time", 1, ["sec", "secs", "second", "seconds"]),
  unitDef("min", "time", 60, ["mins", "minute", "minutes"]),
  unitDef("h", "time", 3600, ["hr", "hrs", "hour", "hours", "Std", "Std."]),
];

function unitDef(symbol: string, dimension: Dimension, factor: number, aliases: string[], offset = 0): UnitDef {
  return { symbol, dimension, factor, offset, aliases };
}

const EXACT = new Map<string, UnitDef>();
const FOLDED = new Map<string, UnitDef | null>(); // null: two units share the spelling
for (const def of DEFINITIONS) {
  for (const alias of [def.symbol, ...def.aliases]) EXACT.set(alias, def);
}
for (const [alias, def] of EXACT) {
  const key = alias.toLowerCase();
  const seen = FOLDED.get(key);
  FOLDED.set(key, seen === undefined || seen === def ? def : null);
}

function lookup(text: string): UnitDef {
  const written = text.replace(/\s+/g, " ").trim();
  const def = EXACT.get(written) ?? FOLDED.get(written.toLowerCase());
  if (!def) {
    throw new UnitError(written ? `unknown unit "${written}": use one of ${units().join(", ")}` : "no unit given");
  }
  return def;
}

/** The symbols of every unit this module converts, in a fixed order. */
export function units(): string[] {
  return DEFINITIONS.map((def) => def.symbol);
}

/** The symbol and dimension of a unit as written ("Nm" -> { symbol: "N·m", dimension: "torque" }). */
export function unitOf(text: string): { symbol: string; dimension: Dimension } {
  const def = lookup(text);
  return { symbol: def.symbol, dimension: def.dimension };
}

export function isUnit(text: string): boolean {
  try {
    lookup(text);
    return true;
  } catch {
    return false;
  }
}

function finite(value: number, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ParseError(`${what} is not a number: ${String(value)}`);
  return value;
}

function pair(from: string, to: string): [UnitDef, UnitDef] {
  const a = lookup(from);
  const b = lookup(to);
  if (a.dimension !== b.dimension) {
    throw new UnitError(`cannot convert ${a.symbol} (${a.dimension}) to ${b.symbol} (${b.dimension})`);
  }
  return [a, b];
}

/** `value` in unit `from`, in unit `to`. Throws UnitError for an unknown unit or two dimensions. */
export function convert(value: number, from: string, to: string): number {
  const [a, b] = pair(from, to);
  finite(value, "the value");
  if (a === b) return value;
  return (value * a.factor + a.offset - b.offset) / b.factor;
}

/** A difference (a tolerance, a rise in temperature) in unit `from`, in unit `to`: 2 °C -> 3.6 °F. */
export function convertDifference(value: number, from: string, to: string): number {
  const [a, b] = pair(from, to);
  finite(value, "the value");
  return a === b ? value : (value * a.factor) / b.factor;
}

export function convertQuantity(quantity: Quantity, to: string): Quantity {
  return { value: convert(quantity.value, quantity.unit, to), unit: lookup(to).symbol };
}

// --- numbers as written ------------------------------------------------------------------------

const NUMBER = /^[-+−]?(?:\d[\d.,'’ \u00a0\u202f]*\d|\d|[.,]\d+)(?:[eE][-+]?\d+)?/;

/**
 * A number as a shop writes it: "1,234.5" or, with decimal ",", "1.234,5" and "1 234,5". Without
 * `decimal`, a comma followed by other than three digits ("25,4") is a decimal comma and
 * "1,000" is one thousand.
 */
export function parseNumber(text: string, decimal?: "." | ","): number {
  const written = text.trim();
  const match = NUMBER.exec(written);
  if (!match || match[0].length !== written.length) throw new ParseError(`"${text}" is not a number`);
  return readNumber(match[0], decimal);
}

function readNumber(written: string, decimal?: "." | ","): number {
  const sign = /^[-−]/.test(written) ? -1 : 1;
  const body = written.replace(/^[-+−]/, "");
  const [digits, exponent = ""] = body.split(/[eE]/);
  const mark = decimal ?? guessDecimal(digits);
  const group = mark === "." ? /[,'’ \u00a0\u202f]/g : /[.'’ \u00a0\u202f]/g;
  const [whole, fraction = "", extra] = digits.split(mark);
  if (extra !== undefined) throw new ParseError(`"${written}" has more than one decimal mark`);
  if (/[^\d]/.test(fraction)) throw new ParseError(`"${written}" is not a number with "${mark}" as its decimal mark`);
  if (/[^\d]/.test(whole) && !/^[1-9]\d{0,2}(?:([,.'’ \u00a0\u202f])\d{3})(?:\1\d{3})*$/.test(whole)) {
    throw new ParseError(`"${written}" is not a number with "${mark}" as its decimal mark`);
  }
  const value = Number(`${whole.replace(group, "") || "0"}.${fraction || "0"}${exponent ? `e${exponent}` : ""}`);
  return sign * value;
}

function guessDecimal(digits: string): "." | "," {
  const comma = digits.lastIndexOf(",");
  const dot = digits.lastIndexOf(".");
  if (comma >= 0 && dot >= 0) return comma > dot ? "," : ".";
  if (comma >= 0 && digits.indexOf(",") === comma && digits.length - comma - 1 !== 3) return ",";
  return ".";
}

/**
 * "25.4 mm", "1.000 in", "-40 °C", "25,4 mm" as a quantity. `unit` is the unit of a bare number
 * ("25.4"); without it a bare number throws. A quantity in a unit of another dimension than
 * `expect` throws UnitError.
 */
export function parseQuantity(text: string, options: { decimal?: "." | ","; unit?: string; expect?: Dimension } = {}): Quantity {
  const written = text.trim();
  const match = NUMBER.exec(written);
  if (!match) throw new ParseError(`"${text}" does not start with a number`);
  const value = readNumber(match[0], options.decimal);
  const rest = written.slice(match[0].length).trim();
  if (!rest && !options.unit) throw new ParseError(`"${text}" has no unit: write one, e.g. "${written} mm"`);
  const def = lookup(rest || (options.unit as string));
  if (options.expect && def.dimension !== options.expect) {
    throw new UnitError(`"${text}" is a ${def.dimension}, not a ${options.expect}`);
  }
  return { value, unit: def.symbol };
}

// --- rounding ----------------------------------------------------------------------------------

export type Precision = { decimals: number } | { sig: number };

/** `value` rounded half away from zero as written in decimal: 2.675 -> 2.68, 1.005 -> 1.01. */
export function roundDecimals(value: number, decimals: number): number {
  finite(value, "the value");
  if (!Number.isInteger(decimals)) throw new RangeError("decimals must be a whole number");
  // Shifting the decimal point in the number's text, not multiplying by 10^n: 2.675 * 100 is
  // 267.49999999999997 in binary, while "2.675e2" is 267.5.
  const rounded = shiftPoint(Math.round(shiftPoint(Math.abs(value), decimals)), -decimals);
  return Math.sign(value) * rounded || 0;
}

function shiftPoint(value: number, places: number): number {
  const [mantissa, exponent = "0"] = String(value).split("e");
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/** `value` to `sig` significant figures: roundSig(0.0012345, 2) -> 0.0012, roundSig(12345, 2) -> 12000. */
export function roundSig(value: number, sig: number): number {
  finite(value, "the value");
  if (!Number.isInteger(sig) || sig < 1) throw new RangeError("significant figures must be a whole number of at least 1");
  if (value === 0) return 0;
  return roundDecimals(value, sig - 1 - Math.floor(Math.log10(Math.abs(value))));
}

export function roundTo(value: number, precision: Precision): number {
  return "sig" in precision ? roundSig(value, precision.sig) : roundDecimals(value, precision.decimals);
}

/** The rounded value as text, trailing zeros kept: formatNumber(1.5, { sig: 3 }) -> "1.50". */
export function formatNumber(value: number, precision: Precision): string {
  const rounded = roundTo(value, precision);
  const decimals = "sig" in precision
    ? Math.max(0, precision.sig - 1 - Math.floor(Math.log10(Math.abs(rounded) || 1)))
    : Math.max(0, precision.decimals);
  return rounded.toFixed(decimals);
}

export function formatQuantity(quantity: Quantity, precision?: Precision): string {
  const value = precision ? formatNumber(quantity.value, precision) : String(quantity.value);
  return `${value} ${lookup(quantity.unit).symbol}`;
}

// --- tolerances --------------------------------------------------------------------------------

/**
 * A tolerance as its limits in `unit`. `nominal` and the deviations are kept as written for
 * display: ±0.05 (symmetric), +0.10/−0.05 (asymmetric, deviations signed as on a drawing), or
 * limits only (min..max; either may be infinite for "max 0.8 µm").
 */
export interface Tolerance {
  kind: "symmetric" | "asymmetric" | "limits";
  unit: string;
  min: number;
  max: number;
  nominal?: number;
  upper?: number; // signed deviation of the upper limit from nominal
  lower?: number; // signed deviation of the lower limit from nominal
}

export function symmetric(nominal: number, plusMinus: number, unit: string): Tolerance {
  finite(nominal, "the nominal");
  if (finite(plusMinus, "the tolerance") < 0) throw new RangeError("a ± tolerance cannot be negative");
  return { kind: "symmetric", unit: lookup(unit).symbol, nominal, upper: plusMinus, lower: -plusMinus, min: nominal - plusMinus, max: nominal + plusMinus };
}

/** nominal +upper / lower, deviations signed: asymmetric(25, 0.1, -0.05, "mm") is 24.95..25.10. */
export function asymmetric(nominal: number, upper: number, lower: number, unit: string): Tolerance {
  finite(nominal, "the nominal");
  if (finite(upper, "the upper deviation") < finite(lower, "the lower deviation")) {
    throw new RangeError(`the upper deviation (${upper}) is below the lower one (${lower})`);
  }
  return { kind: "asymmetric", unit: lookup(unit).symbol, nominal, upper, lower, min: nominal + lower, max: nominal + upper };
}

export function limits(min: number, max: number, unit: string): Tolerance {
  if (Number.isNaN(min) || Number.isNaN(max)) throw new ParseError("a limit is not a number");
  if (min > max) throw new RangeError(`the lower limit (${min}) is above the upper one (${max})`);
  return { kind: "limits", unit: lookup(unit).symbol, min, max };
}

export const atMost = (max: number, unit: string): Tolerance => limits(-Infinity, max, unit);
export const atLeast = (min: number, unit: string): Tolerance => limits(min, Infinity, unit);

const NUM = String.raw`[-+−]?(?:\d[\d.,'’]*\d|\d|[.,]\d+)(?:[eE][-+]?\d+)?`;
const TOLERANCE_FORMS: [RegExp, (m: RegExpExecArray, unit: string, d?: "." | ",") => Tolerance][] = [
  // 25.4 ± 0.05 mm, 25.4 +/- 0.05 mm
  [new RegExp(String.raw`^(${NUM})\s*(?:±|\+/-|\+-)\s*(${NUM})\s*(.*)$`), (m, u, d) => symmetric(readNumber(m[1], d), readNumber(m[2], d), u)],
  // 25.4 +0.1/-0.05 mm, 25.4 +0.1 -0.05 mm
  [new RegExp(String.raw`^(${NUM})\s*([-+−]\s*(?:\d[\d.,]*|[.,]\d+))\s*/?\s*([-+−]\s*(?:\d[\d.,]*|[.,]\d+))\s*(.*)$`), (m, u, d) => {
    const a = readNumber(m[2].replace(/\s/g, ""), d);
    const b = readNumber(m[3].replace(/\s/g, ""), d);
    return asymmetric(readNumber(m[1], d), Math.max(a, b), Math.min(a, b), u);
  }],
  // 25.35 .. 25.45 mm, 25.35 – 25.45 mm, 25.35 to 25.45 mm
  [new RegExp(String.raw`^(${NUM})\s*(?:\.\.|–|—|\bto\b|\s-\s)\s*(${NUM})\s*(.*)$`), (m, u, d) => limits(readNumber(m[1], d), readNumber(m[2], d), u)],
  // max 0.8 µm, ≤ 0.8 µm, <= 0.8
  [new RegExp(String.raw`^(?:max\.?|≤|<=)\s*(${NUM})\s*(.*)$`, "i"), (m, u, d) => atMost(readNumber(m[1], d), u)],
  // min 12 N·m, ≥ 12 N·m, >= 12
  [new RegExp(String.raw`^(?:min\.?|≥|>=)\s*(${NUM})\s*(.*)$`, "i"), (m, u, d) => atLeast(readNumber(m[1], d), u)],
];

/**
 * "25.4 ± 0.05 mm", "25.4 +0.1/-0.05 mm", "25.35..25.45 mm", "max 0.8 µm", "min 12 N·m" as a
 * Tolerance; `unit` is the unit when none is written.
 */
export function parseTolerance(text: string, options: { decimal?: "." | ","; unit?: string } = {}): Tolerance {
  const written = text.trim();
  for (const [pattern, build] of TOLERANCE_FORMS) {
    const match = pattern.exec(written);
    if (match) {
      const unit = match[match.length - 1].trim() || options.unit;
      if (!unit) throw new ParseError(`"${text}" has no unit: write one, e.g. "${written} mm"`);
      return build(match, unit, options.decimal);
    }
  }
  throw new ParseError(`"${text}" is not a tolerance: write "25.4 ± 0.05 mm", "25.4 +0.1/-0.05 mm", "25.35..25.45 mm" or "max 0.8 µm"`);
}

/** The tolerance in another unit of its dimension (its limits converted as points). */
export function convertTolerance(tolerance: Tolerance, unit: string): Tolerance {
  const to = lookup(unit).symbol;
  const point = (v: number) => (Number.isFinite(v) ? convert(v, tolerance.unit, to) : v);
  const shift = (v: number | undefined) => (v === undefined ? undefined : convertDifference(v, tolerance.unit, to));
  return {
    ...tolerance,
    unit: to,
    min: point(tolerance.min),
    max: point(tolerance.max),
    nominal: tolerance.nominal === undefined ? undefined : point(tolerance.nominal),
    upper: shift(tolerance.upper),
    lower: shift(tolerance.lower),
  };
}

export interface CheckResult {
  ok: boolean;
  status: "pass" | "low" | "high";
  value: number; // the measurement, in the tolerance's unit
  unit: string;
  deviation: number | null; // value - nominal; null for limits without a nominal
  margin: number; // to the nearer limit: positive inside, negative outside
}

/**
 * Whether a measurement is within the tolerance, limits included. A number is in the
 * tolerance's unit; a Quantity or text ("25.43 mm", "1.001 in") is converted first, and a unit
 * of another dimension throws UnitError.
 */
export function check(measured: number | Quantity | string, tolerance: Tolerance): CheckResult {
  const quantity = typeof measured === "string"
    ? parseQuantity(measured, { unit: tolerance.unit })
    : typeof measured === "number" ? { value: finite(measured, "the measurement"), unit: tolerance.unit } : measured;
  const value = convert(quantity.value, quantity.unit, tolerance.unit);
  // Limits are inclusive; 0.7 + 0.1 is 0.7999999999999999 in binary and 0.8 must still pass.
  const slack = 1e-9 * Math.max(1, Math.abs(value), Number.isFinite(tolerance.max) ? Math.abs(tolerance.max) : 0);
  const status = value < tolerance.min - slack ? "low" : value > tolerance.max + slack ? "high" : "pass";
  const margin = Math.min(value - tolerance.min, tolerance.max - value);
  return {
    ok: status === "pass",
    status,
    value,
    unit: lookup(tolerance.unit).symbol,
    deviation: tolerance.nominal === undefined ? null : value - tolerance.nominal,
    margin: Math.abs(margin) <= slack ? 0 : margin,
  };
}
