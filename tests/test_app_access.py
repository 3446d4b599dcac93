"""Demo link and login: JFDI_AUTH guards the page and the API; a share link that cannot be made
(no internet here) leaves the app serving locally instead of killing it."""

from __future__ import annotations

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AuthenticationError
from playwright.sync_api import expect

from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import wait_until


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = start_app(tmp_path_factory.mktemp("access"), {"JFDI_AUTH": "ana:pw-1,bo:pw-2", "JFDI_SHARE": "1"})
    yield running
    running.stop()


def test_the_app_needs_a_login(app):
    assert httpx.get(app.url + "config").status_code == 401
    bad = httpx.post(app.url + "login", data={"username": "ana", "password": "wrong"})
    assert bad.status_code == 400
    with httpx.Client() as session:
        assert session.post(app.url + "login", data={"username": "bo", "password": "pw-2"}).status_code == 200
        assert session.get(app.url + "config").status_code == 200


def test_the_api_needs_the_login_too(app):
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(app.url, verbose=False)
    # The endpoint itself refuses too, not only the config the client reads first.
    call = httpx.post(app.url + "gradio_api/call/status", json={"data": []})
    assert (call.status_code, call.json()["detail"]["error"]) == (401, "Not authenticated")
    rows = Client(app.url, auth=("ana", "pw-1"), verbose=False).predict(api_name="/status")
    assert {r["name"] for r in rows} == {"claude", "local", "openrouter", "ollama"}


def test_a_failed_share_link_is_reported_and_the_app_stays_up(app):
    assert wait_until(lambda: "share link" in app.log_path.read_text().lower(), timeout=30)
    assert httpx.get(app.url).status_code == 200


def test_login_page_in_a_browser(app, browser):
    page = browser.new_page()
    page.goto(app.url)
    page.get_by_label("username").fill("ana")
    page.get_by_label("password").fill("pw-1")
    screenshot(page, "app-login")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_label("What do you want to build?")).to_be_visible(timeout=20_000)
    page.close()
