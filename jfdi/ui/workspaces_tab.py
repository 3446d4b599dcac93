"""The Workspaces tab: list and create workspaces, and the WebLink page when one is configured."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from . import render
from .handlers import ChatState, Handlers
from .history_tab import filter_choices


class WorkspacesTab:
    """Render it inside gr.Tabs, then `wire` it to the pickers that list the workspaces."""

    def __init__(self, handlers: Handlers):
        self.handlers = handlers

    def render(self) -> None:
        weblink = self.handlers.engine.settings.weblink_url
        with gr.Tab("Workspaces", id="workspaces"):
            gr.Markdown("Workspaces group generations by line, plant or project. The current one (in Settings) tags "
                        "new generations; the History tab filters by it.")
            self.table = gr.Dataframe(headers=["Name", "Status", "Created (UTC)"], datatype=["str"] * 3,
                                      interactive=False, elem_id="jfdi-workspaces")
            # Off until the page's list has loaded: a list that loaded after a workspace was created
            # would put back the list (and the current workspace) from before it.
            with gr.Row():
                self.name = gr.Textbox(label="Workspace name", placeholder="Plant 2 — assembly line B", scale=3,
                                       interactive=False, elem_id="jfdi-workspace-name")
                self.create = gr.Button("➕ Create workspace", variant="primary", scale=1, interactive=False,
                                        elem_id="jfdi-create-workspace")
            self.message = gr.Markdown(elem_id="jfdi-workspace-message")
            if weblink:
                gr.HTML(render.weblink_iframe(weblink), elem_id="jfdi-weblink")

    def wire(self, demo: gr.Blocks, state: gr.State, picker: gr.Dropdown, history_filter: gr.Dropdown):
        """`picker`: the current workspace (Settings); `history_filter`: the History tab's filter.
        Both are filled when the page loads and when a workspace is created. Returns the load event
        (it sets the session's workspace in the chat state)."""
        handlers, private = self.handlers, dict(api_visibility="private")

        def listed(chat: ChatState, current: str):
            rows, names = handlers.workspaces()
            current = current if current in names else "default"
            return rows, gr.Dropdown(choices=names, value=current), filter_choices(names), replace(chat, workspace=current)

        def on_load(chat: ChatState):
            return (*listed(chat, chat.workspace), gr.Textbox(interactive=True), gr.Button(interactive=True))

        def on_create(name: str, chat: ChatState):
            message, created = handlers.create_workspace(name)
            return (message, *listed(chat, created or chat.workspace), "" if created else name)

        listing = [self.table, picker, history_filter, state]
        loaded = demo.load(on_load, [state], [*listing, self.name, self.create], **private)
        for trigger in (self.create.click, self.name.submit):
            trigger(on_create, [self.name, state], [self.message, *listing, self.name], **private)
        return loaded
