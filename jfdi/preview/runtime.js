/* The JFDI preview runtime. It runs inside the preview iframe: sandboxed without
 * allow-same-origin (an opaque origin: no cookies, storage or parent DOM) and under a CSP with
 * no network at all. The parent page (host.js) hands it the vendored libraries by postMessage
 * while the frame waits, hidden, for a component; then one project ("run": its files, the entry,
 * a token) arrives the same way. The runtime compiles the files with sucrase, asks for the
 * library bundles the code imports (recharts, zod, ...: loaded only then, and only once per
 * frame; host.js may have sent the last version's ahead), renders the entry inside an error
 * boundary, and posts every problem back: syntax errors, imports it cannot satisfy (with what to
 * use instead), render errors, uncaught exceptions, unhandled rejections, console.error and
 * console.warn calls. After the render it says what a person would see and, once host.js has
 * sent axe-core, what keeps someone from using it (audit.js does both). Sucrase keeps line
 * numbers, so a line in a stack trace is a line of the file as the code panel shows it. A frame
 * runs one project only. */
(() => {
  "use strict";
  let token = null;
  let files = [];
  let main = null;
  // The library set (jfdi/preview/libraries.py): import names always here, the bundle that
  // provides each of the others, what a bundle needs first, and advice for imports outside it.
  const LIBRARIES = __JFDI_LIBRARIES__;
  const loadedBundles = new Map(); // bundle name -> {ms: what loading it took, ahead: loaded before the project came}
  const EXTENSIONS = ["", ".tsx", ".ts", ".jsx", ".js", ".json", ".css", "/index.tsx", "/index.ts", "/index.jsx", "/index.js"];
  const MAX_REPORTS = 30;
  const SETTLE_MS = 250; // after the first paint: effects run and data appears before the frame is judged
  let targetPx = 24; // the smallest touch target the accessibility check accepts (JFDI_GLOVES: 44)
  let started = 0; // when the component arrived
  const reported = new WeakSet();
  let sent = 0;
  let vendor = null;
  let evaluating = null; // the file whose compiled code the browser is parsing, and what went wrong

  const post = (message) => parent.postMessage({ channel: "jfdi-preview", token, ...message }, "*");

  function report(kind, message, where = {}) {
    if (sent >= MAX_REPORTS) return;
    sent += 1;
    finding(kind, message, where);
  }

  // What the checks after a render found: a few per render, so never crowded out by errors.
  const finding = (kind, message, fields = {}) =>
    post({ type: "report", report: { kind, message: String(message).slice(0, 2000), ...fields } });

  // ---- where an error happened, in the code panel's lines --------------------------------
  function locate(error) {
    const stack = (error && error.stack) || "";
    for (const file of files) {
      const match = stack.match(new RegExp(escapeRegExp(sourceURL(file.path)) + ":(\\d+):(\\d+)"));
      if (match) return { file: file.path, line: Number(match[1]) };
    }
    return {};
  }
  const sourceURL = (path) => "jfdi-preview/" + path;
  const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  // ---- what the frame shows when something is wrong --------------------------------------
  function panel(title, message, where) {
    const box = document.createElement("div");
    box.setAttribute("data-jfdi-problem", title);
    box.style.cssText = "font:14px/1.45 ui-sans-serif,system-ui,sans-serif;margin:16px;padding:14px 16px;" +
      "border:1px solid #fca5a5;border-left:6px solid #dc2626;border-radius:8px;background:#fef2f2;color:#7f1d1d;white-space:pre-wrap";
    const heading = document.createElement("strong");
    const named = where && where.file && files.length > 1 ? `${where.file}, ` : "";
    heading.textContent = title + (where && where.line ? ` (${named}line ${where.line}${where.column ? `, column ${where.column}` : ""})` : "");
    const body = document.createElement("div");
    body.style.marginTop = "6px";
    body.textContent = message;
    box.append(heading, body);
    const line = where && where.line && codeLine(where.line, where.file);
    if (line !== null && line !== undefined) {
      const pre = document.createElement("pre");
      pre.style.cssText = "margin:10px 0 0;padding:8px;background:#fff;border-radius:6px;overflow:auto;color:#111";
      pre.textContent = `${where.line} | ${line}`;
      box.append(pre);
    }
    return box;
  }

  function codeLine(number, path) {
    const file = files.find((f) => f.path === path) || (files.length === 1 ? files[0] : null);
    const line = file && file.code.split("\n")[number - 1];
    return line && line.trim() ? line : null;
  }

  function showProblem(title, message, where) {
    document.getElementById("root").replaceChildren(panel(title, message, where));
  }

  function toast(text, tone) {
    const bar = document.createElement("div");
    bar.setAttribute("data-jfdi-toast", tone);
    bar.style.cssText = "position:fixed;left:12px;right:12px;bottom:12px;z-index:2147483647;padding:10px 14px;border-radius:8px;" +
      "font:13px/1.4 ui-sans-serif,system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.18);white-space:pre-wrap;" +
      (tone === "error" ? "background:#7f1d1d;color:#fff" : "background:#1e293b;color:#fff");
    bar.textContent = text;
    document.body.append(bar);
    setTimeout(() => bar.remove(), tone === "error" ? 8000 : 4000);
  }

  // ---- errors that escape the component ---------------------------------------------------
  window.addEventListener("error", (event) => {
    if (evaluating) {
      evaluating.error = { message: String(event.message).replace(/^Uncaught /, ""), line: event.lineno, column: event.colno };
      event.preventDefault();
      return;
    }
    const error = event.error;
    if (error && reported.has(error)) return;
    if (error) reported.add(error);
    const where = error ? locate(error) : {};
    if (!where.line && event.lineno && event.filename && event.filename.includes("jfdi-preview/")) where.line = event.lineno;
    report("uncaught", describe(error) || event.message, where);
    if (vendor) toast(`Uncaught error: ${describe(error) || event.message}`, "error");
  });
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    report("unhandled-rejection", describe(reason), reason instanceof Error ? locate(reason) : {});
    toast(`Unhandled promise rejection: ${describe(reason)}`, "error");
  });
  // A blocked request or navigation is reported, so a component that needs the network says so.
  // eval is refused too, but that is no network access: libraries probe for it (zod does, and
  // then validates without it), and code that needs it gets an EvalError, reported as an error.
  document.addEventListener("securitypolicyviolation", (event) => {
    if (event.blockedURI === "eval") return;
    report("blocked", `the preview has no network access: ${event.effectiveDirective} blocked ${event.blockedURI || "an inline resource"}`);
  });
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    consoleError(...args);
    // React logs the errors it catches; wait for the boundary to claim them before reporting.
    setTimeout(() => {
      const error = args.find((arg) => arg instanceof Error);
      if (error && reported.has(error)) return;
      if (error) reported.add(error);
      report("console", args.map(describe).join(" "), error ? locate(error) : {});
    }, 0);
  };
  const consoleWarn = console.warn.bind(console);
  console.warn = (...args) => {
    consoleWarn(...args);
    report("warning", args.map(describe).join(" "));
  };
  // The sandbox has no modals; a component's alert() still shows what it would have said.
  window.alert = (message) => toast(String(message), "info");
  window.confirm = (message) => (toast(`${message} (the preview answers OK)`, "info"), true);
  window.prompt = () => null;
  // Navigation cannot be stopped from in here (an opaque origin gets no navigate events): the
  // page's frame-src policy refuses it, and host.js notices the frame's second load.

  function describe(value) {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (typeof value === "string") return value;
    try { return JSON.stringify(value); } catch { return String(value); }
  }

  // ---- modules -----------------------------------------------------------------------------
  function resolve(specifier, importer) {
    if (!specifier.startsWith(".") && !specifier.startsWith("/") && !specifier.startsWith("@/")) return null;
    const base = specifier.startsWith("@/") ? "src/" + specifier.slice(2)
      : specifier.startsWith("/") ? specifier.slice(1)
      : join(importer.split("/").slice(0, -1).join("/"), specifier);
    const byPath = new Map(files.map((f) => [f.path, f]));
    for (const extension of EXTENSIONS) {
      const found = byPath.get(base + extension) || byPath.get(base.replace(/^src\//, "") + extension);
      if (found) return found;
    }
    // Answers often name a file one way and import it another: fall back to a unique base name.
    const stem = base.split("/").pop();
    const same = files.filter((f) => f.path.split("/").pop().replace(/\.\w+$/, "") === stem.replace(/\.\w+$/, ""));
    return same.length === 1 ? same[0] : null;
  }

  function join(dir, relative) {
    const parts = dir ? dir.split("/") : [];
    for (const part of relative.split("/")) {
      if (part === "..") parts.pop();
      else if (part !== "." && part !== "") parts.push(part);
    }
    return parts.join("/");
  }

  function compile(file) {
    const { transform } = window.__jfdiSucrase;
    try {
      return transform(file.code, {
        transforms: ["typescript", "jsx", "imports"], jsxRuntime: "automatic", production: true, filePath: file.path,
      }).code;
    } catch (error) {
      const where = error.loc ? { file: file.path, line: error.loc.line, column: error.loc.column } : { file: file.path };
      const message = String(error.message).replace(/^Error transforming [^:]+: /, "").replace(/ \(\d+:\d+\)$/, "");
      error.jfdi = { kind: "syntax", title: "Syntax error", message, where };
      throw error;
    }
  }

  // Every require() a compiled file makes, with the line it is on.
  function requiresOf(compiled) {
    const found = [];
    compiled.split("\n").forEach((text, index) => {
      for (const match of text.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) found.push({ specifier: match[2], line: index + 1 });
    });
    return found;
  }

  // The lucide icon names a compiled file reads; null when it reads them dynamically.
  function iconNamesOf(compiled) {
    const names = new Set();
    for (const match of compiled.matchAll(/var (\w+) = require\(['"]lucide-react['"]\)/g)) {
      const binding = match[1];
      if (new RegExp(`_interopRequireWildcard\\(${binding}\\)|\\b${binding}\\s*\\[|\\b${binding}\\.icons\\b`).test(compiled)) return null;
      for (const use of compiled.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, "g"))) names.add(use[1]);
    }
    return names;
  }

  function build() {
    const compiled = new Map();
    const missing = [];
    const bundles = new Set();
    const icons = new Set();
    let allIcons = false;
    for (const file of files) {
      if (!/\.(tsx|ts|jsx|js|mjs)$/.test(file.path)) continue;
      const code = compile(file);
      compiled.set(file.path, code);
      for (const { specifier, line } of requiresOf(code)) {
        if (LIBRARIES.always.includes(specifier) || /\.css$/.test(specifier) || resolve(specifier, file.path)) continue;
        if (LIBRARIES.bundles[specifier]) bundles.add(LIBRARIES.bundles[specifier]);
        else missing.push({ specifier, line, file: file.path });
      }
      const names = iconNamesOf(code);
      if (names === null) allIcons = true;
      else names.forEach((name) => icons.add(name));
    }
    return { compiled, missing, bundles: inLoadOrder(bundles), icons: allIcons ? null : [...icons] };
  }

  // Bundles after the bundles they need (@hookform/resolvers needs react-hook-form).
  function inLoadOrder(names) {
    const ordered = [];
    const add = (name) => {
      if (ordered.includes(name)) return;
      (LIBRARIES.requires[name] || []).forEach(add);
      ordered.push(name);
    };
    names.forEach(add);
    return ordered;
  }

  function unavailable(specifier) {
    const advice = LIBRARIES.advice.find((a) => a.imports.includes(specifier) || a.prefixes.some((p) => specifier.startsWith(p)));
    return advice ? advice.text : `import only ${LIBRARIES.importNames}, or write it in plain TypeScript`;
  }

  // A library bundle adds its modules to __jfdiVendor.modules; each loads once per frame.
  function loadBundles(texts, ahead) {
    for (const [name, text] of Object.entries(texts || {})) {
      if (loadedBundles.has(name)) continue;
      const began = performance.now();
      inject(text);
      loadedBundles.set(name, { ms: performance.now() - began, ahead });
    }
  }

  // ---- lucide-react: the real icon set, sent as data; unknown names get a placeholder ------
  function lucideModule(iconData) {
    const { createLucideIcon, Icon, LucideProvider } = vendor.lucide;
    const made = new Map();
    const warned = new Set();
    const placeholder = ["dashed-square-question", [
      ["rect", { x: "3", y: "3", width: "18", height: "18", rx: "2", "stroke-dasharray": "3 3" }],
      ["path", { d: "M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6" }],
      ["path", { d: "M12 17h.01" }],
    ]];
    // The icon data leaves out React's list keys; number the nodes instead.
    const make = (name, size, node) => createLucideIcon({ name, size, node: node.map(([tag, attrs], i) => [tag, { ...attrs, key: String(i) }]) });
    function icon(exportName) {
      if (made.has(exportName)) return made.get(exportName);
      const name = iconData.names[exportName];
      let component;
      if (name && iconData.icons[name]) {
        component = make(name, ...iconData.icons[name]);
      } else {
        if (!warned.has(exportName)) {
          warned.add(exportName);
          report("notice", `lucide-react has no icon named "${exportName}": the preview shows a placeholder`);
        }
        component = make(placeholder[0], 24, placeholder[1]);
      }
      made.set(exportName, component);
      return component;
    }
    const special = { __esModule: true, createLucideIcon, Icon, LucideProvider };
    const all = () => new Proxy({}, { get: (_, key) => (typeof key === "string" ? icon(key) : undefined) });
    return new Proxy(special, {
      get(target, key) {
        if (key in target) return target[key];
        if (key === "icons") return all();
        return typeof key === "string" && /^[A-Z]/.test(key) ? icon(key) : undefined;
      },
    });
  }

  function makeRequire(compiled, iconData) {
    const cache = new Map();
    const external = { ...vendor.modules, "lucide-react": lucideModule(iconData) };
    function load(file) {
      if (cache.has(file.path)) return cache.get(file.path).exports;
      const module = { exports: {} };
      cache.set(file.path, module);
      if (/\.json$/.test(file.path)) {
        module.exports = JSON.parse(file.code);
      } else if (/\.css$/.test(file.path)) {
        const style = document.createElement("style");
        style.type = "text/tailwindcss";
        style.textContent = file.code;
        document.head.append(style);
      } else {
        const factory = evaluate(file, compiled.get(file.path));
        factory((specifier) => requireFrom(specifier, file.path), module, module.exports);
      }
      return module.exports;
    }
    function requireFrom(specifier, importer) {
      if (specifier in external) return external[specifier];
      const file = resolve(specifier, importer);
      if (file) return load(file);
      if (/\.css$/.test(specifier)) return {}; // stylesheets the answer did not include: Tailwind styles the preview
      throw new Error(`cannot load "${specifier}"`); // build() reported it already
    }
    return load;
  }

  // Each file becomes a function in an inline script named after the file, so that stack
  // traces name it; the wrapper adds nothing before the first line, so lines stay the same.
  function evaluate(file, compiled) {
    const locals = file.components.map((name) => `${JSON.stringify(name)}: typeof ${name} === "undefined" ? undefined : ${name}`).join(", ");
    const slot = `__jfdiFactory${Math.random().toString(36).slice(2)}`;
    const script = document.createElement("script");
    script.textContent = `window.${slot} = function (require, module, exports) {${compiled}\n;module.jfdiLocals = {${locals}};\n};\n//# sourceURL=${sourceURL(file.path)}`;
    evaluating = { error: null };
    try {
      document.head.append(script);
    } finally {
      script.remove();
    }
    const parseError = evaluating.error;
    evaluating = null;
    const factory = window[slot];
    delete window[slot];
    if (!factory) {
      const where = parseError ? { file: file.path, line: parseError.line } : { file: file.path };
      const message = parseError ? parseError.message : "the browser could not parse the compiled code";
      throw Object.assign(new Error(message), { jfdi: { kind: "syntax", title: "Syntax error", message, where } });
    }
    return (requireFn, module, exports) => {
      factory(requireFn, module, exports);
      module.exports.jfdiLocals = module.jfdiLocals;
    };
  }

  const isComponent = (value) => typeof value === "function" || (value && typeof value === "object" && "$$typeof" in value);

  // The default export, else the last component the file defines or exports.
  function pickComponent(exports) {
    if (isComponent(exports.default)) return exports.default;
    const locals = Object.entries(exports.jfdiLocals || {}).filter(([, value]) => isComponent(value));
    if (locals.length) return locals[locals.length - 1][1];
    const named = Object.entries(exports).filter(([key, value]) => /^[A-Z]/.test(key) && isComponent(value));
    return named.length ? named[named.length - 1][1] : null;
  }

  // ---- rendering -----------------------------------------------------------------------------
  // Props for a component that needs some: callbacks do nothing, lists are empty, flags are
  // off, numbers are 0, anything else is empty text. Used only after a render without props
  // failed, so a component's own defaults win.
  const noop = () => undefined;
  const sampleProps = new Proxy({}, {
    get(_, key) {
      if (typeof key !== "string" || ["children", "key", "ref", "then", "$$typeof", "style"].includes(key)) return undefined;
      if (/^(on|handle|set|get|fetch|load|save|update|delete|remove|add|toggle|submit|render|format)[A-Z]|^(callback|cb|fn|dispatch)$/.test(key)) return noop;
      if (/^(is|has|show|can|should|disabled$|loading$|open$|readOnly$|required$|checked$|selected$|visible$|active$)/.test(key)) return false;
      if (/(count|total|qty|quantity|amount|price|cost|index|size|max|min|limit|page|step|width|height)$/i.test(key)) return 0;
      if (/(s|List|Data|data|Items|Rows|Options|Entries)$/.test(key) && !/(ss|us|is|Status|Props|Class|Address|Progress)$/.test(key)) return [];
      return "";
    },
  });

  function callable(component) {
    // memo() and forwardRef() wrap the function that renders.
    if (component && component.$$typeof && component.type) return callable(component.type);
    if (component && component.$$typeof && component.render) return (props) => component.render(props, null);
    return component;
  }

  function looksLikeMissingProps(error, component) {
    const fn = callable(component);
    return error instanceof TypeError && typeof fn === "function" && fn.length > 0 && !(fn.prototype && fn.prototype.isReactComponent);
  }

  function render(Component) {
    const React = vendor.modules.react;
    const h = React.createElement;
    let renderedOnce = false;

    function Host({ sample }) {
      React.useLayoutEffect(() => {
        if (renderedOnce) return;
        renderedOnce = true;
        // Painted on the next frame; a frame in a hidden tab gets no animation frames, so a
        // timer stands in.
        let posted = false;
        const done = () => {
          if (posted) return;
          posted = true;
          post({ type: "rendered", ms: performance.now() - started, sample, libraries: Object.fromEntries(loadedBundles) });
          setTimeout(judge, SETTLE_MS);
        };
        requestAnimationFrame(done);
        setTimeout(done, 100);
      }, []);
      return sample ? callable(Component)(sampleProps, null) : h(Component, null);
    }

    class Boundary extends React.Component {
      constructor(props) {
        super(props);
        this.state = { error: null, sample: false };
      }
      static getDerivedStateFromError(error) {
        return { error };
      }
      componentDidCatch(error, info) {
        reported.add(error);
        if (!this.state.sample && looksLikeMissingProps(error, Component)) {
          report("notice", `rendered with sample props (empty lists and text, no-op callbacks): without props it failed with ${describe(error)}`);
          this.setState({ error: null, sample: true });
          return;
        }
        const where = locate(error);
        report("render", describe(error), { ...where, stack: (info && info.componentStack || "").trim().split("\n").slice(0, 6).join("\n") });
      }
      render() {
        if (this.state.error) {
          const error = this.state.error;
          const where = locate(error);
          const box = panel("The component threw an error while rendering", describe(error), where);
          return h("div", { ref: (node) => node && node.replaceChildren(box) });
        }
        return h(Host, { sample: this.state.sample });
      }
    }

    createRootOn(document.getElementById("root")).render(h(Boundary));
  }

  // ---- after the render: what a person sees, then accessibility ----------------------------
  // Both follow the "rendered" message, so checking never delays the preview.
  function judge() {
    const root = document.getElementById("root");
    if (root.querySelector("[data-jfdi-problem]")) {
      finding("audited", "not checked: the preview shows an error instead of the component", { failed: true });
      return;
    }
    const seen = window.__jfdiAudit.visible(root);
    finding("seen", `${seen.elements} visible elements, ${seen.text} characters of text, ${seen.width}x${seen.height} px`, seen);
    if (seen.blank) {
      finding("blank", "the component rendered nothing visible: no text or element a person can see (it returned null, " +
        "has no size, is hidden, or its text is the colour of its background)");
    }
    post({ type: "need-axe" });
  }

  function audit(axeText) {
    if (!window.axe) inject(axeText);
    window.__jfdiAudit.audit(document.getElementById("root"), targetPx).then(({ violations, tool }) => {
      for (const v of violations) {
        const more = v.count > 1 ? ` (${v.count} elements; the first: ${v.target})` : ` (${v.target})`;
        finding("a11y", `${v.rule} (${v.impact}): ${v.help}${more}`, v);
      }
      finding("audited", `${tool}: ${violations.length} serious or critical`, { violations: violations.length, tool });
    }, (error) => finding("audited", `the accessibility check failed: ${describe(error)}`, { failed: true }));
  }

  // ---- start ------------------------------------------------------------------------------
  function inject(text) {
    const script = document.createElement("script");
    script.textContent = text;
    document.head.append(script);
    script.remove();
  }

  let pending = null;

  function loadLibraries(assets) {
    inject(assets.tailwind);
    inject(assets.vendor);
    inject(assets.sucrase);
    vendor = window.__jfdiVendor;
    warmUp();
    post({ type: "loaded" });
  }

  // While the frame waits for a component: Tailwind builds its base styles on the first class
  // it sees, and React's first render runs cold; neither should cost the component's time.
  function warmUp() {
    const sample = document.createElement("div");
    sample.style.display = "none";
    sample.className = "flex items-center gap-2 p-4 text-sm font-medium rounded border bg-slate-100 text-slate-700";
    document.body.append(sample);
    const React = vendor.modules.react;
    const scratch = createRootOn(document.createElement("div"));
    vendor.modules["react-dom"].flushSync(() => {
      scratch.render(React.createElement("form", { className: "p-4" }, React.createElement("button", { onClick: () => {} }, "warm")));
    });
    scratch.unmount();
  }

  const createRootOn = (node) => vendor.modules["react-dom/client"].createRoot(node);

  function start(component) {
    ({ token, files, main } = component);
    targetPx = component.target_px || targetPx;
    started = performance.now();
    if (component.refused) {
      report("refused", component.refused);
      showProblem("This project cannot be previewed", component.refused);
      return;
    }
    if (!files.length) {
      document.getElementById("root").replaceChildren(Object.assign(document.createElement("p"), {
        textContent: "Nothing to preview yet: generate a component or paste one into the code panel.",
        style: "font:14px system-ui,sans-serif;color:#64748b;margin:16px",
      }));
      post({ type: "rendered", ms: performance.now() - started, empty: true });
      return;
    }
    let built;
    try {
      built = build();
    } catch (error) {
      const info = error.jfdi || { kind: "syntax", title: "Syntax error", message: describe(error), where: {} };
      report(info.kind, info.message, info.where);
      showProblem(info.title, info.message, info.where);
      return;
    }
    if (built.missing.length) {
      const names = [...new Set(built.missing.map((m) => m.specifier))];
      const relative = names.filter((n) => /^(\.|\/|@\/)/.test(n));
      for (const m of built.missing) {
        const why = relative.includes(m.specifier) ? "no file of the project has that path" : unavailable(m.specifier);
        report("import", `cannot import "${m.specifier}": ${why}`, { file: m.file, line: m.line });
      }
      const reasons = names.map((n) => `"${n}": ${relative.includes(n) ? "no file of the project has that path" : unavailable(n)}.`);
      const message = `The preview cannot load ${reasons.join("\n")}\nIt provides ${LIBRARIES.importNames} and the project's own files.`;
      showProblem(`Cannot import ${names.join(", ")}`, message, { line: built.missing[0].line, file: built.missing[0].file });
      return;
    }
    pending = built;
    const needsIcons = built.icons === null || built.icons.length > 0;
    const needsBundles = built.bundles.filter((name) => !loadedBundles.has(name));
    if (needsIcons || needsBundles.length) post({ type: "need", icons: needsIcons ? built.icons : [], libraries: needsBundles });
    else run({ icons: {}, names: {} });
  }

  function run(iconData) {
    const built = pending;
    pending = null;
    let exports;
    try {
      const load = makeRequire(built.compiled, iconData);
      exports = load(files.find((f) => f.path === main) || files[0]);
    } catch (error) {
      if (error.jfdi) {
        report(error.jfdi.kind, error.jfdi.message, error.jfdi.where);
        showProblem(error.jfdi.title, error.jfdi.message, error.jfdi.where);
        return;
      }
      reported.add(error);
      const where = locate(error);
      report("runtime", describe(error), where);
      showProblem("The code threw an error before rendering", describe(error), where);
      return;
    }
    const Component = pickComponent(exports);
    if (!Component) {
      const message = "No component to render: export one as the default export (export default function App() { ... }).";
      report("runtime", message);
      showProblem("Nothing to render", message);
      return;
    }
    render(Component);
  }

  // ---- printing ----------------------------------------------------------------------------
  // The sandbox has no allow-modals, so window.print() is ignored in here: the frame sends the
  // host a static copy of what it shows (fields with their values, canvases as images, no
  // scripts), which host.js prints in a frame that runs no script.
  function printable() {
    const copy = document.documentElement.cloneNode(true);
    const live = document.querySelectorAll("input, textarea, select, canvas");
    copy.querySelectorAll("input, textarea, select, canvas").forEach((node, i) => {
      const field = live[i];
      if (field instanceof HTMLCanvasElement) {
        try {
          node.replaceWith(Object.assign(document.createElement("img"), { src: field.toDataURL(), width: field.width, height: field.height }));
        } catch { /* a canvas that cannot be read stays blank */ }
      } else if (field.type === "checkbox" || field.type === "radio") {
        node.toggleAttribute("checked", field.checked);
      } else if (field instanceof HTMLSelectElement) {
        [...node.options].forEach((option, o) => option.toggleAttribute("selected", field.options[o].selected));
      } else if (field instanceof HTMLTextAreaElement) {
        node.textContent = field.value;
      } else {
        node.setAttribute("value", field.value);
      }
    });
    copy.querySelectorAll("script, [data-jfdi-toast]").forEach((node) => node.remove());
    return "<!doctype html>\n" + copy.outerHTML;
  }

  window.addEventListener("message", (event) => {
    const data = event.data;
    if (event.source !== parent || !data || data.channel !== "jfdi-host") return;
    if (data.type === "print" && data.token === token) {
      post({ type: "print", html: printable() });
      return;
    }
    if (data.type === "assets" && !vendor) loadLibraries(data.assets);
    else if (data.type === "run" && vendor && token === null) start(data.component);
    else if (data.type === "preload" && vendor) loadBundles(data.libraries, true);
    else if (data.type === "axe" && data.token === token) audit(data.text);
    else if (data.type === "supply" && pending && data.token === token) {
      loadBundles(data.libraries, false);
      run(data.icons || { icons: {}, names: {} });
    }
  });
  post({ type: "ready" });
})();
