"""The files inside the code panel's text.

A multi-file answer reaches the code panel as one text with a `// File: name` line before each
file (see jfdi/code.py). The preview, the checks and the downloaded project all work on the
files; each file keeps the line numbers it has in the panel, so every error points at a line
the user can see."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = re.compile(r"^// File: (?P<name>\S.*?)\s*$")
DEFAULT_NAME = "Component.tsx"
SCRIPT = re.compile(r"\.(tsx|ts|jsx|js|mjs)$")
_DEFAULT_EXPORT = re.compile(r"^\s*export\s+default\b", re.M)
# Top-level components, as the preview finds them: function X, const X =, class X.
_COMPONENT = re.compile(
    r"^(?P<export>export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*(?P<f>[A-Z]\w*)|(?:const|let|var)\s+(?P<v>[A-Z]\w*)\b|class\s+(?P<c>[A-Z]\w*))",
    re.M,
)


@dataclass(frozen=True)
class SourceFile:
    path: str
    code: str
    first_line: int = 1  # the panel line that holds the file's first line

    @property
    def padded(self) -> str:
        """The code with blank lines in front, so its line numbers are the panel's."""
        return "\n" * (self.first_line - 1) + self.code

    @property
    def is_script(self) -> bool:
        return bool(SCRIPT.search(self.path))

    @property
    def has_default_export(self) -> bool:
        return bool(_DEFAULT_EXPORT.search(self.code))

    def components(self) -> list[tuple[str, bool]]:
        """(name, exported) for each top-level component, in order."""
        return [(m["f"] or m["v"] or m["c"], bool(m["export"])) for m in _COMPONENT.finditer(self.code)]


def split_files(code: str) -> list[SourceFile]:
    """The files of the panel's text; text without markers is one file, Component.tsx."""
    files: list[SourceFile] = []
    name, start, lines = DEFAULT_NAME, 1, []

    def close() -> None:
        text = "\n".join(lines)
        if text.strip():
            files.append(SourceFile(_normalise(name), text, start))

    for number, line in enumerate(code.replace("\r\n", "\n").split("\n"), start=1):
        match = MARKER.match(line)
        if match:
            close()
            name, start, lines = match["name"], number + 1, []
        else:
            lines.append(line)
    close()
    return files


def main_file(files: list[SourceFile]) -> SourceFile | None:
    """The file to render: the script with a default export, else the last component file."""
    scripts = [f for f in files if f.is_script]
    for file in scripts:
        if file.has_default_export:
            return file
    views = [f for f in scripts if f.path.endswith((".tsx", ".jsx"))] or scripts
    return views[-1] if views else (files[0] if files else None)


def _normalise(name: str) -> str:
    name = name.strip().strip("`'\"*").replace("\\", "/")
    while name.startswith(("./", "/")):
        name = name[1:] if name.startswith("/") else name[2:]
    return name or DEFAULT_NAME
