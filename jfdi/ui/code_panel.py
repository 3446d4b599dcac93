"""The code panel: the project's files (a gr.State holding {path: content}, the one copy the
preview, Fix and the downloads read), a picker of files shown when there are several, the editor
for the picked file, and the main file's download. Editing any file changes the project; the
preview follows the `edited` event. Layout and wiring; what is shown is render.code_panel."""

from __future__ import annotations

import gradio as gr

from ..project import Files
from . import render
from .download_button import DownloadOnClick
from .downloads import Downloads


class CodePanel:
    def __init__(self, downloads: Downloads):
        self.downloads = downloads

    def render(self) -> None:
        self.files = gr.State({})
        self.picker = gr.Radio(choices=[], label="Files", visible=False, interactive=True, elem_id="jfdi-files")
        self.code = gr.Code(label="Generated code", language="typescript", lines=28, max_lines=40,
                            interactive=True, buttons=["copy"], elem_id="jfdi-code")
        self.download = DownloadOnClick("⬇️ Main file (.tsx)", "jfdi-download")

    @property
    def outputs(self) -> list:
        """What `values` fills in."""
        return [self.files, self.picker, self.code]

    @staticmethod
    def values(files: Files, running: bool = False) -> tuple:
        """A new project in the panel: while it streams, the file being written; then the entry."""
        panel = render.code_panel(files, running=running)
        picker = gr.Radio(choices=panel.choices, value=panel.selected, visible=len(files) > 1)
        return files, picker, gr.Code(value=panel.text, language=panel.language)

    @staticmethod
    def edited_files(files: Files, path: str | None, text: str) -> Files:
        """The project with the editor's text in the file it shows (the panel's `outputs`, read as inputs)."""
        files = files or {}
        path = path if path in files else render.code_panel(files).selected
        return {**files, path: text or ""} if path else files

    def wire(self) -> None:
        private = dict(api_visibility="private", queue=False)

        def on_pick(files: Files, path: str):
            panel = render.code_panel(files, path)
            return gr.Code(value=panel.text, language=panel.language)

        def on_download(files: Files) -> str | None:
            path = self.downloads.main_file(files or {})
            return str(path) if path else None

        self.picker.input(on_pick, [self.files, self.picker], [self.code], **private)
        # The edited project, in the state the preview and the downloads read.
        self.edited = self.code.input(self.edited_files, [self.files, self.picker, self.code], [self.files], trigger_mode="always_last",
                                      **private)
        # Only whether there is code to download: the file is written when the button is clicked.
        self.files.change(lambda files: gr.Button(interactive=any(t.strip() for t in (files or {}).values())), [self.files],
                          [self.download.button], **private)
        self.download.wire(on_download, [self.files])
