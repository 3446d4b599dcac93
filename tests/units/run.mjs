// Type-checks jfdi/preview/units/units.ts (strict, ES2020 library only: no DOM, no Node), compiles
// it to an ES module and runs its tests with Node's own test runner. Offline: the TypeScript is the
// preview checker's (npm ci --prefix jfdi/preview/checker).
//
//   node tests/units/run.mjs            (.ci/run and tests/test_units_library.py run this)

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

const out = mkdtempSync(join(tmpdir(), "jfdi-units-"));
try {
  const program = ts.createProgram([join(root, "jfdi/preview/units/units.ts")], {
    strict: true,
    noUnusedLocals: true,
    noImplicitReturns: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ES2020,
    lib: ["lib.es2020.d.ts"],
    types: [],
    declaration: true,
    outDir: out,
  });
  const emitted = program.emit();
  const problems = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (problems.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
    console.error(ts.formatDiagnostics(problems, host));
    process.exitCode = 1;
  } else {
    writeFileSync(join(out, "package.json"), '{"type": "module"}\n');
    const run = spawnSync(process.execPath, ["--test", join(root, "tests/units/units.test.mjs")], {
      stdio: "inherit",
      env: { ...process.env, JFDI_UNITS: join(out, "units.js") },
    });
    process.exitCode = run.status ?? 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
