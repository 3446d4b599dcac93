"""What the providers that speak JSON over HTTP share: one httpx client per provider, the
OpenAI-style message list, and reading one streamed JSON event."""

from __future__ import annotations

import json
import threading

import httpx

from ..errors import MalformedResponse
from ..net import timeouts
from .base import Message, Provider, Request
from .vision import sees_images


class HTTPProvider(Provider):
    """A provider that talks to its service with one httpx client, made on first use (or given,
    for tests) and shared by every request. Whether its model sees images is the vision table's
    answer, or the user's setting (`vision`: auto, on, off)."""

    def __init__(self, timeout_s: float, client: httpx.Client | None = None, *, vision: str = "auto"):
        self._timeout = timeout_s
        self._client = client
        self._client_lock = threading.Lock()
        self._vision = vision

    @property
    def sees_images(self) -> bool:
        return sees_images(self.model, self._vision)

    def client(self) -> httpx.Client:
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(timeout=timeouts(self._timeout))
            return self._client

    def prepare(self) -> None:
        self.client()

    def prepared(self) -> bool:
        return self._client is not None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def chat_messages(self, request: Request) -> list[dict]:
        """The request as a chat-completions message list, the system prompt first."""
        return [{"role": "system", "content": request.system}] + [self.chat_message(m) for m in request.messages]

    def chat_message(self, message: Message) -> dict:
        """One message in the service's format; each service puts images its own way."""
        return {"role": message.role, "content": message.content}

    def read_event(self, data: str) -> dict:
        """One streamed JSON object (an SSE data line, an NDJSON line); anything else is malformed."""
        try:
            event = json.loads(data)
        except ValueError:
            raise MalformedResponse(f"{self.label} sent an event that is not JSON: {data[:120]!r}", provider=self.name) from None
        if not isinstance(event, dict):
            raise MalformedResponse(f"{self.label} sent an unexpected event: {data[:120]!r}", provider=self.name)
        return event
