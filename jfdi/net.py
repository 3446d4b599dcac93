"""What every HTTP client in JFDI shares, below the providers, the Ollama runtime and the Convex
client: timeouts, the human part of an error body, and HTTP status to typed provider error."""

from __future__ import annotations

import email.utils
import json
import re
import time
from typing import Callable, Mapping

import httpx

from .errors import (
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
    WrongEndpoint,
)

CONTEXT_MARKERS = ("context length", "context window", "too long", "maximum context", "too many tokens")


def timeout_parts(read_s: float) -> dict[str, float]:
    """Connect, read, write and pool limits for a streaming client. The read limit bounds the wait
    for each chunk, so a server that hangs mid-answer surfaces as a timeout instead of a thread
    blocked forever. Plain numbers: httpx and the anthropic SDK's httpx2 each build their own."""
    return {"connect": min(10.0, read_s), "read": read_s, "write": 30.0, "pool": 10.0}


def timeouts(read_s: float) -> httpx.Timeout:
    return httpx.Timeout(**timeout_parts(read_s))


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


_PAGE = re.compile(r"<(!doctype|html|head|body)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def error_message(body: str) -> str:
    """The human part of an error body, whatever shape the service gave it, on one line."""
    try:
        data = json.loads(body)
    except ValueError:
        return _page_text(body)[:300] or "(empty response)"
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            return str(err.get("message") or err.get("detail") or err)[:300]
        return str(err)[:300]
    return str(data)[:300]


def _page_text(body: str) -> str:
    """A proxy's or a web server's HTML error page as its title (else its text), plain text as is."""
    if _PAGE.search(body):
        title = _TITLE.search(body)
        body = title.group(1) if title else _TAG.sub(" ", body)
    return " ".join(body.split())


def media_type(headers: Mapping[str, str]) -> str:
    """The Content-Type without its parameters: "text/html; charset=utf-8" -> "text/html"."""
    return headers.get("content-type", "").split(";")[0].strip().lower()


def web_page_error(provider: str, label: str, url: str, fix: str, headers: Mapping[str, str]) -> WrongEndpoint | None:
    """A 200 that is a web page is not the service (a site's home page, a login portal): the
    address setting is wrong. `fix` says which setting and what it should hold."""
    if media_type(headers) != "text/html":
        return None
    return WrongEndpoint(f"{label} at {url} answered with a web page, not its API: {fix}", provider=provider)


def error_class(status: int, message: str) -> type[ProviderError]:
    """Which typed error an HTTP status (and the words of its message) means."""
    if status in (401, 403):
        return AuthError
    if status == 429:
        return RateLimited
    if status == 408:
        return ProviderTimeout
    if status >= 500:
        return Overloaded
    if status == 413 or any(marker in message.lower() for marker in CONTEXT_MARKERS):
        return ContextTooLong
    if status == 404:
        return ModelNotFound
    return BadRequest


def error_for_status(provider: str, label: str, status: int, body: str, headers: Mapping[str, str], *,
                     key_setting: str = "the API key") -> ProviderError:
    message = error_message(body)
    text = f"{label} answered HTTP {status}: {message}"
    cls = error_class(status, message)
    if cls is AuthError:
        return AuthError(f"{text.rstrip('.')}. Check {key_setting}.", provider=provider, status=status)
    if cls is RateLimited:
        return RateLimited(text, provider=provider, status=status, retry_after=parse_retry_after(headers))
    return cls(text, provider=provider, status=status)


def transport_error(provider: str, exc: Exception, *, started: bool) -> ProviderError:
    """Map an httpx transport failure; after text has arrived a broken connection is a cut stream."""
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeout(f"{provider} did not answer in time ({type(exc).__name__})", provider=provider)
    if started:
        return TruncatedStream(f"{provider}'s stream broke off: {exc or type(exc).__name__}", provider=provider)
    if isinstance(exc, httpx.ConnectError):
        return ProviderUnreachable(f"cannot reach {provider}: {exc or 'connection refused'}", provider=provider)
    return ProviderConnectionError(f"connection to {provider} failed: {exc or type(exc).__name__}", provider=provider)
