"""A follow-up to existing code, from the router's events to the new version.

The answer streams as usual; once it is final (Answered), and only then, it is resolved against
the current files. An answer that cannot be used goes back to the provider that gave it: blocks
that did not apply, or a result that does not parse, are re-asked once with the reason, then the
whole files are asked for; elided code is asked for in full once. When that fails too, the
previous version stays and the generation is an error that says why. The outcome is one
`Edited` event, which the Run records."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterator, Mapping, Sequence

from ..generation import Answered, Edited, Event, Notice, Replace, TextDelta
from ..providers.base import Message, Request
from . import prompts
from .resolve import Mode, Parse, Resolution, Trouble, resolve

Ask = Callable[[Request, str], Iterator[Event]]  # (request, provider choice) -> the router's events


def follow_up(ask: Ask, request: Request, current: Mapping[str, str], choice: str, parse: Parse) -> Iterator[Event]:
    current = dict(current)
    reasks: list[str] = []
    asked_whole = False
    while True:
        text, answered = "", None
        for event in ask(request, choice):
            if isinstance(event, TextDelta):
                text += event.text
            elif isinstance(event, Replace):
                text = event.text
            elif isinstance(event, Answered):
                answered = event
            yield event
        if answered is None:
            return  # no answer (failed, stopped): the Run keeps the current files
        result = resolve(current, text, parse)
        if result.trouble is None:
            yield Edited(result.files, edit_record(result.mode, result.changed, reasks, result))
            return
        if asked_whole:  # the last chance was taken
            reasons = "; ".join(result.reasons)
            yield Edited(current, edit_record(Mode.NONE, (), reasks, result),
                         error=f"kept the previous version: {result.short} ({reasons})")
            return
        # Elided code, or a second failure: the complete files. A first failure: the blocks again.
        asked_whole = bool(reasks) or result.trouble is Trouble.ELIDED
        paths = result.concerned or (tuple(current) if len(current) == 1 else ())
        message = prompts.whole(result.reasons, paths) if asked_whole else prompts.again(result.reasons)
        reasks.append(result.short)
        # Shown while it lasts; the log and the final status have it from the edit's `reasks`.
        yield Notice(f"re-asking {answered.provider}: {result.short}", transient=True)
        yield Replace("")  # the answer shown becomes the new one; the log keeps the one that was used
        request = replace(request, messages=request.messages + (Message("assistant", text), Message("user", message)))
        choice = answered.provider


def edit_record(mode: Mode, changed: Sequence[str], reasks: Sequence[str], result: Resolution) -> dict:
    """What the log keeps about a follow-up (the `edit` field): how the answer was used, which
    files it changed, why it was asked again, and whether the result was parsed."""
    return {"mode": mode.value, "changed": list(changed), "reasks": list(reasks), "parsed": result.parsed,
            "parse_note": result.parse_note}


def describe(edit: Mapping | None) -> str:
    """The edit in the status line: "edited 2 files", "re-asked once: SEARCH text not found", ..."""
    if not edit:
        return ""
    count = len(edit["changed"])
    files = f"{count} file{'s' if count != 1 else ''}"
    parts = []
    if edit["mode"] == Mode.APPLIED.value:
        parts.append(f"edited {files}")
    elif edit["mode"] == Mode.WHOLE.value:
        parts.append(f"rewrote {files}")
    if edit["reasks"]:
        times = {1: "once", 2: "twice"}.get(len(edit["reasks"]), f"{len(edit['reasks'])} times")
        parts.append(f"re-asked {times}: {'; '.join(edit['reasks'])}")
    if edit["mode"] != Mode.NONE.value and edit["parsed"] is None and count:
        parts.append(f"not parse-checked ({edit['parse_note']})")
    return " · ".join(parts)
