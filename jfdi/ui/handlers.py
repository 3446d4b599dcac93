"""What the UI's events do, as plain functions and generators over the engine.

Nothing here imports Gradio: each handler takes plain values and returns or yields a `View`
(or plain data), so the logic is tested without a server; jfdi/ui/app.py maps them onto
components. Per-browser state is a `ChatState`, kept by Gradio in a gr.State."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Sequence

from ..documents.parsing import Progress
from ..documents.session import Attachment, generation_context, parse_upload
from ..edits.diff import project_diff
from ..engine import Engine
from ..errors import BadInput, JFDIError, TeamStoreError
from ..generation import (
    AttemptStarted, ContinuingAfterLimit, Finished, Generation, Notice, Replace, Run, TextDelta, shown_status,
)
from ..images import MAX_IMAGES, ImagePart, load_images
from ..project import Files, main_code
from ..prompts import Turn
from ..providers import ProviderStatus
from ..services import Services
from . import render

RENDER_EVERY_S = 0.05  # coalesce chunks: a browser gains nothing from more than ~20 updates a second


def live_moments(run: Run) -> Iterator[str]:
    """Drive a run and say when its progress is worth showing, with what the status line says it
    is doing: the provider answering, or its progress while no text flows (preparing, loading, a
    queue position). Attempts and notices are shown at once, text at most every RENDER_EVERY_S:
    forty users streaming at once must not cost the server an update per chunk each. The final
    update is the caller's, after the last moment."""
    label = progress = after_limit = ""
    last = 0.0
    for event in run:
        if isinstance(event, Finished):
            return
        if isinstance(event, ContinuingAfterLimit):
            after_limit = f" after the token limit ({event.round} of {event.rounds})"
        elif isinstance(event, AttemptStarted):
            label = f"continuing on {event.label}{after_limit}" if event.continuing else event.label
            progress = after_limit = ""
        elif isinstance(event, Notice) and event.transient:
            progress = event.message  # shown until text flows
        elif isinstance(event, (TextDelta, Replace)):
            progress = ""
        now = time.monotonic()
        if isinstance(event, (AttemptStarted, Notice)) or now - last >= RENDER_EVERY_S:
            last = now
            yield progress or label


@dataclass(frozen=True)
class ChatState:
    """One browser session's conversation: (prompt, answer) turns, the workspace it writes to, and
    the documents attached to it (their parsed text, as the user may have edited it). `images` go
    with the next message; `turn_images` are the sha256 of the images each turn was sent with (as
    long as `turns` or shorter: a missing entry is a turn without images)."""

    turns: tuple[tuple[str, str], ...] = ()
    workspace: str = "default"
    generation_id: str | None = None
    attachments: tuple[Attachment, ...] = ()
    images: tuple[ImagePart, ...] = ()
    turn_images: tuple[tuple[str, ...], ...] = ()

    def images_of(self, turn: int) -> tuple[str, ...]:
        return self.turn_images[turn] if turn < len(self.turn_images) else ()

    def attachment(self, name: str) -> Attachment | None:
        return next((a for a in self.attachments if a.document.name == name), None)


def at_turns(state: ChatState, conversation: Sequence[dict], generation_id: str | None) -> ChatState:
    """`state` with a logged conversation's turns ([{prompt, answer, images}], as the log keeps
    them), on version `generation_id`; its documents and pending images stay."""
    answered = [t for t in conversation if t.get("answer")]
    return replace(state, turns=tuple((t["prompt"], t["answer"]) for t in answered), generation_id=generation_id,
                   turn_images=tuple(tuple(t.get("images") or ()) for t in answered))


@dataclass(frozen=True)
class View:
    chat: list[dict]
    files: Files  # the project in the code panel
    status: str
    state: ChatState
    prompt: str | None = ""  # None: leave the box as it is (the user may be typing the next message)
    running: bool = False
    # The files a follow-up changed (None: no follow-up to compare with): the Changes view diffs them.
    previous: Files | None = None

    @property
    def code(self) -> str:
        """The main file's code."""
        return main_code(self.files)

    @property
    def changes(self) -> str:
        """What the follow-up changed, as a unified diff ('' when there is nothing to compare)."""
        return project_diff(self.previous, self.files) if self.previous is not None else ""


@dataclass(frozen=True)
class BenchmarkView:
    table: list[list[str]] = field(default_factory=list)
    criteria: str = ""
    chart: str | None = None
    results: str | None = None
    message: str = ""


@dataclass
class Handlers:
    engine: Engine
    services: Services = field(init=False)
    _cancels: dict[str, threading.Event] = field(default_factory=dict)
    _cleared: set[threading.Event] = field(default_factory=set)  # runs whose page Clear emptied
    _held: set[str] = field(default_factory=set)  # sessions whose answer was asked for and is not over
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.services = Services(self.engine)

    @property
    def labels(self) -> dict[str, str]:
        return {name: p.label for name, p in self.engine.providers.items()}

    def generate(
        self, prompt: str, provider: str, state: ChatState, files: Files, session: str, parent_id: str | None = None,
        *, kind: str = "answer", conversation_id: str | None = None,
    ) -> Iterator[View]:
        """Stream one generation into the chat, the code panel and the status line.

        Follow-ups refine the current project: the code panel's files (edits included) and the
        earlier turns go into the request. The answer is a new version (jfdi/versions.py) of
        `kind`, made from `parent_id`: by default the conversation's current version."""
        prompt = (prompt or "").strip()
        files = files or {}  # a page that is still loading sends the code panel as null
        chat_before = self.chat(state)
        if not prompt:
            yield View(chat_before, files, "✍️ Type what you want to build first.", state)
            return
        cancel = threading.Event()
        with self._lock:
            self._cancels[session] = cancel
        try:
            references, documents = generation_context(state.attachments)
            try:
                run = self.engine.generate(
                    prompt,
                    provider=provider,
                    history=[Turn(p, a, state.images_of(n)) for n, (p, a) in enumerate(state.turns)],
                    current_files=files,
                    references=references,
                    documents=documents,
                    workspace=state.workspace,
                    cancel=cancel,
                    parent_id=parent_id or state.generation_id,
                    images=state.images,
                    kind=kind,
                    conversation_id=conversation_id,
                )
            except BadInput as exc:
                yield View(chat_before, files, f"❌ {exc}", state, prompt=prompt)
                return
            gen = run.generation
            started = time.monotonic()
            yield replace(self._live(chat_before, prompt, gen, files, "", started, state), prompt="")
            for doing in live_moments(run):
                if cancel not in self._cleared:
                    yield self._live(chat_before, prompt, gen, files, doing, started, state)
            # Clear pressed while it ran: the page was emptied, and this last update must keep it so.
            cleared = cancel in self._cleared
            yield self._cleared_view(state) if cleared else self._final(chat_before, prompt, gen, files, state)
        finally:
            with self._lock:
                if self._cancels.get(session) is cancel:
                    del self._cancels[session]
                    self._held.discard(session)  # its release too: a page closed mid-answer never sends it
                self._cleared.discard(cancel)

    def _live(self, chat_before, prompt, gen: Generation, files: Files, label, started, state) -> View:
        asked = render.user_message(prompt, self._paths(image.sha256 for image in state.images))
        chat = chat_before + [asked, {"role": "assistant", "content": render.chat_answer(gen.text)}]
        status = render.live_status(gen, label, time.monotonic() - started)
        return View(chat, gen.current_files or files, status, state, prompt=None, running=True)

    def _final(self, chat_before, prompt, gen: Generation, files: Files, state) -> View:
        status = render.final_status(gen, self.labels)
        if not gen.text:  # nothing came back: leave the conversation as it was, keep the prompt (and the images)
            return View(chat_before, files, status, state, prompt=prompt)
        turn_images = tuple(state.images_of(n) for n in range(len(state.turns))) + (tuple(i.sha256 for i in state.images),)
        new_state = replace(state, turns=state.turns + ((prompt, gen.text),), generation_id=gen.id, images=(),
                            turn_images=turn_images)
        previous = files if gen.edit is not None else None
        return View(self.chat(new_state), gen.files or files, status, new_state, prompt=None, previous=previous)

    def chat(self, state: ChatState) -> list[dict]:
        """The conversation as chat messages, each prompt with thumbnails of the images it was sent with."""
        return render.chat_messages(state.turns, [self._paths(state.images_of(n)) for n in range(len(state.turns))])

    def conversation(self, record: dict, workspace: str, status: str) -> View:
        """A logged generation as the session's conversation: its turns in the chat (with the images
        each was sent with), its files in the panel; the next prompt follows it up, in `workspace`."""
        return self.at_version(ChatState(workspace=workspace), record, status)

    def at_version(self, state: ChatState, record: dict, status: str) -> View:
        """The session moved to a logged version (jfdi/versions.py): its turns in the chat, its
        files in the panel; the documents and images waiting for the next message stay."""
        moved = at_turns(state, record["conversation"], record["id"])
        return View(self.chat(moved), record["files"], status, moved)

    def _paths(self, hashes) -> list[str]:
        """The files of kept images (an image given on another machine is not here: left out)."""
        return [str(path) for path in map(self.engine.images.path, hashes) if path is not None]

    def attach_images(self, paths: Sequence[str], state: ChatState) -> tuple[ChatState, str]:
        """Images for the next message. Each is checked and prepared now, so that a bad one is refused
        with the reason at once (the others are still attached), and kept; a text-only provider in the
        routing order starts reading them as text in the background."""
        images = list(state.images)
        lines = []
        for path in paths:
            name = Path(path).name
            if len(images) >= MAX_IMAGES:
                lines.append(f"❌ {name}: a message takes at most {MAX_IMAGES} images; send these first")
                continue
            try:
                image = load_images([path], max_upload_mb=self.engine.settings.max_upload_mb)[0]
            except BadInput as exc:
                lines.append(f"❌ {exc}")
                continue
            images = [i for i in images if i.sha256 != image.sha256] + [image]
            lines.append(f"🖼️ {name}: {image.width} × {image.height}, goes with your next message")
        added = tuple(images[len(state.images):])
        self.engine.keep_images(added)
        return replace(state, images=tuple(images)), "\n\n".join(lines)

    def remove_images(self, state: ChatState) -> ChatState:
        return replace(state, images=())

    def pending_thumbnails(self, state: ChatState) -> list[tuple[str, str]]:
        """(file, name) of the images that go with the next message, for the gallery."""
        return [(path, image.name) for image in state.images for path in self._paths([image.sha256])]

    def attach(self, paths: Sequence[str], state: ChatState, progress: Progress | None = None) -> tuple[ChatState, str]:
        """Parse uploaded files into the conversation's documents (a file of the same name is
        replaced). Returns the new state and what happened, a line per file: a bad file is
        refused with the reason and the others are still attached."""
        attachments = list(state.attachments)
        lines = []
        for path in paths:
            name = Path(path).name

            def report(done: int, total: int, message: str, name: str = name) -> None:
                if progress is not None:
                    progress(done, total, f"{name}: {message}")

            try:
                attachment = parse_upload(path, self.engine.settings, progress=report)
            except JFDIError as exc:  # a bad file, or an engine this machine cannot run
                lines.append(f"❌ {name}: {exc}")
                continue
            attachments = [a for a in attachments if a.document.name != attachment.document.name] + [attachment]
            lines.append(f"📎 {attachment.summary()}")
            lines += [f"⚠️ {warning}" for warning in attachment.document.warnings]
        return replace(state, attachments=tuple(attachments)), "\n\n".join(lines)

    def edit_attachment(self, state: ChatState, name: str, markdown: str) -> ChatState:
        """The user's edit of a document's text: that text is what the model will read."""
        found = state.attachment(name)
        if found is None or found.markdown == markdown:
            return state
        edited = tuple(a.edit(markdown) if a is found else a for a in state.attachments)
        return replace(state, attachments=edited)

    def remove_attachment(self, state: ChatState, name: str) -> ChatState:
        return replace(state, attachments=tuple(a for a in state.attachments if a.document.name != name))

    def answering(self, session: str) -> bool:
        """Whether an answer is on its way into this session (a generation, Fix, regenerate, rerun):
        streaming, or asked for (`hold`) and not yet over (`release`)."""
        with self._lock:
            return session in self._cancels or session in self._held

    def hold(self, session: str) -> None:
        with self._lock:
            self._held.add(session)

    def release(self, session: str) -> None:
        with self._lock:
            self._held.discard(session)

    def stop(self, session: str) -> bool:
        """Stop this session's running generation; the router closes the provider's stream."""
        with self._lock:
            cancel = self._cancels.get(session)
        if cancel is None:
            return False
        cancel.set()
        return True

    def clear(self, state: ChatState, session: str) -> View:
        with self._lock:
            cancel = self._cancels.get(session)
            if cancel is not None:
                self._cleared.add(cancel)
                cancel.set()
        return self._cleared_view(state)

    @staticmethod
    def _cleared_view(state: ChatState) -> View:
        return View([], {}, "", ChatState(workspace=state.workspace))  # documents go too: a fresh start

    def history(self, workspace: str | None = None, limit: int = 50) -> tuple[list[list[str]], list[str], str]:
        """Recent generations (the team's from Convex merged with this machine's), their ids, and
        a notice when only this machine's could be shown."""
        found = self.engine.team.history(limit=limit, workspace=workspace or None)
        return render.history_rows(found.rows), [r["id"] for r in found.rows], found.notice

    def open_generation(self, generation_id: str, state: ChatState) -> View:
        try:
            record = self.engine.team.get(generation_id)
        except TeamStoreError as exc:
            return View(self.chat(state), {}, f"❌ Could not load it from Convex: {exc}", state)
        if record is None:
            return View(self.chat(state), {}, "❌ That generation is no longer in the log.", state)
        when = record["created_at"].replace("T", " ")[:19]
        status = f"📂 Opened the generation of {when} ({record.get('provider') or 'no provider'}, {shown_status(record)})"
        if not record["files"]:  # say why the code panel is empty, rather than leave it to be guessed
            status += f": it produced no code ({record.get('error') or 'no answer'})"
        return self.conversation(record, record["workspace"], status)

    def workspaces(self) -> tuple[list[list[str]], list[str]]:
        """Workspace rows (name, status, created) and their names, oldest first."""
        items = self.engine.team.list_workspaces()
        return [[w.name, w.status, w.created_at.replace("T", " ")[:19]] for w in items], [w.name for w in items]

    def create_workspace(self, name: str) -> tuple[str, str | None]:
        """(message, the new workspace's name or None when the name was refused)."""
        try:
            workspace = self.engine.team.create_workspace(name)
        except BadInput as exc:
            return f"❌ {exc}", None
        return f"✅ Workspace **{workspace.name}** created; new generations go there.", workspace.name

    def sync_summary(self) -> str:
        return self.engine.team.sync_status().summary()

    def run_benchmark(
        self, providers: Sequence[str], prompt_ids: Sequence[str], repeat: int, progress: Progress | None = None,
        cancel: threading.Event | None = None, judge: str = "",
    ) -> BenchmarkView:
        """The benchmark suite on the app's own providers: the summary table, the criteria and the
        chart, and where the results were written. `judge`: a provider that scores each render."""
        try:
            result = self.services.run_benchmark(providers, prompt_ids, repeat, progress=progress, cancel=cancel, judge=judge)
        except BadInput as exc:
            return BenchmarkView(message=f"❌ {exc}")
        if not result.runs:
            return BenchmarkView(message="⏹ Stopped before the first run finished.")
        done = f"✅ {result.runs} run(s) in {result.folder}" + (" (stopped early)" if result.runs < result.planned else "")
        notes = [done, *result.notes]
        if judge:
            judged = sum(s.judged for s in result.summaries)
            costs = [s.judge_cost_usd for s in result.summaries if s.judge_cost_usd is not None]
            cost = f", ${sum(costs):.4f} (not in Cost)" if costs else ""
            notes.append(f"the judge scored {judged} of {result.runs} run(s){cost}")
        return BenchmarkView(render.benchmark_rows(result.summaries), result.criteria, str(result.chart), str(result.results),
                             " · ".join(notes))

    def api_generate(
        self, prompt: str, provider: str = "auto", parent_id: str = "", images: Sequence[str] = ()
    ) -> Iterator[tuple[str, str]]:
        """The /generate endpoint: (code so far, status line) as it streams; the last is final and
        ends with the generation's id. `parent_id`: a generation to follow up (its code is the code
        to change; empty: a new conversation). `images`: files of images to build from. A bad
        image or an unknown parent is BadInput, before anything runs."""
        for name, value in (("prompt", prompt), ("provider", provider), ("parent_id", parent_id)):
            if value is not None and not isinstance(value, str):  # an API client's JSON may be anything
                raise BadInput(f"the {name} must be text, not {type(value).__name__}")
        prepared = load_images(images, max_upload_mb=self.engine.settings.max_upload_mb)
        options = dict(provider=(provider or "auto").strip().lower(), images=prepared)
        if (parent_id or "").strip():
            run = self.engine.follow_up(prompt, parent_id.strip(), **options)
        else:
            run = self.engine.generate(prompt, **options)
        gen = run.generation
        started = time.monotonic()
        for doing in live_moments(run):
            yield gen.code, render.live_status(gen, doing, time.monotonic() - started)
        yield gen.code, f"{render.final_status(gen, self.labels)} · generation {gen.id}"

    def ollama_models(self) -> tuple[list[list[str]], str]:
        """The models the Ollama server has, as table rows, and a line saying where (or why not)."""
        try:
            models = self.services.ollama_models()
        except JFDIError as exc:
            return [], f"⚠️ {exc}"
        rows = [[m.name, m.size_label, m.parameter_size, m.quantization] for m in models]
        return rows, f"{len(rows)} model(s) on {self.engine.settings.ollama_host}"

    def pull_ollama_model(self, tag: str) -> Iterator[tuple[float | None, str]]:
        """Pull a model into Ollama (an empty box: the configured model, the box's placeholder):
        (fraction done or None, what is happening), to the end."""
        tag = (tag or "").strip() or self.engine.settings.ollama_model
        try:
            for progress in self.services.pull_ollama_model(tag):
                yield progress.fraction, f"⏳ {tag}: {progress.describe()}"
        except JFDIError as exc:
            yield None, f"❌ {exc}"
            return
        yield 1.0, f"✅ {tag} is ready"

    def api_status(self, statuses: Sequence[ProviderStatus] | None = None) -> list[dict]:
        return [s.as_dict() for s in (statuses if statuses is not None else self.engine.statuses())]
