"""A download button whose file is written when it is clicked, not whenever the content changes.

Gradio's DownloadButton hands out the value it already holds the moment it is clicked; it does not
wait for its click event. So the visible button is a plain Button: its event writes the file into
a visually hidden DownloadButton, and a browser-side step then clicks that one (only when the
file was written: after an error it would hand out the previous file)."""

from __future__ import annotations

import json
from typing import Callable, Sequence

import gradio as gr


class DownloadOnClick:
    """Render inside the layout; `wire` it to what writes the file (a path, or None for nothing)."""

    def __init__(self, label: str, elem_id: str):
        self.button = gr.Button(label, interactive=False, elem_id=elem_id)
        self.file = gr.DownloadButton(visible="hidden", elem_id=f"{elem_id}-file")

    def wire(self, write: Callable[..., str | None], inputs: Sequence[gr.components.Component]) -> None:
        click_file = f"() => document.getElementById({json.dumps(self.file.elem_id)})?.click()"
        written = self.button.click(write, list(inputs), [self.file], api_visibility="private", queue=False)
        written.success(None, None, None, js=click_file, api_visibility="private", queue=False)
