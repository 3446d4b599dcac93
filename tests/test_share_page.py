"""The share page and the Share panel's handlers without an app process: who may open a link, what
the page shows (escaped), and "Open in JFDI" as a new conversation."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from jfdi.engine import Engine
from jfdi.router import Router
from jfdi.services import Services
from jfdi.store import Store
from jfdi.store.shares import Share
from jfdi.ui.handlers import ChatState, Handlers
from jfdi.ui.share_handlers import ShareHandlers
from jfdi.ui.share_page import NOT_FOUND, REFUSED, SharePage, checks_html, shared_page
from tests.convex_sample import sample_record
from tests.fakes import FakeProvider

CODE = 'export default function Form() {\n  return <form className="p-4">SKU</form>;\n}'
SHARE = Share("Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ", "g1", False, "2026-11-26T10:00:00.000Z")


@pytest.fixture
def handlers(settings):
    claude = FakeProvider("claude", label="Claude", model="claude-sonnet-5-5")
    engine = Engine(settings, providers={"claude": claude}, router=Router({"claude": claude}, ["claude"]),
                    store=Store(settings.db_path))
    return Handlers(engine)


def generate(handlers: Handlers, prompt: str = "Build a reorder form", state: ChatState | None = None):
    handlers.engine.providers["claude"].enqueue(f"```tsx\n{CODE}\n```")
    return list(handlers.generate(prompt, "auto", state or ChatState(), "", "s1"))[-1]


def client(services: Services, *, login: bool, logged_in: bool = False) -> TestClient:
    page = SharePage(services, login=login, logged_in=lambda request: logged_in)
    return TestClient(Starlette(routes=page.routes()))


def test_who_may_open_a_link(handlers):
    generation = generate(handlers).state.generation_id
    services = handlers.services
    private, public = services.share(generation), services.share(generation, public=True)
    revoked = services.revoke_share(services.share(generation).token)
    unknown = "Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ"

    def status(path: str, **who) -> int:
        return client(services, **who).get(path).status_code

    for link in (private, public):  # no login on the app: as open as the app
        assert status(link.path, login=False) == 200
        assert status(f"{link.path}/assets/vendor", login=False) == 200
    assert status(private.path, login=True) == 401, "the app's login, not logged in"
    assert status(private.path, login=True, logged_in=True) == 200
    assert status(public.path, login=True) == 200, "made public on purpose"
    assert status(f"{private.path}/assets/sucrase", login=True) == 401
    assert status(f"{public.path}/assets/nothing-else", login=False) == 404, "only the preview's libraries"
    for gone in (revoked.path, f"/share/{unknown}", "/share/short"):
        assert status(gone, login=False) == 404
        assert status(gone, login=True, logged_in=True) == 404
        assert status(gone, login=True) == 401, "without the login, nothing tells a real link from a made-up one"
    assert client(services, login=False).get(revoked.path).text == NOT_FOUND
    assert client(services, login=True).get(revoked.path).text == REFUSED


def test_the_page_shows_the_prompt_every_file_and_the_preview_escaped():
    record = sample_record(
        prompt="Build a </script><script>alert(1)</script> form",
        files={"src/App.tsx": "export default function App() { return <p>{'</script>'}</p> }\n",
               "src/util.ts": "export const LIMIT = 5;"},
    )
    html = shared_page(SHARE, record)
    assert html.count("</script>") == 1, "nothing from the generation ends the page's script early"
    assert "<script>alert" not in html and "Build a &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; form" in html
    assert "src/App.tsx" in html and "src/util.ts" in html and "LIMIT = 5" in html
    assert 'href="../?fork=Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ"' in html
    assert '"asset_base": "Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ/assets/"' in html


def test_a_data_module_is_listed_up_to_its_rows_and_the_page_can_print_the_tool():
    from jfdi.project import DATA_MODULE_MARKER

    module = (f"{DATA_MODULE_MARKER} bom.csv: 'bom', 2 rows.\nexport interface BomRow {{\n  part: string;\n}}\n\n"
              'const table: any[][] = JSON.parse("[[\\"ROW-ONLY-IN-THE-PREVIEW\\"],[\\"B\\"]]");\n'
              'export const bom: BomRow[] = table.map((r) => ({ "part": r[0] }));\n')
    record = sample_record(files={"src/data/bom.ts": module, "src/App.tsx": "export default function App() { return null; }"})
    html = shared_page(SHARE, record)
    listing, script = html.split('id="jfdi-shared-code"', 1)[1].split("<script", 1)
    assert "export interface BomRow" in listing and "ROW-ONLY-IN-THE-PREVIEW" not in listing
    assert "ROW-ONLY-IN-THE-PREVIEW" in script, "the preview gets every row"
    assert 'id="jfdi-shared-print"' in html and "jfdi-print" in html


def test_the_checks_say_what_failed_and_where():
    found = checks_html({"syntax_ok": True, "typecheck_ok": False, "notes": [],
                         "type_errors": [{"line": 3, "column": 9, "message": "Type '<b>' is not assignable"}],
                         "runtime_errors": [{"kind": "runtime", "message": "x is undefined"}]})
    assert "✅ Syntax" in found and "❌ Types (1)" in found and "line 3: <code>Type &#x27;&lt;b&gt;&#x27;" in found
    assert "❌ In the preview (1)" in found and "x is undefined" in found
    assert "Not checked" in checks_html(None)
    assert "➖ Types: not checked" in checks_html({"syntax_ok": True, "typecheck_ok": None})
    assert "➖ Accessibility: not checked" in found
    label = {"rule": "label", "impact": "critical", "help": "Form elements must have labels", "target": "input",
             "html": "<input>", "count": 1}
    audited = checks_html({"syntax_ok": True, "typecheck_ok": True, "runtime_errors": [], "accessibility": [label]})
    assert "❌ Accessibility (1)" in audited and "label (critical): Form elements must have labels; input: &lt;input&gt;" in audited
    assert "✅ Accessibility" in checks_html({"syntax_ok": True, "typecheck_ok": True, "accessibility": []})


def test_the_panel_makes_lists_and_revokes_links(handlers):
    shares = ShareHandlers(handlers)
    path, message = shares.make_link(ChatState(), public=False)
    assert path == "" and "Generate something first" in message
    state = generate(handlers).state
    path, message = shares.make_link(state, public=False)
    assert path.startswith("/share/") and "anyone who can reach this app" in message
    links = shares.links()
    assert links.rows == [[path, "Build a reorder form", "login", links.rows[0][3], "active"]]
    assert [token for _, token in links.active] == [path[7:]]
    assert "Revoked" in shares.revoke(path[7:])
    assert shares.links().rows[0][4] == "revoked" and shares.links().active == []
    assert "no share link" in shares.revoke("Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ")


def test_open_in_jfdi_starts_a_conversation_of_ones_own_from_a_shared_generation(handlers):
    shares = ShareHandlers(handlers)
    first = generate(handlers, "Build a reorder form")
    second = generate(handlers, "Add a supplier field", first.state)
    token = handlers.services.share(second.state.generation_id).token
    visitor = ChatState(workspace="Plant 2")
    view = shares.open_shared(token, visitor)
    assert [m["content"] for m in view.chat if m["role"] == "user"] == ["Build a reorder form", "Add a supplier field"]
    assert view.code == CODE and view.state.workspace == "Plant 2", "follow-ups go to the visitor's workspace"
    assert view.status.startswith("🔗 Opened a shared generation")
    followed = generate(handlers, "Make it blue", view.state)
    assert followed.state.generation_id != second.state.generation_id, "the shared generation itself is untouched"
    handlers.services.revoke_share(token)
    refused = shares.open_shared(token, visitor)
    assert refused.status.startswith("❌") and refused.state == visitor


@pytest.mark.parametrize("status, error, says", [
    ("stopped", "", "stopped before it finished"),
    ("error", "the stream broke off: peer closed connection", "did not finish"),
])
def test_a_partial_answer_is_shared_as_partial(status, error, says):
    """A stopped or failed generation keeps the code that arrived; its link must not pass that
    off as a finished answer."""
    html = shared_page(SHARE, sample_record(status=status, error=error))
    banner = html[html.index('id="jfdi-shared-status"'):]
    assert says in banner[:400]
    assert error.split(":")[0] in banner[:400]
    assert 'id="jfdi-shared-status"' not in shared_page(SHARE, sample_record())
