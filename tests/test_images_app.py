"""Images in the running app (`python app.py`, loopback Claude): through /generate with
gradio_client, and in Chromium by upload and by paste, with thumbnails in the conversation."""

from __future__ import annotations

import base64
import re

import httpx
import pytest
from gradio_client import Client, handle_file
from playwright.sync_api import expect

from tests import image_files as files
from tests.apprunner import start_app
from tests.browser import screenshot
from tests.loopback import Reply, wait_until
from tests.test_app_browser import CODE, open_page, status_of


@pytest.fixture(scope="module")
def app(tmp_path_factory, claude):
    running = start_app(tmp_path_factory.mktemp("images-app"), {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
        "JFDI_PROVIDERS": "claude", "JFDI_TIMEOUT_S": "10",
    })
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictures")
    (folder / "traveler.jpg").write_bytes(files.photo_jpeg())
    (folder / "screen.png").write_bytes(files.screenshot_png())
    (folder / "logo.svg").write_bytes(files.SVG_WITH_SCRIPT)
    return folder


def test_generate_takes_a_list_of_image_files(app, claude, pictures):
    client = Client(app.url, verbose=False)
    claude.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    code, status = client.predict("Build this traveler as a form", "auto", "",
                                  [handle_file(str(pictures / "traveler.jpg")), handle_file(str(pictures / "screen.png"))],
                                  api_name="/generate")
    assert code == CODE and status.startswith("✅ Claude")
    assert len(claude.images[-1]) == 2
    assert "IMAGES:" in claude.requests[-1].body["system"]
    claude.enqueue(Reply(text=CODE))
    assert client.predict("Build a counter", "auto", api_name="/generate")[0] == CODE  # images stay optional
    assert claude.images[-1] == []


def test_a_bad_image_through_the_api_is_a_readable_error(app, claude, pictures):
    client = Client(app.url, verbose=False)
    before = len(claude.requests)
    with pytest.raises(Exception, match="logo.svg is an SVG drawing"):
        client.predict("Build this", "auto", "", [handle_file(str(pictures / "logo.svg"))], api_name="/generate")
    assert len(claude.requests) == before


def test_a_path_that_was_not_uploaded_is_not_read(app, claude, pictures):
    """A client that names a file on the server instead of uploading one gets nothing from it."""
    before = len(claude.requests)
    image = {"path": str(pictures / "traveler.jpg"), "meta": {"_type": "gradio.FileData"}, "orig_name": "traveler.jpg"}
    call = httpx.post(f"{app.url}gradio_api/call/generate", json={"data": ["Build this", "auto", "", [image]]}, timeout=30)
    event = call.json()["event_id"]
    stream = httpx.get(f"{app.url}gradio_api/call/generate/{event}", timeout=30).text
    assert "event: error" in stream
    assert len(claude.requests) == before


def png_data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_upload_and_paste_images_then_generate_shows_thumbnails(browser, app, claude, pictures):
    context, page = open_page(browser, app)
    page.locator("#jfdi-image-upload input[type=file]").set_input_files(str(pictures / "traveler.jpg"))
    expect(page.locator("#jfdi-image-summary")).to_contain_text("traveler.jpg: 1500 × 2000, goes with your next message",
                                                                timeout=30_000)
    expect(page.locator("#jfdi-image-thumbs img")).to_have_count(1)
    # A screenshot pasted from the clipboard: a paste event carrying a File, as the browser makes it.
    page.locator("#jfdi-prompt textarea").click()
    page.evaluate("""async (url) => {
        const blob = await (await fetch(url)).blob();
        const transfer = new DataTransfer();
        transfer.items.add(new File([blob], "image.png", { type: "image/png" }));
        const event = new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
        document.querySelector("#jfdi-prompt textarea").dispatchEvent(event);
    }""", png_data_url(files.screenshot_png()))
    expect(page.locator("#jfdi-image-summary")).to_contain_text("image.png: 1280 × 800", timeout=30_000)
    expect(page.locator("#jfdi-image-thumbs img")).to_have_count(2)
    claude.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    page.get_by_label("What do you want to build?").fill("Build this traveler as a form")
    page.locator("#jfdi-generate").click()
    expect(status_of(page)).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    assert len(claude.images[-1]) == 2
    chat = page.locator("#jfdi-chat")
    expect(chat.locator("img")).to_have_count(2)  # the thumbnails, in the user's message
    expect(chat).to_contain_text("Build this traveler as a form")
    expect(page.locator("#jfdi-image-thumbs img")).to_have_count(0)  # they went with that message
    screenshot(page, "app-images")
    claude.enqueue(Reply(text=f"```tsx\n{CODE}\n```"))
    asked = len(claude.images)
    page.get_by_label("What do you want to build?").fill("Make the header blue")
    page.locator("#jfdi-generate").click()
    expect(chat).to_contain_text("Make the header blue", timeout=30_000)
    expect(status_of(page)).to_have_value(re.compile(r"^✅ Claude"), timeout=30_000)
    assert wait_until(lambda: len(claude.images) > asked, timeout=30)
    assert claude.images[-1] == [], "a follow-up does not send the earlier images again"
    expect(chat.locator("img")).to_have_count(2)
    context.close()


def test_a_bad_image_is_refused_in_the_page_and_the_others_stay(browser, app, pictures):
    context, page = open_page(browser, app)
    upload = page.locator("#jfdi-image-upload input[type=file]")
    upload.set_input_files([str(pictures / "screen.png"), str(pictures / "logo.svg")])
    summary = page.locator("#jfdi-image-summary")
    expect(summary).to_contain_text("logo.svg is an SVG drawing", timeout=30_000)
    expect(summary).to_contain_text("screen.png: 1280 × 800")
    expect(page.locator("#jfdi-image-thumbs img")).to_have_count(1)
    page.locator("#jfdi-image-remove").click()
    expect(page.locator("#jfdi-image-thumbs img")).to_have_count(0)
    context.close()
