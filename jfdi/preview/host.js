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
      const note = document.createElement("p");
      note.className = "jfdi-preview-note";
      note.textContent = "The component tried to open another page (a link or a redirect). The preview stopped it: it has no network access.";
      frame.replaceWith(note);
      current.frame = note;
      queue({ kind: "blocked", message: "the component tried to open another page; the preview stopped it" });
      setState("error");
      setTimeout(warm, 50);
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
  if (entry.loaded) send(entry, { type: "run", component: value });
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
    if (entry.component) send(entry, { type: "run", component: entry.component });
    else if (ahead.length) bundles(ahead).then((libraries) => send(entry, { type: "preload", libraries }), () => {});
    return;
  }
  if (!current || entry !== current.entry || data.token !== current.token) return;
  if (data.type === "need") {
    const wantsIcons = data.icons === null || data.icons.length > 0;
    Promise.all([wantsIcons ? icons() : null, bundles(data.libraries)]).then(([all, libraries]) => {
      send(entry, { type: "supply", token: data.token, icons: all ? pickIcons(all, data.icons) : null, libraries });
    }, (error) => {
      queue({ kind: "assets", message: `the preview libraries could not be loaded from the app: ${error.message}` });
      setState("error");
    });
  } else if (data.type === "rendered") {
    setState("rendered");
    record({ token: data.token, rendered: Date.now(), ms: data.ms, sample: !!data.sample, libraries: data.libraries });
    setTimeout(warm, 50);
  } else if (data.type === "report") {
    if (["syntax", "import", "runtime", "render", "refused"].includes(data.report.kind)) {
      setState("error");
      setTimeout(warm, 50);
    }
    queue(data.report);
  }
});

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
