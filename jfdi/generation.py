"""A generation: one request from a user and everything that happened while answering it.

The router yields events as it works (text, attempts, usage, notices, the outcome); a `Run` is
the one thing that applies them to the `Generation` record, times it, and hands it over to be
logged when it ends, however it ends. The UI and the CLI read their status lines from the record."""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterator

from .code import answer_files
from .preview.provided import provided_for
from .project import Answer, Files, main_code, with_jfdi_files
from .providers.base import hit_token_limit


@dataclass
class Attempt:
    provider: str
    model: str
    outcome: str = "running"  # ok | error | skipped | stopped
    error: str = ""
    ttft_s: float | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict:
        record = asdict(self)
        record.update(error=self.error or None, ttft_s=rounded(self.ttft_s), seconds=rounded(self.seconds))
        return record


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
    status: str = "running"  # running | ok | error | stopped
    error: str = ""
    stop_reason: str | None = None
    # Rounds in which the answer, cut off at the token limit, was continued by the same provider.
    continues: int = 0
    attempts: list[Attempt] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    ttft_s: float | None = None
    total_s: float | None = None
    # The conversation the request came from, so the history can reopen it: [{"prompt", "answer",
    # "images" (sha256, when the turn had some)}].
    conversation: list[dict] = field(default_factory=list)
    parent_id: str | None = None
    # The generation is a version of a conversation's project (jfdi/versions.py): which
    # conversation (its first version's id; empty: this one starts it) and how it was made.
    conversation_id: str = ""
    kind: str = "answer"
    # The documents given as context: name, sha256, engines, pages (their text is in the prompt only).
    documents: list[dict] = field(default_factory=list)
    # The images given with the request (ImagePart.metadata()); the files are in the image store.
    images: list[dict] = field(default_factory=list)
    # What the preview found about the code: compile checks and runtime errors (jfdi/preview).
    checks: dict | None = None
    # The project, {path: content} (jfdi/project.py): kept by the Run when it ends; until then
    # `current_files` reads it from the answer so far.
    files: Files = field(default_factory=dict)
    # A follow-up's current code: the files the answer changes (not logged: the parent has them).
    base_files: Files = field(default_factory=dict)
    # How a follow-up's answer was used (jfdi/edits/follow_up.py edit_record); None for a new one.
    edit: dict | None = None
    # The user's data as modules ({path: text}, jfdi/documents/module.py): added by JFDI to the
    # answer's files, never written by the model.
    data: Files = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.conversation_id = self.conversation_id or self.id

    @property
    def answer(self) -> Answer:
        """The project in the answer so far, with the data modules and the modules of JFDI's own
        it imports (jfdi/preview/provided.py) once it has code of its own. Recomputed only when
        the text changed: the UI asks on every streamed chunk."""
        cached = self.__dict__.get("_answer")
        if cached is None or cached[0] is not self.text:
            found = answer_files(self.text)
            if found.files:
                files, notices = with_jfdi_files(found.files, {**self.data, **provided_for(found.files)})
                found = Answer(files, found.notices + notices, found.error)
            cached = (self.text, found)
            self.__dict__["_answer"] = cached
        return cached[1]

    @property
    def current_files(self) -> Files:
        """The files: as kept when the run ended, else as the answer has them (so far). A
        follow-up's answer (edit blocks, or whole files) applies once it is final: until then the
        files are its current code, and the chat shows the answer as it streams."""
        return self.files or self.base_files or self.answer.files

    @property
    def incomplete(self) -> bool:
        """Still cut off at the token limit when the continuations ran out: its code is not whole."""
        return is_incomplete(self.status, self.stop_reason)

    @property
    def code(self) -> str:
        """The entry file's code (the CLI's stdout, /generate's code); found again only when the
        files changed (/generate asks on every streamed chunk)."""
        files = self.current_files
        cached = self.__dict__.get("_code")
        if cached is None or cached[0] is not files:
            cached = (files, main_code(files))
            self.__dict__["_code"] = cached
        return cached[1]

    def summary(self) -> str:
        """The last line of `generate` on stderr, and the machine-readable status."""
        return (
            f"provider={self.provider or 'none'} model={self.model or 'none'} "
            f"attempts={sum(1 for a in self.attempts if a.outcome != 'skipped')} "
            f"ttft_s={_fmt(self.ttft_s)} total_s={_fmt(self.total_s)} continues={self.continues} "
            f"edit={self.edit['mode'] if self.edit else 'none'} files={len(self.current_files)}"
        )

    def to_record(self) -> dict:
        """What the log keeps: every field, the answer as `raw` with its code beside it."""
        record = asdict(self)
        del record["base_files"]
        del record["data"]  # in `files`
        record.update(
            raw=record.pop("text"),
            code=self.code,
            files=self.current_files,
            error=self.error or None,
            ttft_s=rounded(self.ttft_s),
            total_s=rounded(self.total_s),
            attempts=[a.as_dict() for a in self.attempts],
        )
        return record


# Events the router yields while it answers a request.


@dataclass(frozen=True)
class AttemptStarted:
    provider: str
    label: str
    model: str
    continuing: bool = False


@dataclass(frozen=True)
class AttemptEnded:
    """An attempt's outcome; a provider passed over without a call ends "skipped", unstarted."""

    provider: str
    model: str
    outcome: str  # ok | error | skipped | stopped
    error: str = ""
    ttft_s: float | None = None
    seconds: float = 0.0


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
class ContinuingAfterLimit:
    """The answer hit the provider's token limit; the same provider is asked to continue it
    (continuation `round` of at most `rounds`)."""

    provider: str
    label: str
    round: int
    rounds: int


@dataclass(frozen=True)
class UsageReported:
    input_tokens: int | None
    output_tokens: int | None
    cost_usd: float | None  # None: not known (a model without a list price)


@dataclass(frozen=True)
class Answered:
    """The answer is complete: who gave it and why it ended."""

    provider: str
    model: str
    stop_reason: str | None


@dataclass(frozen=True)
class Failed:
    """No provider produced an answer; `error` names each one and why."""

    error: str


@dataclass(frozen=True)
class Stopped:
    """The user pressed Stop; the partial answer is kept."""


@dataclass(frozen=True)
class Edited:
    """A follow-up's final answer applied to its current files: `files` is the new project, or
    the current one kept when the answer could not be used (`error` says why)."""

    files: Files
    edit: dict
    error: str = ""


@dataclass(frozen=True)
class Finished:
    generation: Generation


Event = (
    AttemptStarted | AttemptEnded | TextDelta | Replace | Notice | ContinuingAfterLimit | UsageReported | Answered | Failed
    | Stopped | Edited | Finished
)


class Run:
    """One generation in progress: iterate it for the router's events, then `Finished`. It is the
    only writer of its `generation`, and calls `finish` with it however the run ends: done,
    failed, stopped, or abandoned by a closed browser tab."""

    def __init__(
        self,
        generation: Generation,
        events: Iterator[Event],
        cancel: threading.Event,
        *,
        finish: Callable[[Generation], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.generation = generation
        self.cancel = cancel
        self._events = events
        self._finish = finish
        self._clock = clock
        self._started = 0.0

    def __iter__(self) -> Iterator[Event]:
        gen = self.generation
        self._started = self._clock()
        try:
            with closing(self._events) as events:
                for event in events:
                    self._apply(event)
                    yield event
        finally:
            gen.total_s = self._clock() - self._started
            self._keep_files()
            if gen.status == "running":  # the caller stopped listening
                gen.status = "stopped"
            for attempt in gen.attempts:
                if attempt.outcome == "running":
                    attempt.outcome = "stopped"
            if self._finish is not None:
                self._finish(gen)
        yield Finished(gen)

    def _apply(self, event: Event) -> None:
        gen = self.generation
        if isinstance(event, TextDelta):
            gen.text += event.text
            if gen.ttft_s is None:
                gen.ttft_s = self._clock() - self._started
        elif isinstance(event, Replace):
            gen.text = event.text
        elif isinstance(event, Notice):
            if not event.transient:
                gen.notices.append(event.message)
        elif isinstance(event, AttemptStarted):
            gen.attempts.append(Attempt(event.provider, event.model))
        elif isinstance(event, AttemptEnded):
            self._end_attempt(event)
        elif isinstance(event, UsageReported):
            if event.input_tokens is not None:
                gen.input_tokens = (gen.input_tokens or 0) + event.input_tokens
            if event.output_tokens is not None:
                gen.output_tokens = (gen.output_tokens or 0) + event.output_tokens
            if event.cost_usd is not None:
                gen.cost_usd = (gen.cost_usd or 0.0) + event.cost_usd
        elif isinstance(event, ContinuingAfterLimit):
            gen.continues = event.round
        elif isinstance(event, Answered):
            gen.status, gen.provider, gen.model, gen.stop_reason = "ok", event.provider, event.model, event.stop_reason
            if hit_token_limit(event.stop_reason):  # the continuations ran out: the code is not whole
                gen.status, gen.error = "error", cut_off_message(gen.continues)
        elif isinstance(event, Failed):
            gen.status, gen.error = "error", event.error
        elif isinstance(event, Stopped):
            gen.status = "stopped"
        elif isinstance(event, Edited):
            # The edited project with JFDI's files: this request's data modules, the modules its code
            # imports. The current code already held them, so replacing them is no news.
            gen.files, _ = with_jfdi_files(event.files, {**gen.data, **provided_for(event.files)})
            gen.edit = event.edit
            if event.error:
                gen.status, gen.error = "error", event.error

    def _keep_files(self) -> None:
        """The answer's files become the generation's; what was left out is noted, and an answer
        that cannot be a project (too many files, one too large) is an error."""
        gen = self.generation
        if gen.base_files:
            if gen.edit is None:  # no usable answer came (failed, stopped): the current code stays
                gen.files = dict(gen.base_files)
            return
        answer = gen.answer
        gen.files = answer.files
        gen.notices.extend(answer.notices)
        if answer.error and gen.status == "ok":
            gen.status, gen.error = "error", f"the answer cannot be used: {answer.error}"

    def _end_attempt(self, event: AttemptEnded) -> None:
        attempts = self.generation.attempts
        running = attempts[-1] if attempts and attempts[-1].outcome == "running" else None
        if running is None or running.provider != event.provider:
            running = Attempt(event.provider, event.model)
            attempts.append(running)
        running.outcome, running.error = event.outcome, event.error
        running.ttft_s, running.seconds = event.ttft_s, event.seconds


def is_incomplete(status: str, stop_reason: str | None) -> bool:
    """Whether a generation (or its logged record) ended cut off at the token limit."""
    return status == "error" and hit_token_limit(stop_reason)


def shown_status(record: dict) -> str:
    """A logged generation's status as a history list shows it: "incomplete" for one cut off at the
    token limit (logged as an error; `history --json` keeps the logged value)."""
    return "incomplete" if is_incomplete(record["status"], record.get("stop_reason")) else record["status"]


def cut_off_message(continues: int) -> str:
    """Why an answer still cut off at the token limit is not used as code."""
    rounds = f"after {continues} continuation{'s' if continues != 1 else ''}" if continues else "without a continuation"
    return (
        f"cut off at the token limit {rounds}: incomplete (raise JFDI_MAX_TOKENS or JFDI_MAX_CONTINUES, "
        "or ask for less at a time)"
    )


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def rounded(value: float | None) -> float | None:
    """Seconds and rates as the log and the benchmark keep them: to the millisecond."""
    return None if value is None else round(value, 3)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
