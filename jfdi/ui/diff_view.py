"""Two versions of a project compared side by side, file by file, as HTML tables: the earlier
version's lines on the left, the later one's on the right, changed lines paired, unchanged runs
cut to a few lines of context (gradio has no diff component). Every line of code is escaped:
generated code is shown, never interpreted as markup."""

from __future__ import annotations

import difflib
import html
from itertools import zip_longest

from ..project import Files

CONTEXT_LINES = 3
REMOVED = "background:#fee2e2;color:#7f1d1d"
ADDED = "background:#dcfce7;color:#14532d"
_TABLE = ("width:100%;margin:4px 0 12px;border-collapse:collapse;table-layout:fixed;font:12px/1.45 ui-monospace,monospace;"
          "border:1px solid #d4d4d8;background:#fafafa;color:#18181b")
_NUMBER = "width:3.5em;padding:0 6px;text-align:right;color:#71717a;user-select:none;vertical-align:top"
_CODE = "padding:0 8px;white-space:pre-wrap;word-break:break-all;vertical-align:top"
_GAP = "padding:0 8px;color:#4338ca;background:#e0e7ff"


def files_diff_html(old: Files, new: Files, old_name: str, new_name: str) -> str:
    """What changed from `old` to `new` (named `old_name` and `new_name`): a section per file
    added, removed or changed, then how many files are the same."""
    paths = list(dict.fromkeys([*old, *new]))
    changed = [path for path in paths if old.get(path) != new.get(path)]
    title = f"<p><b>{html.escape(old_name)}</b> → <b>{html.escape(new_name)}</b>: "
    if not changed:
        return f'<div class="jfdi-diff">{title}the files are the same.</p></div>'
    same = len(paths) - len(changed)
    title += f"{len(changed)} file{'s' if len(changed) != 1 else ''} changed" + (f", {same} the same" if same else "") + ".</p>"
    sections = "".join(_file_section(path, old.get(path), new.get(path), old_name, new_name) for path in changed)
    return f'<div class="jfdi-diff">{title}{sections}</div>'


def _file_section(path: str, before: str | None, after: str | None, old_name: str, new_name: str) -> str:
    old, new = (before or "").splitlines(), (after or "").splitlines()
    groups = list(difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(CONTEXT_LINES))
    removed = sum(i2 - i1 for group in groups for tag, i1, i2, _, _ in group if tag in ("replace", "delete"))
    added = sum(j2 - j1 for group in groups for tag, _, _, j1, j2 in group if tag in ("replace", "insert"))
    what = "added" if before is None else "removed" if after is None else "changed"
    rows = []
    for number, group in enumerate(groups):
        if number:  # unchanged lines left out between two changes
            rows.append(f'<tr><td colspan="4" style="{_GAP}">⋯</td></tr>')
        for tag, i1, i2, j1, j2 in group:
            changed = tag != "equal"
            for i, j in zip_longest(range(i1, i2), range(j1, j2)):  # a changed run pairs its lines
                rows.append(f"<tr>{_side(old, i, REMOVED if changed else '')}{_side(new, j, ADDED if changed else '')}</tr>")
    return (f"<p><code>{html.escape(path)}</code> {what} (+{added} −{removed})</p>"
            f'<table style="{_TABLE}"><colgroup><col style="width:3.5em"><col><col style="width:3.5em"><col></colgroup>'
            f'<tr><th colspan="2">{html.escape(old_name)}</th><th colspan="2">{html.escape(new_name)}</th></tr>'
            f"{''.join(rows)}</table>")


def _side(lines: list[str], index: int | None, style: str) -> str:
    """One side of a row: the line's number and text, or two empty cells where that side has none."""
    if index is None:
        return f'<td style="{_NUMBER}"></td><td style="{_CODE}"></td>'
    return (f'<td style="{_NUMBER};{style}">{index + 1}</td>'
            f'<td style="{_CODE};{style}">{html.escape(lines[index]) or " "}</td>')
