// Writes ../static: the libraries the live preview runs, built from the pinned packages in
// package-lock.json. Run here: `npm ci && npm run build`, then commit ../static.
//
//   vendor.js        React + ReactDOM (+ client, jsx-runtime), clsx, classnames, tailwind-merge,
//                    and lucide-react's icon factory, as one IIFE that sets globalThis.__jfdiVendor
//   sucrase.js       the TSX -> JS transform (typescript, jsx, imports), globalThis.__jfdiSucrase
//   tailwind.js      @tailwindcss/browser, copied as published
//   lucide-icons.json every lucide-react icon as data ({name: [size, node]}) and every export name,
//                    so the preview sends an iframe only the icons a component imports
//   VERSIONS.json, LICENSES.txt

import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, "../static");
const require = createRequire(import.meta.url);
const lock = JSON.parse(fs.readFileSync(path.join(here, "package-lock.json"), "utf8"));

const PACKAGES = ["react", "react-dom", "scheduler", "clsx", "classnames", "tailwind-merge", "lucide-react", "sucrase", "@tailwindcss/browser"];
// Packages bundled into sucrase.js besides sucrase itself (its parser helpers).
const SUCRASE_DEPS = ["lines-and-columns", "ts-interface-checker"];

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  legalComments: "none", // the licences go to LICENSES.txt, once
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

async function bundle(name, contents) {
  await esbuild.build({ ...common, stdin: { contents, resolveDir: here, loader: "js" }, outfile: path.join(out, name) });
}

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

fs.mkdirSync(out, { recursive: true });

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

await bundle("sucrase.js", `import { transform } from "sucrase"; globalThis.__jfdiSucrase = { transform };`);

fs.copyFileSync(require.resolve("@tailwindcss/browser"), path.join(out, "tailwind.js"));

const lucide = await iconData();
fs.writeFileSync(path.join(out, "lucide-icons.json"), JSON.stringify({ version: lock.packages["node_modules/lucide-react"].version, ...lucide }));

const versions = {};
const licences = [];
for (const name of [...PACKAGES, ...SUCRASE_DEPS]) {
  const entry = lock.packages[`node_modules/${name}`];
  versions[name] = { version: entry.version, license: entry.license, resolved: entry.resolved, integrity: entry.integrity };
  const dir = path.join(here, "node_modules", name);
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) throw new Error(`${name} ships no licence file`);
  licences.push(`${"=".repeat(78)}\n${name} ${entry.version} (${entry.license})\n${"=".repeat(78)}\n\n${fs.readFileSync(path.join(dir, file), "utf8").trim()}\n`);
}
fs.writeFileSync(path.join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
fs.writeFileSync(path.join(out, "LICENSES.txt"), licences.join("\n"));

for (const file of fs.readdirSync(out).sort()) {
  console.log(`${file.padEnd(20)} ${(fs.statSync(path.join(out, file)).size / 1024).toFixed(1).padStart(8)} KiB`);
}
