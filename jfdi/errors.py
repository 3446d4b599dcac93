"""Typed errors. Every message is written for the person at the keyboard: it says what went
wrong and, where there is something to do about it, what to do."""

from __future__ import annotations


class JFDIError(Exception):
    """Base of every error JFDI raises on purpose."""


class ConfigError(JFDIError):
    """A setting has a value JFDI cannot use."""


class BadInput(JFDIError):
    """The request itself is wrong (empty prompt, unknown provider, unreadable file)."""


class ProviderError(JFDIError):
    """A provider could not produce an answer.

    `transient` errors are worth one retry (the same request may succeed a moment later);
    the others go straight to the next provider."""

    transient = False
    kind = "error"

    def __init__(self, message: str, *, provider: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status = status

    def __str__(self) -> str:
        return self.message


class ProviderConnectionError(ProviderError):
    transient = True
    kind = "connection failed"


class ProviderUnreachable(ProviderConnectionError):
    """Connection refused or host not found: nothing is listening, so a quick retry is wasted."""

    transient = False
    kind = "unreachable"


class ProviderTimeout(ProviderError):
    transient = True
    kind = "timed out"


class RateLimited(ProviderError):
    transient = True
    kind = "rate limited"

    def __init__(self, message: str, *, retry_after: float | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Overloaded(ProviderError):
    """5xx and Anthropic's 529."""

    transient = True
    kind = "overloaded"


class AuthError(ProviderError):
    kind = "authentication failed"


class BadRequest(ProviderError):
    kind = "bad request"


class ContextTooLong(BadRequest):
    kind = "prompt too long"


class ModelNotFound(BadRequest):
    kind = "model not found"


class TruncatedStream(ProviderError):
    """The stream ended without the provider's end-of-answer marker."""

    transient = True
    kind = "stream cut off"


class MalformedResponse(ProviderError):
    transient = True
    kind = "malformed response"


class ProviderUnavailable(ProviderError):
    """Not configured, not loaded, or unable to run here (no GPU, path not found)."""

    kind = "unavailable"


class TeamStoreError(JFDIError):
    """The team store (Convex) gave no answer: it is away, refused the call, or the call was wrong.
    This machine's journal still has everything it wrote."""


class Cancelled(JFDIError):
    """The user stopped the generation."""
