"""Images in each provider's own wire format, against loopback servers that check them as the
services do; which configured model can see; and the status that says so."""

from __future__ import annotations

import base64
import io
import threading
from dataclasses import replace

import pytest
from PIL import Image

from jfdi.config import ConfigError, load_settings
from jfdi.engine import Engine
from jfdi.errors import BadRequest, ModelNotFound
from jfdi.images import prepare_image
from jfdi.providers.base import Message, Request
from jfdi.providers.claude import ClaudeProvider
from jfdi.providers.ollama import OllamaProvider
from jfdi.providers.openrouter import OpenRouterProvider
from jfdi.providers.vision import known_to_see, sees_images
from jfdi.store import Store
from tests import image_files as files
from tests.loopback import OllamaServer, OpenAIServer

PHOTO = prepare_image(files.photo_jpeg(), "traveler.jpg")  # 1500 x 2000 JPEG
SCREEN = prepare_image(files.screenshot_png(), "screen.png")


def request_with(*images) -> Request:
    return Request(system="SYSTEM", messages=(Message("user", "Build this form", images=images),), max_tokens=256)


def answer(provider, request) -> str:
    return "".join(d.text for d in provider.stream(request, threading.Event()))


def size_of(raw: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(raw)).size


def test_claude_gets_base64_image_blocks_before_the_text_within_its_1568_pixels(loopback_settings, anthropic_server):
    assert answer(ClaudeProvider(loopback_settings), request_with(PHOTO, SCREEN))
    content = anthropic_server.requests[-1].body["messages"][0]["content"]
    assert [block["type"] for block in content] == ["image", "image", "text"]
    assert content[0]["source"]["type"] == "base64" and content[0]["source"]["media_type"] == "image/jpeg"
    assert content[1]["source"]["media_type"] == "image/png" and content[2]["text"] == "Build this form"
    photo, screen = anthropic_server.images[-1]
    assert size_of(photo) == (1176, 1568)  # fitted to Claude's longer side
    assert screen == SCREEN.data  # already within: sent as it is


def test_the_claude_loopback_refuses_an_image_that_is_not_its_media_type(loopback_settings, anthropic_server):
    """The check the real API makes, so that the test above can fail."""
    lying = replace(SCREEN, media_type="image/jpeg")
    with pytest.raises(BadRequest, match="does not match the provided media type image/jpeg"):
        answer(ClaudeProvider(loopback_settings), request_with(lying))


def test_openrouter_gets_image_url_parts_with_data_uris(loopback_settings, openai_server):
    provider = OpenRouterProvider(loopback_settings)  # a Claude model on OpenRouter: it sees
    assert provider.sees_images and answer(provider, request_with(PHOTO))
    content = openai_server.requests[-1].body["messages"][1]["content"]
    assert content[0]["type"] == "image_url" and content[0]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    assert content[1] == {"type": "text", "text": "Build this form"}
    assert openai_server.images[-1] == [PHOTO.data]  # 2000 pixels: within OpenRouter's limit, sent as prepared
    assert openai_server.requests[-1].body["messages"][0] == {"role": "system", "content": "SYSTEM"}


def test_a_text_only_model_on_openrouter_refuses_images_as_openrouter_does(loopback_settings):
    with OpenAIServer(vision_models={"openai/gpt-4o"}) as server:
        # The setting says that the model sees; the service knows better.
        settings = replace(loopback_settings, openrouter_base_url=f"{server.url}/api/v1",
                           openrouter_model="deepseek/deepseek-chat", openrouter_vision="on")
        with pytest.raises(ModelNotFound, match="support image input"):
            answer(OpenRouterProvider(settings), request_with(PHOTO))


def test_ollama_gets_bare_base64_in_the_message_images_list():
    with OllamaServer(models=["qwen2.5vl:7b"], vision_models={"qwen2.5vl:7b"}) as server:
        settings = replace(load_settings({}, env_file="/nonexistent"), ollama_host=server.url, ollama_model="qwen2.5vl:7b")
        provider = OllamaProvider(settings)
        assert provider.sees_images and answer(provider, request_with(PHOTO))
        message = server.requests[-1].body["messages"][1]
        assert message["content"] == "Build this form" and len(message["images"]) == 1
        assert not message["images"][0].startswith("data:")
        assert size_of(base64.b64decode(message["images"][0])) == (1176, 1568)
        assert size_of(server.images[-1][0]) == (1176, 1568)


def test_the_ollama_loopback_refuses_a_data_uri_and_a_model_without_vision(loopback_settings, ollama_server):
    """Ollama reads images as base64 bytes; a model without a vision projector cannot take them."""
    import httpx

    body = {"model": "seed-coder-test", "messages": [{"role": "user", "content": "x", "images": [PHOTO.data_uri()]}]}
    refused = httpx.post(f"{ollama_server.url}/api/chat", json=body)
    assert refused.status_code == 400 and "illegal base64 data at input byte 4" in refused.text
    body["messages"][0]["images"] = [PHOTO.base64()]
    assert "missing data required for image input" in httpx.post(f"{ollama_server.url}/api/chat", json=body).text


def test_text_only_messages_are_sent_as_before(loopback_settings, anthropic_server, openai_server):
    plain = Request(system="S", messages=(Message("user", "Build a counter"),), max_tokens=64)
    answer(ClaudeProvider(loopback_settings), plain)
    answer(OpenRouterProvider(loopback_settings), plain)
    assert anthropic_server.requests[-1].body["messages"][0]["content"] == "Build a counter"
    assert openai_server.requests[-1].body["messages"][1]["content"] == "Build a counter"


@pytest.mark.parametrize(
    ("model", "sees"),
    [
        ("anthropic/claude-sonnet-5.5", True), ("claude-3-5-haiku-20241022", True), ("openai/gpt-4o-mini", True),
        ("google/gemini-2.5-flash", True), ("qwen/qwen2.5-vl-72b-instruct", True), ("llama3.2-vision:11b", True),
        ("gemma3:4b", True), ("gemma3:1b", False), ("llava:13b", True), ("minicpm-v:8b", True),
        ("hf.co/unsloth/Seed-Coder-8B-Instruct-GGUF:Q4_K_M", False), ("qwen2.5-coder:7b", False),
        ("deepseek/deepseek-chat", False), ("meta-llama/llama-3.1-70b-instruct", False), ("an-unknown-model", False),
    ],
)
def test_the_table_of_models_that_see(model, sees):
    assert known_to_see(model) is sees


def test_the_setting_overrides_the_table():
    assert sees_images("my-finetune:latest", "on") and not sees_images("llava:13b", "off")
    assert sees_images("llava:13b", "auto") and not sees_images("my-finetune:latest", "auto")


def test_vision_settings_are_read_and_checked():
    env = {"JFDI_OLLAMA_VISION": "on", "JFDI_OPENROUTER_VISION": "OFF"}
    settings = load_settings(env, env_file="/nonexistent")
    assert (settings.ollama_vision, settings.openrouter_vision) == ("on", "off")
    assert OllamaProvider(settings).sees_images and not OpenRouterProvider(settings).sees_images
    with pytest.raises(ConfigError, match="JFDI_OLLAMA_VISION='maybe': use one of auto, on, off"):
        load_settings({"JFDI_OLLAMA_VISION": "maybe"}, env_file="/nonexistent")


def test_the_status_says_which_providers_see(loopback_settings, tmp_path):
    engine = Engine(loopback_settings, store=Store(tmp_path / "jfdi.db"))
    try:
        vision = {s.name: s.vision for s in engine.statuses()}
        assert vision == {"claude": True, "local": False, "openrouter": True, "ollama": False}
        assert engine.statuses()[0].as_dict()["vision"] is True
    finally:
        engine.close()
