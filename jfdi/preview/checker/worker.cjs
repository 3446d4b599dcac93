// The preview's checks, as a long-lived Node process (jfdi/preview/checks.py starts it).
// One JSON request a line on stdin: {"id", "files": [{"path", "code"}], "syntax_only"}; one JSON answer a line
// on stdout. Syntax and types come from TypeScript's language service, kept warm between
// requests (React's types are parsed once), with the compiler options of the project that the
// download button writes (../project/tsconfig.json), so a component that passes here builds
// there. Without `npm ci` here, syntax alone is checked with the preview's own sucrase.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const vm = require("vm");

const HERE = __dirname;
const STATIC = path.join(HERE, "..", "static");
const PROJECT = path.join(HERE, "..", "project");
const ROOT = path.join(HERE, "virtual"); // the user's files live here, in memory only
const MAX_ERRORS = 20;
const SCRIPT = /\.(tsx|ts|jsx|js|mjs)$/;

let ts = null;
try {
  ts = require("typescript");
} catch {
  ts = null;
}
const versions = JSON.parse(fs.readFileSync(path.join(STATIC, "VERSIONS.json"), "utf8"));

function virtualPath(file) {
  return path.join(ROOT, "src", file.replace(/^src\//, ""));
}

function position(text, offset) {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// ---- TypeScript ---------------------------------------------------------------------------
function lucideDeclarations() {
  const { names } = JSON.parse(fs.readFileSync(path.join(STATIC, "lucide-icons.json"), "utf8"));
  const lines = Object.keys(names).flatMap((n) => [n, `${n}Icon`, `Lucide${n}`]).map((n) => `  export const ${n}: LucideIcon;`);
  return `declare module "lucide-react" {
  import type { ForwardRefExoticComponent, RefAttributes, SVGProps, ReactNode } from "react";
  export interface LucideProps extends SVGProps<SVGSVGElement> {
    size?: string | number;
    absoluteStrokeWidth?: boolean;
  }
  export type LucideIcon = ForwardRefExoticComponent<Omit<LucideProps, "ref"> & RefAttributes<SVGSVGElement>>;
  export type IconNode = [elementName: string, attrs: Record<string, string | number>][];
  export function createLucideIcon(iconName: string, iconNode: IconNode): LucideIcon;
  export const Icon: ForwardRefExoticComponent<LucideProps & { iconNode: IconNode } & RefAttributes<SVGSVGElement>>;
  export function LucideProvider(props: { children?: ReactNode } & LucideProps): ReactNode;
  export const icons: Record<string, LucideIcon>;
${lines.join("\n")}
}
declare module "*.css";
`;
}

function makeService() {
  const config = JSON.parse(fs.readFileSync(path.join(PROJECT, "tsconfig.json"), "utf8"));
  const converted = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  // The project's vite/client types are not installed here; the env file below stands in.
  const options = { ...converted.options, types: [], noEmit: true };
  const memory = new Map([[path.join(ROOT, "jfdi-env.d.ts"), { text: lucideDeclarations(), version: "1" }]]);
  const disk = new Map(); // lib and @types files: read once
  const read = (file) => {
    if (memory.has(file)) return memory.get(file).text;
    if (!disk.has(file)) disk.set(file, ts.sys.fileExists(file) ? ts.sys.readFile(file) : undefined);
    return disk.get(file);
  };
  const host = {
    getScriptFileNames: () => [...memory.keys()],
    getScriptVersion: (file) => (memory.has(file) ? memory.get(file).version : "0"),
    getScriptSnapshot: (file) => {
      const text = read(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (file) => memory.has(file) || ts.sys.fileExists(file),
    readFile: read,
    readDirectory: ts.sys.readDirectory,
    directoryExists: (dir) => dir.startsWith(ROOT) || ts.sys.directoryExists(dir),
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  let version = 1;

  function problem(d, byVirtual) {
    const file = byVirtual.get(d.file ? d.file.fileName : "") || "";
    const where = d.file && d.start !== undefined ? position(d.file.text, d.start) : { line: 0, column: 0 };
    return { file, ...where, code: `TS${d.code}`, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  }

  return function check(files, syntaxOnly) {
    for (const key of [...memory.keys()]) if (key.startsWith(path.join(ROOT, "src"))) memory.delete(key);
    version += 1;
    const byVirtual = new Map();
    const scripts = [];
    for (const file of files) {
      const target = virtualPath(file.path);
      byVirtual.set(target, file.path);
      if (SCRIPT.test(file.path) || file.path.endsWith(".json")) memory.set(target, { text: file.code, version: String(version) });
      if (SCRIPT.test(file.path)) scripts.push(target);
    }
    const syntax = scripts.flatMap((f) => service.getSyntacticDiagnostics(f)).map((d) => problem(d, byVirtual));
    if (syntax.length) {
      return { syntax_ok: false, syntax_errors: syntax.slice(0, MAX_ERRORS), typecheck_ok: null, type_errors: [], notes: ["type-check skipped: fix the syntax first"] };
    }
    if (syntaxOnly) return { syntax_ok: true, syntax_errors: [], typecheck_ok: null, type_errors: [], notes: [] };
    const types = scripts.flatMap((f) => service.getSemanticDiagnostics(f)).map((d) => problem(d, byVirtual));
    return { syntax_ok: true, syntax_errors: [], typecheck_ok: types.length === 0, type_errors: types.slice(0, MAX_ERRORS), notes: [] };
  };
}

// ---- sucrase, when TypeScript is not installed -----------------------------------------------
function makeSyntaxOnly() {
  const context = {};
  vm.runInNewContext(fs.readFileSync(path.join(STATIC, "sucrase.js"), "utf8"), context);
  const { transform } = context.__jfdiSucrase;
  return function check(files) {
    const errors = [];
    for (const file of files.filter((f) => SCRIPT.test(f.path))) {
      try {
        transform(file.code, { transforms: ["typescript", "jsx", "imports"], jsxRuntime: "automatic", production: true, filePath: file.path });
      } catch (error) {
        const where = error.pos !== undefined ? position(file.code, error.pos) : { line: 0, column: 0 };
        errors.push({ file: file.path, ...where, code: "", message: String(error.message).replace(/^Error transforming [^:]+: /, "").replace(/ \(\d+:\d+\)$/, "") });
      }
    }
    return {
      syntax_ok: errors.length === 0, syntax_errors: errors, typecheck_ok: null, type_errors: [],
      notes: [`type-check unavailable: TypeScript is not installed (run npm ci in ${HERE})`],
    };
  };
}

const check = ts ? makeService() : makeSyntaxOnly();
const tools = ts ? `typescript ${ts.version}` : `sucrase ${versions.sucrase.version} (syntax only)`;
const out = (value) => process.stdout.write(JSON.stringify(value) + "\n");

out({ ready: true, typescript: ts ? ts.version : null, tools });
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  const started = process.hrtime.bigint();
  try {
    const result = check(request.files || [], Boolean(request.syntax_only));
    out({ id: request.id, ...result, tools, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  } catch (error) {
    out({ id: request.id, error: String(error && error.stack || error) });
  }
});
