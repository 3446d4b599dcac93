"""The Build tab's settings column: provider, workspace, provider status, and Ollama's models."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from . import render
from .handlers import ChatState, Handlers
from .monitor import StatusMonitor


class SettingsPanel:
    """Render inside the layout, then `wire` it."""

    def __init__(self, handlers: Handlers, monitor: StatusMonitor):
        self.handlers = handlers
        self.monitor = monitor

    def status_markdown(self) -> str:
        statuses = render.provider_status_markdown(self.monitor.snapshot())
        return statuses + f"\n\n☁️ <small>{self.handlers.sync_summary()}</small>"

    def render(self) -> None:
        gr.Markdown("### ⚙️ Settings")
        self.provider = gr.Dropdown(choices=render.PROVIDER_CHOICES, value="auto", label="LLM provider", interactive=True)
        self.workspace = gr.Dropdown(choices=["default"], value="default", label="Workspace", interactive=True,
                                     info="New generations are tagged with it", elem_id="jfdi-workspace")
        gr.Markdown("#### 🤖 Provider status")
        self.status = gr.Markdown(self.status_markdown(), elem_id="jfdi-provider-status")
        with gr.Accordion("📊 Model info", open=False):
            gr.Markdown(render.model_info_markdown(self.monitor.snapshot()))
        with gr.Accordion("🦙 Ollama models", open=False) as self.ollama_box:
            self.ollama_note = gr.Markdown(elem_id="jfdi-ollama-note")
            self.ollama_models = gr.Dataframe(headers=["Model", "Size", "Params", "Quant"], datatype=["str"] * 4,
                                              interactive=False, elem_id="jfdi-ollama-models")
            self.ollama_tag = gr.Textbox(label="Pull a model", placeholder=self.handlers.engine.settings.ollama_model,
                                         info="An Ollama tag, or hf.co/<user>/<repo>:<quant>", elem_id="jfdi-ollama-tag")
            with gr.Row():
                self.ollama_pull = gr.Button("⬇️ Pull", size="sm", elem_id="jfdi-ollama-pull")
                self.ollama_refresh = gr.Button("↻ Refresh", size="sm")
            self.ollama_status = gr.Markdown(elem_id="jfdi-ollama-status")

    def wire(self, state: gr.State) -> None:
        handlers, private = self.handlers, dict(api_visibility="private")

        def on_pick_workspace(name: str, chat: ChatState) -> ChatState:
            return replace(chat, workspace=name or "default")

        def on_ollama_pull(tag: str, progress=gr.Progress()):
            for fraction, message in handlers.pull_ollama_model(tag):
                if fraction is not None:
                    progress(fraction, desc=message)
                yield message
            self.monitor.refresh_soon()

        self.workspace.change(on_pick_workspace, [self.workspace, state], [state], queue=False, **private)
        models = [self.ollama_models, self.ollama_note]
        for trigger in (self.ollama_box.expand, self.ollama_refresh.click):
            trigger(handlers.ollama_models, None, models, **private)
        pulled = self.ollama_pull.click(on_ollama_pull, [self.ollama_tag], [self.ollama_status],
                                        concurrency_limit=None, **private)
        pulled.then(handlers.ollama_models, None, models, **private)
        gr.Timer(2.0).tick(self.status_markdown, None, [self.status], queue=False, **private)
