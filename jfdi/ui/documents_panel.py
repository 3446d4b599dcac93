"""The documents a request is written from (purchase orders, BOMs, spec sheets): upload, pick,
read and correct their parsed text, remove. Layout and wiring; what happens is in Handlers."""

from __future__ import annotations

import gradio as gr

from ..documents import ACCEPTED_TYPES
from .handlers import ChatState, Handlers


class DocumentsPanel:
    """Render inside the layout, then `wire` it."""

    def __init__(self, handlers: Handlers):
        self.handlers = handlers

    def render(self) -> None:
        with gr.Accordion("📎 Documents: purchase orders, BOMs, spec sheets", open=False, elem_id="jfdi-documents"):
            self.upload = gr.File(label="Attach documents (their text is the spec the code is written from)",
                                  file_count="multiple", type="filepath", elem_id="jfdi-upload",
                                  file_types=[f".{t}" for t in ACCEPTED_TYPES])
            self.summary = gr.Markdown(elem_id="jfdi-doc-summary")
            with gr.Row():
                self.document = gr.Dropdown(label="Document", choices=[], value=None, scale=3, elem_id="jfdi-doc-pick")
                self.remove = gr.Button("✖ Remove", size="sm", scale=1, elem_id="jfdi-doc-remove")
            self.text = gr.Textbox(label="Parsed text: what the model will read (edit it to correct)",
                                   lines=10, max_lines=30, interactive=True, elem_id="jfdi-doc-markdown")

    def wire(self, state: gr.State, cleared) -> None:
        """`cleared`: the event that starts the conversation over (its documents go too)."""
        handlers, private = self.handlers, dict(api_visibility="private")

        def picker(chat: ChatState, name: str | None):
            names = [a.document.name for a in chat.attachments]
            chosen = chat.attachment(name) if name else None
            return (gr.Dropdown(choices=names, value=chosen.document.name if chosen else None),
                    gr.Textbox(value=chosen.markdown if chosen else ""))

        def last_name(chat: ChatState) -> str | None:
            return chat.attachments[-1].document.name if chat.attachments else None

        def on_attach(files: list[str] | None, chat: ChatState, progress=gr.Progress()):
            def report(done: int, total: int, message: str) -> None:
                progress((done, total), desc=message, unit="pages")

            chat, message = handlers.attach(files or [], chat, report)
            return (chat, message, *picker(chat, last_name(chat)), None)

        def on_pick(name: str | None, chat: ChatState):
            return picker(chat, name)[1]

        def on_edit(name: str | None, markdown: str, chat: ChatState):
            return handlers.edit_attachment(chat, name or "", markdown)

        def on_remove(name: str | None, chat: ChatState):
            chat = handlers.remove_attachment(chat, name or "")
            message = "\n\n".join(f"📎 {a.summary()}" for a in chat.attachments) or "No documents attached."
            return (chat, message, *picker(chat, last_name(chat)))

        shown = [self.summary, self.document, self.text]
        self.upload.upload(on_attach, [self.upload, state], [state, *shown, self.upload], concurrency_limit=None, **private)
        self.document.change(on_pick, [self.document, state], [self.text], queue=False, **private)
        self.text.change(on_edit, [self.document, self.text, state], [state], queue=False, **private)
        self.remove.click(on_remove, [self.document, state], [state, *shown], queue=False, **private)
        cleared.then(lambda chat: ("", *picker(chat, None)), [state], shown, queue=False, **private)
