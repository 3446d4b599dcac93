"""Extract the code from a model's answer, as the files it names.

Models wrap code in fences with any tag or none, put prose around it, split it into several
files, or (as the system prompt asks of a one-file answer) send bare code. They name files in
every way, and all occur: a path in the fence's info string (```tsx src/App.tsx, ```tsx
title="src/App.tsx"), a first-line comment (// src/App.tsx, // File: src/App.tsx), or a bold or
heading line with the path right before the fence; bare code may have `// File: path` lines
between its files. The answer itself is always kept; this module finds its files, and
jfdi/project.py makes a project of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .project import Answer, Named, project_of

_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# A file name worth taking from prose or a comment: a known suffix, so "v1.2" or "e.g." is not one.
_SUFFIX = r"(?:tsx|ts|jsx|js|mjs|cjs|css|scss|less|html|json|md|py|sh|ya?ml|svg|sql|vue|svelte|txt)"
_FILENAME = re.compile(rf"(?:^|[\s`'\"*:=(\[])(?P<name>[\w./@~\\-]*[\w@-]\.{_SUFFIX})(?!\w)", re.I)
_FILE_MARKER = re.compile(r"^\s*(?://|/\*|#|<!--)\s*(?:file(?:name)?\s*:\s*)?(?P<name>[^\s*]+?)\s*(?:\*/|-->)?\s*$", re.I)
_BARE_MARKER = re.compile(r"^// File: (?P<name>\S.*?)\s*$")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+|\*\*|__|\d+[.)]\s+|[-*]\s+)")
_SHELL = {"bash", "sh", "shell", "console", "zsh", "powershell", "cmd", "text", "txt"}
_CODE_START = re.compile(
    r"^\s*(import\b|export\b|const\b|let\b|var\b|function\b|interface\b|type\b|class\b|enum\b|"
    r"async\b|declare\b|['\"]use (client|strict)['\"]|//|/\*|<[A-Za-z])"
)


@dataclass(frozen=True)
class Extracted:
    files: tuple[Named, ...]
    # True when a fence was opened and never closed: the answer stopped mid-block.
    unterminated: bool = False


def extract_code(answer: str) -> Extracted:
    lines = answer.splitlines()
    blocks: list[Named] = []
    unterminated = False
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match["fence"], match["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = _FENCE.match(lines[j])
            if close and close["fence"][0] == fence[0] and len(close["fence"]) >= len(fence) and not close["info"].strip():
                break
            body.append(lines[j])
            j += 1
        else:
            unterminated = True
        language, name = _parse_info(info)
        name = name or _name_from_context(lines[:i])
        blocks.append(_named(name, body, language))
        i = j + 1

    if not blocks:
        return Extracted(_bare_files(answer))
    code_blocks = [b for b in blocks if b.language.lower() not in _SHELL and b.code.strip()] or blocks
    return Extracted(tuple(code_blocks), unterminated=unterminated)


def answer_files(answer: str) -> Answer:
    """The project in an answer (see jfdi/project.py)."""
    return project_of(extract_code(answer).files)


def looks_like_code(text: str) -> bool:
    return any(_CODE_START.match(line) for line in text.splitlines()[:50])


def bare_code(answer: str) -> str:
    """An answer without fences, less a line or two of prose before the code ("Here is the component:")."""
    lines = answer.strip().splitlines()
    for index, line in enumerate(lines[:5]):
        if _CODE_START.match(line):
            return "\n".join(lines[index:]).strip()
    return answer.strip()


def _named(name: str | None, body: list[str], language: str) -> Named:
    """A file from its lines; a first line that only names the file names it and is dropped."""
    if body:
        marker = _FILE_MARKER.match(body[0])
        if marker and _FILENAME.fullmatch(" " + marker["name"]):
            name, body = name or marker["name"], body[1:]
        elif name is None and re.match(r"^\s*(//|/\*|#|<!--)", body[0]):
            found = _FILENAME.search(body[0])
            name = found["name"] if found else None
    return Named(name, "\n".join(body).strip("\n"), language)


def _bare_files(answer: str) -> tuple[Named, ...]:
    code = bare_code(answer)
    if not code:
        return ()
    files: list[Named] = []
    name, lines = None, []
    for line in code.split("\n"):
        marker = _BARE_MARKER.match(line)
        if marker:
            if "\n".join(lines).strip():
                files.append(_named(name, lines, "tsx"))
            name, lines = marker["name"], []
        else:
            lines.append(line)
    if "\n".join(lines).strip():
        files.append(_named(name, lines, "tsx"))
    return tuple(files)


def _parse_info(info: str) -> tuple[str, str | None]:
    if not info:
        return "", None
    name = None
    title = re.search(r"""(?:title|file|filename|path)\s*=\s*["']?([^"'\s]+)""", info)
    if title:
        name = title.group(1)
    words = re.split(r"[\s:]+", info)
    language = words[0] if words and "." not in words[0] and "/" not in words[0] and "=" not in words[0] else ""
    if name is None:
        # Any path-like word after the language names the file, known suffix or not: a refused
        # name ("src/etl.py") is then refused with a reason instead of silently unnamed.
        rest = [w for w in words[1 if language else 0:] if "=" not in w]
        name = next((w for w in rest if re.search(r"[\w-]\.\w{1,8}$", w) or "/" in w), None)
    return language, name


def _name_from_context(before: list[str]) -> str | None:
    """A heading or bold line right above a block names its file ("**src/Form.tsx**",
    "### components/Chart.tsx"), as does a short line that is only the path, or ends in ':'."""
    for line in reversed(before[-2:]):
        text = line.strip()
        if not text:
            continue
        names = [m["name"] for m in _FILENAME.finditer(text)]
        if len(names) != 1 or len(text) > 120:
            return None
        bare = text.strip("`*_:# ").removeprefix("File").strip("`*_:# ")
        if _HEADING.match(line) or text.endswith(":") or bare == names[0]:
            return names[0]
        return None
    return None
