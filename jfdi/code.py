"""Extract the final code from a model's answer.

Models wrap code in fences with any tag or none, put prose around it, split it into several
files, or (as the system prompt asks) send bare code. The answer itself is always kept; this
module only decides what the code is."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FILENAME = re.compile(r"(?:^|[\s`'\"*:=])(?P<name>[\w./@-]+\.(?:tsx|ts|jsx|js|mjs|cjs|css|html|json|md))\b", re.I)
_SHELL = {"bash", "sh", "shell", "console", "zsh", "powershell", "cmd", "text", "txt"}
_CODE_START = re.compile(
    r"^\s*(import\b|export\b|const\b|let\b|var\b|function\b|interface\b|type\b|class\b|enum\b|"
    r"async\b|declare\b|['\"]use (client|strict)['\"]|//|/\*|<[A-Za-z])"
)


@dataclass(frozen=True)
class CodeFile:
    name: str | None
    language: str
    code: str


@dataclass(frozen=True)
class Extracted:
    code: str
    files: tuple[CodeFile, ...]
    # True when a fence was opened and never closed: the answer stopped mid-block.
    unterminated: bool = False


def extract_code(answer: str) -> Extracted:
    lines = answer.splitlines()
    blocks: list[CodeFile] = []
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
        name = name or _name_from_context(lines[:i]) or _name_from_first_line(body)
        blocks.append(CodeFile(name=name, language=language, code="\n".join(body).strip("\n")))
        i = j + 1

    if not blocks:
        code = _bare_code(answer)
        return Extracted(code=code, files=(CodeFile(None, "tsx", code),) if code else ())

    code_blocks = [b for b in blocks if b.language.lower() not in _SHELL and b.code.strip()] or blocks
    if len(code_blocks) == 1:
        code = code_blocks[0].code
    else:
        code = "\n\n".join(f"// File: {b.name}\n{b.code}" if b.name else b.code for b in code_blocks)
    return Extracted(code=code.strip("\n"), files=tuple(code_blocks), unterminated=unterminated)


def looks_like_code(text: str) -> bool:
    return any(_CODE_START.match(line) for line in text.splitlines()[:50])


def _parse_info(info: str) -> tuple[str, str | None]:
    if not info:
        return "", None
    name = None
    title = re.search(r"""(?:title|file|filename)\s*=\s*["']?([^"'\s]+)""", info)
    if title:
        name = title.group(1)
    words = re.split(r"[\s:]+", info)
    language = words[0] if words and "." not in words[0] and "=" not in words[0] else ""
    if name is None:
        found = _FILENAME.search(info)
        name = found["name"] if found else None
    return language, name


def _name_from_context(before: list[str]) -> str | None:
    # A heading or bold line right above a block often names its file ("**src/Form.tsx**").
    for line in reversed(before[-2:]):
        if line.strip():
            found = _FILENAME.search(line)
            return found["name"] if found and len(line.strip()) < 120 else None
    return None


def _name_from_first_line(body: list[str]) -> str | None:
    if body and re.match(r"^\s*(//|/\*|#|<!--)", body[0]):
        found = _FILENAME.search(body[0])
        return found["name"] if found else None
    return None


def _bare_code(answer: str) -> str:
    lines = answer.strip().splitlines()
    # Drop a line or two of prose before the code ("Here is the component:").
    for index, line in enumerate(lines[:5]):
        if _CODE_START.match(line):
            return "\n".join(lines[index:]).strip()
    return answer.strip()
