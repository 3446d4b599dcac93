/**
 * @jfdi/csv: a table as CSV text, and a download of it, for the tools JFDI generates.
 *
 *   toCsv(bom, bomColumns)                       // "Part Number,Length [mm]\r\nCD-100001,12.3\r\n"
 *   toCsv(rows, ["part", { header: "Qty (pcs)", value: (r) => r.qty }])
 *   downloadCsv("bom.csv", toCsv(rows))          // the browser saves bom.csv (the preview allows it)
 *
 * As RFC 4180 and Excel read it: a header row, CRLF after every row, a field quoted when it holds
 * the separator, a quote, a line break or spaces at its ends (its quotes doubled). Numbers are
 * written as JavaScript writes them (a point for decimals, whatever the locale), dates as ISO
 * 8601, empty cells as nothing. Text that a spreadsheet would run as a formula (=, +, -, @ first)
 * gets a leading apostrophe unless `formulas: true`. downloadCsv writes a UTF-8 byte-order mark so
 * that Excel on Windows reads "Ø8" and "µm" as written, not as cp1252.
 *
 * Plain ES module, no dependencies; downloadCsv needs a DOM.
 */

export type Cell = string | number | boolean | Date | null | undefined;

/** A column: a key of the row (its header is the key), or a header with a key or a function. */
export type Column<Row> =
  | (keyof Row & string)
  | { readonly header: string; readonly key: keyof Row & string }
  | { readonly header: string; readonly value: (row: Row) => Cell };

export interface CsvOptions {
  /** "," unless given; ";" is what Excel expects where the decimal mark is a comma. */
  delimiter?: string;
  /** Keep text that starts like a formula as it is (default false: an apostrophe goes first). */
  formulas?: boolean;
}

/** The CSV text of `rows`: `columns` in order, or every key of the first row (no columns: ""). */
export function toCsv<Row extends object>(rows: readonly Row[], columns?: readonly Column<Row>[], options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) throw new Error(`a CSV delimiter is one character other than a quote or a line break, not ${JSON.stringify(delimiter)}`);
  const chosen: readonly Column<Row>[] = columns ?? (rows.length ? (Object.keys(rows[0]) as (keyof Row & string)[]) : []);
  if (!chosen.length) return "";
  const header = chosen.map((column) => (typeof column === "string" ? column : column.header));
  const read = chosen.map((column) => reader(column));
  const field = (cell: Cell) => quote(text(cell, options.formulas ?? false), delimiter);
  const lines = [header.map((name) => quote(name, delimiter)), ...rows.map((row) => read.map((value) => field(value(row))))];
  return lines.map((cells) => cells.join(delimiter) + "\r\n").join("");
}

/** Save `csv` as a file named `filename` (".csv" added when missing), UTF-8 with a byte-order mark. */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = /\.csv$/i.test(filename) ? filename : `${filename}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function reader<Row>(column: Column<Row>): (row: Row) => Cell {
  if (typeof column === "string") return (row) => (row as Record<string, unknown>)[column] as Cell;
  if ("value" in column) return column.value;
  const key = column.key;
  return (row) => (row as Record<string, unknown>)[key] as Cell;
}

function text(cell: Cell, formulas: boolean): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : cell.toISOString();
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  if (typeof cell === "boolean") return cell ? "true" : "false";
  const value = String(cell);
  return !formulas && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(value: string, delimiter: string): string {
  const needs = value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim();
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}
