// Type-checks JFDI's own modules for generated projects, jfdi/preview/units/units.ts (strict, ES2020
// library only: no DOM, no Node) and jfdi/preview/csv/csv.ts (the same, with the DOM for its
// download), compiles them to ES modules and runs their tests with Node's own test runner.
// Offline: the TypeScript is the preview checker's (npm ci --prefix jfdi/preview/checker).
//
//   node tests/units/run.mjs            (.ci/run and tests/test_units_library.py run this)

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(join(root, "jfdi/preview/checker/package.json"));
let ts;
try {
  ts = require("typescript");
} catch {
  console.error("TypeScript is missing: run `npm ci --prefix jfdi/preview/checker` first");
  process.exit(2);
}

const MODULES = [
  { source: "jfdi/preview/units/units.ts", lib: ["lib.es2020.d.ts"], env: "JFDI_UNITS", tests: "tests/units/units.test.mjs" },
  { source: "jfdi/preview/csv/csv.ts", lib: ["lib.es2020.d.ts", "lib.dom.d.ts"], env: "JFDI_CSV", tests: "tests/units/csv.test.mjs" },
];
const out = mkdtempSync(join(tmpdir(), "jfdi-units-"));
try {
  const problems = MODULES.flatMap(({ source, lib }) => {
    const program = ts.createProgram([join(root, source)], {
      strict: true,
      noUnusedLocals: true,
      noImplicitReturns: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ES2020,
      lib,
      types: [],
      declaration: true,
      outDir: out,
    });
    const emitted = program.emit();
    return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  });
  if (problems.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
    console.error(ts.formatDiagnostics(problems, host));
    process.exitCode = 1;
  } else {
    writeFileSync(join(out, "package.json"), '{"type": "module"}\n');
    const compiled = Object.fromEntries(MODULES.map(({ source, env }) => [env, join(out, basename(source).replace(/\.ts$/, ".js"))]));
    const run = spawnSync(process.execPath, ["--test", ...MODULES.map(({ tests }) => join(root, tests))], {
      stdio: "inherit",
      env: { ...process.env, ...compiled },
    });
    process.exitCode = run.status ?? 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
