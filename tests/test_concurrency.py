"""Several users at once: cloud providers answer in parallel, local generations take turns with
their queue position shown, and a slow local generation never holds up a Claude user."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from gradio_client import Client

from jfdi.engine import Engine
from jfdi.providers.local import LocalProvider, queue_for
from jfdi.router import Router
from jfdi.store import Store
from jfdi.ui.handlers import ChatState, Handlers
from tests.apprunner import start_app
from tests.fakes import FakeProvider
from tests.loopback import AnthropicServer, OllamaServer, Reply, wait_until



def test_a_waiting_local_generation_shows_its_queue_position_while_claude_answers(settings, tiny_llama_dir):
    local = LocalProvider(replace(settings, local_model=str(tiny_llama_dir), max_tokens=24), sampling=None)
    claude = FakeProvider("claude", label="Claude")
    providers = {"local": local, "claude": claude}
    # The tiny model's context is 2,048 tokens: the answer's reserve must leave room for the system prompt.
    # Its random text never ends before the limit; one round of it is all this test needs.
    engine = Engine(replace(settings, max_tokens=24), providers=providers,
                    router=Router(providers, ["local", "claude"], timeout_s=30, max_continues=0), store=Store(settings.db_path))
    handlers = Handlers(engine)
    local.warm_up()
    assert wait_until(lambda: local.status().state == "ready", timeout=60)

    gpu = queue_for("cpu")
    busy = gpu.join()  # another user's generation holds the device
    statuses: list[str] = []
    done = threading.Event()

    def local_user():
        for view in handlers.generate("Build a form", "local", ChatState(), {}, "local-user"):
            statuses.append(view.status)
        done.set()

    thread = threading.Thread(target=local_user)
    thread.start()
    try:
        assert wait_until(lambda: any("position 1 in the queue" in s for s in statuses), timeout=10)
        claude.enqueue("export default function Quick() { return null }")
        started = time.monotonic()
        last = list(handlers.generate("Build a card", "claude", ChatState(), {}, "claude-user"))[-1]
        assert last.status.startswith("✅ Claude") and time.monotonic() - started < 2
        assert not done.is_set(), "the local user is still waiting for the device"
    finally:
        gpu.leave(busy)
    thread.join(60)
    assert done.is_set() and statuses[-1].startswith(("✅ Seed-Coder", "❌", "⚠️ cut off at the token limit"))
    assert not statuses[-1].startswith("❌ ") or "without any code" in statuses[-1]


@pytest.fixture(scope="module")
def services():
    with AnthropicServer() as claude, OllamaServer(models=["seed-coder-test:latest"]) as ollama:
        yield claude, ollama


def test_a_slow_local_runtime_never_blocks_a_claude_user_in_the_app(tmp_path, services):
    claude, ollama = services
    app = start_app(tmp_path, {
        "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
        "OLLAMA_HOST": ollama.url, "JFDI_OLLAMA_MODEL": "seed-coder-test", "JFDI_PROVIDERS": "claude,ollama",
    })
    try:
        ollama.enqueue(Reply(chunks=[f"// line {i}\n" for i in range(60)], delay_s=0.1))
        claude.enqueue(Reply(text="export default function Fast() { return null }"))
        slow_client, fast_client = Client(app.url, verbose=False), Client(app.url, verbose=False)
        slow = slow_client.submit("Build a long report", "ollama", api_name="/generate")
        assert wait_until(lambda: len(ollama.sent_at) > 3, timeout=20)
        started = time.monotonic()
        code, status = fast_client.predict("Build a card", "claude", api_name="/generate")
        assert status.startswith("✅ Claude") and "Fast" in code
        assert time.monotonic() - started < 3
        assert not slow.done(), "the slow generation is still streaming"
        assert slow.result(timeout=30)[1].startswith("✅ Ollama")
    finally:
        app.stop()
