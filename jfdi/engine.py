"""The engine the UI and the CLI share: build the request, run the router, keep the log."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Mapping, Sequence

from .config import Settings, raise_unexpected
from .documents.describe import ImageDescriber
from .documents.module import data_modules, describe_module
from .edits.follow_up import follow_up
from .edits.resolve import Parse
from .errors import BadInput, ProviderError, TeamStoreError
from .generation import Generation, Run
from .images.store import ImageStore
from .preview.provided import without_provided
from .project import MAX_DATA_BYTES, MAX_DATA_MODULES, Files, code_files, data_files
from .prompts import Reference, Turn, build_request, has_code
from .providers import PROVIDERS, ImagePart, Provider, ProviderStatus
from .router import Router
from .store import Store
from .store.team import Team

log = logging.getLogger(__name__)

EXAMPLE_PROMPT = "Build an inventory reorder form with validation"


class Engine:
    def __init__(
        self,
        settings: Settings,
        *,
        providers: Mapping[str, Provider] | None = None,
        store: Store | None = None,
        router: Router | None = None,
        team: Team | None = None,
        describer: ImageDescriber | None = None,
        parse: Parse | None = None,
    ):
        self.settings = settings
        # How a follow-up's result is parsed before it becomes the new version (syntax only).
        self.parse = parse or _syntax_check
        self.providers = dict(providers) if providers is not None else PROVIDERS.build(settings)
        # Images given with requests, kept once by content hash, and their text for providers that cannot see.
        self.images = ImageStore(settings.data_dir / "images")
        self.describer = describer or ImageDescriber(settings, self.images)
        self.router = router or Router(
            self.providers, settings.providers, timeout_s=settings.timeout_s, describe=self._image_text,
            max_continues=settings.max_continues,
        )
        self.store = store or Store(settings.db_path)
        # The team history on Convex; its background sync starts with warm_up (the app's launch).
        self.team = team or Team.from_settings(settings, self.store)

    def generate(
        self,
        prompt: str,
        *,
        provider: str = "auto",
        history: Sequence[Turn] = (),
        current_files: Mapping[str, str] | None = None,
        references: Sequence[Reference] = (),
        documents: Sequence[Mapping] = (),
        workspace: str = "default",
        cancel: threading.Event | None = None,
        parent_id: str | None = None,
        images: Sequence[ImagePart] = (),
        kind: str = "answer",
        conversation_id: str | None = None,
    ) -> Run:
        """Start a generation. Bad input raises BadInput here, before any provider is called;
        iterating the returned Run streams the router's events and ends with Finished.
        `documents` is what the log keeps about the documents behind `references`
        (Document.metadata(): name, sha256, engines, pages). `images` (jfdi.images.load_images)
        go with this request and are kept in the image store; the log refers to them by hash.
        The references' datasets, and the data modules among `current_files`, become the
        project's data modules: the model reads their types and a sample, the files get every row.
        The generation is a version (jfdi/versions.py) of `kind`, in `conversation_id`'s
        conversation: by default the parent's, or a new one without a parent."""
        if not prompt or not prompt.strip():
            raise BadInput(f'the prompt is empty: say what to build, e.g. "{EXAMPLE_PROMPT}"')
        try:
            prompt.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8, or JSON's "\udce9"
            raise BadInput("the prompt is not valid Unicode text: send it as UTF-8") from None
        self.router.chain(provider)  # an unknown provider is bad input, not a failed generation
        data, data_notices = _data_modules(references, current_files or {})
        request = build_request(
            prompt,
            history=history,
            current_files=without_provided(code_files(current_files or {})),
            references=references,
            max_tokens=self.settings.max_tokens,
            images=images,
            data=[describe_module(path, text) for path, text in data.items()],
        )
        for image in images:
            self.images.put(image)
        gen = Generation(
            prompt=prompt.strip(),
            provider_requested=provider,
            workspace=workspace or "default",
            parent_id=parent_id,
            kind=kind,
            conversation_id=conversation_id or self._conversation_of(parent_id),
            conversation=[_turn_record(t.prompt, t.answer, t.images) for t in history],
            documents=[dict(d) for d in documents],
            images=[image.metadata() for image in images],
            data=data,
            notices=list(data_notices),
        )
        cancel = cancel or threading.Event()
        if not has_code(current_files):
            return Run(gen, self.router.run(request, provider, cancel), cancel, finish=self._finish)
        # A follow-up: its answer (edit blocks or whole files) is applied to the current code once it is final.
        gen.base_files = dict(current_files)
        events = follow_up(lambda req, choice: self.router.run(req, choice, cancel), request, current_files, provider,
                           self.parse)
        return Run(gen, events, cancel, finish=self._finish)

    def parent(self, generation_id: str) -> dict:
        """The logged generation a follow-up continues (this machine's log, then the team's);
        BadInput when there is none with that id."""
        record = self.team.get((generation_id or "").strip())
        if record is None:
            raise BadInput(f"no generation {generation_id!r} in the log: `history --json` lists their ids")
        return record

    def follow_up(self, prompt: str, parent_id: str, **options) -> Run:
        """A follow-up to a logged generation: its files are the current code and its conversation
        continues; the new generation's parent is it, in its workspace unless `workspace` is given."""
        parent = self.parent(parent_id)
        turns = [t for t in parent["conversation"] if t.get("answer")]
        history = [Turn(t["prompt"], t["answer"], tuple(t.get("images") or ())) for t in turns]
        options.setdefault("workspace", parent["workspace"])
        return self.generate(prompt, history=history, current_files=parent["files"], parent_id=parent["id"], **options)

    def _conversation_of(self, parent_id: str | None) -> str:
        """The conversation a follow-up of `parent_id` continues; "" (a new one) when no log knows it."""
        try:
            parent = self.team.get(parent_id) if parent_id else None
        except TeamStoreError:
            parent = None
        return parent["conversation_id"] if parent else ""

    def _image_text(self, image: ImagePart) -> str:
        return self.describer.describe(image).text

    def keep_images(self, images: Sequence[ImagePart]) -> None:
        """Keep images given for a coming request, and when a provider in the routing order cannot
        see, start reading them as text now, so that it does not wait for OCR when its turn comes."""
        for image in images:
            self.images.put(image)
        if any(not p.sees_images for p in self.router.chain("auto") if p.configured()):
            self.describer.prefetch(images)

    def _finish(self, gen: Generation) -> None:
        if gen.status == "ok" and not gen.code.strip():
            gen.status, gen.error = "error", f"{gen.provider} answered without any code"
        gen.conversation.append(_turn_record(gen.prompt, gen.text, [image["sha256"] for image in gen.images]))
        self.save(gen)

    def save(self, gen: Generation) -> None:
        try:
            self.store.save(gen.to_record())
        except Exception:  # the answer matters more than its log entry; say so, keep going
            if raise_unexpected():
                raise
            log.exception("could not write generation %s to %s", gen.id, self.store.path)
            return
        self.team.wake()  # the push happens in the background: Convex never delays a generation

    def statuses(self, *, probe: bool = False) -> list[ProviderStatus]:
        """One status per provider, in routing order first; `probe` allows quick network checks."""
        names = list(dict.fromkeys([*self.router.order, *self.providers]))
        result = []
        for name in names:
            provider = self.providers[name]
            status = replace(provider.probe() if probe else provider.status(), vision=provider.sees_images)
            rest = self.router.cooldowns.remaining(name)
            if rest and status.configured:
                status = replace(
                    status, state="cooling down", available=False, detail=f"resting {rest:.0f} s after repeated failures"
                )
            result.append(status)
        return result

    def prepare(self) -> None:
        """Every configured provider's one-time set-up (importing an SDK, making its HTTP client),
        in routing order. The app runs it on a thread of its own while it imports Gradio and
        builds the page (jfdi/ui/launch.py). A set-up that fails is left for the router to meet
        and report."""
        for name in dict.fromkeys([*self.router.order, *self.providers]):
            provider = self.providers[name]
            if not provider.configured():
                continue
            try:
                provider.prepare()
            except ProviderError as exc:
                log.warning("%s could not be prepared: %s", provider.label, exc)

    def warm_up(self) -> None:
        """Start background work: slow preparation (the local model) for providers in the chain,
        and the sync of the log to Convex."""
        self.team.start()
        for name in self.router.order:
            provider = self.providers[name]
            if provider.configured():
                provider.warm_up()

    def close(self) -> None:
        self.team.close()
        for provider in self.providers.values():
            provider.close()
        self.store.close()


def _syntax_check(files: Files):
    from .preview.checks import default_checker

    return default_checker().check(files, syntax_only=True)


def _data_modules(references: Sequence[Reference], current_files: Mapping[str, str]) -> tuple[Files, list[str]]:
    """The data modules of a request: those the current project has, replaced by the ones its
    references' datasets make now; a notice for each module that could not hold every row, and
    for each left out because the project's data would pass MAX_DATA_BYTES or MAX_DATA_MODULES."""
    fresh: Files = {}
    notices = []
    for reference in references:
        for module in data_modules(reference.datasets, reference.name, taken=fresh):
            fresh[module.path] = module.text
            if module.notice:
                notices.append(module.notice)
    kept: Files = {}
    total = 0
    for path, text in {**data_files(current_files), **fresh}.items():
        size = len(text.encode())
        if total + size > MAX_DATA_BYTES or len(kept) == MAX_DATA_MODULES:
            notices.append(f"{path} was left out: a project holds at most {MAX_DATA_MODULES} data modules and "
                           f"{MAX_DATA_BYTES // 1_000_000} MB of data; attach fewer or smaller tables")
            continue
        kept[path] = text
        total += size
    return kept, notices


def _turn_record(prompt: str, answer: str, images: Sequence[str]) -> dict:
    """A turn as the log keeps it; `images` (sha256 of the images given with it) only when there were some."""
    return {"prompt": prompt, "answer": answer, **({"images": list(images)} if images else {})}
