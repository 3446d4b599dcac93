"""Share links end to end: two replicas of `python app.py` on one (loopback) Convex deployment,
the /share API, the CLI, the page a link serves, and in Chromium: the Share panel, the shared
page's preview, "Open in JFDI", and Revoke."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import httpx
import pytest
from gradio_client import Client
from playwright.sync_api import expect

from tests.apprunner import RunningApp, start_app
from tests.browser import screenshot
from tests.loopback import ConvexServer, Reply, wait_until

CODE = """export default function ReorderForm() {
  return (
    <form className="p-6 space-y-3">
      <label className="block">SKU <input className="border rounded px-2" /></label>
      <button className="px-3 py-1 rounded bg-amber-500 text-white">Reorder</button>
    </form>
  );
}"""
UNKNOWN = "Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ"


@pytest.fixture(scope="module")
def convex():
    with ConvexServer() as server:
        yield server


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, claude, convex):
    env = {"ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude",
           "JFDI_TIMEOUT_S": "10", "CONVEX_URL": convex.url}
    first = start_app(tmp_path_factory.mktemp("replica-a"), env)
    second = start_app(tmp_path_factory.mktemp("replica-b"), env)
    yield first, second
    first.stop()
    second.stop()


def cli(app: RunningApp, *args: str) -> subprocess.CompletedProcess:
    """`python -m jfdi` on the app's machine: its settings, its journal."""
    return subprocess.run([sys.executable, "-m", "jfdi", *args], env=app.env, cwd=app.log_path.parent,
                          capture_output=True, text=True, timeout=60)


def generated(app: RunningApp, claude, prompt: str, **client) -> str:
    """Generate through the API; the new generation's id, from the machine's history."""
    claude.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    code, status = Client(app.url, verbose=False, **client).predict(prompt, "claude", api_name="/generate")
    assert status.startswith("✅") and code == CODE
    return next(r["id"] for r in json.loads(cli(app, "history", "--json").stdout) if r["prompt"] == prompt)


def test_a_link_from_the_api_opens_on_both_replicas_and_a_revocation_reaches_both(replicas, claude, convex):
    a, b = replicas
    generation_id = generated(a, claude, "Build a <reorder> form & more")
    path = Client(a.url, verbose=False).predict(generation_id, api_name="/share")
    assert re.fullmatch(r"/share/[A-Za-z0-9_-]{32}", path) and generation_id not in path
    page = httpx.get(a.url + path[1:])
    assert page.status_code == 200
    assert "Build a &lt;reorder&gt; form &amp; more" in page.text, "the prompt, escaped"
    assert "bg-amber-500" in page.text and "Open in JFDI" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert wait_until(lambda: any(s["token"] == path[7:] for s in convex.shares), timeout=20), "pushed to Convex"
    on_b = httpx.get(b.url + path[1:])
    assert on_b.status_code == 200 and "bg-amber-500" in on_b.text, "made on a, opened on b"
    assert httpx.get(b.url + path[1:] + "/assets/vendor").status_code == 200

    revoked = cli(b, "share", "--revoke", path[7:])
    assert revoked.returncode == 0, revoked.stderr
    for app in (b, a):
        gone = httpx.get(app.url + path[1:])
        assert gone.status_code == 404 and gone.text == httpx.get(app.url + f"share/{UNKNOWN}").text, \
            "revoked and unknown look the same"
        assert "reorder" not in gone.text.lower()
    assert httpx.get(a.url + path[1:] + "/assets/vendor").status_code == 404


def test_the_share_endpoint_refuses_an_unknown_generation(replicas):
    with pytest.raises(Exception, match="no generation"):
        Client(replicas[0].url, verbose=False).predict("0" * 32, api_name="/share")


@pytest.mark.parametrize("path", [f"share/{UNKNOWN}", "share/short", "share/..%2F..%2Fjfdi.db", f"share/{UNKNOWN}/assets/vendor"])
def test_an_unknown_or_malformed_token_is_a_404_that_reveals_nothing(replicas, path):
    answer = httpx.get(replicas[0].url + path)
    assert answer.status_code == 404
    assert not any(word in answer.text for word in ("generation", "revoked", "SQLite", "token")), answer.text


def test_in_the_browser_share_open_fork_and_revoke(browser, replicas, claude):
    a, _ = replicas
    claude.enqueue(Reply(chunks=["```tsx\n", CODE, "\n```"]))
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(a.url)
    page.get_by_label("What do you want to build?").fill("Build a reorder form for line 7")
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    page.locator("#jfdi-share").get_by_text("🔗 Share").click()
    expect(page.locator("#jfdi-share-public")).to_be_hidden()  # no login on this app: nothing to make public
    page.locator("#jfdi-share-make").click()
    link = page.locator("#jfdi-share-link textarea")
    expect(link).to_have_value(re.compile(rf"^{re.escape(a.url)}share/[A-Za-z0-9_-]{{32}}$"), timeout=10_000)
    expect(page.locator("#jfdi-share-links")).to_contain_text("Build a reorder form for line 7")
    url = link.input_value()

    shared = context.new_page()
    shared.goto(url)
    expect(shared.locator("#jfdi-shared-prompt")).to_have_text("Build a reorder form for line 7")
    expect(shared.locator("#jfdi-shared-code")).to_contain_text("bg-amber-500")
    expect(shared.locator("#preview")).to_have_attribute("data-state", "rendered", timeout=30_000)
    frame = shared.frame_locator(".jfdi-preview-frame:not(.jfdi-preview-spare)")
    expect(frame.get_by_role("button", name="Reorder")).to_be_visible()
    assert shared.locator(".jfdi-preview-frame").first.get_attribute("sandbox") == "allow-scripts allow-forms allow-downloads"
    assert shared.evaluate("() => window.jfdiReports.filter((r) => ['syntax', 'runtime', 'render'].includes(r.kind))") == []
    screenshot(shared, "share-page")

    shared.locator("#jfdi-open").click()  # Open in JFDI: a new conversation from the shared one
    expect(shared.locator("#jfdi-chat")).to_contain_text("Build a reorder form for line 7", timeout=30_000)
    expect(shared.locator("#jfdi-code")).to_contain_text("bg-amber-500")
    expect(shared.locator("#jfdi-status textarea")).to_have_value(re.compile("^🔗 Opened a shared generation"))
    screenshot(shared, "share-forked")

    page.get_by_label("Revoke a link").click()
    page.get_by_role("option", name=re.compile("Build a reorder form for line 7")).click()
    page.locator("#jfdi-share-revoke").click()
    expect(page.locator("#jfdi-share-message")).to_contain_text("Revoked")
    expect(page.locator("#jfdi-share-links")).to_contain_text("revoked")
    gone = context.new_page()
    assert gone.goto(url).status == 404
    expect(gone.get_by_role("heading", name="Not found")).to_be_visible()
    context.close()


# With a login (JFDI_AUTH) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory, claude):
    app = start_app(tmp_path_factory.mktemp("guarded"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url, "JFDI_PROVIDERS": "claude",
        "JFDI_AUTH": "ana:pw-1",
    })
    yield app
    app.stop()


def logged_in(app: RunningApp) -> httpx.Client:
    session = httpx.Client(base_url=app.url)
    assert session.post("login", data={"username": "ana", "password": "pw-1"}).status_code == 200
    return session


def test_with_a_login_a_link_needs_it_unless_made_public_on_purpose(guarded, claude):
    generation_id = generated(guarded, claude, "Build a scrap log", auth=("ana", "pw-1"))
    private = cli(guarded, "share", generation_id).stdout.strip()
    public = cli(guarded, "share", generation_id, "--public").stdout.strip()
    refused, unknown = httpx.get(guarded.url + private[1:]), httpx.get(guarded.url + f"share/{UNKNOWN}")
    assert refused.status_code == unknown.status_code == 401
    assert refused.text == unknown.text, "without the login, a real link and a made-up one look the same"
    assert "scrap" not in refused.text.lower() and "Log in" in refused.text
    assert httpx.get(guarded.url + private[1:] + "/assets/vendor").status_code == 401
    assert httpx.get(guarded.url + public[1:]).status_code == 200, "public on purpose: no login needed"
    session = logged_in(guarded)
    assert "Build a scrap log" in session.get(private[1:]).text
    assert session.get(f"share/{UNKNOWN}").status_code == 404
    session.close()
    with pytest.raises(Exception):  # the /share endpoint itself needs the login, like every endpoint
        Client(guarded.url, verbose=False).predict(generation_id, api_name="/share")


def test_in_the_browser_a_logged_out_visitor_is_refused_then_logs_in(browser, guarded, claude):
    generation_id = generated(guarded, claude, "Build a downtime tracker", auth=("ana", "pw-1"))
    path = cli(guarded, "share", generation_id).stdout.strip()
    context = browser.new_context()
    page = context.new_page()
    assert page.goto(guarded.url + path[1:]).status == 401
    expect(page.get_by_role("heading", name="Log in to see this")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("downtime")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#jfdi-login-error")).to_have_text("Wrong username or password.")
    page.get_by_label("Password").fill("pw-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#jfdi-shared-prompt")).to_have_text("Build a downtime tracker", timeout=15_000)
    expect(page.locator("#preview")).to_have_attribute("data-state", "rendered", timeout=30_000)
    screenshot(page, "share-after-login")
    context.close()


def test_in_the_browser_the_app_offers_a_public_link_with_a_warning(browser, guarded, claude):
    claude.enqueue(Reply(text=CODE))
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(guarded.url)
    page.get_by_label("username").fill("ana")
    page.get_by_label("password").fill("pw-1")
    page.get_by_role("button", name="Login").click()
    page.get_by_label("What do you want to build?").fill("Build a shift handover note")
    page.locator("#jfdi-generate").click()
    expect(page.locator("#jfdi-status textarea")).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    page.locator("#jfdi-share").get_by_text("🔗 Share").click()
    public = page.locator("#jfdi-share-public")
    expect(public).to_contain_text("without logging in")
    expect(public).to_contain_text("⚠️")
    public.get_by_role("checkbox").check()
    page.locator("#jfdi-share-make").click()
    expect(page.locator("#jfdi-share-message")).to_contain_text("anyone with the link, without logging in")
    url = page.locator("#jfdi-share-link textarea").input_value()
    screenshot(page, "share-panel-public")
    stranger = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()  # never logged in
    assert stranger.goto(url).status == 200
    expect(stranger.locator("#jfdi-shared-prompt")).to_have_text("Build a shift handover note")
    stranger.locator("#jfdi-open").click()  # the app itself still needs the login
    stranger.get_by_label("username").fill("ana")
    stranger.get_by_label("password").fill("pw-1")
    stranger.get_by_role("button", name="Login").click()
    expect(stranger.locator("#jfdi-chat")).to_contain_text("Build a shift handover note", timeout=30_000)
    stranger.context.close()
    context.close()
