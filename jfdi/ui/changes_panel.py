"""The Changes view under the code: what the last follow-up changed, as a unified diff of its
files against the previous version's (jfdi/edits/diff.py). Layout only; the diff comes with the
`View` the chat's handlers yield."""

from __future__ import annotations

import gradio as gr

EMPTY = "No changes yet: after a follow-up, what it changed shows here."


class ChangesPanel:
    def render(self) -> None:
        with gr.Accordion("Changes", open=True, elem_id="jfdi-changes-panel"):
            self.diff = gr.Code(value="", label="Changed since the previous version (unified diff)", language=None,
                                interactive=False, lines=8, max_lines=30, elem_id="jfdi-changes")

    @property
    def outputs(self) -> list:
        return [self.diff]

    @staticmethod
    def values(diff: str) -> tuple:
        return (gr.Code(value=diff or EMPTY),)
