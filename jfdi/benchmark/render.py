"""Render a component as the app's preview does, in headless Chromium, and check it in the DOM.

A loopback page runs the preview's own host (jfdi/preview/host.js) with its sandboxed frame and
runtime, so a component renders here exactly as it does in the app: same libraries, same
sandbox, same error reports. Playwright then reaches into the frame to look for what a prompt
expects (jfdi/benchmark/prompts.py describes the kinds).

Chromium comes from the system (Debian's `chromium`) and is driven by Playwright (pip install
playwright); without either, `Renderer.available()` is False and the render checks are reported
as not run."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Mapping

from ..preview import component_message
from ..preview.page import FRAME_CSS, HOLDER, asset, host_script
from ..preview.srcdoc import page_policy

CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
RENDER_TIMEOUT_MS = 15_000
SETTLE_MS = 300  # after the first render: effects run, late errors arrive
# The judge's screenshots (judge.SHOTS): as the render settles, a second after it, after the expect items.
SHOT_NAMES = ("1-load.png", "2-after-1s.png", "3-after-interactions.png")
SHOT_LATER_MS = 1000
SHOT_TIMEOUT_MS = 5000
ERROR_KINDS = ("syntax", "import", "runtime", "render", "assets")
SUBMIT = re.compile(r"submit|save|create|add|validate|check|verify|send|scan|receive|calculate|compute|log|record|apply|run", re.I)

_HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<style>#preview{{width:1200px;height:900px}}{css}</style>
</head><body>{holder}
<script>
{script}
</script></body></html>"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@dataclass
class Rendered:
    renders: bool | None  # None: not checked (no Chromium)
    errors: list[str] = field(default_factory=list)
    expect_passed: int = 0
    expect_total: int = 0
    expect_results: list[dict] = field(default_factory=list)
    note: str = ""
    screenshots: list[Path] = field(default_factory=list)  # taken when render() is given a folder
    screenshot_error: str = ""  # why the screenshots stop short (a frame too busy to be painted)


class _Host:
    """Serves the host page and the vendored libraries (only those) on a loopback port."""

    def __init__(self) -> None:
        page = _HOST_PAGE.format(policy=html.escape(page_policy()), css=FRAME_CSS, holder=HOLDER,
                                 script=host_script(None, "assets/")).encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/":
                    return self._send(200, "text/html; charset=utf-8", page)
                found = asset(self.path.removeprefix("/assets/")) if self.path.startswith("/assets/") else None
                if found is None:
                    return self._send(404, "text/plain", b"not found")
                path, kind = found
                self._send(200, kind, path.read_bytes())

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Renderer:
    """One Chromium for many projects: `render(files, expect)` for each, then `close()`."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or chromium_path()
        self._playwright = self._browser = self._page = self._host = None

    def available(self) -> bool:
        return bool(self.executable) and Path(self.executable).exists() and importlib.util.find_spec("playwright") is not None

    def _start(self) -> None:
        if self._page is not None:
            return
        from playwright.sync_api import sync_playwright

        self._host = _Host()
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)
        self._page = self._browser.new_page(viewport={"width": 1280, "height": 960})
        self._page.goto(self._host.url)

    def render(self, files: Mapping[str, str], expect: tuple[dict, ...] | list[dict] = (), shots: Path | None = None) -> Rendered:
        """Render and check `files`; with `shots`, a folder, also screenshot the preview into it
        (SHOT_NAMES), whatever the render showed: an error or a blank frame is what a user sees too."""
        if not self.available():
            return Rendered(None, note="Chromium not found: install it (apt-get install chromium) to check rendering")
        self._start()
        page = self._page
        camera = _Camera(page, shots)
        message = component_message(files)
        page.evaluate("(value) => { window.jfdiReports = []; window.jfdiShow(value); }", message)
        try:
            page.wait_for_function(
                "(token) => { const e = document.getElementById('preview'); return e.dataset.token === token"
                " && ['rendered', 'error'].includes(e.dataset.state); }",
                arg=message["token"], timeout=RENDER_TIMEOUT_MS,
            )
        except Exception:  # noqa: BLE001 - Playwright's timeout: the frame never said anything
            return camera.finish(Rendered(False, [f"no render within {RENDER_TIMEOUT_MS / 1000:.0f} s"], 0, len(expect)))
        camera.shoot()
        page.wait_for_timeout(SETTLE_MS)
        errors = self._errors(message["token"])
        state = page.evaluate("() => document.getElementById('preview').dataset.state")
        frame = page.frame_locator(".jfdi-preview-frame:not(.jfdi-preview-spare)")
        empty = state == "rendered" and not frame.locator("#root").inner_text(timeout=2000).strip() and \
            frame.locator("#root *").count() == 0
        if empty:
            errors.append("the component rendered nothing")
        renders = state == "rendered" and not errors
        camera.shoot(after_ms=SHOT_LATER_MS - SETTLE_MS)
        if not renders:
            return camera.finish(Rendered(False, errors, 0, len(expect)))
        results = []
        for item in expect:
            try:
                passed = bool(EXPECT[item["kind"]](page, frame, item))
            except Exception as exc:  # noqa: BLE001 - a check that cannot run on this DOM fails
                passed, item = False, {**item, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
            results.append({**item, "passed": passed})
        # An interaction may have thrown inside the component: that is a failure too.
        later = [e for e in self._errors(message["token"]) if e not in errors]
        return camera.finish(Rendered(True, later, sum(r["passed"] for r in results), len(results), results))

    def _errors(self, token: str) -> list[str]:
        reports = self._page.evaluate("() => window.jfdiReports")
        return [f"{r.get('kind')}: {r.get('message') or r.get('title') or ''}".strip()
                for r in reports if r.get("token") == token and r.get("kind") in ERROR_KINDS]

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        if self._host is not None:
            self._host.close()
        self._playwright = self._browser = self._page = self._host = None

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Camera:
    """The preview's screenshots for the judge, in SHOT_NAMES order; does nothing without a folder."""

    def __init__(self, page, folder: Path | None):
        self.page, self.folder, self.taken, self.error = page, folder, [], ""
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def shoot(self, after_ms: int = 0) -> None:
        if self.folder is None or self.error or len(self.taken) == len(SHOT_NAMES):
            return
        if after_ms > 0:
            self.page.wait_for_timeout(after_ms)
        path = self.folder / SHOT_NAMES[len(self.taken)]
        try:
            self.page.locator("#preview").screenshot(path=str(path), timeout=SHOT_TIMEOUT_MS)
        except Exception as exc:  # noqa: BLE001 - Playwright's timeout: a frame stuck in a loop is never painted
            self.error = f"screenshot {path.name} could not be taken: {str(exc).splitlines()[0][:200]}"
            return
        self.taken.append(path)

    def finish(self, rendered: Rendered) -> Rendered:
        """The shots not taken yet (a render that failed or never came: nothing more happens on
        screen but time), then the result with them."""
        if self.folder is not None:
            while len(self.taken) < len(SHOT_NAMES) and not self.error:
                self.shoot(after_ms=SHOT_LATER_MS if len(self.taken) == 1 else 0)
        rendered.screenshots, rendered.screenshot_error = list(self.taken), self.error
        return rendered


# The expectations, checked in the rendered DOM -------------------------------------------------


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def _body_text(frame) -> str:
    return frame.locator("#root").inner_text(timeout=2000)


def _snapshot(page, frame) -> str:
    """What the component shows: its text, the values of its fields and the state of its boxes."""
    state = frame.locator("input, select, textarea").evaluate_all(
        "(els) => els.map((e) => e.type === 'checkbox' || e.type === 'radio' ? String(e.checked) : e.value).join('|')"
    )
    return _body_text(frame) + "\u0000" + state


def _control(frame, label: str):
    """The first form control whose label, aria-label, placeholder, name or id matches."""
    pattern = _rx(label)
    for locator in (frame.get_by_label(pattern), frame.get_by_placeholder(pattern)):
        controls = locator.and_(frame.locator("input, select, textarea"))
        if controls.count():
            return controls.first
    controls = frame.locator("input, select, textarea")
    for index in range(controls.count()):
        control = controls.nth(index)
        names = " ".join(filter(None, (control.get_attribute("name"), control.get_attribute("id"))))
        if names and pattern.search(names):
            return control
    return None


def _text(page, frame, item) -> bool:
    return bool(_rx(item["value"]).search(_body_text(frame)))


def _field(page, frame, item) -> bool:
    return _control(frame, item["label"]) is not None


def _button(page, frame, item) -> bool:
    return frame.get_by_role("button", name=_rx(item["name"])).count() > 0


def _role(page, frame, item) -> bool:
    return frame.get_by_role(item["role"]).count() >= int(item.get("min", 1))


def _rows(frame):
    rows = frame.locator("tbody tr")
    if not rows.count():
        rows = frame.locator("[role=row]:not(:has([role=columnheader]))")
    return rows


def _rows_check(page, frame, item) -> bool:
    return _rows(frame).count() >= int(item.get("min", 1))


def _click_changes(page, frame, item) -> bool:
    if "button" in item:
        target = frame.get_by_role("button", name=_rx(item["button"])).first
    else:
        target = frame.get_by_role(item["role"]).first
    before = _snapshot(page, frame)
    target.click(timeout=2000)
    page.wait_for_timeout(150)
    return _snapshot(page, frame) != before


# Messages about this field: ones that name it, or that stand between it and the next control
# (where forms put the message under its field). Counted before and after the bad value.
_FIELD_MESSAGES = """(control, [message, field]) => {
  const says = new RegExp(message, "i"), names = new RegExp(field, "i");
  const controls = [...document.querySelectorAll("input, select, textarea")];
  const next = controls[controls.indexOf(control) + 1] || null;
  const after = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  const walker = document.createTreeWalker(document.getElementById("root"), NodeFilter.SHOW_TEXT);
  let count = 0;
  while (walker.nextNode()) {
    const text = walker.currentNode;
    if (!says.test(text.textContent) || !text.parentElement || text.parentElement.closest("label, option")) continue;
    if (names.test(text.textContent) || (after(control, text) && (!next || after(text, next)))) count += 1;
  }
  return count;
}"""


def _validation(page, frame, item) -> bool:
    """Enter the bad value, leave the field, try to submit: a message about this field must
    appear (in the page, or as the browser's own validation message for required/min/pattern)."""
    control = _control(frame, item["field"])
    if control is None:
        return False
    patterns = [item["message"], item["field"]]
    before = control.evaluate(_FIELD_MESSAGES, patterns)
    if not item["value"]:
        control.fill("x", timeout=2000)  # touched, then emptied: "required" messages show on change
    control.fill(str(item["value"]), timeout=2000)
    control.press("Tab")
    submit = frame.get_by_role("button", name=SUBMIT)
    if submit.count():
        submit.first.click(timeout=2000)
    page.wait_for_timeout(200)
    if control.evaluate(_FIELD_MESSAGES, patterns) > before:
        return True
    native = control.evaluate("(e) => e.validity && !e.validity.valid ? e.validationMessage : ''")
    return bool(native and _rx(item["message"]).search(native))


def _sort(page, frame, item) -> bool:
    """Clicking the header reorders the rows: the same rows in another order, or (a large table
    that shows a window of its rows) other rows whose values in that column are now in order."""
    headers = frame.locator("th, [role=columnheader]")
    pattern = _rx(item.get("header") or ".")
    order = lambda: _rows(frame).all_inner_texts()  # noqa: E731
    for index in range(headers.count()):
        header = headers.nth(index)
        if not pattern.search(header.inner_text(timeout=2000)):
            continue
        column = header.evaluate("(th) => [...th.parentElement.children].indexOf(th)")
        before = order()
        for _ in range(2):  # the first click may sort the order the rows already had
            header.click(timeout=2000)
            page.wait_for_timeout(120)
            after = order()
            if after != before and (sorted(after) == sorted(before) or _in_order(_column(frame, column))):
                return True
    return False


def _column(frame, column: int) -> list[str]:
    cells = _rows(frame).evaluate_all("(rows, i) => rows.map((r) => r.children[i] ? r.children[i].innerText : null)", column)
    return [c.strip() for c in cells if c and c.strip()]


def _in_order(values: list[str]) -> bool:
    if len(values) < 3:
        return False
    numbers = [re.sub(r"[^\d.-]", "", v) for v in values]
    numeric = all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers)
    keys: list = [float(n) for n in numbers] if numeric else [v.lower() for v in values]
    return keys == sorted(keys) or keys == sorted(keys, reverse=True)


# A chart: an SVG of chart size with at least `min` marks (dots, bars, or the vertices of a line).
_CHART_MARKS = """(svgs) => Math.max(0, ...svgs.map((svg) => {
  const box = svg.getBoundingClientRect();
  if (box.width < 100 || box.height < 60) return 0;
  const shapes = svg.querySelectorAll("circle, ellipse, rect").length;
  const vertices = (p) => ((p.getAttribute("d") || p.getAttribute("points") || "").match(/[LCQSTlcqst,]/g) || []).length;
  const paths = [...svg.querySelectorAll("path, polyline")].map(vertices);
  return Math.max(shapes, ...paths, 0);
}))"""


def _chart(page, frame, item) -> bool:
    return frame.locator("svg").evaluate_all(_CHART_MARKS) >= int(item.get("min", 3))


def _filter(page, frame, item) -> bool:
    search = frame.locator("input[type=search]")
    if not search.count():
        search = frame.get_by_placeholder(_rx("search|filter|find")).or_(frame.get_by_label(_rx("search|filter|find")))
    rows = _rows(frame)
    if not search.count() or rows.count() < 2:
        return False
    words = re.findall(r"[A-Za-z0-9-]{3,}", rows.nth(1).inner_text(timeout=2000))
    others = " ".join(rows.nth(i).inner_text() for i in range(rows.count()) if i != 1)
    term = next((w for w in words if w not in others), words[0] if words else "")
    if not term:
        return False
    total = rows.count()
    search.first.fill(term, timeout=2000)
    page.wait_for_timeout(150)
    shown = _rows(frame)
    visible = sum(1 for i in range(shown.count()) if shown.nth(i).is_visible())
    return 0 < visible < total


EXPECT: dict[str, Any] = {
    "text": _text,
    "field": _field,
    "button": _button,
    "role": _role,
    "rows": _rows_check,
    "click_changes": _click_changes,
    "validation": _validation,
    "sort": _sort,
    "filter": _filter,
    "chart": _chart,
}
