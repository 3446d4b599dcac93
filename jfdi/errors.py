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
    the others go straight to the next provider. `kind` is how status lines name it."""

    transient = False
    kind = "error"

    def __init_subclass__(cls, *, kind: str | None = None, transient: bool | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if kind is not None:
            cls.kind = kind
        if transient is not None:
            cls.transient = transient

    def __init__(self, message: str, *, provider: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status = status

    def __str__(self) -> str:
        return self.message


class ProviderConnectionError(ProviderError, kind="connection failed", transient=True):
    """The connection failed or dropped before an answer began."""


class ProviderUnreachable(ProviderConnectionError, kind="unreachable", transient=False):
    """Connection refused or host not found: nothing is listening, so a quick retry is wasted."""


class ProviderTimeout(ProviderError, kind="timed out", transient=True):
    """Nothing arrived within the time limit."""


class RateLimited(ProviderError, kind="rate limited", transient=True):
    """HTTP 429; `retry_after` is the service's own advice in seconds, when it gives one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Overloaded(ProviderError, kind="overloaded", transient=True):
    """5xx and Anthropic's 529."""


class AuthError(ProviderError, kind="authentication failed"):
    """A missing or wrong key: it does not fix itself."""


class BadRequest(ProviderError, kind="bad request"):
    """The service refused the request as it stands."""


class PrefillRefused(BadRequest, kind="prefill refused"):
    """The model will not continue a partial answer given as a trailing assistant message; the
    router asks it again with an instruction (the provider has learned not to be asked so)."""


class ContextTooLong(BadRequest, kind="prompt too long"):
    """The request does not fit the model's context."""


class ModelNotFound(BadRequest, kind="model not found"):
    """The service has no model of that name (not pulled, misspelt)."""


class WrongEndpoint(ProviderError, kind="not its API"):
    """The address answered, but not as the service does (a web page, a document instead of a
    stream): a setting points at the wrong place, which no retry fixes."""


class TruncatedStream(ProviderError, kind="stream cut off", transient=True):
    """The stream ended without the provider's end-of-answer marker."""


class MalformedResponse(ProviderError, kind="malformed response", transient=True):
    """The service sent something that is not its protocol."""


class ProviderUnavailable(ProviderError, kind="unavailable"):
    """Not configured, not loaded, or unable to run here (no GPU, path not found)."""


class TeamStoreError(JFDIError):
    """The team store (Convex) gave no answer: it is away, refused the call, or the call was wrong.
    This machine's journal still has everything it wrote."""


class UnknownVersion(BadInput):
    """A generation id that neither this machine's log nor the team's knows, or a version that
    cannot do what was asked of it (rerunning a version no model answered)."""
