"""The real HTTP provider code (anthropic SDK, httpx) against loopback servers speaking each
service's wire protocol, with the faults those services show in life."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from jfdi.errors import (
    AuthError,
    ContextTooLong,
    MalformedResponse,
    ModelNotFound,
    Overloaded,
    ProviderConnectionError,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimited,
    TruncatedStream,
    WrongEndpoint,
)
from jfdi.generation import Generation, Run
from jfdi.providers.base import Message, Request
from jfdi.providers.claude import ClaudeProvider
from jfdi.providers.ollama import OllamaProvider
from jfdi.providers.openrouter import OpenRouterProvider
from jfdi.router import Router
from tests.fakes import FakeProvider, Script
from tests.loopback import Reply, WebPageServer, closed_port

CODE = 'export default function Counter() {\n  return <button className="px-2">+</button>;\n}\n'
REQUEST = Request(system="SYSTEM PROMPT", messages=(Message("user", "Build a counter"),), max_tokens=512)


def collect(provider, request=REQUEST):
    return list(provider.stream(request, threading.Event()))


@pytest.fixture(params=["claude", "openrouter", "ollama"])
def case(request, loopback_settings, anthropic_server, openai_server, ollama_server):
    """(provider, its loopback server) for each HTTP provider."""
    name = request.param
    settings = replace(loopback_settings, timeout_s=1.0)
    if name == "claude":
        return ClaudeProvider(settings), anthropic_server
    if name == "openrouter":
        return OpenRouterProvider(settings), openai_server
    return OllamaProvider(settings), ollama_server


def test_streams_text_then_a_final_delta_with_usage(case):
    provider, server = case
    server.enqueue(Reply(text=CODE, usage=(120, 34)))
    deltas = collect(provider)
    texts = [d.text for d in deltas if d.text]
    assert len(texts) > 1, "the answer should arrive in several chunks"
    assert "".join(texts) == CODE
    assert deltas[-1].final and deltas[-1].usage.input_tokens == 120 and deltas[-1].usage.output_tokens == 34
    assert all(not d.final for d in deltas[:-1])


def test_sends_the_system_prompt_and_messages(case):
    provider, server = case
    server.enqueue(Reply(text=CODE))
    collect(provider)
    body = server.requests[-1].body
    flat = str(body)
    assert "SYSTEM PROMPT" in flat and "Build a counter" in flat
    assert body.get("stream") is True


@pytest.mark.parametrize("fault", ["cut", "cut_clean"])
def test_a_stream_cut_mid_way_is_truncated_not_complete(case, fault):
    provider, server = case
    server.enqueue(Reply(text=CODE, fault=fault, cut_after=3))
    seen = []
    with pytest.raises(TruncatedStream):
        for delta in provider.stream(REQUEST, threading.Event()):
            seen.append(delta.text)
    assert "".join(seen), "the text before the cut was delivered"
    assert "".join(seen) != CODE


def test_malformed_event_is_a_typed_error(case):
    provider, server = case
    server.enqueue(Reply(text=CODE, fault="malformed", cut_after=2))
    with pytest.raises((MalformedResponse, TruncatedStream)):
        collect(provider)


def test_refused_connection(case, loopback_settings):
    provider, _ = case
    dead = f"http://127.0.0.1:{closed_port()}"
    if isinstance(provider, ClaudeProvider):
        provider = ClaudeProvider(replace(loopback_settings, anthropic_base_url=dead))
    elif isinstance(provider, OpenRouterProvider):
        provider = OpenRouterProvider(replace(loopback_settings, openrouter_base_url=dead))
    else:
        provider = OllamaProvider(replace(loopback_settings, ollama_host=dead))
    with pytest.raises(ProviderUnreachable) as info:
        collect(provider)
    assert not info.value.transient, "nothing listens there: fall back at once instead of retrying"
    assert "cannot reach" in str(info.value)


def test_a_dropped_connection_is_transient(case):
    provider, server = case
    server.enqueue(Reply(fault="reset"))
    with pytest.raises(ProviderConnectionError) as info:
        collect(provider)
    assert info.value.transient and not isinstance(info.value, ProviderUnreachable)


def test_a_server_that_hangs_times_out(case):
    provider, server = case
    server.enqueue(Reply(fault="hang_headers"))
    started = time.monotonic()
    with pytest.raises(ProviderTimeout):
        collect(provider)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "status, error_type",
    [(401, AuthError), (429, RateLimited), (500, Overloaded), (503, Overloaded)],
)
def test_http_errors_become_typed_errors(case, status, error_type):
    provider, server = case
    server.enqueue(Reply(status=status, error="nope", headers={"retry-after": "7"} if status == 429 else {}))
    with pytest.raises(error_type) as info:
        collect(provider)
    if status == 429:
        assert info.value.retry_after == 7
    assert len(server.requests) == 1, "no retries inside the provider: the router owns them"


def test_claude_529_is_overloaded_and_not_retried_by_the_sdk(loopback_settings, anthropic_server):
    anthropic_server.enqueue(Reply(status=529, error="Overloaded"))
    with pytest.raises(Overloaded):
        collect(ClaudeProvider(loopback_settings))
    assert len(anthropic_server.requests) == 1


def test_claude_error_event_mid_stream_after_text_is_a_cut(loopback_settings, anthropic_server):
    anthropic_server.enqueue(Reply(text=CODE, fault="error_event", cut_after=2, error="overloaded_error"))
    with pytest.raises(TruncatedStream):
        collect(ClaudeProvider(loopback_settings))


def test_claude_error_event_before_text_is_overloaded(loopback_settings, anthropic_server):
    anthropic_server.enqueue(Reply(text=CODE, fault="error_event", cut_after=0, error="overloaded_error"))
    with pytest.raises(Overloaded):
        collect(ClaudeProvider(loopback_settings))


def test_claude_sends_key_and_model_and_no_sampling_parameters(loopback_settings, anthropic_server):
    anthropic_server.enqueue(Reply(text=CODE))
    collect(ClaudeProvider(replace(loopback_settings, claude_model="claude-sonnet-5-5")))
    received = anthropic_server.requests[-1]
    # The SDK sends the key as x-api-key or as a bearer token, depending on its version.
    sent = received.headers.get("x-api-key") or received.headers.get("authorization", "").removeprefix("Bearer ")
    assert sent == "sk-ant-test-key-0000000000"
    assert received.body["model"] == "claude-sonnet-5-5"
    assert received.body["system"] == "SYSTEM PROMPT"
    assert "temperature" not in received.body and "top_p" not in received.body


def test_claude_continues_with_prefill(loopback_settings, anthropic_server):
    anthropic_server.enqueue(Reply(text="rest"))
    collect(ClaudeProvider(loopback_settings), replace(REQUEST, partial="export default function A() {\n  "))
    messages = anthropic_server.requests[-1].body["messages"]
    assert messages[-1] == {"role": "assistant", "content": "export default function A() {"}


def continue_cut_answer(provider, partial="export default"):
    """A fake provider breaks off after `partial`; the router continues the answer on `provider`."""
    cut = FakeProvider("cut").enqueue(Script(chunks=[partial], error=TruncatedStream("cut")))
    router = Router({"cut": cut, provider.name: provider}, ["cut", provider.name], timeout_s=5)
    gen, cancel = Generation(prompt="Build a counter"), threading.Event()
    for _ in Run(gen, router.run(REQUEST, "auto", cancel), cancel):
        pass
    return gen


def test_claude_is_asked_with_an_instruction_once_it_refuses_prefill(loopback_settings, anthropic_server):
    refusal = Reply(status=400, error="Prefilling assistant messages is not supported for this model.")
    anthropic_server.enqueue(refusal, Reply(text=" function A() {}"), Reply(text=" function B() {}"))
    provider = ClaudeProvider(loopback_settings)
    gen = continue_cut_answer(provider)
    assert gen.status == "ok" and gen.text == "export default function A() {}"
    prefilled, retry = (r.body["messages"] for r in anthropic_server.requests)
    assert prefilled[-1] == {"role": "assistant", "content": "export default"}
    assert retry[-2] == {"role": "assistant", "content": "export default"}
    assert retry[-1]["role"] == "user" and "cut off" in retry[-1]["content"]
    # Learnt for the process: the next continuation is asked in words at once, with no refusal first.
    assert continue_cut_answer(provider).text == "export default function B() {}"
    assert len(anthropic_server.requests) == 3 and anthropic_server.requests[-1].body["messages"][-1]["role"] == "user"


def test_claude_prompt_too_long_is_context_too_long(loopback_settings, anthropic_server):
    anthropic_server.enqueue(Reply(status=400, error="prompt is too long: 1200000 tokens > 1000000 maximum"))
    with pytest.raises(ContextTooLong):
        collect(ClaudeProvider(loopback_settings))


def test_openrouter_headers_cost_and_keepalive_comments(loopback_settings, openai_server):
    openai_server.enqueue(Reply(text=CODE, cost=0.0042))
    provider = OpenRouterProvider(replace(loopback_settings, openrouter_model="anthropic/claude-sonnet-5.5"))
    deltas = collect(provider)
    received = openai_server.requests[-1]
    assert received.headers["authorization"] == "Bearer sk-or-v1-test0000000000000000"
    assert received.headers["x-title"] == "JFDI" and received.headers["http-referer"].startswith("https://")
    assert received.body["model"] == "anthropic/claude-sonnet-5.5"
    assert deltas[-1].usage.cost_usd == 0.0042


def test_openrouter_error_chunk_mid_stream(loopback_settings, openai_server):
    openai_server.enqueue(Reply(text=CODE, fault="error_event", cut_after=2))
    with pytest.raises((TruncatedStream, Overloaded)):
        collect(OpenRouterProvider(loopback_settings))


def test_openrouter_error_body_never_becomes_a_key_error(loopback_settings, openai_server):
    openai_server.enqueue(Reply(status=400, error="This model's maximum context length is 200000 tokens"))
    with pytest.raises(ContextTooLong) as info:
        collect(OpenRouterProvider(loopback_settings))
    assert "maximum context length" in str(info.value)


def test_any_openai_compatible_server_by_base_url(loopback_settings, openai_server):
    """vLLM / LM Studio: no OpenRouter-only fields, no keep-alive comments needed."""
    openai_server.processing_comments = False
    openai_server.enqueue(Reply(text=CODE))
    provider = OpenRouterProvider(replace(loopback_settings, openrouter_base_url=f"{openai_server.url}/v1", openrouter_model="Qwen/Qwen2.5-Coder-7B"))
    assert "".join(d.text for d in collect(provider)) == CODE
    assert openai_server.requests[-1].path == "/v1/chat/completions"
    assert "usage" not in openai_server.requests[-1].body


@pytest.mark.parametrize("name", ["openrouter", "ollama"])
def test_continuation_without_prefill_is_an_explicit_instruction(name, loopback_settings, openai_server, ollama_server):
    server = openai_server if name == "openrouter" else ollama_server
    provider = OpenRouterProvider(loopback_settings) if name == "openrouter" else OllamaProvider(loopback_settings)
    server.enqueue(Reply(text=" function A() {}"))
    gen = continue_cut_answer(provider)
    assert gen.status == "ok" and gen.text == "export default function A() {}"
    messages = server.requests[-1].body["messages"]
    assert messages[-2] == {"role": "assistant", "content": "export default"}
    assert messages[-1]["role"] == "user" and "cut off" in messages[-1]["content"]


def test_ollama_sets_context_window_and_keep_alive(loopback_settings, ollama_server):
    ollama_server.enqueue(Reply(text=CODE))
    collect(OllamaProvider(replace(loopback_settings, ollama_num_ctx=16384)))
    body = ollama_server.requests[-1].body
    assert body["options"]["num_ctx"] == 16384
    assert body["keep_alive"] == "30m"
    assert body["options"]["temperature"] == 0.6 and body["options"]["top_p"] == 0.8


def test_ollama_model_not_pulled_names_the_pull_command(loopback_settings, ollama_server):
    provider = OllamaProvider(replace(loopback_settings, ollama_model="seed-coder:8b-instruct"))
    with pytest.raises(ModelNotFound) as info:
        collect(provider)
    assert "ollama pull seed-coder:8b-instruct" in str(info.value)


def test_ollama_probe_reports_pulled_and_missing_models(loopback_settings, ollama_server):
    assert OllamaProvider(loopback_settings).probe().state == "ready"
    missing = OllamaProvider(replace(loopback_settings, ollama_model="other:7b")).probe()
    assert missing.state == "unavailable" and "ollama pull other:7b" in missing.detail
    down = OllamaProvider(replace(loopback_settings, ollama_host=f"http://127.0.0.1:{closed_port()}")).probe()
    assert down.state == "unavailable" and "no Ollama server" in down.detail


def test_cancel_closes_the_stream(case):
    provider, server = case
    server.enqueue(Reply(text=CODE * 4, delay_s=0.05))
    cancel = threading.Event()
    seen = []
    for delta in provider.stream(REQUEST, cancel):
        seen.append(delta)
        cancel.set()
    assert len(seen) == 1


def _pointed_at(name: str, settings, url: str):
    """The provider `name` with its address setting at `url`, and that setting's name."""
    if name == "claude":
        return ClaudeProvider(replace(settings, anthropic_base_url=url)), "ANTHROPIC_BASE_URL"
    if name == "openrouter":
        return OpenRouterProvider(replace(settings, openrouter_base_url=url)), "OPENROUTER_BASE_URL"
    return OllamaProvider(replace(settings, ollama_host=url)), "OLLAMA_HOST"


@pytest.mark.parametrize("name", ["claude", "openrouter", "ollama"])
def test_a_web_page_instead_of_the_api_names_the_setting_to_fix(name, loopback_settings):
    """A base URL that points at a web site (its home page, without /v1) answers 200 with HTML:
    that is not a stream cut off, and retrying it only doubles the wait."""
    with WebPageServer(200, "OpenRouter") as site:
        provider, setting = _pointed_at(name, replace(loopback_settings, timeout_s=2.0), site.url)
        with pytest.raises(WrongEndpoint) as info:
            collect(provider)
    message = str(info.value)
    assert setting in message and site.url in message
    assert "<" not in message
    assert not info.value.transient


@pytest.mark.parametrize("name", ["claude", "openrouter", "ollama"])
def test_a_proxy_error_page_is_one_readable_line(name, loopback_settings):
    with WebPageServer(502, "502 Bad Gateway") as proxy:
        provider, _ = _pointed_at(name, replace(loopback_settings, timeout_s=2.0), proxy.url)
        with pytest.raises(Overloaded) as info:
            collect(provider)
    message = str(info.value)
    assert "502 Bad Gateway" in message
    assert "<" not in message and "\n" not in message


@pytest.mark.parametrize("name, key", [("claude", "ANTHROPIC_API_KEY"), ("openrouter", "OPENROUTER_API_KEY")])
def test_a_refused_key_names_the_setting_that_holds_it(name, key, loopback_settings, anthropic_server, openai_server):
    server, url = (anthropic_server, anthropic_server.url) if name == "claude" else (openai_server, f"{openai_server.url}/api/v1")
    provider, _ = _pointed_at(name, loopback_settings, url)
    server.enqueue(Reply(status=401, error="User not found."))
    with pytest.raises(AuthError) as info:
        collect(provider)
    assert key in str(info.value)
    assert "User not found. Check" in str(info.value), "one full stop between the service's words and ours"
    assert str(info.value).startswith(provider.label)


def test_a_server_that_ignores_stream_still_gives_its_answer(loopback_settings, openai_server):
    """Some OpenAI-compatible servers and proxies answer stream=true with one JSON document: the
    answer is all there, and reading it as a cut-off stream would retry and then throw it away."""
    openai_server.enqueue(Reply(text=CODE, fault="whole", usage=(50, 20)))
    provider = OpenRouterProvider(replace(loopback_settings, openrouter_base_url=f"{openai_server.url}/v1"))
    deltas = collect(provider)
    assert "".join(d.text for d in deltas if d.text) == CODE
    assert deltas[-1].final and (deltas[-1].usage.input_tokens, deltas[-1].usage.output_tokens) == (50, 20)
    assert len(openai_server.requests) == 1

