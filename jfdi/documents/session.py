"""What the chat panel needs around parse(): an uploaded document whose markdown the user can
edit before generating, and the context and log entries a generation takes from the uploads.

    attachment = parse_upload(path, settings, progress=lambda done, total, message: ...)
    attachment = attachment.edit(new_markdown)            # from the editable textbox
    references, documents = generation_context([attachment, ...])
    engine.generate(prompt, references=references, documents=documents)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Sequence

from ..config import Settings
from ..prompts import Reference
from .model import Document
from .parsing import Progress, parse


@dataclass(frozen=True)
class Attachment:
    document: Document
    markdown: str  # as shown to the user, edited or not (Document.context at first)

    @property
    def edited(self) -> bool:
        return self.markdown != self.document.context

    def edit(self, markdown: str) -> "Attachment":
        return replace(self, markdown=markdown)

    def summary(self) -> str:
        """One line for the panel, e.g. "po.pdf: 2 pages (text), 1 warning"."""
        pages = len(self.document.pages)
        line = f"{self.document.name}: {pages} page{'s' * (pages != 1)} ({', '.join(self.document.engines) or 'no text'})"
        warnings = len(self.document.warnings)
        return line + (f", {warnings} warning{'s' * (warnings != 1)}" if warnings else "") + (", edited" if self.edited else "")

    def reference(self) -> Reference:
        return self.document.as_reference(self.markdown)

    def metadata(self) -> dict:
        return {**self.document.metadata(), "edited": self.edited}


def parse_upload(
    path: str | os.PathLike, settings: Settings, progress: Progress | None = None, engine: str | None = None
) -> Attachment:
    """Parse an upload (DocumentError on bad input; EngineUnavailable when the engine cannot run)."""
    document = parse(path, engine=engine, settings=settings, progress=progress)
    return Attachment(document, document.context)


def generation_context(attachments: Sequence[Attachment]) -> tuple[list[Reference], list[dict]]:
    """The references for the prompt and the metadata for the log; an attachment whose markdown
    the user emptied is left out of both."""
    kept = [a for a in attachments if a.markdown.strip()]
    return [a.reference() for a in kept], [a.metadata() for a in kept]
