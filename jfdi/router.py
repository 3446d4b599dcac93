"""The LLMRouter: provider order, retries, cooldowns, fallback and mid-stream continuation.

`auto` walks JFDI_PROVIDERS in order; a named provider is the only one tried. Each attempt runs
the provider's stream on a worker thread so that the router can enforce the time limit to the
first token (and between chunks) whatever the provider is doing, and so that Stop takes effect
at once. When an answer breaks off after text was shown, the next provider continues it from
where it stopped (prefill where the provider takes it, an instruction otherwise) and the seam is
joined without repeated or missing lines. An answer that stops at the token limit is continued the
same way, on the same provider, up to `max_continues` rounds; one still cut off after that ends
Answered with the limit's stop reason, and the Run marks it incomplete.

A provider that cannot see gets a request's images as text (`describe`, read once per image);
one that can gets the images themselves, on every attempt and continuation, since each request
to a service stands alone.

The router writes no record: it yields events (generation.py), and a Run applies them."""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import replace
from typing import Callable, Iterator, Mapping, Sequence

from .config import raise_unexpected
from .errors import (
    AuthError,
    BadInput,
    ContextTooLong,
    JFDIError,
    PrefillRefused,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    TruncatedStream,
)
from .generation import (
    Answered,
    AttemptEnded,
    AttemptStarted,
    ContinuingAfterLimit,
    Event,
    Failed,
    Notice,
    Replace,
    Stopped,
    TextDelta,
    UsageReported,
)
from .prompts import continuation_request, fit_request, images_as_text
from .providers.base import Delta, ImagePart, Provider, Request, hit_token_limit
from .seam import Joined, SeamJoiner

POLL_S = 0.05  # how often a waiting attempt looks at the Stop button

# An image's text for a provider that cannot see it; a JFDIError when it cannot be read here.
Describe = Callable[[ImagePart], str]


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
        describe: Describe | None = None,
        max_continues: int = 2,
    ):
        self.providers = dict(providers)
        self.max_continues = max_continues
        self.describe = describe
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
            raise BadInput(f"unknown provider {choice!r}: use one of {', '.join(['auto', *self.providers])}")
        return [self.providers[choice]]

    def skip_reason(self, provider: Provider, named: bool) -> str:
        """Why a provider is passed over without being called ('' when it is tried)."""
        if not provider.configured():
            return f"not configured ({provider.setup_hint()})" if provider.setup_hint() else "not configured"
        rest = self.cooldowns.remaining(provider.name)
        if rest and not named:  # a provider the user named is tried even while it rests
            return f"cooling down after repeated failures ({rest:.0f} s left)"
        return ""

    def run(self, request: Request, choice: str = "auto", cancel: threading.Event | None = None) -> Iterator[Event]:
        """Answer `request`; yields events as they happen and ends with Answered, Failed or Stopped."""
        answer = _Answer()
        cancel = cancel or threading.Event()
        chain = self.chain(choice)
        named = choice.strip().lower() != "auto"
        continues = 0
        for index, provider in enumerate(chain):
            reason = self.skip_reason(provider, named)
            if reason:
                answer.failed(provider, reason)
                yield AttemptEnded(provider.name, provider.model, "skipped", reason)
                continue
            retried = False
            while True:
                result = yield from self._attempt(provider, request, answer, cancel)
                if isinstance(result, Answered):
                    self.cooldowns.success(provider.name)
                    if hit_token_limit(result.stop_reason) and answer.text.strip() and continues < self.max_continues:
                        continues += 1
                        yield ContinuingAfterLimit(provider.name, provider.label, continues, self.max_continues)
                        retried = False  # a new request: it gets its own retry
                        continue
                    yield result
                    return
                if result is _STOPPED:
                    yield Stopped()
                    return
                error = result
                if isinstance(error, PrefillRefused) and not provider.supports_prefill:
                    continue  # asked again at once, with an instruction (the provider learnt it)
                answer.failed(provider, str(error))
                if isinstance(error, ProviderUnavailable):
                    break
                after = self._next_usable(chain[index + 1 :], named)
                wait = None if (answer.text and after) else self._retry_wait(error, retried)
                if wait is not None:
                    yield Notice(f"{provider.label} {error.kind}; retrying in {wait:.1f} s")
                    if cancel.wait(wait):
                        yield Stopped()
                        return
                    retried = True
                    continue
                self.cooldowns.failure(provider.name, error)
                if after:
                    how = "continuing the answer on" if answer.text else "falling back to"
                    again = " again" if retried else ""
                    yield Notice(f"{provider.label} {error.kind}{again}; {how} {after.label}")
                break
        yield Failed("No provider produced code.\n" + answer.failure_summary())

    def _next_usable(self, rest: Sequence[Provider], named: bool) -> Provider | None:
        return next((p for p in rest if not self.skip_reason(p, named)), None)

    def _retry_wait(self, error: ProviderError, retried: bool) -> float | None:
        if retried or not error.transient:
            return None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            # Waiting longer than the time limit would be slower than falling back.
            return error.retry_after if error.retry_after <= self.timeout_s else None
        return self.backoff_s

    def _continuation(self, provider: Provider, request: Request, partial: str) -> Request:
        """How a provider is asked to go on from `partial`: as the start of its own answer where it
        takes prefill (it continues at the exact character), else in words."""
        if provider.supports_prefill:
            return replace(request, partial=partial)
        return continuation_request(request, partial)

    def _attempt(
        self, provider: Provider, request: Request, answer: "_Answer", cancel: threading.Event
    ) -> Iterator[Event]:
        """One call to a provider; returns Answered, _STOPPED, or the ProviderError it ended with."""
        clock = self.clock
        began = clock()
        ttft: list[float] = []

        def ended(outcome: str, error: ProviderError | None = None) -> AttemptEnded:
            if isinstance(error, ProviderUnavailable):
                outcome = "skipped"  # it could not run here; not a failure of the service
            return AttemptEnded(
                provider.name, provider.model, outcome, str(error or ""), ttft[0] if ttft else None, clock() - began
            )

        if not provider.prepared():  # the SDK is still loading: say so rather than nothing
            yield Notice(f"preparing {provider.label}...", transient=True)
        try:
            provider.prepare()
            if request.images and not provider.sees_images:
                request = yield from self._images_as_text(provider, request, answer)
        except ProviderError as exc:
            yield ended("error", exc)
            return exc
        began = clock()  # the time limits start after a provider's one-time set-up (and reading images)
        joiner = None
        if answer.text:
            original = answer.text
            trimmed = answer.replace(original.rstrip())
            if trimmed != original:
                yield Replace(trimmed)
            joiner = SeamJoiner(trimmed, at_line_start="\n" in original[len(trimmed) :])
            request = self._continuation(provider, request, trimmed)
        try:
            request, dropped = fit_request(request, provider.context_tokens, provider.count_tokens)
        except ContextTooLong as exc:
            yield ended("error", exc)
            return exc
        if dropped:
            yield Notice(dropped)
        yield AttemptStarted(provider.name, provider.label, provider.model, continuing=joiner is not None)

        pump = _Pump(provider, request)
        try:
            deadline = began + self.timeout_s
            waited_for = "the first token"
            while True:
                if cancel.is_set():
                    yield from self._flush(joiner, answer, provider)
                    yield ended("stopped")
                    return _STOPPED
                now = clock()
                if now >= deadline:
                    yield from self._flush(joiner, answer, provider)
                    error = ProviderTimeout(
                        f"{provider.label} sent nothing for {self.timeout_s:g} s (waiting for {waited_for})", provider=provider.name
                    )
                    yield ended("error", error)
                    return error
                item = pump.get(min(deadline - now, POLL_S))
                if item is None:
                    continue
                if item is _END or isinstance(item, BaseException):
                    yield from self._flush(joiner, answer, provider)
                    error = _as_provider_error(provider, item)
                    yield ended("error", error)
                    return error
                delta: Delta = item
                deadline = clock() + self.timeout_s
                if delta.notice:
                    yield Notice(delta.notice, transient=True)
                if delta.text:
                    if not ttft:
                        ttft.append(clock() - began)
                        waited_for = "the next chunk"
                    if joiner is None:
                        answer.text += delta.text
                        yield TextDelta(delta.text)
                    else:
                        yield from self._apply(joiner.feed(delta.text), answer, provider)
                if delta.final:
                    yield from self._flush(joiner, answer, provider)
                    yield ended("ok")
                    if delta.usage is not None:
                        usage = delta.usage
                        yield UsageReported(usage.input_tokens, usage.output_tokens, provider.cost(usage))
                    return Answered(provider.name, provider.model, delta.stop_reason)
        finally:
            pump.cancel.set()  # also when the caller abandons the run: the provider stops streaming

    def _images_as_text(self, provider: Provider, request: Request, answer: "_Answer") -> Iterator[Event]:
        """The request with its images replaced by their text; ProviderUnavailable when they cannot be read here."""
        images = request.images
        what = "image" if len(images) == 1 else f"{len(images)} images"
        if self.describe is None:
            reason = f"{provider.label} cannot see images and no image reader is set up"
            raise ProviderUnavailable(reason, provider=provider.name)
        yield Notice(f"reading the {what} as text for {provider.label}", transient=True)
        try:
            texts = {image.sha256: self.describe(image) for image in images}
        except Exception as exc:
            if not isinstance(exc, JFDIError) and raise_unexpected():
                raise
            # A missing OCR library, or a bug in a reader: this provider cannot take this request.
            raise ProviderUnavailable(
                f"{provider.label} cannot see images, and they could not be read as text here: {exc}", provider=provider.name
            ) from exc
        if provider.name not in answer.described:  # said once per provider, not on every retry
            answer.described.add(provider.name)
            yield Notice(f"{what} described as text for {provider.label}")
        return images_as_text(request, texts)

    def _flush(self, joiner: SeamJoiner | None, answer: "_Answer", provider: Provider) -> Iterator[Event]:
        if joiner is not None:
            yield from self._apply(joiner.flush(), answer, provider)

    def _apply(self, joined: Joined | None, answer: "_Answer", provider: Provider) -> Iterator[Event]:
        if joined is None:
            return
        if joined.restart:
            yield Replace(answer.replace(joined.text))
            yield Notice(f"{provider.label} could not continue the cut-off answer, so it started over")
        elif joined.text:
            answer.text += joined.text
            yield TextDelta(joined.text)


class _Answer:
    """What the router needs to remember across attempts: the text shown so far (a later attempt
    continues it) and why each provider gave no answer."""

    def __init__(self) -> None:
        self.text = ""
        self._failures: dict[str, None] = {}
        self.described: set[str] = set()  # providers that were given the images as text

    def replace(self, text: str) -> str:
        self.text = text
        return text

    def failed(self, provider: Provider, reason: str) -> None:
        self._failures[f"{provider.name}: {reason}"] = None

    def failure_summary(self) -> str:
        return "\n".join(self._failures)


def _as_provider_error(provider: Provider, item: object) -> ProviderError:
    if isinstance(item, ProviderError):
        return item
    if item is _END:
        return TruncatedStream(f"{provider.label}'s answer ended without its end marker", provider=provider.name)
    if raise_unexpected() and isinstance(item, BaseException):
        raise item
    # A bug or an unexpected library error in a provider: fall back rather than crash the app.
    return ProviderError(f"{provider.label} failed unexpectedly: {type(item).__name__}: {item}", provider=provider.name)
