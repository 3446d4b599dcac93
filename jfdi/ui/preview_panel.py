"""The preview in the Gradio app: the sandboxed frame, the checks beside it, Fix, and the
project download, wired to the events that change the project. Layout and wiring only; what the
events do is in preview_handlers.py, the frame's own logic in jfdi/preview/host.js."""

from __future__ import annotations

import html
from typing import Callable, Sequence
from urllib.parse import urlsplit

import gradio as gr

from ..errors import JFDIError
from ..preview import SANDBOX, STATIC_DIR, asset_paths, build_srcdoc
from ..preview.page import print_request
from ..preview.srcdoc import HERE as PREVIEW_DIR
from ..preview.srcdoc import page_policy
from .download_button import DownloadOnClick
from .handlers import ChatState, View
from .preview_handlers import PreviewHandlers, PreviewView

FRAME_CSS = """
.jfdi-preview-holder { position: relative; height: 640px; border: 1px solid var(--border-color-primary);
  border-radius: 8px; overflow: hidden; background: #fff; }
.jfdi-preview-frame { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; }
.jfdi-preview-spare { visibility: hidden; }
.jfdi-preview-note { margin: 16px; color: #7f1d1d; }
"""
# The Print button asks host.js to print the tool alone: no server round trip.
PRINT_JS = f"() => {{ {print_request('#jfdi-preview')}; }}"


def preview_frame(frame_sources: Sequence[str] = (), **kwargs) -> gr.HTML:
    """The preview iframe: a gr.HTML whose value is preview.component_message(files) or None.

    `frame_sources`: origins the page may show in frames (a WebLink page, say). Everything
    else is refused by a frame-src policy on the page, which is what stops a component from
    navigating its frame away (a sandboxed frame cannot stop itself, and a link or a redirect
    could carry data off in its URL). A function, not a gr.HTML subclass: Gradio writes a .pyi
    file beside the module of every component class."""
    policy = html.escape(page_policy(frame_sources))
    return gr.HTML(
        value=None,
        html_template='<div class="jfdi-preview-holder"></div>',
        css_template=FRAME_CSS,
        js_on_load=(PREVIEW_DIR / "host.js").read_text(encoding="utf-8"),
        head=f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        apply_default_css=False,
        asset_paths=asset_paths(),
        sandbox=SANDBOX,
        frame=build_srcdoc(),
        **kwargs,
    )


class PreviewPanel:
    """Create with the handlers, render its parts inside the layout, then `wire` it."""

    def __init__(self, previews: PreviewHandlers):
        self.previews = previews
        # The vendored libraries, fetched by host.js from gradio_api/file=... (login applies).
        gr.set_static_paths([STATIC_DIR])

    def render_summary(self) -> None:
        self.summary = gr.Markdown("", elem_id="jfdi-checks")

    def render_preview(self) -> None:
        self.token = gr.State(None)
        weblink = urlsplit(self.previews.settings.weblink_url or "")
        origins = [f"{weblink.scheme}://{weblink.netloc}"] if weblink.scheme and weblink.netloc else []
        self.frame = preview_frame(origins, elem_id="jfdi-preview")
        self.details = gr.Markdown("", elem_id="jfdi-preview-details")
        with gr.Row():
            self.fix = gr.Button("🔧 Fix", interactive=False, elem_id="jfdi-fix")
            self.print = gr.Button("🖨️ Print", elem_id="jfdi-print")
            self.project = DownloadOnClick("⬇️ Vite project (.zip)", "jfdi-download-project")

    def wire(
        self,
        *,
        files: gr.State,
        edited,
        state: gr.State,
        provider: gr.Dropdown,
        chat_outputs: list,
        chat_values: Callable[[View], tuple],
        session: Callable[[gr.Request | None], str],
        generated: list,
        code_set: list,
    ) -> list:
        """`files`: the project shown; `edited`: the event of an edit to it.
        `chat_outputs`: what a fix streams into (chat, code panel, status, chat state), filled
        in by `chat_values`. `generated`: the generate events (checks, then automatic fixes,
        follow them); `code_set`: other events that put a new project in the panel (history, clear).
        Returns the events after which the project on show is checked (its findings kept)."""
        previews = self.previews
        checks_outputs = [self.summary, self.details, self.fix]

        def on_show(files_value: dict, chat: ChatState, token: str | None):
            view = previews.show(files_value or {}, chat, token)
            project = gr.Button(interactive=view.can_download)
            return view.component, view.summary, view.details, gr.Button(interactive=view.can_fix), view.token, project

        def checks_only(view: PreviewView | None):
            if view is None:
                return gr.skip(), gr.skip(), gr.skip()
            return view.summary, view.details, gr.Button(interactive=view.can_fix)

        def on_checks(token: str | None):
            return checks_only(previews.checks(token))

        def on_report(event: gr.EventData):
            data = getattr(event, "_data", None) or {}
            reports = data.get("reports")
            return checks_only(previews.report(data.get("token"), reports if isinstance(reports, list) else []))

        def stream(views):
            produced = False
            for view in views:
                produced = True
                yield chat_values(view)
            if not produced:  # a generator that yields nothing would blank its outputs
                yield tuple(gr.skip() for _ in chat_outputs)

        def on_fix(token: str | None, files_value: dict, provider_value: str, chat: ChatState, request: gr.Request):
            yield from stream(previews.fix(token, files_value or {}, provider_value, chat, session(request)))

        def on_project(token: str | None) -> str | None:
            try:
                return previews.project_file(token)
            except JFDIError as exc:  # a project that cannot be exported says why
                raise gr.Error(str(exc)) from None

        def on_autofix(token: str | None, provider_value: str, chat: ChatState, request: gr.Request):
            yield from stream(previews.autofix(token, provider_value, chat, session(request)))

        show_outputs = [self.frame, self.summary, self.details, self.fix, self.token, self.project.button]
        private = dict(api_visibility="private")

        checked = []

        def follow(event):
            shown = event.then(on_show, [files, state, self.token], show_outputs, queue=False, **private)
            checked.append(shown.then(on_checks, [self.token], checks_outputs, **private))
            return checked[-1]

        self.answers = []  # the answers this panel asks for (VersionsPanel.release_after)
        for event in generated:
            after = follow(event)
            if previews.settings.autofix:
                autofixed = after.then(on_autofix, [self.token, provider, state], chat_outputs, concurrency_limit=None, **private)
                self.answers.append(autofixed)
                follow(autofixed)
        for event in code_set:
            follow(event)
        follow(edited)
        fixed = self.fix.click(on_fix, [self.token, files, provider, state], chat_outputs, concurrency_limit=None, **private)
        self.answers.append(fixed)
        follow(fixed)
        # Each report event carries new findings: none may be dropped while another is handled
        # (Gradio's default, trigger_mode "once", ignores events that come in the meantime).
        self.frame.report(on_report, None, checks_outputs, queue=False, trigger_mode="multiple", **private)
        self.print.click(None, None, None, js=PRINT_JS, queue=False, **private)
        self.project.wire(on_project, [self.token])
        return checked
