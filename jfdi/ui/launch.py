"""`python app.py`: start the one-time set-up, then import Gradio and serve the page.

This module imports neither Gradio nor an SDK. Importing the Claude SDK takes seconds; done after
the page is up, the first user to press Generate waited for it. Here it runs on a thread of its own
while Gradio is imported and the page is built, and is done by the time the page is served.

The garbage collector is off until the page is served, then every object made so far is frozen
out of its reach. Importing Gradio and the SDKs leaves some 300,000 objects that live as long as
the process; the collector's passes over them made the start 0.7 s slower (import gradio 2.0 s
against 1.7 s, the SDK 0.95 against 0.67, the page 0.39 against 0.30, measured on the 2-core
machine), and each full pass afterwards (0.13 s) stopped every request in flight at a moment of
its choosing. The start-up garbage never collected costs 4 MB."""

from __future__ import annotations

import gc
import os
import threading
import time

from ..config import Settings, load_settings
from ..engine import Engine
from ..preview.checks import default_checker


def launch(settings: Settings | None = None, *, engine: Engine | None = None, **launch_kwargs):
    """Serve the app (blocking unless prevent_thread_lock=True); returns the gr.Blocks. `engine`
    replaces the one built from settings (a test's stand-in providers)."""
    began = time.perf_counter()
    gc.disable()
    try:
        return _launch(began, settings, engine, launch_kwargs)
    except BaseException:
        gc.enable()
        raise


def _launch(began: float, settings: Settings | None, engine: Engine | None, launch_kwargs: dict):
    engine = engine or Engine(settings or load_settings())
    os.environ.setdefault("MPLBACKEND", "agg")  # see _set_up
    # One thread for all of it: the set-up is Python code, and the GIL would run two in turn anyway.
    threading.Thread(target=_set_up, args=(engine,), name="jfdi-set-up", daemon=True).start()
    # The preview checker is a Node process: it reads React's types on a core of its own while this
    # one imports Gradio. Started after the page instead, it took a core from the first requests.
    default_checker().warm_up()
    before_gradio = time.perf_counter()
    import gradio  # noqa: F401 - timed on its own: the start-up line tells Gradio's share from JFDI's

    gradio_s = time.perf_counter() - before_gradio
    from .app import serve

    def served() -> None:
        gc.freeze()
        gc.enable()
        total = time.perf_counter() - began
        print(f"* JFDI served the page {total:.2f} s after launch: import gradio {gradio_s:.2f} s "
              f"(with the providers' set-up alongside), JFDI {total - gradio_s:.2f} s", flush=True)

    return serve(engine, on_served=served, **launch_kwargs)


def _set_up(engine: Engine) -> None:
    engine.prepare()
    # Gradio wraps every event in a switch of matplotlib's backend when matplotlib is installed (the
    # benchmark extra installs it): its first event imports matplotlib and, to learn the default
    # backend, pyplot: half a second on the server's event loop, which every user waits for. The
    # server draws off-screen anyway: the backend is named (launch), and matplotlib imported here.
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pass
