"""The LLMRouter: provider order, retries, cooldowns, fallback and mid-stream continuation.

`auto` walks JFDI_PROVIDERS in order; a named provider is the only one tried. Each attempt runs
the provider's stream on a worker thread so that the router can enforce the time limit to the
first token (and between chunks) whatever the provider is doing, and so that Stop takes effect
at once. When an answer breaks off after text was shown, the next provider continues it from
where it stopped and the seam is joined without repeated or missing lines."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import replace
from typing import Callable, Iterator, Mapping, Sequence

from .config import ROUTABLE
from .errors import (
    AuthError,
    BadInput,
    ContextTooLong,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    TruncatedStream,
)
from .generation import Attempt, AttemptStarted, Event, Generation, Notice, Replace, TextDelta
from .pricing import estimate_cost
from .prompts import fit_request
from .providers.base import Delta, Provider, Request
from .seam import Joined, SeamJoiner

POLL_S = 0.05  # how often a waiting attempt looks at the Stop button


class Cooldowns:
    """Providers that keep failing rest for a while instead of being tried on every request."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        after_failures: int = 2,
        base_s: float = 60.0,
        max_s: float = 600.0,
        auth_s: float = 300.0,
    ):
        self.clock = clock
        self.after_failures = after_failures
        self.base_s, self.max_s, self.auth_s = base_s, max_s, auth_s
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def remaining(self, name: str) -> float:
        with self._lock:
            return max(0.0, self._until.get(name, 0.0) - self.clock())

    def success(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)
            self._until.pop(name, None)

    def failure(self, name: str, error: ProviderError) -> None:
        with self._lock:
            count = self._failures[name] = self._failures.get(name, 0) + 1
            rest = 0.0
            if isinstance(error, AuthError):
                rest = self.auth_s  # a wrong key does not fix itself
            elif isinstance(error, RateLimited) and error.retry_after:
                rest = error.retry_after
            if count >= self.after_failures:
                rest = max(rest, min(self.max_s, self.base_s * 2 ** (count - self.after_failures)))
            if rest:
                self._until[name] = self.clock() + rest


_STOPPED = object()  # the user pressed Stop
_END = object()  # the provider's stream returned


class _Pump:
    """Runs one provider stream on a daemon thread and hands its items over through a queue."""

    def __init__(self, provider: Provider, request: Request):
        self.cancel = threading.Event()
        self.items: queue.SimpleQueue = queue.SimpleQueue()
        self._provider, self._request = provider, request
        threading.Thread(target=self._run, daemon=True, name=f"jfdi-{provider.name}").start()

    def _run(self) -> None:
        stream = self._provider.stream(self._request, self.cancel)
        try:
            for delta in stream:
                self.items.put(delta)
                if self.cancel.is_set():
                    break
        except BaseException as exc:  # handed to the router, which decides what it means
            self.items.put(exc)
        else:
            self.items.put(_END)
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()

    def get(self, timeout: float):
        try:
            return self.items.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None


class Router:
    def __init__(
        self,
        providers: Mapping[str, Provider],
        order: Sequence[str],
        *,
        timeout_s: float = 60.0,
        backoff_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        cooldowns: Cooldowns | None = None,
    ):
        self.providers = dict(providers)
        self.order = [name for name in order if name in self.providers]
        self.timeout_s = timeout_s
        self.backoff_s = backoff_s
        self.clock = clock
        self.cooldowns = cooldowns or Cooldowns(clock)

    def chain(self, choice: str) -> list[Provider]:
        choice = (choice or "auto").strip().lower()
        if choice == "auto":
            return [self.providers[name] for name in self.order]
        if choice not in self.providers:
            raise BadInput(f"unknown provider {choice!r}: use one of {', '.join(ROUTABLE)}")
        return [self.providers[choice]]

    def skip_reason(self, provider: Provider, named: bool) -> str:
        """Why a provider is passed over without being called ('' when it is tried)."""
        if not provider.configured():
            return f"not configured ({provider.setup_hint()})" if provider.setup_hint() else "not configured"
        rest = self.cooldowns.remaining(provider.name)
        if rest and not named:  # a provider the user named is tried even while it rests
            return f"cooling down after repeated failures ({rest:.0f} s left)"
        return ""

    def run(
        self, gen: Generation, request: Request, choice: str = "auto", cancel: threading.Event | None = None
    ) -> Iterator[Event]:
        """Answer `request`, filling in `gen`; yields events as they happen."""
        cancel = cancel or threading.Event()
        chain = self.chain(choice)
        named = choice.strip().lower() != "auto"
        started = self.clock()
        try:
            for index, provider in enumerate(chain):
                reason = self.skip_reason(provider, named)
                if reason:
                    gen.attempts.append(Attempt(provider.name, provider.model, "skipped", reason))
                    continue
                retried = False
                while True:
                    result = yield from self._attempt(provider, request, gen, cancel, started)
                    if result is None:
                        self.cooldowns.success(provider.name)
                        gen.status = "ok"
                        return
                    if result is _STOPPED:
                        gen.status = "stopped"
                        return
                    error = result
                    after = self._next_usable(chain[index + 1 :], named)
                    if isinstance(error, ProviderUnavailable):
                        break
                    wait = None if (gen.text and after) else self._retry_wait(error, retried)
                    if wait is not None:
                        yield self._notice(gen, f"{provider.label} {error.kind}; retrying in {wait:.1f} s")
                        if cancel.wait(wait):
                            gen.status = "stopped"
                            return
                        retried = True
                        continue
                    self.cooldowns.failure(provider.name, error)
                    if after:
                        how = "continuing the answer on" if gen.text else "falling back to"
                        again = " again" if retried else ""
                        yield self._notice(gen, f"{provider.label} {error.kind}{again}; {how} {after.label}")
                    break
            gen.status = "error"
            gen.error = "No provider produced code.\n" + gen.failure_summary()
        finally:
            gen.total_s = self.clock() - started

    def _next_usable(self, rest: Sequence[Provider], named: bool) -> Provider | None:
        return next((p for p in rest if not self.skip_reason(p, named)), None)

    def _retry_wait(self, error: ProviderError, retried: bool) -> float | None:
        if retried or not error.transient:
            return None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            # Waiting longer than the time limit would be slower than falling back.
            return error.retry_after if error.retry_after <= self.timeout_s else None
        return self.backoff_s

    @staticmethod
    def _notice(gen: Generation, message: str) -> Notice:
        gen.notices.append(message)
        return Notice(message)

    def _attempt(
        self, provider: Provider, request: Request, gen: Generation, cancel: threading.Event, run_started: float
    ) -> Iterator[Event]:
        attempt = Attempt(provider.name, provider.model)
        gen.attempts.append(attempt)
        try:
            provider.prepare()
        except ProviderError as exc:
            return self._fail(attempt, self.clock(), exc)
        began = self.clock()
        joiner = None
        if gen.text:
            original = gen.text
            gen.text = original.rstrip()
            if gen.text != original:
                yield Replace(gen.text)
            joiner = SeamJoiner(gen.text, at_line_start="\n" in original[len(gen.text) :])
            request = replace(request, partial=gen.text)
        try:
            request, trimmed = fit_request(request, provider.context_tokens, provider.count_tokens)
        except ContextTooLong as exc:
            return self._fail(attempt, began, exc)
        if trimmed:
            yield self._notice(gen, trimmed)
        yield AttemptStarted(provider.name, provider.label, provider.model, continuing=joiner is not None)

        pump = _Pump(provider, request)
        deadline = began + self.timeout_s
        waited_for = "the first token"
        while True:
            if cancel.is_set():
                pump.cancel.set()
                yield from self._flush(joiner, gen, provider)
                attempt.outcome, attempt.seconds = "stopped", self.clock() - began
                return _STOPPED
            now = self.clock()
            if now >= deadline:
                pump.cancel.set()
                yield from self._flush(joiner, gen, provider)
                error = ProviderTimeout(f"{provider.label} sent nothing for {self.timeout_s:g} s (waiting for {waited_for})", provider=provider.name)
                return self._fail(attempt, began, error)
            item = pump.get(min(deadline - now, POLL_S))
            if item is None:
                continue
            if item is _END or isinstance(item, BaseException):
                yield from self._flush(joiner, gen, provider)
                return self._fail(attempt, began, _as_provider_error(provider, item))
            delta: Delta = item
            deadline = self.clock() + self.timeout_s
            if delta.notice:
                yield Notice(delta.notice, transient=True)
            if delta.text:
                if attempt.ttft_s is None:
                    attempt.ttft_s = self.clock() - began
                    waited_for = "the next chunk"
                if gen.ttft_s is None:
                    gen.ttft_s = self.clock() - run_started
                if joiner is None:
                    gen.text += delta.text
                    yield TextDelta(delta.text)
                else:
                    yield from self._apply(joiner.feed(delta.text), gen, provider)
            if delta.final:
                yield from self._flush(joiner, gen, provider)
                attempt.outcome, attempt.seconds = "ok", self.clock() - began
                usage = delta.usage
                if usage is not None:
                    gen.add_usage(usage.input_tokens, usage.output_tokens)
                    cost = estimate_cost(provider.name, provider.model, usage)
                    if cost is not None:
                        gen.cost_usd = (gen.cost_usd or 0.0) + cost
                gen.provider, gen.model, gen.stop_reason = provider.name, provider.model, delta.stop_reason
                return None

    def _flush(self, joiner: SeamJoiner | None, gen: Generation, provider: Provider) -> Iterator[Event]:
        if joiner is not None:
            yield from self._apply(joiner.flush(), gen, provider)

    def _apply(self, joined: Joined | None, gen: Generation, provider: Provider) -> Iterator[Event]:
        if joined is None:
            return
        if joined.restart:
            gen.text = joined.text
            yield Replace(gen.text)
            yield self._notice(gen, f"{provider.label} could not continue the cut-off answer, so it started over")
        elif joined.text:
            gen.text += joined.text
            yield TextDelta(joined.text)

    def _fail(self, attempt: Attempt, began: float, error: ProviderError) -> ProviderError:
        attempt.outcome = "skipped" if isinstance(error, ProviderUnavailable) else "error"
        attempt.error = str(error)
        attempt.seconds = self.clock() - began
        return error


def _as_provider_error(provider: Provider, item: object) -> ProviderError:
    if isinstance(item, ProviderError):
        return item
    if item is _END:
        return TruncatedStream(f"{provider.label}'s answer ended without its end marker", provider=provider.name)
    # A bug or an unexpected library error in a provider: fall back rather than crash the app.
    return ProviderError(f"{provider.label} failed unexpectedly: {type(item).__name__}: {item}", provider=provider.name)
