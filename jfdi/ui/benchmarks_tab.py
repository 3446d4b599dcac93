"""The Benchmarks tab: pick providers and prompts, run the suite with progress (and Stop), see the
summary table, the chart and the original design's criteria."""

from __future__ import annotations

import threading

import gradio as gr

from . import render
from .build_tab import session_of
from .handlers import Handlers


class BenchmarksTab:
    """Render it inside gr.Tabs, then `wire` it."""

    def __init__(self, handlers: Handlers):
        self.handlers = handlers
        self._cancels: dict[str, threading.Event] = {}  # per browser session: its running benchmark's Stop

    def render(self) -> None:
        engine = self.handlers.engine
        prompts = self.handlers.services.benchmark_prompts()
        with gr.Tab("Benchmarks", id="benchmarks"):
            gr.Markdown("Each prompt through each provider (no fallback: the provider is what is measured), every "
                        "output checked by machine: extracted, parses, type-checks, renders in Chromium, default export, "
                        "Tailwind, and the prompt's own expectations in the rendered page. **Runs use provider tokens.**")
            with gr.Row():
                self.providers = gr.CheckboxGroup(
                    choices=render.PROVIDER_CHOICES[1:], label="Providers", elem_id="jfdi-bench-providers",
                    value=[name for name in engine.router.order if engine.providers[name].configured()][:1],
                )
                self.repeat = gr.Slider(1, 5, value=1, step=1, label="Repeat each", elem_id="jfdi-bench-repeat")
                self.judge = gr.Dropdown(
                    choices=[("No judge", ""), *render.PROVIDER_CHOICES[1:]], value="", elem_id="jfdi-bench-judge",
                    label="Judge (a model that sees scores each render from screenshots; its tokens are counted apart)",
                )
            self.prompts = gr.CheckboxGroup(choices=[(f"{p.id}: {p.prompt}", p.id) for p in prompts],
                                            value=[p.id for p in prompts if p.seed], label="Prompts",
                                            elem_id="jfdi-bench-prompts")
            with gr.Row():
                self.run = gr.Button("▶ Run benchmark", variant="primary", elem_id="jfdi-bench-run")
                self.stop = gr.Button("⏹ Stop", elem_id="jfdi-bench-stop")
            self.message = gr.Markdown(elem_id="jfdi-bench-message")
            self.table = gr.Dataframe(headers=render.BENCHMARK_HEADERS, datatype=["str"] * len(render.BENCHMARK_HEADERS),
                                      interactive=False, elem_id="jfdi-bench-table")
            with gr.Row():
                self.chart = gr.Image(label="Quality and speed", type="filepath", interactive=False, elem_id="jfdi-bench-chart")
                self.criteria = gr.Markdown(elem_id="jfdi-bench-criteria")
            self.results = gr.File(label="results.json", interactive=False, elem_id="jfdi-bench-results")

    def wire(self) -> None:
        handlers, private = self.handlers, dict(api_visibility="private")

        def on_run(providers: list[str], prompt_ids: list[str], repeat: float, judge: str, request: gr.Request,
                   progress=gr.Progress()):
            cancel = self._cancels[session_of(request)] = threading.Event()

            def report(done: int, total: int, message: str) -> None:
                progress((done, total), desc=message, unit="runs")

            view = handlers.run_benchmark(providers, prompt_ids, int(repeat), report, cancel, judge=judge or "")
            return view.message, view.table, view.chart, view.criteria, view.results

        def on_stop(request: gr.Request):
            cancel = self._cancels.get(session_of(request))
            if cancel is not None:
                cancel.set()

        outputs = [self.message, self.table, self.chart, self.criteria, self.results]
        self.run.click(on_run, [self.providers, self.prompts, self.repeat, self.judge], outputs, **private)
        self.stop.click(on_stop, None, None, queue=False, **private)
