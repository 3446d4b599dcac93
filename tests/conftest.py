from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from jfdi.config import Settings
from tests.loopback import AnthropicServer, ConvexServer, OllamaServer, OpenAIServer

# The tiny models' fixtures, here so that each is one fixture for the whole session: imported into
# several test modules instead, each module would build its own copy (tests/saved_models.py).
from tests.tiny_models import one_torch_thread, tiny_llama_dir  # noqa: F401
from tests.tiny_vlm import tiny_dolphin_dir  # noqa: F401

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's keys or writes into ./data."""
    for name in list(os.environ):
        if name.startswith(("JFDI_", "ANTHROPIC_", "OPENROUTER_", "OLLAMA_", "CONVEX_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JFDI_DATA_DIR", str(tmp_path / "data"))
    # A bug in JFDI's own code fails its test instead of passing as a provider failure or a log line.
    monkeypatch.setenv("JFDI_RAISE_ERRORS", "1")


@pytest.fixture(scope="module")
def claude():
    """A loopback Claude shared by one test module (the browser tests' app talks to it)."""
    with AnthropicServer() as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def anthropic_server():
    with AnthropicServer() as server:
        yield server


@pytest.fixture
def openai_server():
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def ollama_server():
    with OllamaServer(models=["seed-coder-test:latest"]) as server:
        yield server


@pytest.fixture
def convex_server():
    with ConvexServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings with nothing configured but a private data directory."""
    data = tmp_path / "data"
    return Settings(data_dir=data, db_path=data / "jfdi.db", timeout_s=5.0, local_model=str(tmp_path / "no-model"))


@pytest.fixture
def loopback_settings(settings, anthropic_server, openai_server, ollama_server) -> Settings:
    """Every HTTP provider pointed at its loopback server."""
    return replace(
        settings,
        anthropic_api_key="sk-ant-test-key-0000000000",
        anthropic_base_url=anthropic_server.url,
        openrouter_api_key="sk-or-v1-test0000000000000000",
        openrouter_base_url=f"{openai_server.url}/api/v1",
        ollama_host=ollama_server.url,
        ollama_model="seed-coder-test",
    )
