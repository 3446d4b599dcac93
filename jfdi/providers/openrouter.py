"""OpenRouter, and any OpenAI-compatible chat-completions server (vLLM, TGI, LM Studio,
Ollama's /v1), over httpx with SSE streaming."""

from __future__ import annotations

import json
import threading
from typing import Iterator

import httpx

from ..config import Settings
from ..errors import ProviderUnavailable, TruncatedStream, WrongEndpoint
from ..net import error_for_status, media_type, transport_error, web_page_error
from .base import Delta, Message, Request, Usage
from .http import HTTPProvider

REFERER = "https://jfdi.electronicpixelorchestra.com"
BASE_URL_FIX = "set OPENROUTER_BASE_URL to the API's address, ending in /v1 (https://openrouter.ai/api/v1)"


class OpenRouterProvider(HTTPProvider):
    name = "openrouter"
    label = "OpenRouter"
    runs_on = "OpenRouter, or your own OpenAI-compatible server"
    # OpenAI fits an image into 2048 x 2048 and then 768 pixels on the shorter side; other models
    # behind OpenRouter resize to their own size. 2000 (the prepared image) is within every one.
    image_long_edge = 2000
    image_max_bytes = 10_000_000

    def __init__(self, settings: Settings, client: httpx.Client | None = None):
        self.model = settings.openrouter_model
        self.base_url = settings.openrouter_base_url
        self._api_key = settings.openrouter_api_key
        super().__init__(settings.timeout_s, client, vision=settings.openrouter_vision)
        # OpenRouter serves models with large windows; a self-hosted server sets its own limit and
        # answers a too-long prompt with a 400 that becomes ContextTooLong.
        self.context_tokens = 200_000

    @property
    def is_openrouter(self) -> bool:
        return "openrouter.ai" in self.base_url

    def configured(self) -> bool:
        return bool(self._api_key)

    def setup_hint(self) -> str:
        return "set OPENROUTER_API_KEY (and OPENROUTER_BASE_URL for another OpenAI-compatible server)"

    def chat_message(self, message: Message) -> dict:
        if not message.images:
            return super().chat_message(message)
        parts = [{"type": "image_url", "image_url": {"url": image.data_uri()}} for image in self.fitted_images(message)]
        return {"role": message.role, "content": [*parts, {"type": "text", "text": message.content}]}

    def _body(self, request: Request) -> dict:
        body = {
            "model": self.model,
            "messages": self.chat_messages(request),
            "max_tokens": request.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if self.is_openrouter:
            body["usage"] = {"include": True}  # OpenRouter then reports the request's cost
        return body

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._api_key}",
            "HTTP-Referer": REFERER,
            "X-Title": "JFDI",
        }

    def stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        if not self.configured():
            raise ProviderUnavailable(f"{self.label} is not configured: {self.setup_hint()}", provider=self.name)
        started = False
        try:
            with self.client().stream(
                "POST", f"{self.base_url}/chat/completions", json=self._body(request), headers=self._headers()
            ) as response:
                if response.status_code != 200:
                    body = response.read().decode("utf-8", "replace")
                    raise error_for_status(self.name, self.label, response.status_code, body, response.headers,
                                           key_setting="OPENROUTER_API_KEY")
                wrong = web_page_error(self.name, self.label, self.base_url, BASE_URL_FIX, response.headers)
                if wrong:
                    raise wrong
                if media_type(response.headers) == "application/json":  # a server that does not stream
                    yield from self._whole_answer(response.read().decode("utf-8", "replace"))
                    return
                finish_reason = None
                done = False
                usage = Usage()
                for line in response.iter_lines():
                    if cancel.is_set():
                        return
                    if not line.startswith("data:"):
                        continue  # SSE comments (": OPENROUTER PROCESSING"), event names, blank lines
                    data = line[5:].strip()
                    if data == "[DONE]":
                        done = True
                        break
                    chunk = self.read_event(data)
                    if "error" in chunk:
                        raise error_for_status(self.name, self.label, _error_status(chunk["error"]), json.dumps(chunk), {})
                    if chunk.get("usage"):
                        usage = _usage(chunk["usage"])
                    for choice in chunk.get("choices") or ():
                        text = (choice.get("delta") or {}).get("content") or ""
                        if text:
                            started = True
                            yield Delta(text=text)
                        finish_reason = choice.get("finish_reason") or finish_reason
                if finish_reason == "error":
                    raise TruncatedStream(f"{self.label} reported an error mid-answer", provider=self.name)
                if not (finish_reason or done):
                    raise TruncatedStream(f"{self.label}'s stream ended before the answer was finished", provider=self.name)
                yield Delta(stop_reason=finish_reason or "stop", usage=usage)
        except httpx.HTTPError as exc:
            raise transport_error(self.label, exc, started=started) from exc

    def _whole_answer(self, body: str) -> Iterator[Delta]:
        document = self.read_event(body)
        if "error" in document:
            raise error_for_status(self.name, self.label, _error_status(document["error"]), body, {})
        choices = document.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise WrongEndpoint(f"{self.label} at {self.base_url} answered with JSON that is not a chat completion: "
                                f"{BASE_URL_FIX}", provider=self.name)
        text = (choices[0].get("message") or {}).get("content") or ""
        if text:
            yield Delta(text=text)
        yield Delta(stop_reason=choices[0].get("finish_reason") or "stop", usage=_usage(document.get("usage") or {}))


def _error_status(error: object) -> int:
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) and 400 <= code < 600 else 502


def _usage(data: dict) -> Usage:
    def number(key: str) -> int | None:
        value = data.get(key)
        return int(value) if isinstance(value, (int, float)) else None

    cost = data.get("cost")
    return Usage(
        input_tokens=number("prompt_tokens"),
        output_tokens=number("completion_tokens"),
        cost_usd=float(cost) if isinstance(cost, (int, float)) else None,
    )
