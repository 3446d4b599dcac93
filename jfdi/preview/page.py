"""The preview on a page of JFDI's own, outside Gradio: the app's host (host.js) with the same
sandboxed frame, runtime and policies, for the benchmark's renderer and for share links.

host.js is the body of a Gradio component's js_on_load; `host_script` gives it what Gradio would
(`element`, `props`, `watch`, `trigger`) for the element HOLDER puts on the page, and the page's
own server hands out the vendored libraries (`asset`) under `asset_base`."""

from __future__ import annotations

import json
from pathlib import Path

from .libraries import library_set
from .srcdoc import ASSETS, AXE, HERE, SANDBOX, build_srcdoc

FRAME_CSS = (
    ".jfdi-preview-holder{position:relative;width:100%;height:100%}"
    ".jfdi-preview-frame{position:absolute;inset:0;width:100%;height:100%;border:0}"
    ".jfdi-preview-spare{visibility:hidden}"
    ".jfdi-preview-note{margin:16px;color:#7f1d1d}"
)
HOLDER = '<div id="preview"><div class="jfdi-preview-holder"></div></div>'

# What the frame reports (errors, renders) lands in window.jfdiReports; window.jfdiShow(value)
# puts another component in the frame.
_HARNESS = """window.jfdiReports = [];
const element = document.getElementById("preview");
const props = {props};
const watchers = {{}};
const watch = (name, callback) => {{ (watchers[name] = watchers[name] || []).push(callback); }};
const trigger = (name, data) => {{
  if (name === "report") window.jfdiReports.push(...data.reports.map((r) => ({{ ...r, token: data.token }})));
}};
window.jfdiShow = (value) => {{ props.value = value; (watchers.value || []).forEach((callback) => callback()); }};
{host}"""


def print_request(container: str) -> str:
    """JavaScript that asks the preview inside `container` (a CSS selector) to print the tool
    alone: host.js listens for the event (see printCopy there)."""
    return (f"document.querySelector('{container} .jfdi-preview-holder')"
            "?.dispatchEvent(new Event('jfdi-print', { bubbles: true }))")


def _bundles() -> dict[str, Path]:
    """The on-import library bundles by the name a page serves them under (their file name)."""
    return {library.bundle.name: library.bundle for library in library_set().libraries if library.bundle}


def host_script(value: dict | None, asset_base: str) -> str:
    """The script that shows `value` (preview.component_message) in HOLDER's element. The vendored
    files are fetched from `asset_base` + their name (`asset` serves them), relative to the page's
    own URL: the assets by their name in ASSETS, each library bundle by its file name."""
    props = json.dumps({
        "value": value,
        "asset_base": asset_base,
        "asset_paths": {
            **{name: name for name in ASSETS},
            "axe": AXE.name,
            "libraries": {library.name: library.bundle.name for library in library_set().libraries if library.bundle},
        },
        "sandbox": SANDBOX,
        "frame": build_srcdoc(),
    })
    # "</" would end the script element early: the frame's document holds </script>.
    return _HARNESS.format(props=props.replace("</", "<\\/"), host=(HERE / "host.js").read_text(encoding="utf-8"))


def asset(name: str) -> tuple[Path, str] | None:
    """A vendored file by the name host_script gives it, with its media type; None for any other."""
    path = ASSETS.get(name) or (AXE if name == AXE.name else None) or _bundles().get(name)
    if path is None:
        return None
    return path, "application/json" if path.suffix == ".json" else "text/javascript; charset=utf-8"
