"""The Versions view beside the code and the preview: undo and redo, the conversation's versions,
restore, fork, edit-and-rerun, regenerate, and a comparison of any two versions. The current
version's id is kept in the page's address (?v=<id>), so that a reload opens it again. Layout and
wiring; what the events do is in version_handlers.py."""

from __future__ import annotations

from typing import Callable

import gradio as gr

from .code_panel import CodePanel
from .handlers import ChatState, View
from .version_handlers import Moved, Trail, VersionHandlers, VersionsView

HEADERS = ["#", "Kind", "Prompt", "Provider", "Time (UTC)", "Checks"]
HELP = ("Every answer, Fix, saved edit, restore and fork is a version; nothing is overwritten. An edit in the code "
        "panel is saved when you leave the editor. Regenerate and Rerun use the provider picked in Settings.")
# The address follows the current version without reloading the page.
KEEP_IN_ADDRESS = """(id) => {
  const url = new URL(window.location.href);
  if (id) { url.searchParams.set("v", id); } else { url.searchParams.delete("v"); }
  window.history.replaceState(window.history.state, "", url);
}"""


class VersionsPanel:
    """Render it inside the Build tab's code tabs, then `wire` it."""

    def __init__(self, versions: VersionHandlers):
        self.versions = versions

    def render(self) -> None:
        with gr.Tab("Versions", id="versions", elem_id="jfdi-versions-tab") as self.tab:
            self.summary = gr.Markdown(VersionsView().summary, elem_id="jfdi-versions-summary")
            with gr.Row():
                self.undo = gr.Button("↩️ Undo", interactive=False, size="sm", elem_id="jfdi-undo")
                self.redo = gr.Button("↪️ Redo", interactive=False, size="sm", elem_id="jfdi-redo")
                self.save = gr.Button("💾 Save edit", interactive=False, size="sm", elem_id="jfdi-save-edit")
                self.regenerate = gr.Button("🔁 Regenerate", interactive=False, size="sm", elem_id="jfdi-regenerate")
            gr.Markdown(HELP)
            self.table = gr.Dataframe(headers=HEADERS, datatype=["str"] * len(HEADERS), interactive=False, wrap=True,
                                      column_widths=["9%", "14%", "33%", "13%", "17%", "14%"], elem_id="jfdi-versions")
            self.pick = gr.Dropdown(label="Version (or click a row)", choices=[], value=None, elem_id="jfdi-version-pick")
            with gr.Row():
                self.restore = gr.Button("♻️ Restore as a new version", interactive=False, size="sm", elem_id="jfdi-restore")
                self.fork = gr.Button("🍴 Fork a new conversation", interactive=False, size="sm", elem_id="jfdi-fork")
            with gr.Row(equal_height=True):
                self.rerun_prompt = gr.Textbox(label="Its prompt: edit it and rerun from there", lines=1, max_lines=6, scale=4,
                                               elem_id="jfdi-rerun-prompt")
                self.rerun = gr.Button("▶️ Rerun", interactive=False, scale=1, elem_id="jfdi-rerun")
            with gr.Row():
                self.old = gr.Dropdown(label="Compare version", choices=[], value=None, elem_id="jfdi-compare-old")
                self.new = gr.Dropdown(label="with version", choices=[], value=None, elem_id="jfdi-compare-new")
            self.compare = gr.Button("Compare", size="sm", elem_id="jfdi-compare")
            self.diff = gr.HTML(elem_id="jfdi-diff")
            self.current = gr.Textbox(visible="hidden", elem_id="jfdi-version-id")
            self.trail = gr.State(())
            self.ids = gr.State([])

    def wire(
        self,
        loaded,
        *,
        state: gr.State,
        code_panel: CodePanel,
        provider: gr.Dropdown,
        outputs: list,
        values: Callable[[View], tuple],
        session: Callable[[gr.Request | None], str],
    ) -> tuple[list, list]:
        """`loaded`: the page's load event that sets the session's state (the version in the
        address is opened after it, or that event would overwrite it with the state it read).
        `outputs`/`values`: what a View fills in (chat, code panel, status, chat state).
        Returns (the events that move the session to another version, the events that generate),
        for the preview to follow."""
        versions, private = self.versions, dict(api_visibility="private")
        editor = code_panel.outputs  # read as the edited project: CodePanel.edited_files
        listed = [self.summary, self.table, self.pick, self.old, self.new, self.diff, self.current, self.undo, self.redo,
                  self.regenerate, self.save, self.restore, self.fork, self.rerun, self.ids]

        def on_refresh(chat: ChatState, files: dict, picked: str | None, old: str | None, new: str | None,
                       request: gr.Request):
            view = versions.panel(chat)
            free = not versions.handlers.answering(session(request))  # see hold_on
            ids = [version_id for _, version_id in view.choices]
            # What the user picked in this conversation stays picked, and is not written back (it
            # may have changed since it was read); versions never change, nor does their comparison.
            # Otherwise Compare is ready for what the current version changed.
            choices = dict(choices=view.choices)
            compared = old in ids and new in ids
            kept = picked in ids and free
            return (view.summary, view.rows, gr.Dropdown(**choices) if picked in ids else gr.Dropdown(**choices, value=None),
                    gr.Dropdown(**choices) if compared else gr.Dropdown(**choices, value=view.made_from or None),
                    gr.Dropdown(**choices) if compared else gr.Dropdown(**choices, value=view.current or None),
                    gr.skip() if compared else "", view.current,
                    gr.Button(interactive=view.can_undo and free), gr.Button(interactive=view.can_redo and free),
                    gr.Button(interactive=view.can_regenerate and free),
                    gr.Button(interactive=versions.can_save(chat, files or {})),
                    gr.Button(interactive=kept), gr.Button(interactive=kept),
                    gr.Button(interactive=kept and bool(versions.prompt_of(chat, picked))), ids)

        def moved(result: Moved):
            return (*values(result.view), result.trail)

        # Each event that reads the code panel gets its project, file picked and editor text
        # (`editor`) last, and keeps the edit as a version before it acts (version_handlers.py).
        def on_undo(chat: ChatState, trail: Trail, files: dict, path: str | None, text: str):
            return moved(versions.undo(chat, CodePanel.edited_files(files, path, text), tuple(trail or ())))

        def on_redo(chat: ChatState, trail: Trail, files: dict, path: str | None, text: str):
            return moved(versions.redo(chat, CodePanel.edited_files(files, path, text), tuple(trail or ())))

        def on_restore(chat: ChatState, picked: str | None, files: dict, path: str | None, text: str):
            return moved(versions.restore(chat, CodePanel.edited_files(files, path, text), picked))

        def on_fork(chat: ChatState, picked: str | None, files: dict, path: str | None, text: str):
            return moved(versions.fork(chat, CodePanel.edited_files(files, path, text), picked))

        def on_save(chat: ChatState, files: dict, path: str | None, text: str):
            return versions.save_edit(chat, CodePanel.edited_files(files, path, text))

        def on_leave_editor(chat: ChatState, files: dict, path: str | None, text: str):
            edited = CodePanel.edited_files(files, path, text)
            if not versions.can_save(chat, edited):  # most times the editor loses focus, nothing changed
                return gr.skip(), gr.skip()
            return versions.save_edit(chat, edited)

        def on_can_save(chat: ChatState, files: dict):
            return gr.Button(interactive=versions.can_save(chat, files or {}))

        def on_pick(chat: ChatState, picked: str | None):
            prompt = versions.prompt_of(chat, picked)
            restore, fork = (gr.Button(interactive=bool(picked)) for _ in range(2))
            return prompt, restore, fork, gr.Button(interactive=bool(prompt))

        def on_row(ids: list[str], event: gr.SelectData):
            row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
            return ids[row] if row is not None and row < len(ids) else gr.skip()

        def stream(views):
            for view in views:
                yield values(view)

        def on_regenerate(chat: ChatState, provider_value: str, files: dict, path: str | None, text: str, request: gr.Request):
            edited = CodePanel.edited_files(files, path, text)
            yield from stream(versions.regenerate(chat, edited, provider_value, session(request)))

        def on_rerun(chat: ChatState, picked: str | None, prompt: str, provider_value: str, files: dict, path: str | None,
                     text: str, request: gr.Request):
            edited = CodePanel.edited_files(files, path, text)
            yield from stream(versions.rerun(chat, edited, picked, prompt, provider_value, session(request)))

        def on_load(chat: ChatState, request: gr.Request):
            version_id = request.query_params.get("v") if request else None
            if not version_id:
                return tuple(gr.skip() for _ in outputs)
            return values(versions.open(version_id, chat))

        status = outputs[-2]
        chat_out = [*outputs, self.trail]
        moves = [
            self.undo.click(on_undo, [state, self.trail, *editor], chat_out, **private),
            self.redo.click(on_redo, [state, self.trail, *editor], chat_out, **private),
            self.restore.click(on_restore, [state, self.pick, *editor], chat_out, **private),
            self.fork.click(on_fork, [state, self.pick, *editor], chat_out, **private),
            loaded.then(on_load, [state], outputs, queue=False, **private),
        ]
        self.hold_on([self.regenerate.click, self.rerun.click], session)
        generating = [
            self.regenerate.click(on_regenerate, [state, provider, *editor], outputs, concurrency_limit=None, **private),
            self.rerun.click(on_rerun, [state, self.pick, self.rerun_prompt, provider, *editor], outputs, concurrency_limit=None,
                             **private),
        ]
        # A saved edit is the project on show: the preview keeps its findings with the new version.
        moves += [self.save.click(on_save, [state, *editor], [state, status], **private),
                  code_panel.code.blur(on_leave_editor, [state, *editor], [state, status], **private)]
        code_panel.edited.then(on_can_save, [state, code_panel.files], [self.save], queue=False, **private)
        self._refresh = dict(fn=on_refresh, inputs=[state, code_panel.files, self.pick, self.old, self.new], outputs=listed,
                             queue=False, **private)
        for trigger in (state.change, self.tab.select):
            trigger(**self._refresh)
        self.current.change(None, [self.current], None, js=KEEP_IN_ADDRESS, **private)
        self.pick.change(on_pick, [state, self.pick], [self.rerun_prompt, self.restore, self.fork, self.rerun], queue=False,
                         **private)
        self.table.select(on_row, [self.ids], [self.pick], queue=False, **private)
        self.compare.click(versions.compare, [state, self.old, self.new], [self.diff], queue=False, **private)
        self.release_after(generating, session)
        return moves, generating

    def hold_on(self, triggers: list, session: Callable[[gr.Request | None], str]) -> None:
        """What moves the conversation waits while an answer is on its way: pressed then, the
        answer's last update put back the conversation it had left. Each of `triggers` (a
        Generate's click) holds it; every reading of the list keeps it held, a late one from the
        answer before included, until the answer's event is over (release_after). Call it before
        the answer's own listener is added: Gradio ran the hold added after it once the answer was
        over."""
        handlers, held = self.versions.handlers, [self.undo, self.redo, self.regenerate, self.restore, self.fork, self.rerun]

        def hold(request: gr.Request):
            handlers.hold(session(request))
            return tuple(gr.Button(interactive=False) for _ in held)

        for trigger in triggers:
            trigger(hold, None, held, queue=False, api_visibility="private")

    def release_after(self, answers: list, session: Callable[[gr.Request | None], str]) -> None:
        """Once each of these answers' events is over, what hold_on held goes by the list again."""
        handlers = self.versions.handlers

        def release(request: gr.Request):
            handlers.release(session(request))

        for answer in answers:
            answer.then(release, None, None, queue=False, api_visibility="private").then(**self._refresh)

    def refresh_after(self, events: list) -> None:
        """Read the list again once each of these events is done (`wire` first): the preview's
        checks, kept with the version they checked, fill in its checks column."""
        for event in events:
            event.then(**self._refresh)
