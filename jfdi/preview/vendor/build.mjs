// Writes ../static: the libraries the live preview runs, built from the pinned packages in
// package-lock.json. Run here: `npm ci && npm run build`, then commit ../static.
//
//   vendor.js        React + ReactDOM (+ client, jsx-runtime), clsx, classnames, tailwind-merge,
//                    and lucide-react's icon factory, as one IIFE that sets globalThis.__jfdiVendor
//   libraries/NAME.js one IIFE per "on import" library of ../libraries.json (recharts, zod, ...):
//                    it adds the library's import names to __jfdiVendor.modules. A frame loads it
//                    only when the code imports it; React and the other libraries it imports are
//                    taken from __jfdiVendor, so there is one React and one zod in a frame.
//   libraries.json   for each of those bundles: its file, its size, and the bundles it needs first
//   sucrase.js       the TSX -> JS transform (typescript, jsx, imports), globalThis.__jfdiSucrase
//   tailwind.js      @tailwindcss/browser, copied as published
//   axe.js           axe-core's axe.min.js, copied as published: the accessibility check a frame
//                    loads after its component rendered (jfdi/preview/audit.js runs it)
//   lucide-icons.json every lucide-react icon as data ({name: [size, node]}) and every export name,
//                    so the preview sends an iframe only the icons a component imports
//   VERSIONS.json, LICENSES.txt: every package whose code is in these files, found from esbuild's
//                    metafiles, with its version, licence and integrity from package-lock.json

import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, "../static");
const require = createRequire(import.meta.url);
const lock = JSON.parse(fs.readFileSync(path.join(here, "package-lock.json"), "utf8"));
const { libraries } = JSON.parse(fs.readFileSync(path.resolve(here, "../libraries.json"), "utf8"));
const onImport = libraries.filter((library) => library.load === "on import");
// Import name -> the library that provides it, for every library in the set.
const provider = new Map(libraries.flatMap((library) => library.imports.map((name) => [name, library])));

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  legalComments: "none", // the licences go to LICENSES.txt, once
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
  metafile: true,
};

// The packages whose files esbuild put in a bundle: their licences go to LICENSES.txt.
const bundled = new Set();
function collect(metafile) {
  for (const input of Object.keys(metafile.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
    if (match) bundled.add(match[match.length - 1].replace(/^node_modules\/|\/$/g, ""));
  }
}

async function bundle(name, contents, plugins = []) {
  const result = await esbuild.build({ ...common, stdin: { contents, resolveDir: here, loader: "js" }, outfile: path.join(out, name), plugins });
  collect(result.metafile);
}

// Inside a library's bundle, an import of another library of the set (React included) is read
// from __jfdiVendor.modules at run time instead of being bundled a second time.
function shared(own, needs) {
  return {
    name: "jfdi-shared",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const library = provider.get(args.path);
        if (!library || library === own) return undefined;
        if (library.load === "on import") needs.add(library.name);
        return { path: args.path, namespace: "jfdi-shared" };
      });
      build.onLoad({ filter: /.*/, namespace: "jfdi-shared" }, (args) => ({
        contents: `module.exports = globalThis.__jfdiVendor.modules[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
}

// zod ships every language's error messages and a namespace import keeps them all: 60% of its
// bundle. The preview keeps English, zod's default (z.locales.en).
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";', loader: "js", resolveDir: path.dirname(args.path),
    }));
  },
};
const TRIMS = { zod: [zodEnglishOnly] };

async function iconData() {
  // Every icon module calls createLucideIcon(iconData); a stand-in that returns the data turns
  // the whole package into {exportName: {name, size, node}} without rendering anything.
  const stub = {
    name: "lucide-data",
    setup(build) {
      build.onResolve({ filter: /createLucideIcon\.mjs$/ }, () => ({ path: "stub", namespace: "lucide-data" }));
      build.onLoad({ filter: /.*/, namespace: "lucide-data" }, () => ({ contents: "export default (data) => data;", loader: "js" }));
    },
  };
  const result = await esbuild.build({
    entryPoints: [require.resolve("lucide-react").replace(/cjs\/lucide-react\.js$/, "esm/lucide-react.mjs")],
    bundle: true, format: "cjs", platform: "node", write: false, plugins: [stub], external: ["react"], logLevel: "warning",
  });
  const module = { exports: {} };
  new Function("module", "exports", "require", result.outputFiles[0].text)(module, module.exports, require);
  const icons = {};
  const names = {};
  for (const [exportName, value] of Object.entries(module.exports)) {
    if (!value || !Array.isArray(value.node)) continue;
    // Keys only silence React's list warnings; the preview numbers the nodes instead.
    icons[value.name] = [value.size ?? 24, value.node.map(([tag, { key, ...attrs }]) => [tag, attrs])];
    // XIcon and LucideX are spelled out by the preview; keep the plain names only.
    if (!/^Lucide[A-Z0-9]|.Icon$/.test(exportName)) names[exportName] = value.name;
  }
  return { icons, names };
}

fs.rmSync(path.join(out, "libraries"), { recursive: true, force: true });
fs.mkdirSync(path.join(out, "libraries"), { recursive: true });

await bundle("vendor.js", `
  import React from "react";
  import ReactDOM from "react-dom";
  import ReactDOMClient from "react-dom/client";
  import JSXRuntime from "react/jsx-runtime";
  import clsx, * as clsxModule from "clsx";
  import classnames from "classnames";
  import * as tailwindMerge from "tailwind-merge";
  import { createLucideIcon, Icon, LucideProvider } from "lucide-react";
  const esm = (namespace) => Object.assign({ __esModule: true }, namespace);
  globalThis.__jfdiVendor = {
    modules: {
      "react": React,
      "react-dom": ReactDOM,
      "react-dom/client": ReactDOMClient,
      "react/jsx-runtime": JSXRuntime,
      "clsx": esm(clsxModule),
      "classnames": classnames,
      "tailwind-merge": esm(tailwindMerge),
    },
    lucide: { createLucideIcon, Icon, LucideProvider },
  };
`);

const built = {};
for (const library of onImport) {
  const needs = new Set();
  const file = `libraries/${library.name}.js`;
  const lines = library.imports.map((name, i) => `import * as m${i} from ${JSON.stringify(name)};\n` +
    `globalThis.__jfdiVendor.modules[${JSON.stringify(name)}] = Object.assign({ __esModule: true }, m${i});`);
  await bundle(file, lines.join("\n"), [shared(library, needs), ...(TRIMS[library.name] || [])]);
  built[library.name] = { file, bytes: fs.statSync(path.join(out, file)).size, requires: [...needs].sort() };
}
fs.writeFileSync(path.join(out, "libraries.json"), JSON.stringify(built, null, 2) + "\n");

await bundle("sucrase.js", `import { transform } from "sucrase"; globalThis.__jfdiSucrase = { transform };`);

fs.copyFileSync(require.resolve("@tailwindcss/browser"), path.join(out, "tailwind.js"));
bundled.add("@tailwindcss/browser");

fs.copyFileSync(path.join(path.dirname(require.resolve("axe-core")), "axe.min.js"), path.join(out, "axe.js"));
bundled.add("axe-core");

const lucide = await iconData();
fs.writeFileSync(path.join(out, "lucide-icons.json"), JSON.stringify({ version: lock.packages["node_modules/lucide-react"].version, ...lucide }));
bundled.add("lucide-react");

const versions = {};
const licences = [];
for (const name of [...bundled].sort()) {
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is bundled but not in package-lock.json`);
  versions[name] = { version: entry.version, license: entry.license, resolved: entry.resolved, integrity: entry.integrity };
  const dir = path.join(here, "node_modules", name);
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) throw new Error(`${name} ships no licence file`);
  licences.push(`${"=".repeat(78)}\n${name} ${entry.version} (${entry.license})\n${"=".repeat(78)}\n\n${fs.readFileSync(path.join(dir, file), "utf8").trim()}\n`);
}
fs.writeFileSync(path.join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
fs.writeFileSync(path.join(out, "LICENSES.txt"), licences.join("\n"));

const sizes = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
  entry.isDirectory() ? sizes(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
for (const file of sizes(out).sort()) {
  console.log(`${path.relative(out, file).padEnd(36)} ${(fs.statSync(file).size / 1024).toFixed(1).padStart(8)} KiB`);
}
