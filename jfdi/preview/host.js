// The parent side of the preview: the body of the preview component's js_on_load (Gradio gives
// it `element`, `props`, `trigger` and `watch`). It fetches the vendored libraries from the app
// once (same origin, so a login or a Space's proxy lets it through) and keeps one spare iframe
// warm: sandboxed, loaded with the libraries, hidden, waiting. A new version of the project
// (props.value: {token, files, main, libraries}) goes to the spare by postMessage, the spare
// takes the old frame's place, and a new spare warms up once the component has rendered; so
// every version runs in a fresh document, and the wait is only compiling and rendering. The
// library bundles a version imports (recharts, zod, ...) are fetched when it is shown, sent when
// its frame asks, and sent ahead to the next spare, which is likely to need them too. The
// iframe's reports reach Python as a "report" event. Only messages from our own frames are
// believed, and a report only with the token of the version on show.
const REPORT_EVERY_MS = 150;
// A render that has not finished by then is stopped, and so is a frame whose checks after the
// render (audit.js) have not: an endless loop blocks the frame's own thread, so only this side
// can notice, and timers here run in a background tab too (slowed to once a second), where
// animation frames stop.
const WATCHDOG_MS = 10_000;
const STALLED = {
  render: (s) => `the component did not finish rendering within ${s} s: an endless loop, or a render that never ends`,
  checks: (s) => `the component stopped responding within ${s} s of rendering: an endless loop in an effect or a timer`,
};
// On a page of JFDI's own (a share link, the benchmark: jfdi/preview/page.py) the libraries come
// from props.asset_base, relative to the page, instead of the app's file route.
const root = String((window.gradio_config && window.gradio_config.root) || window.location.href).replace(/\/?$/, "/");
const url = (path) =>
  (props.asset_base ? new URL(path, new URL(props.asset_base, window.location.href)) : new URL("gradio_api/file=" + path, root)).href;
const text = (path) => fetch(url(path), { credentials: "same-origin" }).then((r) => {
  if (!r.ok) throw new Error(`${r.status} ${r.statusText} for ${path.split("/").pop()}`);
  return r.text();
});
const paths = props.asset_paths;
const cache = (window.__jfdiPreviewAssets = window.__jfdiPreviewAssets || {});
cache.scripts = cache.scripts || Promise.all([text(paths.vendor), text(paths.sucrase), text(paths.tailwind)])
  .then(([vendor, sucrase, tailwind]) => ({ vendor, sucrase, tailwind }));
const icons = () => (cache.icons = cache.icons || text(paths.icons).then(JSON.parse));
const axe = () => (cache.axe = cache.axe || text(paths.axe));
cache.bundles = cache.bundles || {};
const bundle = (name) => (cache.bundles[name] = cache.bundles[name] || text(paths.libraries[name]));
const bundles = (names) => Promise.all(names.map(bundle)).then((texts) => Object.fromEntries(names.map((n, i) => [n, texts[i]])));
let ahead = []; // the bundles the last version used: sent to each new spare

const holder = element.querySelector(".jfdi-preview-holder") || element;
// When each version was shown and rendered (page time), for the benchmark and the tests.
const stats = (window.jfdiPreview = window.jfdiPreview || { events: [] });
const record = (event) => {
  stats.events.push(event);
  if (stats.events.length > 200) stats.events.splice(0, 100);
};
let current = null; // {frame, token, state}
let spare = null; // {frame, loaded, component}
let queued = [];
let timer = null;
let watchdog = null;

function flush() {
  timer = null;
  if (!queued.length || !current) return;
  trigger("report", { token: current.token, reports: queued });
  queued = [];
}

function queue(report) {
  queued.push(report);
  timer = timer || setTimeout(flush, REPORT_EVERY_MS);
}

function setState(state) {
  element.dataset.state = state;
}

function send(entry, message) {
  entry.frame.contentWindow.postMessage({ channel: "jfdi-host", ...message }, "*");
}

// Watches the current version's frame while it compiles and renders ("render"; not while its
// libraries are fetched here), then until it says what it rendered ("checks"); null: off.
function guard(stage) {
  clearTimeout(watchdog);
  watchdog = stage ? setTimeout(() => stalled(stage), WATCHDOG_MS) : null;
}

function stalled(stage) {
  watchdog = null;
  if (!current || !current.frame.contentWindow) return;
  const message = STALLED[stage](WATCHDOG_MS / 1000);
  record({ token: current.token, stalled: Date.now(), stage });
  // The spare may share the stuck frame's process, which keeps looping while any frame is in it:
  // both go, and the next spare starts in a fresh one.
  if (spare) spare.frame.remove();
  spare = null;
  stop(current, `The preview stopped the component: ${message}.`);
  queue({ kind: "timeout", message });
  flush();
}

// Takes the current version's frame away (its document goes with it) and says why in its place.
function stop(version, why) {
  const note = document.createElement("p");
  note.className = "jfdi-preview-note";
  note.textContent = why;
  version.frame.replaceWith(note);
  version.frame = note;
  setState("error");
  setTimeout(warm, 50);
}

function run(entry) {
  send(entry, { type: "run", component: entry.component });
  if (current && entry === current.entry) guard("render");
}

function makeFrame() {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", props.sandbox);
  frame.setAttribute("credentialless", "");
  frame.setAttribute("referrerpolicy", "no-referrer");
  frame.setAttribute("title", "Component preview");
  frame.className = "jfdi-preview-frame jfdi-preview-spare";
  const entry = { frame, loaded: false, component: null, loads: 0 };
  frame.addEventListener("load", () => {
    // A second load means the component navigated its frame: the page's frame-src policy
    // (the preview component's head) blocked the request, and the frame now holds an error page.
    entry.loads += 1;
    if (entry.loads < 2) return;
    if (spare === entry) spare = null;
    if (current && current.frame === frame) {
      guard(null);
      stop(current, "The component tried to open another page (a link or a redirect). The preview stopped it: it has no network access.");
      queue({ kind: "blocked", message: "the component tried to open another page; the preview stopped it" });
    } else {
      frame.remove();
    }
  });
  frame.srcdoc = props.frame;
  holder.append(frame);
  return entry;
}

function warm() {
  spare = spare || makeFrame();
}

function show(value) {
  if (timer) flush();
  guard(null);
  const old = current;
  if (old && value && value.token === old.token) return; // the version on show, sent again
  if (!value || !value.token) {
    current = null;
    if (old) old.frame.remove();
    setState("empty");
    warm();
    return;
  }
  const entry = spare || makeFrame();
  spare = null;
  current = { frame: entry.frame, token: value.token, entry };
  element.dataset.token = value.token;
  setState("loading");
  record({ token: value.token, shown: Date.now() });
  entry.component = value;
  ahead = value.libraries || [];
  // Fetching starts now, while the frame compiles; a failure is reported when the frame asks for them.
  ahead.forEach((name) => bundle(name).catch(() => {}));
  entry.frame.classList.remove("jfdi-preview-spare");
  if (old) old.frame.remove();
  if (entry.loaded) run(entry);
}

function entryOf(source) {
  if (current && current.frame.contentWindow === source) return current.entry;
  if (spare && spare.frame.contentWindow === source) return spare;
  return null;
}

window.addEventListener("message", (event) => {
  const data = event.data;
  const entry = entryOf(event.source);
  if (!entry || !data || data.channel !== "jfdi-preview") return;
  if (data.type === "ready") {
    cache.scripts.then((assets) => send(entry, { type: "assets", assets }), (error) => {
      if (entry !== spare) {
        queue({ kind: "assets", message: `the preview libraries could not be loaded from the app: ${error.message}` });
        setState("error");
      }
    });
    return;
  }
  if (data.type === "loaded") {
    entry.loaded = true;
    if (entry.component) run(entry);
    else if (ahead.length) bundles(ahead).then((libraries) => send(entry, { type: "preload", libraries }), () => {});
    return;
  }
  if (!current || entry !== current.entry || data.token !== current.token) return;
  if (data.type === "need") {
    guard(null);
    const wantsIcons = data.icons === null || data.icons.length > 0;
    Promise.all([wantsIcons ? icons() : null, bundles(data.libraries)]).then(([all, libraries]) => {
      if (!current || entry !== current.entry) return;
      send(entry, { type: "supply", token: data.token, icons: all ? pickIcons(all, data.icons) : null, libraries });
      guard("render");
    }, (error) => {
      queue({ kind: "assets", message: `the preview libraries could not be loaded from the app: ${error.message}` });
      setState("error");
    });
  } else if (data.type === "need-axe") {
    axe().then((text) => send(entry, { type: "axe", token: data.token, text }), (error) => {
      guard(null);
      queue({ kind: "audited", message: `the accessibility check could not be loaded from the app: ${error.message}`, failed: true });
    });
  } else if (data.type === "rendered") {
    // An effect may throw before the first paint is reported: the error stands.
    const failed = element.dataset.state === "error";
    guard(failed || data.empty ? null : "checks");
    if (!failed) setState("rendered");
    record({ token: data.token, rendered: Date.now(), ms: data.ms, sample: !!data.sample, libraries: data.libraries });
    setTimeout(warm, 50);
  } else if (data.type === "print") {
    printCopy(data.html);
  } else if (data.type === "report") {
    if (["syntax", "import", "runtime", "render", "refused"].includes(data.report.kind)) {
      guard(null);
      setState("error");
      setTimeout(warm, 50);
    }
    queue(data.report);
    // What ends a render (an error, or the last finding after it) goes to Python at once.
    if (element.dataset.state === "error" || data.report.kind === "audited") flush();
    // The first finding after the render shows the frame still runs (axe-core may then take
    // its time on a large page).
    if (["seen", "audited"].includes(data.report.kind)) {
      guard(null);
      record({ token: data.token, [data.report.kind]: Date.now() });
    }
    if (data.report.kind === "audited") element.dataset.audited = data.token;
  }
});

// Print: a "jfdi-print" event on the preview (the app's Print button sends one) asks the frame on
// show for a static copy of itself; the copy is printed from a frame that runs no script (no
// allow-scripts) and that this page may reach (allow-same-origin), since the preview frame cannot
// print (no allow-modals). So the paper holds the tool alone, never the app around it. The last
// copy stays in the page (for the tests) until the next print.
element.addEventListener("jfdi-print", () => {
  if (current && current.entry.loaded && element.dataset.state === "rendered") send(current.entry, { type: "print", token: current.token });
});

function printCopy(html) {
  document.querySelectorAll("iframe.jfdi-print-frame").forEach((old) => old.remove());
  const frame = document.createElement("iframe");
  frame.className = "jfdi-print-frame";
  frame.setAttribute("sandbox", "allow-same-origin allow-modals");
  frame.setAttribute("aria-hidden", "true");
  frame.setAttribute("tabindex", "-1");
  frame.style.cssText = "position:fixed;left:0;top:0;width:0;height:0;border:0;opacity:0;pointer-events:none";
  frame.addEventListener("load", () => {
    record({ token: current && current.token, printed: Date.now() });
    frame.contentWindow.print();
  }, { once: true });
  frame.srcdoc = html;
  document.body.append(frame);
}

function pickIcons(all, names) {
  // XIcon and LucideX are lucide-react's other spellings of X.
  const base = (name) => name.replace(/^Lucide(?=[A-Z0-9])/, "").replace(/(?<=.)Icon$/, "");
  const wanted = names || Object.keys(all.names).flatMap((n) => [n, n + "Icon", "Lucide" + n]);
  const picked = { names: {}, icons: {} };
  for (const name of wanted) {
    const icon = all.names[name] || all.names[base(name)];
    if (!icon) continue;
    picked.names[name] = icon;
    picked.icons[icon] = all.icons[icon];
  }
  return picked;
}

watch("value", () => show(props.value));
show(props.value);
