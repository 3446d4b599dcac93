"""The engine the UI and the CLI share: build the request, run the router, keep the log."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Mapping, Sequence

from .config import Settings, raise_unexpected
from .documents.describe import ImageDescriber
from .errors import BadInput, ProviderError
from .generation import Generation, Run
from .images.store import ImageStore
from .prompts import Reference, Turn, build_request
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
    ):
        self.settings = settings
        self.providers = dict(providers) if providers is not None else PROVIDERS.build(settings)
        # Images given with requests, kept once by content hash, and their text for providers that cannot see.
        self.images = ImageStore(settings.data_dir / "images")
        self.describer = describer or ImageDescriber(settings, self.images)
        self.router = router or Router(
            self.providers, settings.providers, timeout_s=settings.timeout_s, describe=self._image_text
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
    ) -> Run:
        """Start a generation. Bad input raises BadInput here, before any provider is called;
        iterating the returned Run streams the router's events and ends with Finished.
        `documents` is what the log keeps about the documents behind `references`
        (Document.metadata(): name, sha256, engines, pages). `images` (jfdi.images.load_images)
        go with this request and are kept in the image store; the log refers to them by hash."""
        if not prompt or not prompt.strip():
            raise BadInput(f'the prompt is empty: say what to build, e.g. "{EXAMPLE_PROMPT}"')
        try:
            prompt.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8, or JSON's "\udce9"
            raise BadInput("the prompt is not valid Unicode text: send it as UTF-8") from None
        self.router.chain(provider)  # an unknown provider is bad input, not a failed generation
        request = build_request(
            prompt,
            history=history,
            current_files=current_files,
            references=references,
            max_tokens=self.settings.max_tokens,
            images=images,
        )
        for image in images:
            self.images.put(image)
        gen = Generation(
            prompt=prompt.strip(),
            provider_requested=provider,
            workspace=workspace or "default",
            parent_id=parent_id,
            conversation=[_turn_record(t.prompt, t.answer, t.images) for t in history],
            documents=[dict(d) for d in documents],
            images=[image.metadata() for image in images],
        )
        cancel = cancel or threading.Event()
        return Run(gen, self.router.run(request, provider, cancel), cancel, finish=self._finish)

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


def _turn_record(prompt: str, answer: str, images: Sequence[str]) -> dict:
    """A turn as the log keeps it; `images` (sha256 of the images given with it) only when there were some."""
    return {"prompt": prompt, "answer": answer, **({"images": list(images)} if images else {})}
