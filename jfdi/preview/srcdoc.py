"""The preview document (an iframe's srcdoc) and the message that puts a component in it.

The document holds the runtime (runtime.js) under a Content-Security-Policy that allows no
network at all. The vendored libraries (static/) and then the component reach the iframe from
the parent page by postMessage (host.js): a sandboxed iframe has an opaque origin, and letting
it fetch from the app would mean letting it back into the app's origin, login and proxy (a
private Space) included. The document is the same for every component, so host.js loads the
next frame while the current one is in use, and a new version only waits for its own render."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .sources import main_file, split_files

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
# What host.js fetches from the app (gr.set_static_paths serves STATIC_DIR).
ASSETS = {
    "vendor": STATIC_DIR / "vendor.js",
    "sucrase": STATIC_DIR / "sucrase.js",
    "tailwind": STATIC_DIR / "tailwind.js",
    "icons": STATIC_DIR / "lucide-icons.json",
}
# The sandbox attribute host.js gives every preview iframe (never allow-same-origin). Forms
# are allowed so that a component's onSubmit handler runs; form-action 'none' below still stops
# any submission from leaving the frame.
SANDBOX = "allow-scripts allow-forms"
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
<style>html,body{{margin:0;background:#fff;color:#0f172a;font-family:ui-sans-serif,system-ui,sans-serif}}</style>
</head>
<body>
<div id="root"></div>
<script>{runtime}</script>
</body>
</html>
"""


def new_token() -> str:
    return secrets.token_hex(8)


@lru_cache(maxsize=1)
def build_srcdoc() -> str:
    """The preview iframe's document: the runtime under a CSP without network, waiting for the
    libraries and one component (see `component_message`)."""
    runtime = (HERE / "runtime.js").read_text(encoding="utf-8")
    return _PAGE.format(csp=CSP, runtime=runtime)


def component_message(code: str, token: str | None = None) -> dict:
    """What host.js posts into a preview frame for `code` (one file, or several with
    `// File:` lines): its files, each padded to its panel lines with the names of its top-level
    components, and which file to render. `token` names this version in the reports the frame
    posts back."""
    files = split_files(code)
    main = main_file(files)
    return {
        "token": token or new_token(),
        "main": main.path if main else None,
        "files": [{"path": f.path, "code": f.padded, "components": [name for name, _ in f.components()]} for f in files],
    }
