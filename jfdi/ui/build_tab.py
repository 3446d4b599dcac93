"""The Build tab: settings, the chat and its prompt, documents, and the code panel (the project's
files) with its preview and downloads. Layout and wiring; what the events do is in Handlers and
PreviewHandlers."""

from __future__ import annotations

from typing import Sequence

import gradio as gr

from .changes_panel import ChangesPanel
from .code_panel import CodePanel
from .documents_panel import DocumentsPanel
from .downloads import Downloads
from .handlers import ChatState, Handlers, View
from .images_panel import ImagesPanel
from .monitor import StatusMonitor
from .preview_handlers import PreviewHandlers
from .preview_panel import PreviewPanel
from .settings_panel import SettingsPanel
from .share_handlers import ShareHandlers
from .share_panel import SharePanel
from .version_handlers import VersionHandlers
from .versions_panel import VersionsPanel

PLACEHOLDER = "Build an inventory reorder form with validation..."


def session_of(request: gr.Request | None) -> str:
    """The browser session an event came from: each has its own conversation and Stop."""
    return (request.session_hash if request else None) or "anonymous"


class BuildTab:
    """Render it inside gr.Tabs, then `wire` it once the events that set its code elsewhere exist."""

    def __init__(self, handlers: Handlers, monitor: StatusMonitor, downloads: Downloads):
        self.handlers = handlers
        self.settings = SettingsPanel(handlers, monitor)
        self.code_panel = CodePanel(downloads)
        self.changes = ChangesPanel()
        self.documents = DocumentsPanel(handlers)
        self.images = ImagesPanel(handlers)
        self.preview = PreviewPanel(PreviewHandlers(handlers, downloads=downloads))
        self.share = SharePanel(ShareHandlers(handlers))
        self.versions = VersionsPanel(VersionHandlers(handlers))

    def render(self, state: gr.State) -> None:
        self.state = state
        with gr.Tab("Build", id="build"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=1, min_width=260, elem_classes="jfdi-panel"):
                    self.settings.render()
                with gr.Column(scale=2, min_width=360):
                    self.chatbot = gr.Chatbot(label="JFDI Chat", height=460, buttons=["copy", "copy_all"], elem_id="jfdi-chat")
                    # One starting line: Gradio submits on Enter only then (Shift+Enter adds a line; the box grows).
                    self.prompt = gr.Textbox(label="What do you want to build?", placeholder=PLACEHOLDER, lines=1, max_lines=10,
                                             info="Enter to generate · Shift+Enter for a new line", elem_id="jfdi-prompt")
                    self.images.render()
                    with gr.Row():
                        self.generate = gr.Button("🚀 Generate", variant="primary", elem_id="jfdi-generate")
                        self.stop = gr.Button("⏹ Stop", variant="stop", elem_id="jfdi-stop")
                        self.clear = gr.Button("🗑️ Clear", elem_id="jfdi-clear")
                    self.status = gr.Textbox(label="Status", interactive=False, lines=2, elem_id="jfdi-status")
                    self.documents.render()
                with gr.Column(scale=2, min_width=360):
                    with gr.Tabs():
                        with gr.Tab("Code", id="code"):
                            self.code_panel.render()
                            self.changes.render()
                        # Rendered while hidden: the preview runs (and reports errors) before anyone opens it.
                        with gr.Tab("Preview", id="preview", elem_id="jfdi-preview-tab", render_children=True):
                            self.preview.render_preview()
                        self.versions.render()
                    self.preview.render_summary()
                    self.share.render()

    @property
    def outputs(self) -> list:
        """What a `View` fills in, in the order of `values`."""
        return [self.chatbot, *self.code_panel.outputs, *self.changes.outputs, self.status, self.state, self.prompt]

    @staticmethod
    def values(view: View) -> tuple:
        return (view.chat, *CodePanel.values(view.files, view.running), *ChangesPanel.values(view.changes), view.status,
                view.state, gr.skip() if view.prompt is None else view.prompt)

    def wire(self, demo: gr.Blocks, loaded, code_set: Sequence = ()) -> None:
        """`loaded`: the page's load event that sets the session's state; `code_set`: events
        elsewhere that put code in the panel (a generation reopened from the history); the
        preview follows them as it follows this tab's own."""
        handlers, state, private = self.handlers, self.state, dict(api_visibility="private")

        def on_generate(prompt: str, provider: str, chat: ChatState, files: dict, request: gr.Request):
            chat = self.versions.versions.before_asking(chat, files)
            for view in handlers.generate(prompt, provider, chat, files, session_of(request)):
                yield self.values(view)

        def on_stop(request: gr.Request):
            handlers.stop(session_of(request))

        def on_clear(chat: ChatState, request: gr.Request):
            return self.values(handlers.clear(chat, session_of(request)))

        inputs = [self.prompt, self.settings.provider, state, self.code_panel.files]
        asking = [self.generate.click, self.prompt.submit]
        self.versions.hold_on([*asking, self.preview.fix.click], session_of)
        generated = [trigger(on_generate, inputs, self.outputs, concurrency_limit=None, **private) for trigger in asking]
        self.stop.click(on_stop, None, None, queue=False, **private)
        cleared = self.clear.click(on_clear, [state], self.outputs, queue=False, **private)
        self.code_panel.wire()
        self.settings.wire(state)
        self.documents.wire(state, cleared)
        self.share.wire(state)
        self.images.wire(demo, state, generated, cleared)

        def chat_values(view: View) -> tuple:  # what other events stream into: the prompt box is left as it is
            return self.values(view)[:-1]

        moved, regenerated = self.versions.wire(loaded, state=state, code_panel=self.code_panel, provider=self.settings.provider,
                                                outputs=self.outputs[:-1], values=chat_values, session=session_of)
        checked = self.preview.wire(files=self.code_panel.files, edited=self.code_panel.edited, state=state,
                          provider=self.settings.provider, chat_outputs=self.outputs[:-1],
                          chat_values=chat_values, session=session_of, generated=[*generated, *regenerated],
                          code_set=[cleared, *code_set, *moved])
        self.versions.refresh_after(checked)
        self.versions.release_after([*generated, *self.preview.answers], session_of)
