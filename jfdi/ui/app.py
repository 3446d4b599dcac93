"""The Gradio Blocks: layout and event wiring over `Handlers`. Nothing here decides anything."""

from __future__ import annotations

import atexit
import logging
import signal
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import gradio as gr

from ..benchmark.prompts import load_prompts
from ..config import Settings, load_settings
from ..documents import SUPPORTED_TYPES
from ..engine import Engine
from ..errors import JFDIError
from ..ollama_runtime import start_ollama
from ..preview.checks import default_checker
from ..preview.export import project_name
from . import render
from .handlers import ChatState, Handlers, View
from .monitor import StatusMonitor
from .preview_handlers import PreviewHandlers
from .preview_panel import PreviewPanel

log = logging.getLogger(__name__)

ALL_WORKSPACES = "All workspaces"
BENCH_PROMPTS = load_prompts()
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
    folder = Path(tempfile.mkdtemp(dir=directory))
    path = folder / f"{project_name(code)}.tsx"
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

    def on_attach(files: list[str] | None, state: ChatState, progress=gr.Progress()):
        def report(done: int, total: int, message: str) -> None:
            progress((done, total), desc=message, unit="pages")

        state, message = handlers.attach(files or [], state, report)
        return (state, message, *document_picker(state, state.attachments[-1].document.name if state.attachments else None), None)

    def document_picker(state: ChatState, name: str | None):
        names = [a.document.name for a in state.attachments]
        chosen = state.attachment(name) if name else None
        return (gr.Dropdown(choices=names, value=chosen.document.name if chosen else None),
                gr.Textbox(value=chosen.markdown if chosen else ""))

    def on_pick_document(name: str | None, state: ChatState):
        return document_picker(state, name)[1]

    def on_edit_document(name: str | None, markdown: str, state: ChatState):
        return handlers.edit_attachment(state, name or "", markdown)

    def on_remove_document(name: str | None, state: ChatState):
        state = handlers.remove_attachment(state, name or "")
        remaining = state.attachments[-1].document.name if state.attachments else None
        message = "\n\n".join(f"📎 {a.summary()}" for a in state.attachments) or "No documents attached."
        return (state, message, *document_picker(state, remaining))

    def on_stop(request: gr.Request):
        handlers.stop(_session(request))

    def on_clear(state: ChatState, request: gr.Request):
        return view_outputs(handlers.clear(state, _session(request)))

    def on_history(workspace: str):
        rows, ids, notice = handlers.history(None if workspace == ALL_WORKSPACES else workspace)
        return rows, ids, f"⚠️ {notice}" if notice else ""

    def on_workspaces(state: ChatState):
        rows, names = handlers.workspaces()
        current = state.workspace if state.workspace in names else "default"
        return (rows, gr.Dropdown(choices=names, value=current),
                gr.Dropdown(choices=[ALL_WORKSPACES, *names]), replace(state, workspace=current))

    def on_pick_workspace(name: str, state: ChatState):
        return replace(state, workspace=name or "default")

    def on_create_workspace(name: str, state: ChatState):
        message, created = handlers.create_workspace(name)
        rows, names = handlers.workspaces()
        current = created or state.workspace
        return (message, rows, gr.Dropdown(choices=names, value=current), gr.Dropdown(choices=[ALL_WORKSPACES, *names]),
                replace(state, workspace=current), "" if created else name)

    def on_open(ids: list[str], state: ChatState, event: gr.SelectData):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if row is None or row >= len(ids):
            raise gr.Error("Pick a generation from the table.")
        view = handlers.open_generation(ids[row], state)
        return (*view_outputs(view), gr.Tabs(selected="build"))

    def on_ollama_pull(tag: str, progress=gr.Progress()):
        for fraction, message in handlers.pull_ollama_model(tag):
            if fraction is not None:
                progress(fraction, desc=message)
            yield message
        monitor.refresh_soon()

    bench_cancels: dict[str, threading.Event] = {}

    def on_benchmark(providers: list[str], prompt_ids: list[str], repeat: float, request: gr.Request, progress=gr.Progress()):
        cancel = bench_cancels[_session(request)] = threading.Event()

        def report(done: int, total: int, message: str) -> None:
            progress((done, total), desc=message, unit="runs")

        view = handlers.run_benchmark(providers, prompt_ids, int(repeat), report, cancel)
        return view.message, view.table, view.chart, view.criteria, view.results

    def on_benchmark_stop(request: gr.Request):
        cancel = bench_cancels.get(_session(request))
        if cancel is not None:
            cancel.set()

    def on_status():
        return render.provider_status_markdown(monitor.snapshot()) + f"\n\n☁️ <small>{handlers.sync_summary()}</small>"

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
                        workspace = gr.Dropdown(choices=["default"], value="default", label="Workspace", interactive=True,
                                                info="New generations are tagged with it", elem_id="jfdi-workspace")
                        gr.Markdown("#### 🤖 Provider status")
                        provider_status = gr.Markdown(on_status(), elem_id="jfdi-provider-status")
                        with gr.Accordion("📊 Model info", open=False):
                            gr.Markdown(render.model_info_markdown(monitor.snapshot()))
                        with gr.Accordion("🦙 Ollama models", open=False) as ollama_box:
                            ollama_note = gr.Markdown(elem_id="jfdi-ollama-note")
                            ollama_models = gr.Dataframe(headers=["Model", "Size", "Params", "Quant"], datatype=["str"] * 4,
                                                         interactive=False, elem_id="jfdi-ollama-models")
                            ollama_tag = gr.Textbox(label="Pull a model", placeholder=engine.settings.ollama_model,
                                                    info="An Ollama tag, or hf.co/<user>/<repo>:<quant>", elem_id="jfdi-ollama-tag")
                            with gr.Row():
                                ollama_pull = gr.Button("⬇️ Pull", size="sm", elem_id="jfdi-ollama-pull")
                                ollama_refresh = gr.Button("↻ Refresh", size="sm")
                            ollama_status = gr.Markdown(elem_id="jfdi-ollama-status")
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
                        with gr.Accordion("📎 Documents: purchase orders, BOMs, spec sheets", open=False, elem_id="jfdi-documents"):
                            upload = gr.File(label="Attach documents (their text is the spec the code is written from)",
                                             file_count="multiple", type="filepath", elem_id="jfdi-upload",
                                             file_types=[f".{t}" for t in SUPPORTED_TYPES])
                            documents_summary = gr.Markdown(elem_id="jfdi-doc-summary")
                            with gr.Row():
                                document = gr.Dropdown(label="Document", choices=[], value=None, scale=3, elem_id="jfdi-doc-pick")
                                remove_document = gr.Button("✖ Remove", size="sm", scale=1, elem_id="jfdi-doc-remove")
                            document_text = gr.Textbox(label="Parsed text: what the model will read (edit it to correct)",
                                                       lines=10, max_lines=30, interactive=True, elem_id="jfdi-doc-markdown")
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
                gr.Markdown("Recent generations, the team's and this machine's. Choose one to reopen its code and conversation.")
                with gr.Row():
                    history_filter = gr.Dropdown(choices=[ALL_WORKSPACES], value=ALL_WORKSPACES, label="Workspace",
                                                 interactive=True, scale=3, elem_id="jfdi-history-filter")
                    history_refresh = gr.Button("↻ Refresh", size="sm", scale=1)
                history_notice = gr.Markdown(elem_id="jfdi-history-notice")
                history_table = gr.Dataframe(
                    headers=["Time (UTC)", "Prompt", "Provider", "Status", "Workspace", "Kept"],
                    datatype=["str"] * 6, interactive=False, wrap=True, elem_id="jfdi-history",
                )
            with gr.Tab("Benchmarks", id="benchmarks"):
                gr.Markdown("Each prompt through each provider (no fallback: the provider is what is measured), every "
                            "output checked by machine: extracted, parses, type-checks, renders in Chromium, default export, "
                            "Tailwind, and the prompt's own expectations in the rendered page. **Runs use provider tokens.**")
                with gr.Row():
                    bench_providers = gr.CheckboxGroup(
                        choices=render.PROVIDER_CHOICES[1:], label="Providers", elem_id="jfdi-bench-providers",
                        value=[name for name in engine.router.order if engine.providers[name].configured()][:1],
                    )
                    bench_repeat = gr.Slider(1, 5, value=1, step=1, label="Repeat each", elem_id="jfdi-bench-repeat")
                bench_prompts = gr.CheckboxGroup(choices=[(f"{p.id}: {p.prompt}", p.id) for p in BENCH_PROMPTS],
                                                 value=[p.id for p in BENCH_PROMPTS if p.seed], label="Prompts",
                                                 elem_id="jfdi-bench-prompts")
                with gr.Row():
                    bench_run = gr.Button("▶ Run benchmark", variant="primary", elem_id="jfdi-bench-run")
                    bench_stop = gr.Button("⏹ Stop", elem_id="jfdi-bench-stop")
                bench_message = gr.Markdown(elem_id="jfdi-bench-message")
                bench_table = gr.Dataframe(
                    headers=["Provider", "Model", "Quality", "vs best", "OK", "Renders", "Expect", "Median total", "Tok/s", "Cost"],
                    datatype=["str"] * 10, interactive=False, elem_id="jfdi-bench-table",
                )
                with gr.Row():
                    bench_chart = gr.Image(label="Quality and speed", type="filepath", interactive=False, elem_id="jfdi-bench-chart")
                    bench_criteria = gr.Markdown(elem_id="jfdi-bench-criteria")
                bench_results = gr.File(label="results.json", interactive=False, elem_id="jfdi-bench-results")
            with gr.Tab("Workspaces", id="workspaces"):
                gr.Markdown("Workspaces group generations by line, plant or project. The current one (in Settings) tags "
                            "new generations; the History tab filters by it.")
                workspace_table = gr.Dataframe(headers=["Name", "Status", "Created (UTC)"], datatype=["str"] * 3,
                                               interactive=False, elem_id="jfdi-workspaces")
                with gr.Row():
                    workspace_name = gr.Textbox(label="Workspace name", placeholder="Plant 2 — assembly line B", scale=3,
                                                elem_id="jfdi-workspace-name")
                    create_workspace = gr.Button("➕ Create workspace", variant="primary", scale=1, elem_id="jfdi-create-workspace")
                workspace_message = gr.Markdown(elem_id="jfdi-workspace-message")
                if engine.settings.weblink_url:
                    gr.HTML(render.weblink_iframe(engine.settings.weblink_url), elem_id="jfdi-weblink")

        outputs = [chatbot, code, status, state, prompt]
        generate_inputs = [prompt, provider, state, code]
        generated = [
            trigger(on_generate, generate_inputs, outputs, api_visibility="private", concurrency_limit=None)
            for trigger in (generate_btn.click, prompt.submit)
        ]
        stop_btn.click(on_stop, None, None, api_visibility="private", queue=False)
        upload.upload(on_attach, [upload, state], [state, documents_summary, document, document_text, upload],
                      api_visibility="private", concurrency_limit=None)
        document.change(on_pick_document, [document, state], [document_text], api_visibility="private", queue=False)
        document_text.change(on_edit_document, [document, document_text, state], [state], api_visibility="private", queue=False)
        remove_document.click(on_remove_document, [document, state], [state, documents_summary, document, document_text],
                              api_visibility="private", queue=False)
        cleared = clear_btn.click(on_clear, [state], outputs, api_visibility="private", queue=False)
        cleared.then(
            lambda st: ("", *document_picker(st, None)), [state], [documents_summary, document, document_text],
            api_visibility="private", queue=False)
        code.change(lambda c: gr.DownloadButton(value=_component_file(c or "", downloads), interactive=bool((c or "").strip())),
                    [code], [download], api_visibility="private", queue=False)
        for trigger in (history_tab.select, history_refresh.click, history_filter.change):
            trigger(on_history, [history_filter], [history_table, history_ids, history_notice], api_visibility="private")
        demo.load(on_workspaces, [state], [workspace_table, workspace, history_filter, state], api_visibility="private")
        workspace.change(on_pick_workspace, [workspace, state], [state], api_visibility="private", queue=False)
        for trigger in (create_workspace.click, workspace_name.submit):
            trigger(on_create_workspace, [workspace_name, state],
                    [workspace_message, workspace_table, workspace, history_filter, state, workspace_name], api_visibility="private")
        opened = history_table.select(on_open, [history_ids, state], [*outputs, tabs], api_visibility="private")
        for trigger in (ollama_box.expand, ollama_refresh.click):
            trigger(handlers.ollama_models, None, [ollama_models, ollama_note], api_visibility="private")
        ollama_pull.click(on_ollama_pull, [ollama_tag], [ollama_status], api_visibility="private", concurrency_limit=None).then(
            handlers.ollama_models, None, [ollama_models, ollama_note], api_visibility="private")
        preview.wire(code=code, state=state, provider=provider, chat_outputs=[chatbot, code, status, state], session=_session,
                     generated=generated, code_set=[cleared, opened])
        bench_run.click(on_benchmark, [bench_providers, bench_prompts, bench_repeat],
                        [bench_message, bench_table, bench_chart, bench_criteria, bench_results], api_visibility="private")
        bench_stop.click(on_benchmark_stop, None, None, api_visibility="private", queue=False)
        gr.Timer(2.0).tick(on_status, None, [provider_status], api_visibility="private", queue=False)

        gr.api(api_generate, api_name="generate", concurrency_limit=None)
        gr.api(api_status, api_name="status", concurrency_limit=None)
    demo.queue(default_concurrency_limit=16)
    return demo


def _start_ollama_in_background(settings: Settings) -> None:
    """JFDI_START_OLLAMA=1: reuse or start an Ollama server (and pull the model) without holding up
    the page; a server started here is stopped when the app exits."""

    def bring_up() -> None:
        try:
            handle = start_ollama(settings, say=log.info)
        except JFDIError as exc:
            log.warning("Ollama: %s", exc)
            return
        atexit.register(handle.stop)

    threading.Thread(target=bring_up, name="jfdi-ollama", daemon=True).start()


def launch(settings: Settings | None = None, **launch_kwargs) -> gr.Blocks:
    """Build and serve the app: the page comes up at once, slow work (the local model) follows."""
    settings = settings or load_settings()
    if settings.start_ollama:
        _start_ollama_in_background(settings)
    engine = Engine(settings)
    monitor = StatusMonitor(engine).start()
    demo = build_app(engine, monitor)
    options = dict(
        share=settings.share,
        auth=list(settings.auth) or None,
        theme=THEME,
        css=CSS,
        allowed_paths=[str(settings.data_dir / "downloads")],
        max_file_size=f"{settings.max_upload_mb:g}mb",
    )
    options.update(launch_kwargs)
    block = not options.pop("prevent_thread_lock", False)
    if block and threading.current_thread() is threading.main_thread():
        # SIGTERM (a Space restarting, `kill`) exits through Python, so that atexit handlers run
        # and an Ollama server this app started is stopped with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    demo.launch(prevent_thread_lock=True, **options)
    # Only now, with the page served: importing torch competes with the server for the CPU.
    engine.warm_up()
    default_checker().warm_up()
    if block:
        demo.block_thread()
    return demo
