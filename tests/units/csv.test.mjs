// @jfdi/csv (jfdi/preview/csv/csv.ts), compiled by tests/units/run.mjs: CSV as RFC 4180 and Excel
// read it, read back by a small RFC 4180 reader to show nothing is lost.

import assert from "node:assert/strict";
import { test } from "node:test";

const { toCsv } = await import(process.env.JFDI_CSV);

// A reader of RFC 4180, to check that what toCsv writes reads back as it went in.
function readCsv(text, delimiter = ",") {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) { row.push(field); field = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; }
    else field += c;
  }
  assert.equal(field + row.join(""), "", "every row ends with CRLF");
  return rows;
}

const BOM = [
  { part: "CD-100001", description: 'Bolt M8x30, zinc "A2"', qty: 4, length: 30.5, ok: true, due: new Date("2024-03-01T00:00:00Z") },
  { part: "CD-100002", description: "Ø8 shaft\nground", qty: 0, length: null, ok: false, due: undefined },
];

test("a header row, CRLF after each row, fields quoted only when they must be", () => {
  const text = toCsv(BOM);
  assert.equal(text.split("\r\n")[0], "part,description,qty,length,ok,due");
  assert.ok(text.endsWith("\r\n"));
  assert.ok(text.includes('"Bolt M8x30, zinc ""A2"""'));
  assert.deepEqual(readCsv(text), [
    ["part", "description", "qty", "length", "ok", "due"],
    ["CD-100001", 'Bolt M8x30, zinc "A2"', "4", "30.5", "true", "2024-03-01T00:00:00.000Z"],
    ["CD-100002", "Ø8 shaft\nground", "0", "", "false", ""],
  ]);
});

test("columns by key, by header and key (a data module's columns), or by function", () => {
  const columns = ["part", { header: "Length [mm]", key: "length" }, { header: "Qty (pcs)", value: (r) => r.qty * 2 }];
  assert.deepEqual(readCsv(toCsv(BOM, columns)), [["part", "Length [mm]", "Qty (pcs)"], ["CD-100001", "30.5", "8"], ["CD-100002", "", "0"]]);
});

test("a semicolon for decimal-comma locales; numbers keep their point", () => {
  const text = toCsv([{ a: 1.5, b: "x;y" }], undefined, { delimiter: ";" });
  assert.equal(text, 'a;b\r\n1.5;"x;y"\r\n');
  assert.throws(() => toCsv(BOM, undefined, { delimiter: '"' }), /delimiter/);
  assert.throws(() => toCsv(BOM, undefined, { delimiter: ";;" }), /delimiter/);
});

test("text a spreadsheet would run as a formula is defused unless asked; numbers are not text", () => {
  const rows = [{ note: "=HYPERLINK(\"http://x\")", dev: -0.02, tag: "@risk", plain: " padded " }];
  assert.deepEqual(readCsv(toCsv(rows))[1], ["'=HYPERLINK(\"http://x\")", "-0.02", "'@risk", " padded "]);
  assert.deepEqual(readCsv(toCsv(rows, undefined, { formulas: true }))[1][0], "=HYPERLINK(\"http://x\")");
});

test("no rows: the header of the columns given, or nothing", () => {
  assert.equal(toCsv([], ["part", "qty"]), "part,qty\r\n");
  assert.equal(toCsv([]), "");
  assert.equal(toCsv([{ x: Number.NaN, y: new Date("not a date") }]), "x,y\r\n,\r\n");
});
