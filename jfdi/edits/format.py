"""The edit-block format a follow-up answer uses, and its parser.

    src/App.tsx
    <<<<<<< SEARCH
      const [qty, setQty] = useState(0);
    =======
      const [qty, setQty] = useState(1);
    >>>>>>> REPLACE

The line before the SEARCH marker names the file; the SEARCH part copies lines of the current
file, the REPLACE part is what they become; an empty SEARCH under a new path creates that file.
It is Aider's format: the one models have seen most, small ones included.

Small models wrap blocks in code fences or not, put prose around them, write the path in bold,
in a comment or in the fence's info string, miscount the marker characters and send Windows
newlines: all of that is read. A block whose markers are missing or out of order is not guessed
at: it becomes a `Malformed` entry with the reason, and the answer goes back to the model."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Five to nine marker characters: models miscount the seven, never by that much.
_SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\b.*$")
_DIVIDER = re.compile(r"^\s*={5,9}\s*$")
_REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\b.*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(?P<info>.*)$")
# A path as a line names it: bare, in bold or backticks, after "File:", in a comment, or in a
# fence's info string ("```tsx src/App.tsx"). The suffix keeps prose ("Here is the change:") out.
_PATH = re.compile(
    r"^(?:#{1,6}\s*)?(?://|/\*|<!--)?\s*[*_`]*\s*(?:file(?:name)?\s*:\s*)?[*_`]*"
    r"(?P<path>[\w@~.\-/\\]+\.(?:tsx|ts|jsx|js|mjs|css|json|html))[*_`]*\s*:?\s*(?:\*/|-->)?\s*$",
    re.I,
)
_MARKER_CHARS = re.compile(r"^\s*(<{5,}|={5,}|>{5,})")


@dataclass(frozen=True)
class EditBlock:
    path: str | None  # as the answer wrote it; None when no path line precedes the block
    search: str
    replace: str
    line: int  # where the block starts in the answer, counted from 1

    @property
    def creates(self) -> bool:
        return not self.search.strip()


@dataclass(frozen=True)
class Malformed:
    """A block the parser refused, with why (shown to the model when it is asked again)."""

    line: int
    reason: str


@dataclass(frozen=True)
class EditAnswer:
    blocks: tuple[EditBlock, ...]
    malformed: tuple[Malformed, ...]
    # The answer with the blocks taken out: prose, and any whole files written beside the blocks.
    rest: str

    @property
    def has_edits(self) -> bool:
        return bool(self.blocks or self.malformed)


def parse_edits(text: str) -> EditAnswer:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[EditBlock] = []
    malformed: list[Malformed] = []
    rest: list[str] = []
    last_path: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _SEARCH.match(line):
            if _DIVIDER.match(line) or _REPLACE.match(line):
                malformed.append(Malformed(i + 1, f"line {i + 1}: {line.strip()!r} without a <<<<<<< SEARCH line before it"))
            else:
                rest.append(line)
            i += 1
            continue
        path = _path_before(lines, i, rest)
        if path is not None:
            last_path = path
        start = i
        divider = end = None
        j = i + 1
        while j < len(lines):
            if _SEARCH.match(lines[j]):
                break
            if _DIVIDER.match(lines[j]) and divider is None:
                divider = j
            elif _REPLACE.match(lines[j]):
                end = j
                break
            j += 1
        if divider is None or end is None:
            missing = "=======" if divider is None else ">>>>>>> REPLACE"
            where = f"the block at line {start + 1}" + (f" ({last_path})" if last_path else "")
            malformed.append(Malformed(start + 1, f"{where} has no {missing} line"))
            i = j + 1 if end is not None else j  # past its REPLACE line, or on to the next block

            continue
        blocks.append(
            EditBlock(last_path, "\n".join(lines[start + 1 : divider]), "\n".join(lines[divider + 1 : end]), start + 1)
        )
        i = end + 1
    return EditAnswer(tuple(blocks), tuple(malformed), "\n".join(rest))


def _path_before(lines: list[str], index: int, rest: list[str]) -> str | None:
    """The path named on the nearest non-blank line above a SEARCH marker, looking past an
    opening fence (whose info string may name it); that line is taken out of `rest`."""
    for back in range(index - 1, max(-1, index - 4), -1):
        text = lines[back].strip()
        if not text:
            continue
        fence = _FENCE.match(text)
        if fence:
            words = re.split(r"[\s:=\"']+", fence["info"])  # tsx src/App.tsx, tsx:src/App.tsx, tsx title="..."
            named = next((m["path"] for w in words if (m := _PATH.match(w))), None)
            if named:
                return named
            continue  # "```tsx" alone: the path may be on the line above it
        if _MARKER_CHARS.match(text):
            return None  # the end of the block before: no path between the two
        found = _PATH.match(text)
        if found is None:
            return None
        # The path line is part of the block, not prose: the last copy of it in `rest` goes.
        for k in range(len(rest) - 1, -1, -1):
            if rest[k] is lines[back]:
                del rest[k]
                break
        return found["path"]
    return None
