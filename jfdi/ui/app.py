"""The Gradio Blocks: layout and event wiring over `Handlers`. Nothing here decides anything."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Iterator

import gradio as gr

from ..config import Settings, load_settings
from ..engine import Engine
from ..preview.checks import default_checker
from . import render
from .handlers import ChatState, Handlers, View
from .monitor import StatusMonitor
from .preview_handlers import PreviewHandlers
from .preview_panel import PreviewPanel

PLACEHOLDER = "Build an inventory reorder form with validation..."

CSS = """
#jfdi-header { padding: 8px 4px 2px; }
#jfdi-header h1 { margin: 0; font-size: 2rem; letter-spacing: .04em; }
#jfdi-header p { margin: 2px 0 0; opacity: .75; }
#jfdi-status textarea { font-size: .9rem; }
.jfdi-panel { border-radius: 12px; }
#jfdi-provider-status p { margin: 0 0 6px; }
footer { display: none !important; }
"""

THEME = gr.themes.Soft(primary_hue="amber", secondary_hue="slate", neutral_hue="slate")


def _session(request: gr.Request | None) -> str:
    return (request.session_hash if request else None) or "anonymous"


def _component_file(code: str, directory: Path) -> str | None:
    """Write the code to <ComponentName>.tsx for the download button."""
    if not code.strip():
        return None
    match = re.search(r"export\s+default\s+(?:function\s+|class\s+)?([A-Z]\w*)", code) or re.search(
        r"(?:function|const)\s+([A-Z]\w*)", code
    )
    name = match.group(1) if match else "Component"
    folder = Path(tempfile.mkdtemp(dir=directory))
    path = folder / f"{name}.tsx"
    path.write_text(code if code.endswith("\n") else code + "\n", encoding="utf-8")
    return str(path)


def build_app(engine: Engine, monitor: StatusMonitor | None = None) -> gr.Blocks:
    handlers = Handlers(engine)
    monitor = monitor or StatusMonitor(engine)
    downloads = engine.settings.data_dir / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    preview = PreviewPanel(PreviewHandlers(handlers, downloads=downloads))

    def view_outputs(view: View):
        return view.chat, view.code, view.status, view.state, view.prompt

    def on_generate(prompt: str, provider: str, state: ChatState, code: str, request: gr.Request):
        for view in handlers.generate(prompt, provider, state, code, _session(request)):
            yield view_outputs(view)

    def on_stop(request: gr.Request):
        handlers.stop(_session(request))

    def on_clear(state: ChatState, request: gr.Request):
        return view_outputs(handlers.clear(state, _session(request)))

    def on_history(state: ChatState):
        rows, ids = handlers.history()
        return rows, ids

    def on_open(ids: list[str], state: ChatState, event: gr.SelectData):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if row is None or row >= len(ids):
            raise gr.Error("Pick a generation from the table.")
        view = handlers.open_generation(ids[row], state)
        return (*view_outputs(view), gr.Tabs(selected="build"))

    def on_status():
        statuses = monitor.snapshot()
        return render.provider_status_markdown(statuses)

    def api_generate(prompt: str, provider: str = "auto") -> Iterator[tuple[str, str]]:
        """Generate code for a prompt. Streams (code so far, status line); the last pair is final."""
        try:
            yield from handlers.api_generate(prompt, provider)
        except Exception as exc:  # BadInput and friends reach the client as a readable error
            raise gr.Error(str(exc)) from exc

    def api_status() -> list[dict]:
        """Every provider: name, label, configured, available, model, state, detail."""
        return handlers.api_status(monitor.snapshot())

    with gr.Blocks(title="JFDI — Manufacturing AI code platform", fill_width=True) as demo:
        state = gr.State(ChatState())
        history_ids = gr.State([])
        with gr.Row(elem_id="jfdi-header"):
            gr.Markdown("# 🏭 JFDI\nManufacturing AI code platform: production-ready React + TypeScript + Tailwind from plain language.")
        with gr.Tabs() as tabs:
            with gr.Tab("Build", id="build"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=260, elem_classes="jfdi-panel"):
                        gr.Markdown("### ⚙️ Settings")
                        provider = gr.Dropdown(choices=render.PROVIDER_CHOICES, value="auto", label="LLM provider", interactive=True)
                        gr.Markdown("#### 🤖 Provider status")
                        provider_status = gr.Markdown(render.provider_status_markdown(monitor.snapshot()), elem_id="jfdi-provider-status")
                        with gr.Accordion("📊 Model info", open=False):
                            gr.Markdown(render.model_info_markdown(monitor.snapshot()))
                    with gr.Column(scale=2, min_width=360):
                        chatbot = gr.Chatbot(label="JFDI Chat", height=460, buttons=["copy", "copy_all"], elem_id="jfdi-chat")
                        # One starting line: Gradio submits on Enter only then (Shift+Enter adds a line; the box grows).
                        prompt = gr.Textbox(label="What do you want to build?", placeholder=PLACEHOLDER, lines=1, max_lines=10,
                                            info="Enter to generate · Shift+Enter for a new line", elem_id="jfdi-prompt")
                        with gr.Row():
                            generate_btn = gr.Button("🚀 Generate", variant="primary", elem_id="jfdi-generate")
                            stop_btn = gr.Button("⏹ Stop", variant="stop", elem_id="jfdi-stop")
                            clear_btn = gr.Button("🗑️ Clear", elem_id="jfdi-clear")
                        status = gr.Textbox(label="Status", interactive=False, lines=2, elem_id="jfdi-status")
                    with gr.Column(scale=2, min_width=360):
                        with gr.Tabs():
                            with gr.Tab("Code", id="code"):
                                code = gr.Code(label="Generated code", language="typescript", lines=28, max_lines=40,
                                               interactive=True, buttons=["copy"], elem_id="jfdi-code")
                                download = gr.DownloadButton("⬇️ Download .tsx", value=None, interactive=False, elem_id="jfdi-download")
                            # Rendered while hidden: the preview runs (and reports errors) before anyone opens it.
                            with gr.Tab("Preview", id="preview", elem_id="jfdi-preview-tab", render_children=True):
                                preview.render_preview()
                        preview.render_summary()
            with gr.Tab("History", id="history") as history_tab:
                gr.Markdown("Recent generations from the log. Choose one to reopen its code and conversation.")
                history_refresh = gr.Button("↻ Refresh", size="sm")
                history_table = gr.Dataframe(
                    headers=["Time (UTC)", "Prompt", "Provider", "Status", "Workspace"],
                    datatype=["str"] * 5, interactive=False, wrap=True, elem_id="jfdi-history",
                )

        outputs = [chatbot, code, status, state, prompt]
        generate_inputs = [prompt, provider, state, code]
        generated = [
            trigger(on_generate, generate_inputs, outputs, api_visibility="private", concurrency_limit=None)
            for trigger in (generate_btn.click, prompt.submit)
        ]
        stop_btn.click(on_stop, None, None, api_visibility="private", queue=False)
        cleared = clear_btn.click(on_clear, [state], outputs, api_visibility="private", queue=False)
        code.change(lambda c: gr.DownloadButton(value=_component_file(c or "", downloads), interactive=bool((c or "").strip())),
                    [code], [download], api_visibility="private", queue=False)
        for trigger in (history_tab.select, history_refresh.click):
            trigger(on_history, [state], [history_table, history_ids], api_visibility="private")
        opened = history_table.select(on_open, [history_ids, state], [*outputs, tabs], api_visibility="private")
        preview.wire(code=code, state=state, provider=provider, chat_outputs=[chatbot, code, status, state], session=_session,
                     generated=generated, code_set=[cleared, opened])
        gr.Timer(2.0).tick(on_status, None, [provider_status], api_visibility="private", queue=False)

        gr.api(api_generate, api_name="generate", concurrency_limit=None)
        gr.api(api_status, api_name="status", concurrency_limit=None)
    demo.queue(default_concurrency_limit=16)
    return demo


def launch(settings: Settings | None = None, **launch_kwargs) -> gr.Blocks:
    """Build and serve the app: the page comes up at once, slow work (the local model) follows."""
    settings = settings or load_settings()
    engine = Engine(settings)
    monitor = StatusMonitor(engine).start()
    demo = build_app(engine, monitor)
    options = dict(
        share=settings.share,
        auth=list(settings.auth) or None,
        theme=THEME,
        css=CSS,
        allowed_paths=[str(settings.data_dir / "downloads")],
    )
    options.update(launch_kwargs)
    block = not options.pop("prevent_thread_lock", False)
    demo.launch(prevent_thread_lock=True, **options)
    # Only now, with the page served: importing torch competes with the server for the CPU.
    engine.warm_up()
    default_checker().warm_up()
    if block:
        demo.block_thread()
    return demo
