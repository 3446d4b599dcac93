"""Code a model left out instead of writing it: "// ... rest of the component unchanged",
"/* existing code */", "{/* ... */}", a line that is only "...". Saved, such a file would lose
whatever the comment stands for, so it never becomes the new version.

Only comments and lone ellipses count: a spread (`...props`), "Loading..." in JSX text or a
string, and an ordinary comment that happens to say "existing" are code. Lines that were in the
previous version already are not the answer's doing and are not held against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

_ELLIPSIS = r"(?:\.{3,}|…)"
# The text of a comment that makes up a whole line: //, /* */, {/* */} (JSX) and <!-- -->.
_COMMENT = re.compile(
    r"^\s*(?://(?P<line>.*)|\{?\s*/\*(?P<block>.*?)\*/\s*\}?,?|<!--(?P<html>.*?)-->)\s*$"
)
_LONE_ELLIPSIS = re.compile(rf"^\s*[\[{{(]?\s*{_ELLIPSIS}\s*[\]}}),;]*\s*$")
# Words that say code was left out; with an ellipsis beside them, or one of the phrases alone.
_LEFT_OUT = re.compile(
    r"\b(?:unchanged|same as (?:before|above)|as before|remains? the same|stays? the same|omitted|for brevity|"
    r"(?:rest|remainder) of (?:the )?(?:code|file|component|function|imports?|fields?|form|jsx|markup|implementation|logic)|"
    r"(?:existing|previous|original|other) (?:code|imports?|logic|implementation|state|handlers?|fields?|jsx|markup|"
    r"functions?|components?|styles?|content)(?: (?:here|goes here|as is|stays?|remains?))?|"
    r"(?:keep|keeps) (?:the )?(?:existing|rest|same)|code here|goes here|not shown)\b",
    re.I,
)
_PHRASE_ALONE = re.compile(
    r"^unchanged\W*$|\b(?:code|component|file|rest|else|imports?|logic|jsx|markup|above|below)\b.*"
    r"\b(?:unchanged|remains? the same|stays? the same)\b|"
    r"\b(?:same as before|omitted for brevity|for brevity|"
    r"rest of (?:the )?(?:code|file|component)|existing code|previous code|code here)\b",
    re.I,
)


@dataclass(frozen=True)
class Elided:
    path: str
    line: int  # counted from 1 in the new file
    text: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.text.strip()}"


def is_elision(line: str) -> bool:
    if _LONE_ELLIPSIS.match(line):
        return True
    comment = _COMMENT.match(line)
    if comment is None:
        return False
    text = (comment["line"] if comment["line"] is not None else comment["block"] or comment["html"] or "").strip()
    if not text or re.fullmatch(rf"{_ELLIPSIS}", text):
        return bool(text)
    if re.match(_ELLIPSIS, text) or re.search(rf"{_ELLIPSIS}\s*$", text):
        return bool(_LEFT_OUT.search(text)) or bool(re.match(_ELLIPSIS, text))
    return bool(_PHRASE_ALONE.search(text))


def find_elisions(files: Mapping[str, str], previous: Mapping[str, str], paths: Sequence[str]) -> list[Elided]:
    """The elided lines in `paths` of `files` that `previous` did not have (stripped, anywhere in
    the same file)."""
    found = []
    for path in paths:
        before = {line.strip() for line in previous.get(path, "").split("\n")}
        for number, line in enumerate(files[path].split("\n"), start=1):
            if is_elision(line) and line.strip() not in before:
                found.append(Elided(path, number, line))
    return found
