"""The History tab: recent generations, the team's and this machine's; choosing one reopens it in
the Build tab."""

from __future__ import annotations

import gradio as gr

from .build_tab import BuildTab
from .handlers import ChatState, Handlers

ALL_WORKSPACES = "All workspaces"


def filter_choices(workspaces: list[str]) -> gr.Dropdown:
    """The workspace filter's choices once the workspaces are known."""
    return gr.Dropdown(choices=[ALL_WORKSPACES, *workspaces])


class HistoryTab:
    """Render it inside gr.Tabs, then `wire` it."""

    def __init__(self, handlers: Handlers):
        self.handlers = handlers

    def render(self) -> None:
        with gr.Tab("History", id="history") as self.tab:
            gr.Markdown("Recent generations, the team's and this machine's. Choose one to reopen its code and conversation.")
            with gr.Row():
                self.filter = gr.Dropdown(choices=[ALL_WORKSPACES], value=ALL_WORKSPACES, label="Workspace",
                                          interactive=True, scale=3, elem_id="jfdi-history-filter")
                self.refresh = gr.Button("↻ Refresh", size="sm", scale=1)
            self.notice = gr.Markdown(elem_id="jfdi-history-notice")
            self.table = gr.Dataframe(
                headers=["Time (UTC)", "Prompt", "Provider", "Status", "Workspace", "Kept"],
                datatype=["str"] * 6, interactive=False, wrap=True, elem_id="jfdi-history",
            )
            self.ids = gr.State([])

    def wire(self, build: BuildTab, tabs: gr.Tabs):
        """Returns the event that reopens a generation in `build` (and switches `tabs` to it)."""
        handlers, private = self.handlers, dict(api_visibility="private")

        def on_history(workspace: str):
            rows, ids, notice = handlers.history(None if workspace == ALL_WORKSPACES else workspace)
            return rows, ids, f"⚠️ {notice}" if notice else ""

        def on_open(ids: list[str], chat: ChatState, event: gr.SelectData):
            row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
            if row is None or row >= len(ids):
                raise gr.Error("Pick a generation from the table.")
            view = handlers.open_generation(ids[row], chat)
            return (*build.values(view), gr.Tabs(selected="build"))

        for trigger in (self.tab.select, self.refresh.click, self.filter.change):
            trigger(on_history, [self.filter], [self.table, self.ids, self.notice], **private)
        return self.table.select(on_open, [self.ids, build.state], [*build.outputs, tabs], **private)
