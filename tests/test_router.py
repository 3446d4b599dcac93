"""Router behaviour: order, skip, retry, cooldown, time limits, stop, mid-stream continuation."""

from __future__ import annotations

import threading
import time

import pytest

from jfdi.errors import (
    AuthError,
    BadInput,
    BadRequest,
    Overloaded,
    ProviderUnavailable,
    RateLimited,
    TruncatedStream,
)
from jfdi.generation import AttemptStarted, Generation, Notice, Replace, Run, TextDelta
from jfdi.prompts import CONTINUE_INSTRUCTION
from jfdi.providers.base import Message, Request, Usage
from jfdi.router import Cooldowns, Router
from tests.fakes import FakeProvider, Script

REQUEST = Request(system="sys", messages=(Message("user", "Build a counter"),), max_tokens=100)

COMPONENT = """import { useState } from "react";

export default function Counter() {
  const [count, setCount] = useState(0);
  const label = `Clicked ${count} times`;
  return (
    <div className="p-4 space-y-2">
      <p className="text-lg font-semibold">{label}</p>
      <button className="px-3 py-1 rounded bg-blue-600 text-white" onClick={() => setCount(count + 1)}>
        Increment
      </button>
      <button className="px-3 py-1 rounded bg-gray-200" onClick={() => setCount(count - 1)}>
        Decrement
      </button>
    </div>
  );
}
"""


def make_router(*providers, timeout_s=2.0, **kw):
    return Router({p.name: p for p in providers}, [p.name for p in providers], timeout_s=timeout_s, backoff_s=0.01, **kw)


def run(router, choice="auto", request=REQUEST, cancel=None):
    gen = Generation(prompt="Build a counter")
    cancel = cancel or threading.Event()
    events = list(Run(gen, router.run(request, choice, cancel), cancel))
    return gen, events


def notices(events):
    return [e.message for e in events if isinstance(e, Notice)]


def test_auto_uses_the_first_provider_that_answers():
    a, b = FakeProvider("a").enqueue("hello"), FakeProvider("b").enqueue("other")
    gen, events = run(make_router(a, b))
    assert gen.status == "ok" and gen.text == "hello" and gen.provider == "a"
    assert b.calls == 0
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["hello"]


def test_named_provider_uses_only_that_one():
    a, b = FakeProvider("a").enqueue(Script(error=AuthError("bad key"))), FakeProvider("b")
    gen, _ = run(make_router(a, b), "a")
    assert gen.status == "error" and b.calls == 0


def test_unknown_provider_is_bad_input_listing_the_router_s_own_names():
    with pytest.raises(BadInput) as info:
        make_router(FakeProvider("a"), FakeProvider("b")).chain("gpt")
    assert str(info.value) == "unknown provider 'gpt': use one of auto, a, b"


def test_unconfigured_providers_are_skipped_without_a_call():
    a, b = FakeProvider("a", configured=False), FakeProvider("b").enqueue("ok")
    gen, _ = run(make_router(a, b))
    assert a.calls == 0 and gen.provider == "b"
    assert gen.attempts[0].outcome == "skipped" and "not configured" in gen.attempts[0].error


def test_transient_error_is_retried_once_then_falls_back():
    a = FakeProvider("a", label="Claude").enqueue(Script(error=Overloaded("529")), Script(error=Overloaded("529")))
    b = FakeProvider("b", label="Seed-Coder").enqueue("code")
    gen, events = run(make_router(a, b))
    assert a.calls == 2 and gen.provider == "b"
    assert notices(events) == [
        "Claude overloaded; retrying in 0.0 s",
        "Claude overloaded again; falling back to Seed-Coder",
    ]
    assert [x.outcome for x in gen.attempts] == ["error", "error", "ok"]


def test_transient_error_then_success_on_retry():
    a = FakeProvider("a").enqueue(Script(error=Overloaded("503")), "fine")
    gen, _ = run(make_router(a, FakeProvider("b")))
    assert gen.provider == "a" and gen.text == "fine"


@pytest.mark.parametrize("error", [AuthError("401"), BadRequest("400")])
def test_auth_and_bad_request_go_straight_to_the_next(error):
    a, b = FakeProvider("a").enqueue(Script(error=error)), FakeProvider("b").enqueue("ok")
    gen, _ = run(make_router(a, b))
    assert a.calls == 1 and gen.provider == "b"


def test_rate_limit_retry_after_is_honoured_within_the_time_limit():
    a = FakeProvider("a").enqueue(Script(error=RateLimited("429", retry_after=0.3)), "after wait")
    started = time.monotonic()
    gen, events = run(make_router(a, FakeProvider("b")))
    assert gen.text == "after wait"
    assert time.monotonic() - started >= 0.3
    assert "retrying in 0.3 s" in notices(events)[0]


def test_rate_limit_longer_than_the_time_limit_falls_back_at_once():
    a = FakeProvider("a").enqueue(Script(error=RateLimited("429", retry_after=120)))
    b = FakeProvider("b").enqueue("ok")
    started = time.monotonic()
    gen, _ = run(make_router(a, b, timeout_s=1.0))
    assert gen.provider == "b" and time.monotonic() - started < 1.0 and a.calls == 1


def test_no_first_token_within_the_time_limit_falls_back():
    a = FakeProvider("a").enqueue(Script(hang_s=30, chunks=["late"]), Script(hang_s=30, chunks=["late"]))
    b = FakeProvider("b").enqueue("quick")
    started = time.monotonic()
    gen, _ = run(make_router(a, b, timeout_s=0.3))
    assert gen.provider == "b"
    assert "sent nothing for 0.3 s" in gen.attempts[0].error
    assert time.monotonic() - started < 3
    assert a.cancelled.wait(1), "the hung attempt was told to stop"


def test_provider_notices_keep_a_slow_start_alive_and_reach_the_caller():
    a = FakeProvider("a").enqueue(Script(notices=["Loading model… 50%"], chunks=["x"]))
    gen, events = run(make_router(a))
    assert "Loading model… 50%" in notices(events) and gen.text == "x"


def test_a_provider_still_setting_up_says_so_before_it_is_asked_and_its_clock_starts_after():
    slow = FakeProvider("claude", label="Claude", prepare_s=0.3).enqueue("export default function A() {}")
    gen, events = run(make_router(slow, timeout_s=0.2))
    assert isinstance(events[0], Notice) and events[0].message == "preparing Claude..." and events[0].transient
    assert isinstance(events[1], AttemptStarted)
    assert gen.status == "ok", "the time limit to the first token starts once the set-up is done"
    assert gen.notices == [], "progress, not something to keep in the log"
    _, again = run(make_router(slow))
    assert notices(again) == [], "set up once: the next request goes straight to the provider"


def test_repeated_failures_cool_a_provider_down():
    clock = [1000.0]
    cooldowns = Cooldowns(lambda: clock[0], after_failures=2, base_s=60)
    a, b = FakeProvider("a"), FakeProvider("b")
    router = make_router(a, b, cooldowns=cooldowns)
    for _ in range(2):
        a.enqueue(Script(error=BadRequest("400")))
        b.enqueue("ok")
        run(router)
    calls = a.calls
    b.enqueue("ok")
    gen, _ = run(router)
    assert a.calls == calls, "a cooling provider is not called"
    assert gen.attempts[0].outcome == "skipped" and "cooling down" in gen.attempts[0].error
    clock[0] += 1000
    a.enqueue("back")
    gen, _ = run(router)
    assert gen.provider == "a" and cooldowns.remaining("a") == 0


def test_a_wrong_key_cools_down_at_once():
    cooldowns = Cooldowns(after_failures=3, auth_s=300)
    a = FakeProvider("a").enqueue(Script(error=AuthError("401")))
    run(make_router(a, FakeProvider("b").enqueue("ok"), cooldowns=cooldowns))
    assert cooldowns.remaining("a") > 250


def test_a_named_provider_is_tried_even_while_cooling_down():
    cooldowns = Cooldowns(after_failures=1, base_s=600)
    a = FakeProvider("a").enqueue(Script(error=AuthError("bad")), "second")
    router = make_router(a, cooldowns=cooldowns)
    run(router)
    assert cooldowns.remaining("a") > 0
    gen, _ = run(router, "a")
    assert gen.text == "second"


def test_unavailable_provider_is_skipped_not_counted_as_a_failure():
    a = FakeProvider("a")
    router = make_router(a, FakeProvider("b"))
    for _ in range(3):  # more than enough failures to cool a provider down
        a.enqueue(Script(error=ProviderUnavailable("needs a CUDA GPU")))
        gen, _ = run(router)
        assert gen.provider == "b"
        assert gen.attempts[0].outcome == "skipped" and "CUDA" in gen.attempts[0].error
    assert router.cooldowns.remaining("a") == 0 and a.calls == 3


def test_every_provider_failing_gives_one_error_naming_each():
    a = FakeProvider("claude", configured=False)
    b = FakeProvider("local").enqueue(Script(error=ProviderUnavailable("needs a CUDA GPU")))
    c = FakeProvider("openrouter").enqueue(Script(error=AuthError("HTTP 401: bad key")))
    gen, _ = run(make_router(a, b, c))
    assert gen.status == "error"
    assert gen.error.splitlines() == [
        "No provider produced code.",
        "claude: not configured (set CLAUDE_KEY)",
        "local: needs a CUDA GPU",
        "openrouter: HTTP 401: bad key",
    ]


def test_an_unexpected_exception_in_a_provider_falls_back_instead_of_crashing(monkeypatch):
    monkeypatch.delenv("JFDI_RAISE_ERRORS")  # as in production
    a = FakeProvider("a").enqueue(Script(error=KeyError("choices")))
    gen, _ = run(make_router(a, FakeProvider("b").enqueue("ok")))
    assert gen.provider == "b" and "KeyError" in gen.attempts[0].error


def test_under_the_tests_an_unexpected_exception_is_a_bug_that_propagates():
    a = FakeProvider("a").enqueue(Script(error=KeyError("choices")))
    with pytest.raises(KeyError, match="choices"):
        run(make_router(a, FakeProvider("b").enqueue("ok")))


def test_an_abandoned_run_stops_the_provider_stream():
    a = FakeProvider("a").enqueue(Script(chunks=list("abcdefghij"), delay_s=0.05))
    gen, cancel = Generation(prompt="p"), threading.Event()
    run_ = Run(gen, make_router(a).run(REQUEST, "auto", cancel), cancel)
    for event in run_:
        if isinstance(event, TextDelta):
            break  # the browser tab closed: the run's generator is closed
    assert a.cancelled.wait(2)
    assert gen.status == "stopped" and gen.attempts[-1].outcome == "stopped"


def test_stream_without_final_delta_is_truncated():
    a = FakeProvider("a").enqueue(Script(chunks=["par"], final=False), Script(chunks=["par"], final=False))
    gen, _ = run(make_router(a))
    assert gen.status == "error" and "end marker" in gen.attempts[0].error


def test_stop_keeps_the_partial_answer():
    a = FakeProvider("a").enqueue(Script(chunks=list("abcdefghij"), delay_s=0.05))
    cancel = threading.Event()
    gen = Generation(prompt="p")
    texts = []
    for event in Run(gen, make_router(a).run(REQUEST, "auto", cancel), cancel):
        if isinstance(event, TextDelta):
            texts.append(event.text)
            if len(texts) == 3:
                cancel.set()
    assert gen.status == "stopped" and gen.text == "abc"
    assert gen.attempts[-1].outcome == "stopped"
    assert a.cancelled.wait(1)


def test_usage_cost_and_timing_are_recorded():
    a = FakeProvider("claude", model="claude-sonnet-5-5").enqueue(Script(chunks=["x"], usage=Usage(1000, 500)))
    gen, _ = run(make_router(a))
    assert (gen.input_tokens, gen.output_tokens) == (1000, 500)
    assert gen.cost_usd == pytest.approx((1000 * 2 + 500 * 10) / 1e6)
    assert gen.ttft_s is not None and gen.total_s >= gen.ttft_s


# Mid-stream continuation ----------------------------------------------------------------------


def cut_at(text: str, index: int) -> Script:
    head = text[:index]
    return Script(chunks=[head[i : i + 40] for i in range(0, len(head), 40)], error=TruncatedStream("cut"))


@pytest.mark.parametrize("cut", [90, 200, 231, len(COMPONENT) - 30])
def test_prefill_continuation_joins_exactly(cut):
    a = FakeProvider("a", label="Claude").enqueue(cut_at(COMPONENT, cut))
    b = FakeProvider("b", label="Seed-Coder", supports_prefill=True)
    # A prefilled model continues at the exact character after the (white-space trimmed) text.
    sent = COMPONENT[:cut].rstrip()
    b.enqueue(COMPONENT[len(sent):])
    gen, events = run(make_router(a, b))
    assert gen.status == "ok" and gen.text == COMPONENT
    # Prefilled: the partial answer is the start of the model's own turn, with no instruction.
    assert b.requests[0].partial == sent and b.requests[0].messages == REQUEST.messages
    assert "Claude stream cut off; continuing the answer on Seed-Coder" in notices(events)
    started = [e for e in events if isinstance(e, AttemptStarted)]
    assert started[-1].continuing


@pytest.mark.parametrize("cut", [90, 200, 231, 400])
def test_instructed_continuation_that_repeats_the_last_line_has_a_clean_seam(cut):
    a = FakeProvider("a").enqueue(cut_at(COMPONENT, cut))
    b = FakeProvider("b")
    # An instructed model restates the line it was in the middle of, sometimes inside a new fence.
    line_start = COMPONENT.rfind("\n", 0, cut) + 1
    b.enqueue("```tsx\n" + COMPONENT[line_start:])
    gen, _ = run(make_router(a, b))
    # Without prefill the model is shown its partial answer and asked in words to go on.
    sent = b.requests[0]
    assert sent.partial == "" and sent.messages[:-2] == REQUEST.messages
    assert sent.messages[-2] == Message("assistant", COMPONENT[:cut].rstrip())
    assert sent.messages[-1] == Message("user", CONTINUE_INSTRUCTION)
    assert gen.text == COMPONENT.rstrip("\n") or gen.text == COMPONENT
    assert gen.code.strip() == COMPONENT.strip()


def test_instructed_continuation_at_a_line_break_keeps_the_break():
    cut = COMPONENT.index("  return (")
    a = FakeProvider("a").enqueue(cut_at(COMPONENT, cut))
    b = FakeProvider("b").enqueue(COMPONENT[cut:])  # starts at the next line, without the newline
    gen, _ = run(make_router(a, b))
    assert gen.code.strip() == COMPONENT.strip()


def test_a_continuation_that_starts_over_replaces_the_answer_and_says_so():
    a = FakeProvider("a", label="Claude").enqueue(cut_at(COMPONENT, 300))
    b = FakeProvider("b", label="OpenRouter").enqueue(COMPONENT)
    gen, events = run(make_router(a, b))
    assert gen.text == COMPONENT
    assert any(isinstance(e, Replace) and e.text.startswith("import") for e in events)
    assert "OpenRouter could not continue the cut-off answer, so it started over" in notices(events)


def test_a_named_provider_cut_mid_answer_is_continued_on_itself():
    a = FakeProvider("a", supports_prefill=True).enqueue(cut_at(COMPONENT, 150))
    a.enqueue(COMPONENT[len(COMPONENT[:150].rstrip()):])
    gen, _ = run(make_router(a), "a")
    assert gen.text == COMPONENT and a.calls == 2


def test_long_history_is_trimmed_to_the_context_with_a_notice():
    history = []
    for i in range(30):
        history += [Message("user", f"turn {i} " + "x" * 400), Message("assistant", "(code)")]
    request = Request(system="s", messages=(*history, Message("user", "latest")), max_tokens=100)
    small = FakeProvider("a", context_tokens=1000).enqueue("ok")
    gen, events = run(make_router(small), request=request)
    assert gen.status == "ok"
    sent = small.requests[0].messages
    assert sent[-1].content == "latest" and len(sent) < len(request.messages)
    assert sent[0].role == "user"
    assert any("trimmed" in n for n in notices(events))


def test_a_prompt_too_big_for_one_provider_falls_back_to_a_bigger_one():
    request = Request(system="s", messages=(Message("user", "x" * 20000),), max_tokens=100)
    small, big = FakeProvider("small", context_tokens=2000), FakeProvider("big").enqueue("ok")
    gen, _ = run(make_router(small, big), request=request)
    assert small.calls == 0 and gen.provider == "big"
    assert "shorten the prompt" in gen.attempts[0].error
