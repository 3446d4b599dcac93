"""What a share link serves: /share/<token>, a read-only page of one generation (its live preview,
every file of its code, its prompt and its checks, and "Open in JFDI"), outside Gradio.

The preview is the app's own (jfdi/preview/page.py): the same host, sandbox and frame policy, and
a page policy that lets nothing else in. The vendored libraries come from /share/<token>/assets/,
under the same rule as the page: a logged-out visitor of a login-only link never reaches the app.

Who may open it: anyone, when the app has no login (JFDI_AUTH unset) or the link was made public
on purpose; otherwise the app's logged-in users. A token that is unknown, revoked or malformed
gets the same 404, whose body says nothing; a visitor without the login gets the same 401 (a
login form) whether or not the token exists, since telling them apart would reveal it."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from ..errors import TeamStoreError
from ..preview import component_message
from ..preview.fix import describe_accessibility
from ..preview.page import FRAME_CSS, HOLDER, asset, host_script, print_request
from ..preview.srcdoc import page_policy
from ..project import is_data_module
from ..services import Services
from ..store.shares import Share

POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'unsafe-inline'",  # the page's own script; the preview frame inherits this policy
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "font-src data:",
    "connect-src 'self'",  # the libraries, and the login form's POST
    page_policy(),  # frames: none but the preview's srcdoc, which a component cannot navigate away
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
])
HEADERS = {
    "content-security-policy": POLICY,
    "cache-control": "no-store",  # a revoked link must not live on in a cache
    "referrer-policy": "no-referrer",  # the token is in the URL
    "x-content-type-options": "nosniff",
    "x-robots-tag": "noindex",
}

CSS = """
body { margin: 0; font-family: ui-sans-serif, system-ui, sans-serif; color: #0f172a; background: #f8fafc; }
header { display: flex; gap: 12px; align-items: center; padding: 10px 20px; background: #fff; border-bottom: 1px solid #e2e8f0; }
header .brand { font-weight: 700; letter-spacing: .04em; }
header .tag { color: #64748b; font-size: .9rem; flex: 1; }
a.open { background: #f59e0b; color: #fff; padding: 6px 14px; border-radius: 8px; text-decoration: none; font-weight: 600; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 1.35rem; margin: 8px 0 4px; white-space: pre-wrap; }
h2 { font-size: 1rem; margin: 24px 0 8px; color: #334155; }
.meta { color: #64748b; margin: 0; }
#preview { height: 640px; border: 1px solid #e2e8f0; border-radius: 10px; overflow: hidden; background: #fff; }
pre { background: #0f172a; color: #e2e8f0; padding: 14px; border-radius: 10px; overflow: auto; font-size: .85rem; }
.file { margin-top: 16px; font-family: ui-monospace, monospace; color: #334155; }
ul.checks { padding-left: 1.2em; } ul.checks li { margin: 3px 0; }
code { font-family: ui-monospace, monospace; }
form { display: grid; gap: 10px; max-width: 320px; } input { padding: 6px 8px; } .error { color: #b91c1c; }
"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head><body>
<header><span class="brand">🏭 JFDI</span><span class="tag">{tag}</span>{action}</header>
<main>{body}</main>
{script}</body></html>"""

_LOGIN_SCRIPT = """<script>
document.getElementById("jfdi-login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = new URLSearchParams(new FormData(event.target));
  const answer = await fetch(new URL("../login", window.location.href), { method: "POST", body, credentials: "same-origin" });
  if (answer.ok) window.location.reload();
  else document.getElementById("jfdi-login-error").textContent = "Wrong username or password.";
});
</script>"""


def page(title: str, tag: str, body: str, *, action: str = "", script: str = "") -> str:
    return _PAGE.format(title=html.escape(title), css=CSS + FRAME_CSS, tag=tag, action=action, body=body, script=script)


def shared_page(share: Share, record: dict[str, Any]) -> str:
    """The page of one shared generation. Everything from the generation (prompt, code, messages)
    is escaped: it is the user's and the model's text, never markup."""
    meta = [record.get("provider") and f"{record['provider']} ({record.get('model')})", _when(record["created_at"])]
    files = "".join(
        f'<div class="file">{html.escape(path)}</div><pre><code>{html.escape(_listed(path, code))}</code></pre>'
        for path, code in record["files"].items()
    )
    body = (
        f'<h1 id="jfdi-shared-prompt">{html.escape(record["prompt"])}</h1>'
        f'<p class="meta">{html.escape(" · ".join(filter(None, meta)))}</p>'
        f"{_unfinished_notice(record)}"
        f'<h2>Preview <button type="button" id="jfdi-shared-print" onclick="{html.escape(print_request("#preview"))}">'
        "🖨️ Print</button></h2>"
        f"{HOLDER}"
        f'<h2>Checks</h2><div id="jfdi-shared-checks">{checks_html(record.get("checks"))}</div>'
        f'<h2>Code</h2><div id="jfdi-shared-code">{files}</div>'
    )
    # "Open in JFDI": the app, from the link's own URL (/share/<token> -> /?fork=<token>), so a
    # proxy's path prefix is kept.
    action = f'<a class="open" id="jfdi-open" href="../?fork={html.escape(share.token)}">Open in JFDI</a>'
    script = f"<script>\n{host_script(component_message(record['files']), f'{share.token}/assets/')}\n</script>"
    return page(f"{record['prompt'][:80]} · JFDI", "a shared generation · read-only", body, action=action, script=script)


def _listed(path: str, code: str) -> str:
    """A file as the page lists it: a data module up to its rows (the preview has them all)."""
    if not is_data_module(path, code):
        return code
    head = code.split("\nconst table", 1)[0]
    return f"{head}\n// … the rows of the upload (the preview above and the Vite export hold them all)"


def _unfinished_notice(record: dict[str, Any]) -> str:
    """A stopped or failed generation keeps the code that had arrived: say so above it, so the
    link never passes a partial answer off as a finished one."""
    if record.get("status") == "ok":
        return ""
    if record.get("status") == "stopped":
        what = "This generation was stopped before it finished"
    else:
        reason = f" ({record['error']})" if record.get("error") else ""
        what = f"This generation did not finish{reason}"
    return f'<p class="error" id="jfdi-shared-status">⚠️ {html.escape(what)}: the code below is the partial answer.</p>'


def checks_html(checks: dict[str, Any] | None) -> str:
    """What the app's checks found when the generation was shown: syntax, types, errors in the
    preview and accessibility (kept with the generation; see jfdi/ui/preview_handlers.py)."""
    if not checks:
        return '<p class="meta">Not checked: the preview did not run for this generation in the app.</p>'
    items = [
        _check("Syntax", checks.get("syntax_ok"), checks.get("syntax_errors") or []),
        _check("Types", checks.get("typecheck_ok"), checks.get("type_errors") or []),
        _check("In the preview", not checks.get("runtime_errors"), checks.get("runtime_errors") or []),
    ]
    accessibility = checks.get("accessibility")  # None: the check did not run
    problems = [{"message": describe_accessibility(a)} for a in accessibility or []]
    items.append(_check("Accessibility", None if accessibility is None else not accessibility, problems))
    notes = "".join(f"<li>ℹ️ {html.escape(str(note))}</li>" for note in checks.get("notes") or [])
    return f'<ul class="checks">{"".join(items)}{notes}</ul>'


def _check(name: str, ok: bool | None, problems: list[dict]) -> str:
    if ok is None:
        return f"<li>➖ {name}: not checked</li>"
    if ok:
        return f"<li>✅ {name}</li>"
    listed = "".join(
        f"<li>{'line ' + str(p['line']) + ': ' if p.get('line') else ''}<code>{html.escape(str(p.get('message', '')))}</code></li>"
        for p in problems[:10]
    )
    return f"<li>❌ {name} ({len(problems)})<ul>{listed}</ul></li>"


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


NOT_FOUND = page("Not found · JFDI", "", "<h1>Not found</h1>")
REFUSED = page(
    "Log in · JFDI", "",
    '<h1>Log in to see this</h1><form id="jfdi-login">'
    '<label>Username <input name="username" autocomplete="username" required></label>'
    '<label>Password <input name="password" type="password" autocomplete="current-password" required></label>'
    '<button type="submit">Log in</button><p id="jfdi-login-error" class="error"></p></form>',
    script=_LOGIN_SCRIPT,
)
UNAVAILABLE = page("Unavailable · JFDI", "", "<h1>This link cannot be opened right now</h1><p>Try again in a minute.</p>")


def logged_in(request: Request) -> bool:
    """Whether the request carries the app's login: the session cookie Gradio's /login sets, named
    after the app's cookie_id, for a token it handed out (gradio/routes.py, get_current_user)."""
    app = request.app
    cookie_id, tokens = getattr(app, "cookie_id", None), getattr(app, "tokens", {})
    return any(tokens.get(request.cookies.get(f"{name}-{cookie_id}")) for name in ("access-token", "access-token-unsecure"))


class SharePage:
    """The routes of share links, for the app's server (Gradio's FastAPI app, through app_kwargs)."""

    def __init__(self, services: Services, *, login: bool, logged_in: Callable[[Request], bool] = logged_in):
        self.services = services
        self.login = login  # the app has a login (JFDI_AUTH)
        self.logged_in = logged_in

    def routes(self) -> list[Route]:
        # Plain functions: Starlette runs them on its worker threads, since a lookup may ask Convex.
        return [Route("/share/{token}", self.page), Route("/share/{token}/assets/{name}", self.asset)]

    def page(self, request: Request) -> Response:
        share, refusal = self._open(request)
        if share is None:
            return refusal
        try:
            record = self.services.engine.team.get(share.generation_id)
        except TeamStoreError:  # the generation is on Convex only, and Convex is away
            return HTMLResponse(UNAVAILABLE, 503, headers=HEADERS)
        if record is None:
            return HTMLResponse(NOT_FOUND, 404, headers=HEADERS)
        return HTMLResponse(shared_page(share, record), headers=HEADERS)

    def asset(self, request: Request) -> Response:
        share, refusal = self._open(request)
        found = asset(request.path_params["name"]) if share is not None else None
        if found is None:
            return refusal or HTMLResponse(NOT_FOUND, 404, headers=HEADERS)
        path, kind = found
        return FileResponse(path, media_type=kind, headers={"cache-control": "no-store", "x-content-type-options": "nosniff"})

    def _open(self, request: Request) -> tuple[Share | None, Response | None]:
        """The link, when this visitor may open it; else the refusal to send."""
        share = self.services.link(request.path_params["token"])
        allowed = not self.login or self.logged_in(request)
        if share is not None and (allowed or share.public):
            return share, None
        if not allowed:
            return None, HTMLResponse(REFUSED, 401, headers=HEADERS)
        return None, HTMLResponse(NOT_FOUND, 404, headers=HEADERS)
