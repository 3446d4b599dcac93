"""The Gradio app: the tabs in their order, the state they share, what crosses from one tab to
another, the API endpoints, and serving it all (launch.py starts it). Each tab lays out and wires
itself (build_tab.py, ...); what events do is in handlers.py. Nothing here decides anything."""

from __future__ import annotations

import atexit
import logging
import signal
import sys
import threading
from typing import Callable, Iterator

import gradio as gr
from gradio import utils as gr_utils
from gradio.data_classes import FileData

from ..config import Settings
from ..engine import Engine
from ..errors import BadInput, JFDIError
from ..ollama_runtime import start_ollama
from ..services import Services
from .benchmarks_tab import BenchmarksTab
from .build_tab import BuildTab
from .downloads import Downloads
from .handlers import ChatState, Handlers
from .history_tab import HistoryTab
from .monitor import StatusMonitor
from .sessions import use_lazy_sessions
from .share_page import SharePage
from .workspaces_tab import WorkspacesTab

log = logging.getLogger(__name__)

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

# Gradio runs at most `max_threads` events at once (its default, 40, counts every user's stream,
# and each status tick or preview report besides), and runs a streaming handler's every step on a
# thread of that many, which waits with it on the network. Measured (benchmarks/load.py, 60 users):
# at 40 the 41st user waited for a whole answer before seeing anything. Threads that wait on a
# socket cost a little memory and no CPU.
CONCURRENT_EVENTS = 256


def downloads_of(settings: Settings) -> Downloads:
    return Downloads(settings.data_dir / "downloads")


def build_app(engine: Engine, monitor: StatusMonitor | None = None) -> gr.Blocks:
    handlers = Handlers(engine)
    monitor = monitor or StatusMonitor(engine)
    build = BuildTab(handlers, monitor, downloads_of(engine.settings))
    history, benchmarks, workspaces = HistoryTab(handlers), BenchmarksTab(handlers), WorkspacesTab(handlers)

    def api_generate(
        prompt: str, provider: str = "auto", parent_id: str = "", images: list[FileData] | None = None
    ) -> Iterator[tuple[str, str]]:
        """Generate code for a prompt, optionally as a follow-up to generation `parent_id` (its code
        is changed; empty: a new conversation), optionally from images (a photo of a paper form, a
        screenshot: PNG, JPEG, WebP or HEIC files). Streams (code so far, status line); the last
        pair is final, its status ending with "generation <id>"."""
        try:
            yield from handlers.api_generate(prompt, provider, parent_id, [image.path for image in _files(images)])
        except Exception as exc:  # BadInput and friends reach the client as a readable error
            raise gr.Error(str(exc)) from exc

    def api_status() -> list[dict]:
        """Every provider: name, label, configured, available, model, state, detail."""
        return handlers.api_status(monitor.snapshot())

    def api_share(generation_id: str, public: bool = False) -> str:
        """A read-only link to a logged generation; returns its path, /share/<token>. `public`: it
        opens without the app's login (JFDI_AUTH)."""
        try:
            if not isinstance(public, bool):  # over plain HTTP, "false" would be a string, and a truthy one
                raise BadInput(f"public must be true or false, not {public!r}")
            return handlers.services.share(generation_id, public=public).path
        except JFDIError as exc:
            raise gr.Error(str(exc)) from exc

    with gr.Blocks(title="JFDI — Manufacturing AI code platform", fill_width=True) as demo:
        state = gr.State(ChatState())
        with gr.Row(elem_id="jfdi-header"):
            gr.Markdown("# 🏭 JFDI\n"
                        "Manufacturing AI code platform: production-ready React + TypeScript + Tailwind from plain language.")
        with gr.Tabs() as tabs:
            build.render(state)
            history.render()
            benchmarks.render()
            workspaces.render()
        opened = history.wire(build, tabs)
        forked = build.share.open_on_load(demo, state, build.outputs, build.values)
        loaded = workspaces.wire(demo, state, picker=build.settings.workspace, history_filter=history.filter)
        build.wire(demo, loaded, code_set=[opened, forked])
        benchmarks.wire()

        gr.api(api_generate, api_name="generate", concurrency_limit=None)
        gr.api(api_status, api_name="status", concurrency_limit=None)
        gr.api(api_share, api_name="share", concurrency_limit=None)
    demo.queue(default_concurrency_limit=16)
    return demo


def _files(values: list | None) -> list[FileData]:
    """Files as /generate receives them: FileData, or its dict from a client that sent JSON.
    Gradio vets the path of a FileData only; a bare dict's path must be one it took as an upload,
    or any client could have the server read whatever image lies on its disk."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise BadInput("images must be a list of files: [handle_file('form.jpg')] with gradio_client")
    return [_uploaded(value) for value in values]


def _uploaded(value: object) -> FileData:
    if isinstance(value, FileData):
        return value
    path = value.get("path") if isinstance(value, dict) else None
    if not isinstance(path, str) or not gr_utils.is_in_or_equal(path, gr_utils.get_upload_folder()):
        raise BadInput("an image must be a file uploaded to the app: gradio_client's handle_file, "
                       "or POST it to /gradio_api/upload and send the path it returns")
    return FileData(**value)


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


def serve(engine: Engine, *, on_served: Callable[[], None] | None = None, **launch_kwargs) -> gr.Blocks:
    """Build the page and serve it; the slow work (the local model) follows. jfdi/ui/launch.py
    calls it, once the providers' set-up is under way; `on_served` runs as the page is up."""
    settings = engine.settings
    downloads = downloads_of(settings)
    pruned = downloads.prune()
    if pruned:
        log.info("removed %d download(s) older than a day from %s", pruned, downloads.folder)
    if settings.start_ollama:
        _start_ollama_in_background(settings)
    monitor = StatusMonitor(engine)
    demo = build_app(engine, monitor)
    options = dict(
        share=settings.share,
        auth=list(settings.auth) or None,
        theme=THEME,
        css=CSS,
        allowed_paths=[str(downloads.folder), str(engine.images.folder)],
        max_file_size=f"{settings.max_upload_mb:g}mb",
        max_threads=CONCURRENT_EVENTS,
        # Gradio's one use of it: launch() asks the server it has just started, on this machine,
        # for its start-up events. A verifying TLS context (the CA bundle read) cost 0.1 s of the
        # start, for a request to itself over plain HTTP.
        ssl_verify=False,
        # Share links' pages (/share/<token>), served beside Gradio's routes, outside its page.
        app_kwargs={"routes": SharePage(Services(engine), login=bool(settings.auth)).routes()},
    )
    options.update(launch_kwargs)
    block = not options.pop("prevent_thread_lock", False)
    if block and threading.current_thread() is threading.main_thread():
        # SIGTERM (a Space restarting, `kill`) exits through Python, so that atexit handlers run
        # and an Ollama server this app started is stopped with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    use_lazy_sessions()
    demo.launch(prevent_thread_lock=True, **options)
    if on_served is not None:
        on_served()
    # Only now, with the page served: importing torch (the local model, and probing the GPU for
    # its status) competes with the server for the CPU.
    monitor.start()
    engine.warm_up()
    if block:
        demo.block_thread()
    return demo
