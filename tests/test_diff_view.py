"""Two versions side by side: changed lines paired in one row, long unchanged runs cut to their
context, a new file with nothing on its left, every line escaped."""

from __future__ import annotations

import re

from jfdi.ui.diff_view import ADDED, CONTEXT_LINES, REMOVED, files_diff_html


def rows(html: str) -> list[list[str]]:
    """Each table row's cells as text (tags dropped, entities kept)."""
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in html.split("<tr>")[1:]]


def test_two_distant_changes_are_two_runs_with_the_unchanged_lines_between_left_out():
    before = "\n".join(f"const line{i} = {i};" for i in range(40))
    after = before.replace("line3 = 3", "line3 = 30").replace("line30 = 30", "line30 = 300")
    html = files_diff_html({"src/a.ts": before}, {"src/a.ts": after}, "version 1", "version 2")
    table = rows(html)
    assert ["4", "const line3 = 3;", "4", "const line3 = 30;"] in table
    assert ["31", "const line30 = 30;", "31", "const line30 = 300;"] in table
    assert ["⋯"] in table, "the unchanged lines between the two changes are left out"
    shown = [r for r in table if len(r) == 4]
    assert len(shown) == 2 * (2 * CONTEXT_LINES + 1)
    assert "src/a.ts</code> changed (+2 −2)" in html


def test_a_new_file_has_only_its_right_side_and_code_is_never_markup():
    html = files_diff_html({}, {"src/New.tsx": "<b>bold</b>\n"}, "version 2", "version 3")
    assert rows(html)[-1] == ["", "", "1", "&lt;b&gt;bold&lt;/b&gt;"]
    assert f'{ADDED}">&lt;b&gt;bold&lt;/b&gt;</td>' in html and REMOVED not in html
    assert "<b>bold</b>" not in html and "src/New.tsx</code> added (+1 −0)" in html
