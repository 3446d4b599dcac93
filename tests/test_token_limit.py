"""Answers that stop at the token limit are continued on the same provider, against loopback servers
of each service speaking its own stop reason, and through the local provider's tiny model: the code
is joined whole, the rounds are counted and limited, and an answer still cut off after the last
round is incomplete everywhere it is shown."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from jfdi.benchmark.prompts import BenchPrompt
from jfdi.benchmark.runner import run_suite
from jfdi.engine import Engine
from jfdi.errors import Overloaded
from jfdi.generation import AttemptStarted, ContinuingAfterLimit, Generation, Run, TextDelta
from jfdi.prompts import CONTINUE_INSTRUCTION
from jfdi.providers.base import Message, Request
from jfdi.providers.claude import ClaudeProvider
from jfdi.providers.local import LocalProvider
from jfdi.router import Router
from jfdi.ui import render
from tests.fakes import FakeProvider, Script
from tests.loopback import Reply

COMPONENT = """import { useState } from "react";

export default function ReorderForm() {
  const [sku, setSku] = useState("");
  const [quantity, setQuantity] = useState(0);
  const valid = sku.length === 8 && quantity > 0;
  return (
    <form className="p-4 space-y-2">
      <input className="border px-2" value={sku} onChange={(e) => setSku(e.target.value)} />
      <input className="border px-2" type="number" value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} />
      <button className="px-3 py-1 rounded bg-blue-600 text-white" disabled={!valid}>
        Reorder
      </button>
    </form>
  );
}"""
ANSWER = f"```tsx\n{COMPONENT}\n```\n"
LINES = ANSWER.splitlines(keepends=True)

# Each service, its provider's name and how it says the token limit cut the answer off.
SERVICES = {
    "claude": "max_tokens",  # Anthropic SSE: message_delta's stop_reason
    "openrouter": "length",  # OpenAI-style chunks: finish_reason
    "ollama": "length",  # Ollama NDJSON: done_reason
}


@pytest.fixture(params=list(SERVICES))
def service(request, loopback_settings, anthropic_server, openai_server, ollama_server):
    """(provider name, its loopback server, its spelling of the token limit, settings routing to it)."""
    name = request.param
    server = {"claude": anthropic_server, "openrouter": openai_server, "ollama": ollama_server}[name]
    return name, server, SERVICES[name], replace(loopback_settings, providers=(name,))


def prefilled_pieces() -> list[str]:
    """The answer in three pieces as a prefilled model sends them: each continues at the exact
    character after the (trimmed) text so far, here in the middle of a line."""
    first, second = ANSWER.index("useState(0)") + 4, ANSWER.index("Reorder\n") + 3
    return [ANSWER[:first], ANSWER[first:second], ANSWER[second:]]


def instructed_pieces() -> list[str]:
    """The answer in three pieces as a model asked in words to continue sends them: it opens a
    fence of its own and restates the last line it saw before going on."""
    return [
        "".join(LINES[:6]),
        "```tsx\n" + "".join(LINES[5:11]),
        "```tsx\n" + "".join(LINES[10:]),
    ]


def pieces_for(name: str) -> list[str]:
    return prefilled_pieces() if name == "claude" else instructed_pieces()


def generate(settings, prompt="Build an inventory reorder form", cancel_when=None):
    """A generation through the engine (the app's and the CLI's path), its events, and the engine."""
    engine = Engine(settings)
    cancel = threading.Event()
    run = engine.generate(prompt, provider=settings.providers[0], cancel=cancel)
    events = []
    for event in run:
        events.append(event)
        if cancel_when is not None and cancel_when(events):
            cancel.set()
    engine.close()
    return run.generation, events, engine


def continued_with(server, index: int, *, prefilled: bool) -> str:
    """What request `index` to the server carried as the answer so far, checking how it was asked
    to continue: the answer as the start of the assistant's turn (prefill), or the answer followed by
    the instruction."""
    messages = server.requests[index].body["messages"]
    if prefilled:
        assert messages[-1]["role"] == "assistant", "a prefilled answer is the last message"
        return messages[-1]["content"]
    assert messages[-1] == {"role": "user", "content": CONTINUE_INSTRUCTION}
    assert messages[-2]["role"] == "assistant"
    return messages[-2]["content"]


def test_an_answer_cut_off_twice_is_continued_on_the_same_provider_and_joined_whole(service):
    name, server, limit, settings = service
    first, second, third = pieces_for(name)
    server.enqueue(Reply(text=first, stop=limit, usage=(900, 300)), Reply(text=second, stop=limit, usage=(1200, 300)),
                   Reply(text=third, usage=(1500, 120)))
    gen, events, engine = generate(settings)
    assert gen.status == "ok", gen.error
    assert gen.code == COMPONENT, "the pieces are joined without a repeated, missing or fenced line"
    assert gen.continues == 2 and gen.stop_reason not in ("max_tokens", "length")
    assert len(server.requests) == 3 and {a.provider for a in gen.attempts} == {name}
    # Each round continued the whole answer so far, from where it stopped.
    assert continued_with(server, 1, prefilled=name == "claude") == first.rstrip()
    so_far = first + second if name == "claude" else "".join(LINES[:11])
    assert continued_with(server, 2, prefilled=name == "claude") == so_far.rstrip()
    assert gen.output_tokens == 720 and gen.input_tokens == 3600, "every round's tokens are counted"
    rounds = [e for e in events if isinstance(e, ContinuingAfterLimit)]
    assert [(e.provider, e.round, e.rounds) for e in rounds] == [(name, 1, 2), (name, 2, 2)]
    status = render.final_status(gen, {name: name})
    assert status.startswith("✅") and "continued 2× after the token limit" in status
    assert gen.summary().endswith("continues=2 edit=none files=1")
    assert engine.store.get(gen.id)["continues"] == 2, "the log keeps the count"


def test_an_answer_still_cut_off_after_the_last_round_is_incomplete(service):
    name, server, limit, settings = service
    first, second, third = pieces_for(name)
    server.enqueue(Reply(text=first, stop=limit), Reply(text=second, stop=limit), Reply(text=third[:40], stop=limit),
                   Reply(text="never asked for"))
    gen, _, engine = generate(replace(settings, max_continues=2))
    assert len(server.requests) == 3, "no more than JFDI_MAX_CONTINUES rounds"
    assert gen.continues == 2 and gen.stop_reason == limit
    assert gen.status == "error" and gen.incomplete
    status = render.final_status(gen, {name: name})
    assert status.startswith("⚠️ cut off at the token limit after 2 continuations: incomplete")
    assert "✅" not in status
    logged = engine.store.get(gen.id)
    assert logged["status"] == "error" and logged["stop_reason"] == limit and logged["continues"] == 2


def test_continuing_can_be_turned_off(service):
    name, server, limit, settings = service
    server.enqueue(Reply(text=pieces_for(name)[0], stop=limit), Reply(text="never asked for"))
    gen, events, _ = generate(replace(settings, max_continues=0))
    assert len(server.requests) == 1 and gen.continues == 0
    assert gen.incomplete and not any(isinstance(e, ContinuingAfterLimit) for e in events)
    assert render.final_status(gen, {}).startswith("⚠️ cut off at the token limit without a continuation: incomplete")


def test_stop_during_a_continuation_ends_it(loopback_settings, anthropic_server):
    settings = replace(loopback_settings, providers=("claude",))
    first, second, _ = prefilled_pieces()
    anthropic_server.enqueue(Reply(text=first, stop="max_tokens"), Reply(chunks=[second[:20]] * 40, delay_s=0.1),
                             Reply(text="never asked for"))

    def in_the_continuation(events) -> bool:
        started = [i for i, e in enumerate(events) if isinstance(e, AttemptStarted) and e.continuing]
        return bool(started) and any(isinstance(e, TextDelta) for e in events[started[0]:])

    began = time.monotonic()
    gen, _, _ = generate(settings, cancel_when=in_the_continuation)
    assert time.monotonic() - began < 3, "the continuation stopped instead of streaming its 4 s"
    assert gen.status == "stopped" and gen.continues == 1
    assert len(anthropic_server.requests) == 2
    assert gen.text.startswith(first.rstrip()) and gen.attempts[-1].outcome == "stopped"


def test_the_local_model_s_length_stop_is_continued_with_prefill(tiny_llama_dir, one_torch_thread, settings):
    """The tiny random model never ends on its own within 8 new tokens: each round stops at
    "length", is continued from the text so far, and the last is incomplete."""
    settings = replace(settings, local_model=str(tiny_llama_dir), local_quant="none", max_tokens=8, max_continues=2,
                       providers=("local",), timeout_s=60.0)
    local = LocalProvider(settings, sampling=None)
    asked = []
    stream = local.stream

    def recording(request, cancel):  # the real provider, with each request it was asked kept
        asked.append(request)
        yield from stream(request, cancel)

    local.stream = recording
    engine = Engine(settings, providers={"local": local})
    run = engine.generate("Build an inventory reorder form", provider="local")
    events = list(run)
    engine.close()
    gen = run.generation
    assert [e.round for e in events if isinstance(e, ContinuingAfterLimit)] == [1, 2]
    assert len(asked) == 3 and gen.stop_reason == "length" and gen.incomplete
    assert gen.output_tokens == 24, "three rounds of 8 new tokens"
    assert asked[0].partial == "" and asked[1].partial and asked[2].partial.startswith(asked[1].partial)
    assert gen.text.startswith(asked[2].partial)


def test_a_benchmark_run_continues_too_and_never_counts_an_incomplete_answer(loopback_settings, anthropic_server):
    first, second, third = prefilled_pieces()
    anthropic_server.enqueue(Reply(text=first, stop="max_tokens"), Reply(text=second + third),
                             Reply(text=first, stop="max_tokens"), Reply(text=second, stop="max_tokens"))
    prompts = [BenchPrompt("reorder", "Build an inventory reorder form")]
    rows = run_suite({"claude": ClaudeProvider(loopback_settings)}, ["claude"], prompts, repeat=2, max_continues=1)
    whole, cut = rows
    assert whole["ok"] and whole["continues"] == 1 and whole["checks"]["extracted"]
    assert not cut["ok"] and cut["answered"] and cut["continues"] == 1
    assert cut["error"].startswith("cut off at the token limit after 1 continuation: incomplete")
    assert len(anthropic_server.requests) == 4


def test_a_claude_model_that_refuses_prefill_is_asked_in_words_for_the_rest(loopback_settings, anthropic_server):
    settings = replace(loopback_settings, providers=("claude",))
    first, rest = "".join(LINES[:6]), "".join(LINES[6:])
    refusal = Reply(status=400, error="Prefilling assistant messages is not supported for this model.")
    anthropic_server.enqueue(Reply(text=first, stop="max_tokens"), refusal, Reply(text=rest))
    gen, _, _ = generate(settings)
    assert gen.status == "ok" and gen.code == COMPONENT and gen.continues == 1
    assert anthropic_server.requests[1].body["messages"][-1] == {"role": "assistant", "content": first.rstrip()}
    assert continued_with(anthropic_server, 2, prefilled=False) == first.rstrip(), "the same round, asked in words"


def test_a_continuation_that_fails_falls_back_and_the_next_provider_finishes_the_answer():
    first, rest = "".join(LINES[:6]), "".join(LINES[6:])
    claude = FakeProvider("claude", label="Claude").enqueue(
        Script(chunks=[first], stop_reason="max_tokens"), Script(error=Overloaded("529")))
    local = FakeProvider("local", label="Seed-Coder").enqueue(rest)
    router = Router({"claude": claude, "local": local}, ["claude", "local"], timeout_s=2, backoff_s=0.01)
    gen, cancel = Generation(prompt="Build a reorder form"), threading.Event()
    request = Request(system="sys", messages=(Message("user", "Build a reorder form"),))
    list(Run(gen, router.run(request, "auto", cancel), cancel))
    assert gen.status == "ok" and gen.provider == "local" and gen.code == COMPONENT
    # With text shown and another provider ready, a failed round goes on there at once (no retry).
    assert gen.continues == 1 and claude.calls == 2
    assert "Claude overloaded; continuing the answer on Seed-Coder" in gen.notices
    assert local.requests[0].messages[-2].content == first.rstrip()
