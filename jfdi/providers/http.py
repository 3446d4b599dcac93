"""What the HTTP providers share: timeouts, status-code to typed-error mapping, retry-after."""

from __future__ import annotations

import email.utils
import json
import threading
import time
from typing import Callable, Mapping

import httpx

from ..errors import (
    AuthError,
    BadRequest,
    ContextTooLong,
    ModelNotFound,
    Overloaded,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimited,
    TruncatedStream,
)
from .base import Provider

CONTEXT_MARKERS = ("context length", "context window", "too long", "maximum context", "too many tokens")


def timeouts(read_s: float) -> httpx.Timeout:
    # The read timeout bounds the wait for each chunk, so a server that hangs mid-answer
    # surfaces as a timeout instead of a thread blocked forever.
    return httpx.Timeout(connect=min(10.0, read_s), read=read_s, write=30.0, pool=10.0)


def parse_retry_after(headers: Mapping[str, str], now: Callable[[], float] = time.time) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def error_message(body: str) -> str:
    """The human part of an error body, whatever shape the service gave it."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip()[:300] or "(empty response)"
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            return str(err.get("message") or err.get("detail") or err)[:300]
        return str(err)[:300]
    return str(data)[:300]


def error_for_status(provider: str, status: int, body: str, headers: Mapping[str, str]) -> ProviderError:
    message = error_message(body)
    text = f"{provider} answered HTTP {status}: {message}"
    lowered = message.lower()
    if status in (401, 403):
        return AuthError(f"{text}. Check the API key.", provider=provider, status=status)
    if status == 429:
        return RateLimited(text, provider=provider, status=status, retry_after=parse_retry_after(headers))
    if status == 408:
        return ProviderTimeout(text, provider=provider, status=status)
    if status >= 500:
        return Overloaded(text, provider=provider, status=status)
    if status == 413 or any(marker in lowered for marker in CONTEXT_MARKERS):
        return ContextTooLong(text, provider=provider, status=status)
    if status == 404:
        return ModelNotFound(text, provider=provider, status=status)
    return BadRequest(text, provider=provider, status=status)


def transport_error(provider: str, exc: Exception, *, started: bool) -> ProviderError:
    """Map an httpx transport failure; after text has arrived a broken connection is a cut stream."""
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeout(f"{provider} did not answer in time ({type(exc).__name__})", provider=provider)
    if started:
        return TruncatedStream(f"{provider}'s stream broke off: {exc or type(exc).__name__}", provider=provider)
    if isinstance(exc, httpx.ConnectError):
        return ProviderUnreachable(f"cannot reach {provider}: {exc or 'connection refused'}", provider=provider)
    return ProviderConnectionError(f"connection to {provider} failed: {exc or type(exc).__name__}", provider=provider)


class HTTPProvider(Provider):
    """A provider that talks to its service with one httpx client, made on first use (or given,
    for tests) and shared by every request."""

    def __init__(self, timeout_s: float, client: httpx.Client | None = None):
        self._timeout = timeout_s
        self._client = client
        self._client_lock = threading.Lock()

    def client(self) -> httpx.Client:
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(timeout=timeouts(self._timeout))
            return self._client

    def prepare(self) -> None:
        self.client()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
