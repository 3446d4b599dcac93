"""Ollama's native /api/chat, streamed as NDJSON over httpx."""

from __future__ import annotations

import json
import threading
from typing import Iterator

import httpx

from ..config import Settings
from ..errors import ModelNotFound, ProviderError, TruncatedStream
from ..net import error_for_status, error_message, transport_error, web_page_error
from ..ollama_runtime import OllamaError, has_model, list_models
from .base import Delta, Message, ProviderStatus, Request, Usage
from .http import HTTPProvider

# Seed-Coder's published decoding defaults, in Ollama's option names.
SEED_CODER_OPTIONS = {"temperature": 0.6, "top_p": 0.8, "repeat_penalty": 1.05}
HOST_FIX = "set OLLAMA_HOST to the Ollama server's address (http://127.0.0.1:11434 by default)"


class OllamaProvider(HTTPProvider):
    name = "ollama"
    label = "Ollama"
    runs_on = "an Ollama server"
    free = True
    # A local vision model's prompt grows with the pixels (Qwen2.5-VL: a token per 28 x 28 patch);
    # Claude's size reads a page and keeps the prompt within the window.
    image_long_edge = 1568

    def __init__(self, settings: Settings, client: httpx.Client | None = None):
        self.model = settings.ollama_model
        self.host = settings.ollama_host
        self.num_ctx = settings.ollama_num_ctx
        self.keep_alive = settings.ollama_keep_alive
        self.context_tokens = settings.ollama_num_ctx
        super().__init__(settings.timeout_s, client, vision=settings.ollama_vision)

    def configured(self) -> bool:
        return bool(self.host and self.model)

    def setup_hint(self) -> str:
        return "start Ollama (python start_ollama.py) and set OLLAMA_HOST / JFDI_OLLAMA_MODEL"

    def chat_message(self, message: Message) -> dict:
        entry = super().chat_message(message)
        if message.images:
            entry["images"] = [image.base64() for image in self.fitted_images(message)]  # bare base64, no data: URI
        return entry

    def pull_hint(self) -> str:
        return f"pull it with: ollama pull {self.model}  (or: python start_ollama.py --models {self.model})"

    def probe(self) -> ProviderStatus:
        """Ask the server which models it has (a short, bounded call)."""
        base = dict(name=self.name, label=self.label, configured=True, model=self.model)
        try:
            names = [m.name for m in list_models(self.host, client=self.client())]
        except OllamaError as exc:
            return ProviderStatus(**base, available=False, state="unavailable", detail=str(exc))
        if not has_model(names, self.model):
            return ProviderStatus(
                **base, available=False, state="unavailable",
                detail=f"model {self.model} is not pulled; {self.pull_hint()}", extra={"models": names},
            )
        return ProviderStatus(**base, available=True, state="ready", detail=f"server {self.host}", extra={"models": names})

    def _body(self, request: Request) -> dict:
        return {
            "model": self.model,
            "messages": self.chat_messages(request),
            "stream": True,
            "keep_alive": self.keep_alive,
            # Ollama's default window of 2048 tokens silently drops the start of long prompts.
            "options": {**SEED_CODER_OPTIONS, "num_ctx": self.num_ctx, "num_predict": request.max_tokens},
        }

    def stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        started = False
        try:
            with self.client().stream("POST", f"{self.host}/api/chat", json=self._body(request)) as response:
                if response.status_code != 200:
                    raise self._status_error(response)
                wrong = web_page_error(self.name, self.label, self.host, HOST_FIX, response.headers)
                if wrong:
                    raise wrong
                for line in response.iter_lines():
                    if cancel.is_set():
                        return
                    if not line.strip():
                        continue
                    chunk = self.read_event(line)
                    if "error" in chunk:
                        raise self._stream_error(str(chunk["error"]), started)
                    text = (chunk.get("message") or {}).get("content") or ""
                    if text:
                        started = True
                        yield Delta(text=text)
                    if chunk.get("done"):
                        yield Delta(
                            stop_reason=chunk.get("done_reason") or "stop",
                            usage=Usage(input_tokens=chunk.get("prompt_eval_count"), output_tokens=chunk.get("eval_count")),
                        )
                        return
                raise TruncatedStream("Ollama's stream ended before the answer was finished", provider=self.name)
        except httpx.HTTPError as exc:
            raise transport_error(f"Ollama at {self.host}", exc, started=started) from exc

    def _status_error(self, response: httpx.Response) -> ProviderError:
        body = response.read().decode("utf-8", "replace")
        if response.status_code == 404 and "not found" in body.lower():
            return ModelNotFound(
                f"Ollama has no model {self.model}: {error_message(body)}; {self.pull_hint()}",
                provider=self.name, status=404,
            )
        return error_for_status(self.name, self.label, response.status_code, body, response.headers)

    def _stream_error(self, message: str, started: bool) -> ProviderError:
        if "not found" in message.lower():
            return ModelNotFound(f"Ollama: {message}; {self.pull_hint()}", provider=self.name)
        if started:
            return TruncatedStream(f"Ollama stopped mid-answer: {message}", provider=self.name)
        return error_for_status(self.name, self.label, 500, json.dumps({"error": message}), {})
