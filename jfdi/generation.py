"""A generation: one request from a user and everything that happened while answering it.

The router fills it in as it goes (text, attempts, timing, usage); the store saves it whole; the
UI and CLI read their status lines from it. Events are what the router yields along the way."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .code import Extracted, extract_code

STATUSES = ("running", "ok", "error", "stopped")


@dataclass
class Attempt:
    provider: str
    model: str
    outcome: str = "running"  # ok | error | skipped | stopped
    error: str = ""
    ttft_s: float | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "provider": self.provider,
            "model": self.model,
            "outcome": self.outcome,
            "error": self.error or None,
            "ttft_s": _round(self.ttft_s),
            "seconds": _round(self.seconds),
        }


@dataclass
class Generation:
    prompt: str
    provider_requested: str = "auto"
    workspace: str = "default"
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = field(default_factory=lambda: now_iso())
    text: str = ""
    provider: str | None = None
    model: str | None = None
    status: str = "running"
    error: str = ""
    stop_reason: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    ttft_s: float | None = None
    total_s: float | None = None
    # The conversation the request came from, so the history can reopen it: [{"prompt", "answer"}].
    conversation: list[dict] = field(default_factory=list)
    parent_id: str | None = None
    # The documents given as context: name, sha256, engines, pages (their text is in the prompt only).
    documents: list[dict] = field(default_factory=list)
    # What the preview found about the code: compile checks and runtime errors (jfdi/preview).
    checks: dict | None = None

    @property
    def extracted(self) -> Extracted:
        # Recomputed only when the text changed: the UI asks on every streamed chunk.
        cached = self.__dict__.get("_extracted")
        if cached is None or cached[0] is not self.text:
            cached = (self.text, extract_code(self.text))
            self.__dict__["_extracted"] = cached
        return cached[1]

    @property
    def code(self) -> str:
        return self.extracted.code

    def add_usage(self, input_tokens: int | None, output_tokens: int | None) -> None:
        if input_tokens is not None:
            self.input_tokens = (self.input_tokens or 0) + input_tokens
        if output_tokens is not None:
            self.output_tokens = (self.output_tokens or 0) + output_tokens

    def failure_summary(self) -> str:
        """One line per provider that was tried or skipped, and why it gave no answer."""
        lines = []
        for attempt in self.attempts:
            if attempt.outcome in ("error", "skipped"):
                lines.append(f"{attempt.provider}: {attempt.error}")
        return "\n".join(dict.fromkeys(lines))

    def summary(self) -> str:
        """The last line of `generate` on stderr, and the machine-readable status."""
        return (
            f"provider={self.provider or 'none'} model={self.model or 'none'} "
            f"attempts={sum(1 for a in self.attempts if a.outcome != 'skipped')} "
            f"ttft_s={_fmt(self.ttft_s)} total_s={_fmt(self.total_s)}"
        )

    def to_record(self) -> dict:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "workspace": self.workspace,
            "prompt": self.prompt,
            "provider_requested": self.provider_requested,
            "provider": self.provider,
            "model": self.model,
            "status": self.status,
            "error": self.error or None,
            "code": self.code,
            "raw": self.text,
            "stop_reason": self.stop_reason,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": self.cost_usd,
            "ttft_s": _round(self.ttft_s),
            "total_s": _round(self.total_s),
            "attempts": [a.as_dict() for a in self.attempts],
            "notices": list(self.notices),
            "conversation": list(self.conversation),
            "parent_id": self.parent_id,
            "documents": list(self.documents),
            "checks": self.checks,
        }


# Events the router yields while a generation runs.


@dataclass(frozen=True)
class AttemptStarted:
    provider: str
    label: str
    model: str
    continuing: bool = False


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class Replace:
    """The answer so far is replaced (a restart, or white space trimmed before a continuation)."""

    text: str


@dataclass(frozen=True)
class Notice:
    message: str
    # Progress from a provider (loading, queue position): shown while it lasts, not logged.
    transient: bool = False


@dataclass(frozen=True)
class Finished:
    generation: Generation


Event = AttemptStarted | TextDelta | Replace | Notice | Finished


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"

