"""A conversation's version timeline: every answer, Fix, manual edit, restore and fork is a
generation in the log, linked to the version it was made from (`parent_id`) and to its
conversation (`conversation_id`, the id of the conversation's first version). The UI and the CLI
share this module: it reads timelines and makes the versions that no model answers.

Nothing is ever overwritten: restoring an old version, forking or saving an edit adds a version.
A fork starts a conversation of its own, whose first version is a copy of the one it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .engine import Engine
from .errors import BadInput, UnknownVersion
from .generation import Generation
from .store.team import Team

# Versions a model answered (they have a prompt that can be run again), and versions made from
# files already there.
ANSWERED = ("answer", "fix", "regenerate", "rerun")
BY_HAND = ("edit", "restore", "fork")
EDIT_PROMPT = "Edited by hand"

Record = dict[str, Any]


@dataclass(frozen=True)
class Timeline:
    """A conversation's versions, oldest first (journal records)."""

    versions: Sequence[Record]

    def get(self, version_id: str | None) -> Record | None:
        return next((v for v in self.versions if v["id"] == version_id), None)

    def number(self, version_id: str) -> int:
        """The version's place in the timeline, from 1: how the UI and the CLI name it."""
        return next(n for n, v in enumerate(self.versions, start=1) if v["id"] == version_id)

    def parent(self, version_id: str | None) -> Record | None:
        """The version this one was made from, when it is in this conversation (a fork's is not)."""
        version = self.get(version_id)
        return self.get(version["parent_id"]) if version and version.get("kind") != "fork" else None

    def files_at(self, version_id: str | None) -> dict[str, str]:
        """The project as the code panel shows it at this version: its files, or for a version
        without any (an answer that failed), those of the version it was made from."""
        version = self.get(version_id)
        while version is not None and not version["files"]:
            version = self.parent(version["id"])
        return dict(version["files"]) if version else {}

    def children(self, version_id: str | None) -> list[Record]:
        """The versions made from this one, oldest first."""
        return [v for v in self.versions if v.get("parent_id") == version_id and v.get("kind") != "fork"]

    def last_answer(self, version_id: str | None) -> Record | None:
        """The newest version a model answered on the way to this one (itself included)."""
        version = self.get(version_id)
        while version is not None and version.get("kind") not in ANSWERED:
            version = self.parent(version["id"])
        return version


@dataclass(frozen=True)
class RerunPoint:
    """Where an answered version was asked from: its prompt, the conversation before it, and the
    version it answered (None: it began the conversation). Running from here again makes a sibling."""

    answer: Record
    parent: Record | None

    @property
    def turns(self) -> list[dict]:
        """The conversation before the answer (the log keeps the answer's own turn last)."""
        return self.answer["conversation"][:-1]

    @property
    def files(self) -> dict[str, str]:
        return dict(self.parent["files"]) if self.parent else {}


def checks_word(checks: dict | None) -> str:
    """A version's check results in a word or two, as the timeline lists them."""
    if not checks:
        return "not checked"
    problems = sum(len(checks.get(key) or ()) for key in ("import_errors", "syntax_errors", "type_errors", "runtime_errors"))
    if checks.get("ok") is False or problems:
        return f"failed ({problems})" if problems else "failed"
    return "passed" if checks.get("ok") else "not checked"


def load_timeline(team: Team, generation_id: str) -> Timeline:
    """The timeline of the conversation `generation_id` belongs to. UnknownVersion when no log
    knows it; TeamStoreError when it is not here and Convex cannot be asked."""
    generation_id = (generation_id or "").strip()
    versions = team.timeline(generation_id) if generation_id else []
    if not versions:
        raise UnknownVersion(f"there is no generation {generation_id!r} in the log: `python -m jfdi history` lists them")
    return Timeline(versions)


class Versions:
    def __init__(self, engine: Engine):
        self.engine = engine

    def timeline(self, generation_id: str) -> Timeline:
        return load_timeline(self.engine.team, generation_id)

    def save_edit(self, current: Record | None, files: Mapping[str, str], workspace: str) -> Record:
        """The code panel's files, edited by hand, as a new version after `current` (None: the
        panel held no logged version; the edit starts a conversation)."""
        if not any(text.strip() for text in files.values()):
            raise BadInput("there is no code to save: the code panel is empty")
        if current is not None and dict(current["files"]) == dict(files):
            raise BadInput("nothing to save: the code panel holds this version's files unchanged")
        return self._by_hand("edit", EDIT_PROMPT, files, current, workspace=workspace)

    def restore(self, timeline: Timeline, current: Record, version_id: str) -> Record:
        """A new version after `current` with the files of an earlier one; nothing is overwritten."""
        source = self._version(timeline, version_id)
        prompt = f"Restored version {timeline.number(source['id'])}: {source['prompt']}"
        return self._by_hand("restore", prompt, source["files"], current, checks=source.get("checks"))

    def fork(self, timeline: Timeline, version_id: str) -> Record:
        """A new conversation whose first version is a copy of this one (its parent)."""
        source = self._version(timeline, version_id)
        return self._by_hand("fork", f"Forked from: {source['prompt']}", source["files"], source, checks=source.get("checks"),
                             new_conversation=True)

    def rerun_point(self, timeline: Timeline, version_id: str) -> RerunPoint:
        """Where to run an answered version's prompt again (regenerate, or edit and rerun)."""
        answer = self._version(timeline, version_id)
        if answer.get("kind") not in ANSWERED or not answer["conversation"]:
            raise UnknownVersion(f"version {timeline.number(answer['id'])} was not answered by a model: "
                                 "there is no prompt to run again")
        return RerunPoint(answer, timeline.parent(answer["id"]))

    def _version(self, timeline: Timeline, version_id: str) -> Record:
        version = timeline.get(version_id)
        if version is None:
            raise UnknownVersion(f"there is no version {version_id!r} in this conversation")
        return version

    def _by_hand(
        self,
        kind: str,
        prompt: str,
        files: Mapping[str, str],
        parent: Record | None,
        *,
        workspace: str | None = None,
        checks: dict | None = None,
        new_conversation: bool = False,
    ) -> Record:
        """Log a version no model answered. It keeps the chat as it was at `parent` (the
        conversation the next prompt follows up) and, for the same files, their checks."""
        gen = Generation(
            prompt=prompt,
            provider_requested=None,
            workspace=workspace or (parent["workspace"] if parent else "default"),
            parent_id=parent["id"] if parent else None,
            kind=kind,
            conversation=[dict(turn) for turn in (parent["conversation"] if parent else [])],
            checks=checks,
            files=dict(files),
        )
        if parent is not None and not new_conversation:
            gen.conversation_id = parent["conversation_id"]
        gen.status = "ok"
        record = gen.to_record()
        self.engine.store.save(record)  # the version is the log entry: a failure to keep it is the user's to see
        self.engine.team.wake()
        return record
