"""Claude through the anthropic SDK, streaming raw Messages API events.

The SDK's own retries are off: the router owns retries and fallback, and two retry loops would
multiply the wait. The SDK returns a stream that stops early without raising, so a stream that
ends without `message_stop` is reported as truncated here."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Iterator

from ..config import Settings
from ..errors import (
    AuthError,
    BadRequest,
    ContextTooLong,
    MalformedResponse,
    ModelNotFound,
    Overloaded,
    PrefillRefused,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    ProviderUnreachable,
    RateLimited,
    TruncatedStream,
)
from ..net import error_class, error_message, parse_retry_after, timeout_parts, web_page_error
from .base import Delta, Message, Provider, Request, Usage

if TYPE_CHECKING:
    import anthropic

BASE_URL_FIX = "unset ANTHROPIC_BASE_URL for Anthropic's API, or set it to your gateway's address"

# Error types Anthropic sends in `error` events and bodies, to our typed errors.
_ERROR_TYPES: dict[str, type[ProviderError]] = {
    "overloaded_error": Overloaded,
    "api_error": Overloaded,
    "rate_limit_error": RateLimited,
    "authentication_error": AuthError,
    "permission_error": AuthError,
    "invalid_request_error": BadRequest,
    "not_found_error": ModelNotFound,
    "request_too_large": ContextTooLong,
    "timeout_error": ProviderTimeout,
}


class ClaudeProvider(Provider):
    name = "claude"
    label = "Claude"
    runs_on = "Anthropic's cloud"
    supports_prefill = True  # until a model refuses it (newer ones answer prefill with a 400)
    context_tokens = 1_000_000
    # Anthropic resizes anything larger to 1568 pixels on the longer side, and refuses an image
    # over 5 MB as base64 (3.75 MB of bytes).
    image_long_edge = 1568
    image_max_bytes = 3_750_000

    def __init__(self, settings: Settings, client: "anthropic.Anthropic | None" = None):
        self.model = settings.claude_model
        self._api_key = settings.anthropic_api_key
        self._base_url = settings.anthropic_base_url
        self._timeout = settings.timeout_s
        self._client = client
        self._lock = threading.Lock()

    def configured(self) -> bool:
        return bool(self._api_key) or self._client is not None

    def setup_hint(self) -> str:
        return "set ANTHROPIC_API_KEY"

    @property
    def sees_images(self) -> bool:
        return True  # every Claude model since Claude 3

    def client(self) -> "anthropic.Anthropic":
        with self._lock:
            if self._client is None:
                try:
                    import anthropic
                    import httpx2
                except ImportError as exc:
                    raise ProviderUnavailable(f"the anthropic SDK is missing ({exc}): pip install anthropic", provider=self.name) from exc

                self._client = anthropic.Anthropic(
                    api_key=self._api_key,
                    base_url=self._base_url,
                    max_retries=0,
                    timeout=httpx2.Timeout(**timeout_parts(self._timeout)),
                )
            return self._client

    def prepare(self) -> None:
        # Importing the SDK takes seconds (thousands of pydantic models): the app does it while it
        # starts (Engine.prepare), so that the first request does not wait for it.
        self.client()

    def prepared(self) -> bool:
        return self._client is not None

    def _params(self, request: Request) -> dict[str, Any]:
        messages = [{"role": m.role, "content": self._content(m)} for m in request.messages]
        if request.partial:
            # The API rejects a final assistant turn that ends in white space.
            messages.append({"role": "assistant", "content": request.partial.rstrip()})
        # No sampling parameters: current Claude models reject non-default temperature and top_p.
        return {"model": self.model, "max_tokens": request.max_tokens, "system": request.system, "messages": messages}

    def _content(self, message: Message) -> str | list[dict[str, Any]]:
        """Text alone, or the images as base64 blocks before it (as Anthropic advises)."""
        if not message.images:
            return message.content
        blocks: list[dict[str, Any]] = [
            {"type": "image", "source": {"type": "base64", "media_type": image.media_type, "data": image.base64()}}
            for image in self.fitted_images(message)
        ]
        return blocks + [{"type": "text", "text": message.content}]

    def stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        if not self.configured():
            raise ProviderUnavailable(f"Claude is not configured: {self.setup_hint()}", provider=self.name)
        try:
            yield from self._stream(request, cancel)
        except BadRequest as exc:
            if not request.partial or isinstance(exc, ContextTooLong):
                raise
            # Learnt once for the process: from now on the router asks with an instruction.
            self.supports_prefill = False
            raise PrefillRefused(f"{self.model} does not continue a partial answer: {exc}", provider=self.name) from exc

    def _stream(self, request: Request, cancel: threading.Event) -> Iterator[Delta]:
        import anthropic
        import httpx2

        started = False
        stopped = False
        stop_reason = None
        usage: dict[str, int | None] = {"input_tokens": None, "output_tokens": None}
        try:
            events = self.client().messages.create(stream=True, **self._params(request))
            with events:
                wrong = web_page_error(self.name, self.label, str(self.client().base_url), BASE_URL_FIX, events.response.headers)
                if wrong:
                    raise wrong
                for event in events:
                    if cancel.is_set():
                        return
                    kind = getattr(event, "type", None)
                    if kind == "message_start":
                        usage["input_tokens"] = getattr(event.message.usage, "input_tokens", None)
                    elif kind == "content_block_delta":
                        text = getattr(event.delta, "text", None)
                        if text:
                            started = True
                            yield Delta(text=text)
                    elif kind == "message_delta":
                        stop_reason = getattr(event.delta, "stop_reason", None) or stop_reason
                        usage["output_tokens"] = getattr(event.usage, "output_tokens", None)
                    elif kind == "message_stop":
                        stopped = True
        except anthropic.APIStatusError as exc:
            raise _status_error(exc, started) from exc
        except anthropic.APITimeoutError as exc:
            raise ProviderTimeout(f"Claude did not answer within {self._timeout:g} s", provider=self.name) from exc
        except anthropic.APIConnectionError as exc:
            cause = exc.__cause__
            if started:  # the SDK (2.17) wraps a connection dropped mid-answer too
                raise TruncatedStream(f"Claude's stream broke off: {cause or exc}", provider=self.name) from exc
            if isinstance(cause, httpx2.ConnectError):
                raise ProviderUnreachable(f"cannot reach Claude at {self.client().base_url}: {cause}", provider=self.name) from exc
            raise ProviderConnectionError(f"connection to Claude failed: {cause or exc}", provider=self.name) from exc
        except httpx2.TransportError as exc:
            raise TruncatedStream(f"Claude's stream broke off: {exc or type(exc).__name__}", provider=self.name) from exc
        except (ValueError, anthropic.APIResponseValidationError) as exc:
            raise MalformedResponse(f"Claude sent an event that could not be read: {exc}", provider=self.name) from exc
        if not stopped:
            raise TruncatedStream("Claude's stream ended without message_stop", provider=self.name)
        yield Delta(stop_reason=stop_reason or "end_turn", usage=Usage(**usage))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _status_error(exc: "anthropic.APIStatusError", started: bool) -> ProviderError:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    message = str(error.get("message") or error_message(exc.response.text))
    status = exc.status_code
    # An `error` event mid-stream arrives on a 200 response: its type says what happened.
    cls = _ERROR_TYPES.get(str(error.get("type"))) or error_class(status, message)
    if cls is BadRequest:
        cls = error_class(400, message)  # "prompt is too long" arrives as invalid_request_error
    if started and cls in (Overloaded, ProviderTimeout):
        cls = TruncatedStream
    text = f"Claude answered {status}: {message}" if status != 200 else f"Claude: {message}"
    if cls is RateLimited:
        return RateLimited(text, provider="claude", status=status, retry_after=parse_retry_after(exc.response.headers))
    if cls is AuthError:
        text = f"{text.rstrip('.')}. Check ANTHROPIC_API_KEY."
    return cls(text, provider="claude", status=status)
