"""The Build tab's Share panel: a read-only link to the conversation's generation (public on
purpose only, with a warning, when the app has a login), the links made so far, and Revoke; and
"Open in JFDI" from a share link's page (/?fork=<token>). Layout and wiring; what the events do
is in share_handlers.py, the page a link serves in share_page.py."""

from __future__ import annotations

from typing import Callable

import gradio as gr

from .handlers import ChatState
from .share_handlers import Links, ShareHandlers

INTRO = ("A link to the generation in the chat, for a demo: its live preview, its code, the prompt and the checks, "
         "read-only. Anyone who opens it can take it into JFDI as a conversation of their own.")
PUBLIC_WARNING = ("⚠️ A public link opens without logging in: anyone who gets hold of it (a forwarded email, a chat "
                  "log) sees this generation's prompt and code until you revoke it.")
# The path from the server made absolute by the browser, against the app's own root: the URL the
# user sees, whatever proxy or path prefix stands in front of the app.
ABSOLUTE = """(path) => path ? new URL(path.replace(/^\\//, ""),
  String((window.gradio_config && window.gradio_config.root) || window.location.href).replace(/\\/?$/, "/")).href : path"""


class SharePanel:
    """Render it inside the Build tab, then `wire` it; `open_on_load` wires "Open in JFDI"."""

    def __init__(self, shares: ShareHandlers):
        self.shares = shares

    def render(self) -> None:
        login = bool(self.shares.handlers.engine.settings.auth)
        with gr.Accordion("🔗 Share", open=False, elem_id="jfdi-share") as self.box:
            gr.Markdown(INTRO)
            self.public = gr.Checkbox(False, label="Public: anyone with the link can open it, without logging in",
                                      info=PUBLIC_WARNING, visible=login, elem_id="jfdi-share-public")
            self.make = gr.Button("🔗 Make a share link", elem_id="jfdi-share-make")
            self.link = gr.Textbox(label="Share link", interactive=False, buttons=["copy"], elem_id="jfdi-share-link")
            self.message = gr.Markdown(elem_id="jfdi-share-message")
            self.table = gr.Dataframe(headers=["Link", "Generation", "Access", "Made", "State"], datatype=["str"] * 5,
                                      interactive=False, elem_id="jfdi-share-links")
            with gr.Row():
                self.pick = gr.Dropdown(label="Revoke a link", choices=[], elem_id="jfdi-share-pick", scale=3)
                self.revoke = gr.Button("🚫 Revoke", variant="stop", elem_id="jfdi-share-revoke", scale=1)

    def wire(self, state: gr.State) -> None:
        shares, private = self.shares, dict(api_visibility="private")
        listed = [self.table, self.pick]

        def shown(found: Links):
            return found.rows, gr.Dropdown(choices=found.active, value=None)

        def on_open():  # the list, and why it holds only this machine's links if Convex is away
            found = shares.links()
            return (found.notice, *shown(found))

        def on_make(chat: ChatState, public: bool):
            return (*shares.make_link(chat, public), *shown(shares.links()))

        def on_revoke(token: str | None):
            return (shares.revoke(token), *shown(shares.links()))

        made = self.make.click(on_make, [state, self.public], [self.link, self.message, *listed], **private)
        made.then(None, [self.link], [self.link], js=ABSOLUTE, **private)
        self.revoke.click(on_revoke, [self.pick], [self.message, *listed], **private)
        self.box.expand(on_open, None, [self.message, *listed], **private)

    def open_on_load(self, demo: gr.Blocks, state: gr.State, outputs: list, values: Callable) -> gr.events.Dependency:
        """A share link's "Open in JFDI" lands on /?fork=<token>: the shared generation becomes this
        session's conversation. Returns the event, for the preview to follow."""
        shares = self.shares

        def on_load(chat: ChatState, request: gr.Request):
            token = request.query_params.get("fork") if request else None
            if not token:
                return tuple(gr.skip() for _ in outputs)
            return values(shares.open_shared(token, chat))

        return demo.load(on_load, [state], outputs, queue=False, api_visibility="private")
