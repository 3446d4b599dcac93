"""The preview document (an iframe's srcdoc) and the message that puts a project in it.

The document holds the runtime (runtime.js), with the library set it may load, under a
Content-Security-Policy that allows no network at all. The vendored libraries (static/) and then
the project reach the iframe from
the parent page by postMessage (host.js): a sandboxed iframe has an opaque origin, and letting
it fetch from the app would mean letting it back into the app's origin, login and proxy (a
private Space) included. The document is the same for every component, so host.js loads the
next frame while the current one is in use, and a new version only waits for its own render."""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from typing import Mapping, Sequence

from ..config import TOUCH_TARGET_PX
from ..project import code_files, components, entry_of, imports
from .libraries import HERE, STATIC_DIR, library_set

# What host.js fetches from the app (gr.set_static_paths serves STATIC_DIR); the library
# bundles are fetched only when a project imports them.
ASSETS = {
    "vendor": STATIC_DIR / "vendor.js",
    "sucrase": STATIC_DIR / "sucrase.js",
    "tailwind": STATIC_DIR / "tailwind.js",
    "icons": STATIC_DIR / "lucide-icons.json",
}
# Sent to a frame only after its component rendered, for the accessibility check.
AXE = STATIC_DIR / "axe.js"


def asset_paths() -> dict:
    """host.js's `asset_paths` prop: each asset's path, and each library bundle's by name."""
    bundles = {library.name: str(library.bundle) for library in library_set().libraries if library.bundle}
    return {**{name: str(path) for name, path in ASSETS.items()}, "axe": str(AXE), "libraries": bundles}
# The sandbox attribute host.js gives every preview iframe (never allow-same-origin). Forms
# are allowed so that a component's onSubmit handler runs; form-action 'none' below still stops
# any submission from leaving the frame. Downloads are allowed so that a tool can export its
# data (a CSV from a Blob): a download saves a file the user sees, it sends nothing anywhere.
# Modals are not: a frame cannot print itself, so printing goes through host.js (printCopy).
SANDBOX = "allow-scripts allow-forms allow-downloads"
CSP = "; ".join([
    "default-src 'none'",
    "script-src 'unsafe-inline'",
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "font-src data:",
    "media-src data: blob:",
    "connect-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
])



def page_policy(frame_sources: Sequence[str] = ()) -> str:
    """The Content-Security-Policy the page that shows previews needs: its frames may show only
    `frame_sources` (srcdoc frames are not subject to it), so a component cannot navigate its
    frame anywhere, the app included. The sandbox cannot stop a frame navigating itself."""
    return "frame-src " + (" ".join(frame_sources) if frame_sources else "'none'")


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{{margin:0;background:#fff;color:#0f172a;font-family:ui-sans-serif,system-ui,sans-serif}}
{print_css}</style>
</head>
<body>
<div id="root"></div>
<script>{audit}</script>
<script>{runtime}</script>
</body>
</html>
"""


# How the tool prints (Letter or A4, whichever the printer has): rows and form groups are not cut
# across pages, a table's header repeats on each page, and the preview's own notes stay off paper.
PRINT_CSS = (
    "@page{size:auto;margin:12mm}"
    "@media print{html,body{background:#fff}"
    "tr,li,fieldset,figure,[role=group],form>div,.break-inside-avoid{break-inside:avoid}"
    "thead{display:table-header-group}tfoot{display:table-footer-group}"
    "[data-jfdi-toast]{display:none!important}}"
)


def new_token() -> str:
    return secrets.token_hex(8)


@lru_cache(maxsize=1)
def build_srcdoc() -> str:
    """The preview iframe's document: the runtime under a CSP without network, waiting for the
    libraries and one component (see `component_message`)."""
    registry = json.dumps(library_set().frame_registry()).replace("</", "<\\/")
    runtime = (HERE / "runtime.js").read_text(encoding="utf-8").replace("__JFDI_LIBRARIES__", registry)
    audit = (HERE / "audit.js").read_text(encoding="utf-8")
    return _PAGE.format(csp=CSP, audit=audit, runtime=runtime, print_css=PRINT_CSS)


def component_message(files: Mapping[str, str], token: str | None = None, *, target_px: int = TOUCH_TARGET_PX) -> dict:
    """What host.js posts into a preview frame for a project: its files under src/, each with the
    names of its top-level components, the entry to render, and the library bundles its imports
    need (host.js starts fetching them at once). `token` names this version in the reports the
    frame posts back; `target_px` is the smallest touch target its accessibility check accepts."""
    sources = {path: code for path, code in files.items() if path.startswith("src/")}
    # A data module imports nothing and defines no component: its megabytes of rows are not searched.
    code_only = code_files(sources)
    specifiers = [specifier for code in code_only.values() for specifier, _ in imports(code)]
    return {
        "token": token or new_token(),
        "main": entry_of(sources).path,
        "files": [{"path": path, "code": code, "components": components(code) if path in code_only else []}
                  for path, code in sources.items()],
        "libraries": library_set().bundles_for(specifiers),
        "target_px": target_px,
    }


def refused_message(reason: str, token: str | None = None) -> dict:
    """What host.js posts into a preview frame for a project that cannot be previewed (too many
    files, one too large): the frame shows `reason` instead."""
    return {"token": token or new_token(), "main": None, "files": [], "libraries": [], "refused": reason}
