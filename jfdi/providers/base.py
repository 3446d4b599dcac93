"""The one interface every provider implements: `stream(request, cancel)` yields `Delta`s.

A provider yields text deltas as they arrive, optional notices (loading, queue position) while
it has no text yet, and ends with exactly one final delta that carries `stop_reason` and usage.
A stream that ends without that final delta was cut off: providers raise TruncatedStream
themselves, and the router treats a missing final delta the same way."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import ClassVar, Iterator

from ..images.part import ImagePart
from ..pricing import list_price

# How each service says an answer stopped at the token limit: Claude's stop_reason, the OpenAI-style
# finish_reason, Ollama's done_reason and the local provider all use one of these spellings.
TOKEN_LIMIT_STOPS = frozenset({"max_tokens", "length"})


def hit_token_limit(stop_reason: str | None) -> bool:
    """Whether an answer that ended for `stop_reason` was cut off by the token limit."""
    return stop_reason in TOKEN_LIMIT_STOPS


@dataclass(frozen=True)
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None
    # Some services (OpenRouter) report what a request cost; others leave it to the price table.
    cost_usd: float | None = None


@dataclass(frozen=True)
class Delta:
    text: str = ""
    notice: str = ""
    stop_reason: str | None = None
    usage: Usage | None = None

    @property
    def final(self) -> bool:
        return self.stop_reason is not None


@dataclass(frozen=True)
class Message:
    role: str  # "user" | "assistant"
    content: str
    # Images the message shows (jfdi.images.prepare_image makes them), sent before its text. A
    # provider that cannot see never receives them: the router replaces them with their text.
    images: tuple[ImagePart, ...] = ()


@dataclass(frozen=True)
class Request:
    system: str
    messages: tuple[Message, ...]
    max_tokens: int = 8192
    # Text already shown to the user by an attempt that broke off: the provider continues it.
    partial: str = ""

    @property
    def images(self) -> tuple[ImagePart, ...]:
        return tuple(image for message in self.messages for image in message.images)


@dataclass(frozen=True)
class ProviderStatus:
    name: str
    label: str
    configured: bool
    available: bool
    model: str
    state: str  # not configured | configured | loading | ready | unavailable | cooling down
    detail: str = ""
    extra: dict = field(default_factory=dict)
    vision: bool = False  # the configured model sees images (else it is given their text)

    def as_dict(self) -> dict:
        record = asdict(self)
        extra = record.pop("extra")
        return {**record, **extra}


class Provider(ABC):
    """A provider class is the one place that says what it is: its name (in settings, the CLI, the
    API and the log), its label (in the UI), where it runs, and whether it costs per token. The
    registry (jfdi/providers/__init__.py) lists the classes; everything else reads from them."""

    name: ClassVar[str]
    label: ClassVar[str]
    runs_on: ClassVar[str] = ""
    free: ClassVar[bool] = False  # runs on hardware the user owns: no cost per token
    # Whether the API continues a trailing assistant message (prefill). The router asks the others
    # with an explicit instruction instead (prompts.continuation_request). A provider that finds
    # out otherwise at run time sets it on its instance and raises PrefillRefused.
    supports_prefill: bool = False

    model: str
    context_tokens: int = 32768
    # How large an image the service takes (longer side in pixels, bytes): images are fitted to it.
    image_long_edge: ClassVar[int] = 1568
    image_max_bytes: ClassVar[int] = 10_000_000

    @abstractmethod
    def configured(self) -> bool:
        """Whether it can be tried at all, decided without a network call."""

    @abstractmethod
    def stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        """Yield deltas; raise a ProviderError subclass on failure."""

    def status(self) -> ProviderStatus:
        ok = self.configured()
        return ProviderStatus(
            name=self.name,
            label=self.label,
            configured=ok,
            available=ok,
            model=self.model,
            state="configured" if ok else "not configured",
            detail="" if ok else self.setup_hint(),
        )

    def probe(self) -> ProviderStatus:
        """Status, with a quick check against the service where one is cheap. Defaults to status()."""
        return self.status()

    def setup_hint(self) -> str:
        return ""

    @property
    def sees_images(self) -> bool:
        """Whether the configured model takes images; the router gives the others their text."""
        return False

    def fitted_images(self, message: Message) -> list[ImagePart]:
        """The message's images within this service's limits (made once per image and limit)."""
        from ..images.prepare import fit

        return [fit(image, self.image_long_edge, self.image_max_bytes) for image in message.images]

    def cost(self, usage: Usage) -> float | None:
        """What a request cost in USD: the service's own figure where it reports one (OpenRouter),
        nothing on the user's own hardware, else the list price; None when not known."""
        if usage.cost_usd is not None:
            return usage.cost_usd
        if self.free:
            return 0.0
        return list_price(self.model, usage.input_tokens, usage.output_tokens)

    def count_tokens(self, text: str) -> int:
        # Code and prose average about 3.5 characters per token across the providers' tokenizers;
        # rounding up keeps context trimming on the safe side.
        return len(text) * 2 // 7 + 1

    def prepare(self) -> None:
        """One-time set-up before the first request (importing an SDK, making a client). The app
        starts it for every configured provider while it starts up itself (Engine.prepare); the
        router calls it too, before starting the clock on the time to the first token."""

    def prepared(self) -> bool:
        """Whether `prepare` has nothing left to do: a request need not wait for it."""
        return True

    def warm_up(self) -> None:
        """Start slow preparation (loading weights) in the background; returns at once."""

    def close(self) -> None:
        """Release clients and threads."""
