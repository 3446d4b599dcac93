"""An in-process provider with a script queue, for router and engine tests (as in simonw/llm's
`enqueue()`): each call to stream() plays the next script."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Iterator

from jfdi.errors import ProviderError
from jfdi.providers.base import Delta, Provider, Request, Usage


@dataclass
class Script:
    chunks: list[str] = field(default_factory=list)
    error: ProviderError | BaseException | None = None  # raised after the chunks
    delay_s: float = 0.0  # before each chunk
    hang_s: float = 0.0  # silence before anything is sent
    final: bool = True  # False: the stream just ends, with no final delta
    usage: Usage | None = None
    stop_reason: str = "end_turn"  # "max_tokens": the answer hit the token limit
    notices: list[str] = field(default_factory=list)


class FakeProvider(Provider):
    def __init__(
        self,
        name: str = "fake",
        *,
        label: str | None = None,
        model: str = "fake-model",
        configured: bool = True,
        supports_prefill: bool = False,
        context_tokens: int = 100_000,
        vision: bool = False,
        prepare_s: float = 0.0,
    ):
        self.name = name
        self.label = label or name.title()
        self.model = model
        self._configured = configured
        self.supports_prefill = supports_prefill
        self.context_tokens = context_tokens
        self.vision = vision
        self.scripts: deque[Script] = deque()
        self.requests: list[Request] = []
        self.calls = 0
        self.cancelled = threading.Event()
        # A one-time set-up that takes this long (an SDK's import), done once by whoever calls first.
        self.prepare_s = prepare_s
        self._set_up = threading.Lock()
        self._prepared = threading.Event()
        if not prepare_s:
            self._prepared.set()

    def configured(self) -> bool:
        return self._configured

    @property
    def sees_images(self) -> bool:
        return self.vision

    def setup_hint(self) -> str:
        return f"set {self.name.upper()}_KEY"

    def prepare(self) -> None:
        with self._set_up:
            if not self._prepared.is_set():
                time.sleep(self.prepare_s)
                self._prepared.set()

    def prepared(self) -> bool:
        return self._prepared.is_set()

    def enqueue(self, *items: str | Script) -> "FakeProvider":
        for item in items:
            self.scripts.append(Script(chunks=_split(item)) if isinstance(item, str) else item)
        return self

    def stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        self.calls += 1
        self.requests.append(request)
        script = self.scripts.popleft() if self.scripts else Script(chunks=["export default function A() { return null }"])
        for notice in script.notices:
            yield Delta(notice=notice)
        if script.hang_s and cancel.wait(script.hang_s):
            self.cancelled.set()
            return
        for chunk in script.chunks:
            if script.delay_s and cancel.wait(script.delay_s):
                self.cancelled.set()
                return
            if cancel.is_set():
                self.cancelled.set()
                return
            yield Delta(text=chunk)
        if script.error is not None:
            raise script.error
        if script.final:
            yield Delta(stop_reason=script.stop_reason, usage=script.usage or Usage(10, len(script.chunks)))


def _split(text: str, size: int = 16) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
