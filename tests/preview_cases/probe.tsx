import { useEffect, useState } from "react";

// Generated code is untrusted: this component tries every way out of the preview it can.
const APP = "__APP__";
const CANARY = "__CANARY__";

type Results = Record<string, string>;

function attempt(results: Results, name: string, fn: () => unknown) {
  try {
    results[name] = "allowed: " + String(fn()).slice(0, 60);
  } catch (error) {
    results[name] = "blocked: " + (error as Error).name;
  }
}

function settle(promise: Promise<unknown>, ms = 1500): Promise<string> {
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("blocked: no answer"), ms));
  return Promise.race([promise.then((v) => "allowed: " + String(v).slice(0, 60), (e) => "blocked: " + (e && e.name)), timeout]);
}

function open(make: () => WebSocket | EventSource): Promise<string> {
  return new Promise((resolve) => {
    try {
      const channel = make();
      channel.onopen = () => resolve("allowed: open");
      channel.onerror = () => resolve("blocked: error");
    } catch (error) {
      resolve("blocked: " + (error as Error).name);
    }
  });
}

function xhr(url: string): Promise<string> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = () => resolve("allowed: " + request.status);
    request.onerror = () => resolve("blocked: error");
    request.send();
  });
}

function element(tag: string, attributes: Record<string, string>): void {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  document.body.append(node);
}

export default function Probe() {
  const [results, setResults] = useState<Results | null>(null);
  useEffect(() => {
    const found: Results = {};
    attempt(found, "cookie", () => document.cookie);
    attempt(found, "localStorage", () => window.localStorage.length);
    attempt(found, "sessionStorage", () => window.sessionStorage.length);
    attempt(found, "parent document", () => window.parent.document.title);
    attempt(found, "parent storage", () => (window.parent as unknown as { localStorage: Storage }).localStorage.length);
    attempt(found, "top location", () => window.top!.location.href);
    attempt(found, "popup", () => {
      if (window.open(CANARY + "popup") === null) throw new Error("null");
      return "opened";
    });
    element("img", { src: CANARY + "img" });
    element("script", { src: CANARY + "script" });
    element("script", { src: APP + "gradio_api/info" });
    element("link", { rel: "stylesheet", href: CANARY + "style" });
    element("link", { rel: "prefetch", href: CANARY + "prefetch" });
    element("iframe", { src: CANARY + "frame" });
    element("video", { src: CANARY + "video" });
    const style = document.createElement("div");
    style.style.backgroundImage = `url(${CANARY}css-url)`;
    document.body.append(style);
    navigator.sendBeacon(CANARY + "beacon", "x");
    Promise.all([
      settle(fetch(APP + "config")),
      settle(fetch(APP + "gradio_api/info", { method: "POST" })),
      settle(fetch(CANARY + "fetch", { mode: "no-cors" })),
      xhr(APP + "config"),
      open(() => new WebSocket(APP.replace(/^http/, "ws") + "gradio_api/queue/join")),
      open(() => new EventSource(CANARY + "events")),
      settle(import(/* @vite-ignore */ CANARY + "module.js")),
    ]).then(([appFetch, appPost, canaryFetch, appXhr, socket, events, dynamicImport]) => {
      Object.assign(found, { "fetch app": appFetch, "post app API": appPost, "fetch canary": canaryFetch, "xhr app": appXhr, websocket: socket, eventsource: events, "dynamic import": dynamicImport });
      setResults({ ...found });
    });
  }, []);
  // Leaving is tried on a click, after the results are on show.
  const leave = () => {
    const form = document.createElement("form");
    form.action = CANARY + "form";
    form.method = "post";
    document.body.append(form);
    form.submit();
    const link = document.createElement("a");
    link.href = CANARY + "link";
    document.body.append(link);
    link.click();
    element("meta", { "http-equiv": "refresh", content: `0;url=${CANARY}refresh` });
    window.location.href = APP + "gradio_api/info";
    setTimeout(() => window.location.assign(CANARY + "navigate"), 50);
  };
  return (
    <div className="p-4">
      <button onClick={leave}>Try to leave</button>
      <pre id="probe" className="text-xs">{results ? JSON.stringify(results, null, 1) : "probing"}</pre>
    </div>
  );
}
