"""Applying edit blocks to a project's files.

Each SEARCH is looked for as whole lines: exactly first, then with each line's surrounding white
space ignored (models re-indent what they copy), in which case the replacement is re-indented by
the same amount. Nothing fuzzier: a SEARCH that is not there, or is there twice, is a failure
with the reason, never a guess at the nearest place. The blocks of one answer apply together or
not at all, so a re-asked answer starts again from the same files."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Mapping, Sequence

from ..project import Files, ProjectError, normalise_path
from .format import EditBlock, Malformed

QUOTE_LINES = 6  # how much of a SEARCH a failure quotes back to the model


class Failure(Enum):
    NOT_FOUND = "SEARCH text not found"
    AMBIGUOUS = "SEARCH text matches more than one place"
    UNKNOWN_FILE = "a file that is not in the project"
    NO_FILE = "a block that names no file"
    BAD_PATH = "a path outside the project"
    EXISTS = "an empty SEARCH on an existing file"
    MALFORMED = "a block with a missing marker"


@dataclass(frozen=True)
class BlockFailure:
    kind: Failure
    reason: str  # for the model and the user: names the file and quotes the text
    path: str | None = None  # the project file it meant, when that is known


@dataclass(frozen=True)
class Applied:
    files: Files  # the whole project after the edits (or unchanged, when any block failed)
    changed: tuple[str, ...]  # paths changed or created, in the order first touched
    failures: tuple[BlockFailure, ...] = ()
    reindented: int = 0  # blocks that matched only with their indentation ignored

    @property
    def ok(self) -> bool:
        return not self.failures


def apply_edits(files: Mapping[str, str], blocks: Sequence[EditBlock], malformed: Sequence[Malformed] = ()) -> Applied:
    """Apply every block in order, each to the files as the earlier ones left them."""
    failures = [BlockFailure(Failure.MALFORMED, m.reason) for m in malformed]
    result = dict(files)
    changed: list[str] = []
    reindented = 0
    only = next(iter(files)) if len(files) == 1 else None
    for block in blocks:
        outcome = _apply_one(result, block, only)
        if isinstance(outcome, BlockFailure):
            failures.append(outcome)
            continue
        path, text, shifted = outcome
        result[path] = text
        reindented += shifted
        if path not in changed:
            changed.append(path)
    if failures:
        return Applied(dict(files), (), tuple(failures))
    return Applied(result, tuple(changed), reindented=reindented)


def _apply_one(files: Files, block: EditBlock, only: str | None) -> BlockFailure | tuple[str, str, bool]:
    where = f"the block at line {block.line}"
    if block.path is None:
        if only is None:
            return BlockFailure(Failure.NO_FILE, f"{where} names no file: put the file's path on the line before <<<<<<< SEARCH")
        path = only  # a one-file project: there is no other file it could mean
    else:
        try:
            path = normalise_path(block.path)
        except ProjectError as exc:
            return BlockFailure(Failure.BAD_PATH, f"{where}: {exc}")
    if path not in files:
        if block.creates:
            return path, block.replace.strip("\n") + "\n", False
        known = ", ".join(sorted(files)) or "none"
        return BlockFailure(
            Failure.UNKNOWN_FILE, f"{where} edits {path}, which is not a file of the project (its files: {known})"
        )
    if block.creates:
        return BlockFailure(
            Failure.EXISTS,
            f"{where} has an empty SEARCH on {path}, which exists: copy the lines to change, or send the whole file",
            path,
        )
    lines = files[path].replace("\r\n", "\n").split("\n")  # a file pasted from Windows: edited, it gets \n
    search = block.search.split("\n")
    exact = _windows(lines, search, lambda a, b: a == b)
    if len(exact) == 1:
        return path, _splice(lines, exact[0], len(search), block.replace.split("\n")), False
    if len(exact) > 1:
        return _ambiguous(where, path, block, len(exact))
    trimmed = _trim_blank(search)
    loose = _windows(lines, trimmed, lambda a, b: a.strip() == b.strip()) if trimmed else []
    if len(loose) == 1:
        at = loose[0]
        replacement = _reindent(block.replace.split("\n"), trimmed, lines[at : at + len(trimmed)])
        return path, _splice(lines, at, len(trimmed), replacement), True
    if len(loose) > 1:
        return _ambiguous(where, path, block, len(loose))
    return BlockFailure(Failure.NOT_FOUND, f"{where}: this SEARCH text is not in {path}:\n{_quote(block.search)}", path)


def _ambiguous(where: str, path: str, block: EditBlock, count: int) -> BlockFailure:
    return BlockFailure(
        Failure.AMBIGUOUS,
        f"{where}: this SEARCH text is in {path} {count} times; add lines around it so that it names one place:\n"
        f"{_quote(block.search)}",
        path,
    )


def _windows(lines: list[str], search: list[str], same) -> list[int]:
    size = len(search)
    return [i for i in range(len(lines) - size + 1) if all(same(lines[i + k], search[k]) for k in range(size))]


def _splice(lines: list[str], at: int, size: int, replacement: list[str]) -> str:
    if replacement == [""]:
        replacement = []  # an empty REPLACE deletes the lines
    return "\n".join(lines[:at] + replacement + lines[at + size :])


def _trim_blank(search: list[str]) -> list[str]:
    start, end = 0, len(search)
    while start < end and not search[start].strip():
        start += 1
    while end > start and not search[end - 1].strip():
        end -= 1
    return search[start:end]


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _reindent(replacement: list[str], search: list[str], found: list[str]) -> list[str]:
    """The replacement moved by the indentation the SEARCH was off by (measured on its first
    line): each line keeps its indentation relative to the others."""
    wrote, actual = _indent(search[0]), _indent(found[0])
    shifted = []
    for line in replacement:
        if not line.strip():
            shifted.append(line)
        elif line.startswith(wrote):
            shifted.append(actual + line[len(wrote) :])
        else:  # less indented than the SEARCH's first line: nothing to measure it against
            shifted.append(line)
    return shifted


def _quote(text: str) -> str:
    lines = text.strip("\n").split("\n")
    shown = lines[:QUOTE_LINES] + ([f"... ({len(lines) - QUOTE_LINES} more lines)"] if len(lines) > QUOTE_LINES else [])
    return "\n".join(f"    {line}" for line in shown)
