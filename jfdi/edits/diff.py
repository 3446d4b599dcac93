"""What a new version changed: a unified diff of its files against the previous version's."""

from __future__ import annotations

import difflib
from typing import Mapping

CONTEXT_LINES = 3


def project_diff(previous: Mapping[str, str], new: Mapping[str, str]) -> str:
    """Every changed, added or removed file as a unified diff (a/path, b/path; /dev/null for a
    file that is new or gone), in path order; '' when nothing changed."""
    parts = []
    for path in sorted(set(previous) | set(new)):
        before, after = previous.get(path), new.get(path)
        if _lines(before) == _lines(after):
            continue
        diff = difflib.unified_diff(
            _lines(before), _lines(after),
            fromfile=f"a/{path}" if before is not None else "/dev/null",
            tofile=f"b/{path}" if after is not None else "/dev/null",
            n=CONTEXT_LINES, lineterm="",
        )
        parts.append("\n".join(diff))
    return "\n".join(parts) + ("\n" if parts else "")


def _lines(text: str | None) -> list[str]:
    # A missing last newline is not a change worth showing: answers drop it, editors add it.
    return [] if text is None else text.rstrip("\n").split("\n")
