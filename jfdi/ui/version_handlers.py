"""What the Versions view's events do, as plain functions and generators (no Gradio here): undo
and redo along the conversation's timeline, save a manual edit, restore, compare, fork,
regenerate the last answer and rerun an earlier prompt (jfdi/versions.py keeps the versions).

A manual edit in the code panel becomes a version when the user leaves the editor, presses
"Save edit", or does anything that moves to another version or asks the model (`keep_edit`):
never on every keystroke, and never lost. Saving the same edit twice (two of those events racing)
finds the version already made instead of adding another."""

from __future__ import annotations

import html

from dataclasses import dataclass, field, replace
from typing import Iterator

from ..errors import JFDIError, UnknownVersion
from ..project import Files
from ..versions import BY_HAND, Record, RerunPoint, Timeline, Versions, checks_word
from .diff_view import files_diff_html
from .handlers import ChatState, Handlers, View, at_turns

Trail = tuple[str, ...]  # the versions undone, the latest last: where redo goes back to


@dataclass(frozen=True)
class VersionsView:
    """The Versions view for the session's current version."""

    summary: str = "No versions yet: generate something, or open a generation from the History."
    rows: list[list[str]] = field(default_factory=list)  # #, kind, prompt, provider, time, checks; ▶ marks the current
    choices: list[tuple[str, str]] = field(default_factory=list)  # (label, id), oldest first
    current: str = ""  # the current version's id (the page's ?v=), "" when there is none
    made_from: str = ""  # the id of the version the current one was made from, if in this conversation
    can_undo: bool = False
    can_redo: bool = False
    can_regenerate: bool = False


@dataclass(frozen=True)
class Moved:
    """The session after undo, redo, restore or fork, and the redo trail that goes with it."""

    view: View
    trail: Trail = ()


class VersionHandlers:
    def __init__(self, handlers: Handlers):
        self.handlers = handlers
        self.versions = Versions(handlers.engine)

    # -- the view -------------------------------------------------------------------------------
    def panel(self, state: ChatState) -> VersionsView:
        if not state.generation_id:
            return VersionsView()
        try:
            timeline = self.versions.timeline(state.generation_id)
        except JFDIError as exc:
            return VersionsView(summary=f"⚠️ {exc}")
        current = timeline.get(state.generation_id)
        number = timeline.number(current["id"])
        parent = timeline.parent(current["id"])
        rows = [[f"{'▶ ' if v is current else ''}{n}", _kind(v), _one_line(v["prompt"], 80), _provider(v), _time(v),
                 checks_word(v.get("checks"))] for n, v in enumerate(timeline.versions, start=1)]
        return VersionsView(
            summary=f"**Version {number} of {len(timeline.versions)}** · {_describe(current)}",
            rows=rows,
            choices=[(f"{n} · {v['kind']} · {_one_line(v['prompt'], 50)}", v["id"])
                     for n, v in enumerate(timeline.versions, start=1)],
            current=current["id"],
            made_from=parent["id"] if parent else "",
            can_undo=parent is not None,
            can_redo=bool(self._children(timeline, current["id"])),
            can_regenerate=timeline.last_answer(current["id"]) is not None,
        )

    def can_save(self, state: ChatState, files: Files) -> bool:
        """Whether the code panel holds code that is not the current version's."""
        if not any(text.strip() for text in (files or {}).values()):
            return False
        try:
            shown = self.versions.timeline(state.generation_id).files_at(state.generation_id) if state.generation_id else {}
        except JFDIError:
            return True
        return shown != dict(files)

    def prompt_of(self, state: ChatState, version_id: str | None) -> str:
        """The prompt of a version a model answered, for the rerun box ("" for one made by hand)."""
        try:
            version = self.versions.timeline(state.generation_id or "").get(version_id)
        except JFDIError:
            return ""
        return version["prompt"] if version and version["kind"] not in BY_HAND else ""

    # -- manual edits -----------------------------------------------------------------------------
    def keep_edit(self, state: ChatState, files: Files) -> tuple[ChatState, str]:
        """The code panel's files as a version, when they are not the current version's: the
        session moves to it. Returns the state and what happened ("" when nothing was saved)."""
        files = dict(files or {})
        if not any(text.strip() for text in files.values()):
            return state, ""
        timeline = self.versions.timeline(state.generation_id) if state.generation_id else Timeline(())
        current = timeline.get(state.generation_id)
        if timeline.files_at(state.generation_id) == files:
            return state, ""
        made = next((v for v in timeline.children(state.generation_id) if v["kind"] == "edit" and v["files"] == files), None)
        made = made or self.versions.save_edit(current, files, state.workspace)
        return replace(state, generation_id=made["id"]), "💾 Your edit is saved as a version."

    def before_asking(self, state: ChatState, files: Files) -> ChatState:
        """A prompt is about to follow up the code panel: an edit there becomes a version first, so
        that the answer is made from it. If the log cannot keep it, the prompt still goes."""
        try:
            return self.keep_edit(state, files)[0]
        except JFDIError:
            return state

    def save_edit(self, state: ChatState, files: Files) -> tuple[ChatState, str]:
        """The Save edit button; says why when there is nothing to save."""
        try:
            kept, message = self.keep_edit(state, files)
        except JFDIError as exc:
            return state, f"❌ {exc}"
        if message:
            return kept, message
        empty = not any(text.strip() for text in (files or {}).values())
        return state, f"Nothing to save: the code panel {'is empty' if empty else 'holds the current version unchanged'}."

    # -- moving along the timeline -----------------------------------------------------------------
    def undo(self, state: ChatState, files: Files, trail: Trail) -> Moved:
        """Back to the version the current one was made from (an unsaved edit is saved first, so
        redo brings it back)."""
        try:
            state, _ = self.keep_edit(state, files)
            timeline = self._timeline(state)
        except JFDIError as exc:
            return self._stay(state, files, trail, f"❌ {exc}")
        parent = timeline.parent(state.generation_id)
        if parent is None:
            return self._stay(state, files, trail, "Nothing to undo: this is the first version of the conversation.")
        view = self._at(timeline, state, parent, "↩️ Undo: back to")
        return Moved(view, (*trail, state.generation_id))

    def redo(self, state: ChatState, files: Files, trail: Trail) -> Moved:
        """Forward again: to the version last undone from here, else to the newest made from it."""
        try:
            state, saved = self.keep_edit(state, files)
            timeline = self._timeline(state)
        except JFDIError as exc:
            return self._stay(state, files, trail, f"❌ {exc}")
        children = self._children(timeline, state.generation_id)
        if saved or not children:
            return self._stay(state, files, (), saved or "Nothing to redo: no version was made from this one.")
        undone = trail[-1] if trail else None
        target = next((c for c in children if c["id"] == undone), children[-1])
        return Moved(self._at(timeline, state, target, "↪️ Redo: forward to"), trail[:-1] if target["id"] == undone else ())

    def restore(self, state: ChatState, files: Files, version_id: str | None) -> Moved:
        """A new version with the files of `version_id`; the versions in between stay."""
        try:
            state, _ = self.keep_edit(state, files)
            timeline = self._timeline(state)
            record = self.versions.restore(timeline, timeline.get(state.generation_id), version_id or "")
        except JFDIError as exc:
            return self._stay(state, files, (), f"❌ {exc}")
        timeline = Timeline([*timeline.versions, record])
        return Moved(self._at(timeline, state, record, f"♻️ Restored version {timeline.number(version_id)} as"))

    def fork(self, state: ChatState, files: Files, version_id: str | None) -> Moved:
        """A new conversation whose first version is a copy of `version_id`; the one it came from
        stays as it is."""
        try:
            state, _ = self.keep_edit(state, files)
            timeline = self._timeline(state)
            record = self.versions.fork(timeline, version_id or "")
        except JFDIError as exc:
            return self._stay(state, files, (), f"❌ {exc}")
        status = f"🍴 Forked version {timeline.number(version_id)} into a new conversation: its changes stay apart."
        return Moved(self.handlers.at_version(state, record, status))

    def open(self, version_id: str, state: ChatState) -> View:
        """A page opened on ?v=<id> (a reload): the session is on that version again."""
        return self.handlers.open_generation(version_id, state)

    # -- comparing ---------------------------------------------------------------------------------
    def compare(self, state: ChatState, old_id: str | None, new_id: str | None) -> str:
        """Two versions of the conversation as a diff per changed file (HTML, escaped)."""
        if not old_id or not new_id:
            return "<p>Pick two versions to compare.</p>"
        try:
            timeline = self._timeline(state)
        except JFDIError as exc:
            return f"<p>❌ {html.escape(str(exc))}</p>"
        old, new = timeline.get(old_id), timeline.get(new_id)
        if old is None or new is None:
            return "<p>❌ Those versions are not in this conversation any more: pick them again.</p>"
        old_name, new_name = (f"version {timeline.number(version_id)}" for version_id in (old_id, new_id))
        return files_diff_html(old["files"], new["files"], old_name, new_name)

    # -- asking the model again ------------------------------------------------------------------
    def regenerate(self, state: ChatState, files: Files, provider: str, session: str) -> Iterator[View]:
        """The last answer asked again (same prompt and conversation, `provider`): a new version
        beside the old one, which stays."""
        try:
            state, _ = self.keep_edit(state, files)
            timeline = self._timeline(state)
            answer = timeline.last_answer(state.generation_id)
            if answer is None:
                raise UnknownVersion("nothing to regenerate: no model answered in this conversation yet")
            point = self.versions.rerun_point(timeline, answer["id"])
        except JFDIError as exc:
            yield View(self.handlers.chat(state), files, f"❌ {exc}", state)
            return
        yield from self._ask_again(point, answer["prompt"], provider, state, files, session, "regenerate")

    def rerun(self, state: ChatState, files: Files, version_id: str | None, prompt: str, provider: str,
              session: str) -> Iterator[View]:
        """An earlier prompt, edited, asked again from where it was asked: a new version from that
        point, beside the one it answered then."""
        try:
            state, _ = self.keep_edit(state, files)
            point = self.versions.rerun_point(self._timeline(state), version_id or "")
        except JFDIError as exc:
            yield View(self.handlers.chat(state), files, f"❌ {exc}", state)
            return
        yield from self._ask_again(point, prompt, provider, state, files, session, "rerun")

    def _ask_again(self, point: RerunPoint, prompt: str, provider: str, state: ChatState, files: Files, session: str,
                   kind: str) -> Iterator[View]:
        start = at_turns(state, point.turns, point.parent["id"] if point.parent else None)
        last = None
        for last in self.handlers.generate(prompt, provider, start, point.files, session, kind=kind,
                                           conversation_id=point.answer["conversation_id"]):
            yield last
        if last is not None and last.state.generation_id == start.generation_id:
            # No new version (refused, failed, nothing came back): the session stays where it was.
            yield View(self.handlers.chat(state), files, last.status, state, prompt=last.prompt)

    # -- helpers ------------------------------------------------------------------------------------
    def _timeline(self, state: ChatState) -> Timeline:
        if not state.generation_id:
            raise UnknownVersion("there are no versions yet: generate something, or open a generation from the History")
        return self.versions.timeline(state.generation_id)

    @staticmethod
    def _children(timeline: Timeline, version_id: str | None) -> list[Record]:
        # A failed or stopped answer is logged but changed nothing usable (a follow-up's keeps the
        # files before it): there is nothing to go forward to.
        return [v for v in timeline.children(version_id) if v["files"] and v["status"] == "ok"]

    def _at(self, timeline: Timeline, state: ChatState, version: Record, verb: str) -> View:
        shown = {**version, "files": timeline.files_at(version["id"])}  # a failed answer changed no file
        return self.handlers.at_version(state, shown, f"{verb} version {timeline.number(version['id'])} ({_describe(version)})")

    def _stay(self, state: ChatState, files: Files, trail: Trail, status: str) -> Moved:
        return Moved(View(self.handlers.chat(state), files, status, state), trail)


def _describe(version: Record) -> str:
    return " · ".join(part for part in (version["kind"], _provider(version), _time(version)) if part)


def _kind(version: Record) -> str:
    return version["kind"] if version["status"] == "ok" else f"{version['kind']} ({version['status']})"


def _provider(version: Record) -> str:
    return version.get("provider") or "—"


def _time(version: Record) -> str:
    return version["created_at"].replace("T", " ")[5:19]  # 12-07 09:41:05: the list has little room


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
