"""Ollama in the app: the Settings panel lists and pulls models; JFDI_START_OLLAMA=1 brings a
server up with the app and takes it down with it."""

from __future__ import annotations

import os
import re
import signal
import sys
from dataclasses import replace

import httpx
import pytest
from playwright.sync_api import expect

from jfdi.engine import Engine
from jfdi.ollama_runtime import server_version
from jfdi.store import Store
from jfdi.ui.handlers import Handlers
from tests.apprunner import REPO, start_app
from tests.browser import screenshot
from tests.loopback import OllamaServer, closed_port, wait_until

STAND_IN = REPO / "tests" / "stand_in_ollama.py"


def handlers_for(settings) -> Handlers:
    return Handlers(Engine(settings, store=Store(settings.db_path)))


def test_models_are_listed_with_their_sizes(settings, ollama_server):
    rows, note = handlers_for(replace(settings, ollama_host=ollama_server.url)).ollama_models()
    assert rows == [["seed-coder-test:latest", "4.9 GB", "", ""]]
    assert note == f"1 model(s) on {ollama_server.url}"


def test_no_server_says_how_to_start_one(settings):
    rows, note = handlers_for(replace(settings, ollama_host=f"http://127.0.0.1:{closed_port()}")).ollama_models()
    assert rows == [] and "start_ollama.py" in note


def test_pull_reports_progress_then_ready(settings, ollama_server):
    steps = list(handlers_for(replace(settings, ollama_host=ollama_server.url)).pull_ollama_model("qwen2.5-coder:7b"))
    fractions = [f for f, _ in steps if f is not None]
    assert fractions and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("50%" in message for _, message in steps)
    assert steps[-1][1] == "✅ qwen2.5-coder:7b is ready"
    assert "qwen2.5-coder:7b" in ollama_server.models


def test_a_failed_pull_is_a_message_not_a_crash(settings, ollama_server):
    ollama_server.pull_script = lambda name: [{"status": "pulling manifest"}, {"error": "pull model manifest: file does not exist"}]
    steps = list(handlers_for(replace(settings, ollama_host=ollama_server.url)).pull_ollama_model("no-such:tag"))
    assert steps[-1][0] is None and steps[-1][1].startswith("❌") and "file does not exist" in steps[-1][1]


def test_the_settings_panel_lists_and_pulls(tmp_path, browser):
    with OllamaServer(models=["seed-coder-test:latest"]) as ollama:
        app = start_app(tmp_path, {"OLLAMA_HOST": ollama.url, "JFDI_OLLAMA_MODEL": "seed-coder-test", "JFDI_PROVIDERS": "ollama"})
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.goto(app.url)
            page.get_by_role("button", name=re.compile("Ollama models")).click()
            expect(page.locator("#jfdi-ollama-models")).to_contain_text("seed-coder-test:latest", timeout=15_000)
            page.locator("#jfdi-ollama-tag textarea, #jfdi-ollama-tag input").first.fill("qwen2.5-coder:7b")
            page.locator("#jfdi-ollama-pull").click()
            expect(page.locator("#jfdi-ollama-status")).to_contain_text("✅ qwen2.5-coder:7b is ready", timeout=15_000)
            expect(page.locator("#jfdi-ollama-models")).to_contain_text("qwen2.5-coder:7b")
            expect(page.locator("#jfdi-provider-status")).to_contain_text("Ollama", timeout=10_000)
            screenshot(page, "app-ollama-panel")
            page.close()
        finally:
            app.stop()


@pytest.fixture
def stand_in_path(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ollama"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{STAND_IN}" "$@"\n')
    wrapper.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}"


def test_start_ollama_with_the_app_and_stop_it_on_exit(tmp_path, stand_in_path):
    host = f"http://127.0.0.1:{closed_port()}"
    pidfile = tmp_path / "ollama.pid"
    app = start_app(tmp_path, {
        "PATH": stand_in_path, "JFDI_START_OLLAMA": "1", "OLLAMA_HOST": host, "JFDI_OLLAMA_MODEL": "coder:8b",
        "STAND_IN_OLLAMA_REGISTRY": "coder:8b=1000000", "STAND_IN_OLLAMA_PIDFILE": str(pidfile),
    })
    try:
        assert wait_until(lambda: server_version(host) is not None, timeout=20), "the app started Ollama"
        assert wait_until(lambda: "coder:8b" in httpx.get(f"{host}/api/tags").text, timeout=20), "and pulled the model"
        pid = int(pidfile.read_text())
    finally:
        app.process.send_signal(signal.SIGTERM)
        app.process.wait(20)
    assert wait_until(lambda: server_version(host) is None, timeout=15), "the server it started stopped with it"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
