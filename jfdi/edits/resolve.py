"""What a follow-up's final answer makes of the current files: edit blocks applied, or whole
files put in place, then refused if code was elided or it does not parse."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable, Mapping

from ..code import extract_code, looks_like_code
from ..preview.checks import CheckResult
from ..project import Files, is_script, project_of
from .apply import apply_edits
from .elision import find_elisions
from .format import parse_edits

Parse = Callable[[Files], CheckResult]


class Mode(str, Enum):
    APPLIED = "applied"  # edit blocks applied
    WHOLE = "whole"  # whole files replaced the ones they name
    NONE = "none"  # nothing changed: a new conversation, or the previous version kept


class Trouble(str, Enum):
    """Why an answer cannot become the new version; the value is how the status line says it."""

    BLOCKS = "an edit block did not apply"
    UNPARSABLE = "the result does not parse"
    ELIDED = "the answer elided code"
    NO_CODE = "the answer has no code and no edit blocks"  # a unified diff included: it is not applied


@dataclass(frozen=True)
class Resolution:
    mode: Mode
    files: Files  # the new project; the current one when there is `trouble`
    changed: tuple[str, ...] = ()
    trouble: Trouble | None = None
    reasons: tuple[str, ...] = ()  # each problem, written for the model and the user
    # True: the changed scripts parse; None: no parse could run (`parse_note` says why).
    parsed: bool | None = None
    parse_note: str = ""

    # The files the trouble is about (the ones to ask for whole), when known.
    concerned: tuple[str, ...] = ()
    # The trouble in a few words, for the status line: for failed blocks, the first one's kind
    # ("SEARCH text not found").
    short: str = ""


def resolve(current: Mapping[str, str], text: str, parse: Parse) -> Resolution:
    edits = parse_edits(text)
    if edits.has_edits:
        applied = apply_edits(current, edits.blocks, edits.malformed)
        if not applied.ok:
            return Resolution(Mode.APPLIED, dict(current), trouble=Trouble.BLOCKS,
                              reasons=tuple(f.reason for f in applied.failures), short=applied.failures[0].kind.value,
                              concerned=tuple(dict.fromkeys(f.path for f in applied.failures if f.path)))
        files, changed = applied.files, list(applied.changed)
        _put_whole(files, changed, _named_files(edits.rest))
        mode = Mode.APPLIED
    else:
        whole = _whole_files(text)
        if len(current) == 1 and len(whole) == 1 and not set(whole) & set(current):
            # One file answered for a one-file project: the same file, whatever the answer named it.
            whole = {next(iter(current)): next(iter(whole.values()))}
        files, changed = dict(current), []
        _put_whole(files, changed, whole)
        mode = Mode.WHOLE
        if not whole:
            return Resolution(mode, dict(current), trouble=Trouble.NO_CODE, reasons=(Trouble.NO_CODE.value,),
                              short=Trouble.NO_CODE.value)
    elided = find_elisions(files, current, changed)
    if elided:
        return Resolution(mode, dict(current), trouble=Trouble.ELIDED,
                          reasons=tuple(f"code left out at {e}" for e in elided), short=Trouble.ELIDED.value,
                          concerned=tuple(dict.fromkeys(e.path for e in elided)))
    scripts = {path: files[path] for path in changed if is_script(path)}
    if not scripts:
        return Resolution(mode, files, tuple(changed), parsed=None, parse_note="no script changed")
    checked = parse(scripts)
    if checked.syntax_ok is False:
        return Resolution(mode, dict(current), trouble=Trouble.UNPARSABLE,
                          reasons=tuple(f"after the change, {p}" for p in checked.syntax_errors),
                          short=Trouble.UNPARSABLE.value, concerned=tuple(scripts))
    return Resolution(mode, files, tuple(changed), parsed=checked.syntax_ok, parse_note="; ".join(checked.notes)
                      if checked.syntax_ok is None else "")


def _whole_files(text: str) -> Files:
    """The files an answer without edit blocks writes out. Unfenced prose ("You can do that by
    ...") is not a file, whatever extraction makes of it, and a unified diff is not one either."""
    if "```" not in text and not looks_like_code(text):
        return {}
    blocks = [block for block in extract_code(text).files if block.language.lower() not in ("diff", "patch")]
    return project_of(blocks).files


def _named_files(rest: str) -> Files:
    """Whole files written beside edit blocks: only fenced blocks that name their path, so that
    a snippet quoted in the prose is never taken for a file."""
    named = [block for block in extract_code(rest).files if block.name and block.code.strip()]
    return project_of(named).files


def _put_whole(files: Files, changed: list[str], whole: Mapping[str, str]) -> None:
    for path, text in whole.items():
        # Extraction drops the last newline: a file that differs only there is unchanged.
        if files.get(path, "").rstrip("\n") != text.rstrip("\n"):
            files[path] = text
            if path not in changed:
                changed.append(path)

