"""Two versions of a project compared, file by file, as HTML: a unified diff per changed file
(gradio has no diff component). Every line of code is escaped: generated code is shown, never
interpreted as markup."""

from __future__ import annotations

import difflib
import html

from ..project import Files

CONTEXT_LINES = 3
_LINE = {
    "+": "background:#dcfce7;color:#14532d",
    "-": "background:#fee2e2;color:#7f1d1d",
    "@": "background:#e0e7ff;color:#312e81",
}
_PRE = ("margin:4px 0 12px;padding:6px 0;font:12px/1.45 ui-monospace,monospace;overflow-x:auto;"
        "border:1px solid #d4d4d8;border-radius:6px;background:#fafafa;color:#18181b")


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
    sections = "".join(_file_section(path, old.get(path), new.get(path)) for path in changed)
    return f'<div class="jfdi-diff">{title}{sections}</div>'


def _file_section(path: str, before: str | None, after: str | None) -> str:
    lines = list(difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(), lineterm="", n=CONTEXT_LINES))[2:]
    added = sum(1 for line in lines if line.startswith("+"))
    removed = sum(1 for line in lines if line.startswith("-"))
    what = "added" if before is None else "removed" if after is None else "changed"
    body = "".join(_line(line) for line in lines)
    return (f"<p><code>{html.escape(path)}</code> {what} (+{added} −{removed})</p>"
            f'<pre style="{_PRE}">{body}</pre>')


def _line(line: str) -> str:
    style = _LINE.get(line[:1], "")
    return f'<span style="display:block;padding:0 8px;{style}">{html.escape(line) or " "}</span>'
