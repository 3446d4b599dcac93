"""Syntax and type checks through the real Node worker (TypeScript from checker/'s npm ci)."""

from __future__ import annotations

import shutil
import time

import pytest

from jfdi.preview import check
from jfdi.preview.checks import CHECKER_DIR, Checker
from tests.preview_cases import CASES

CLEAN = (CASES / "reorder_list.tsx").read_text()

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the checks (.ci/run installs it)")


def test_a_clean_component_passes():
    result = check(CLEAN)
    assert (result.syntax_ok, result.typecheck_ok, result.ok) == (True, True, True), result
    assert result.problems == () and result.tools.startswith("typescript ")


def test_a_syntax_error_has_its_line_and_column():
    code = "export default function Form() {\n  const qty = ;\n  return <form />;\n}\n"
    result = check(code)
    assert result.syntax_ok is False and result.ok is False
    first = result.syntax_errors[0]
    assert (first.line, first.column) == (2, 15)
    assert result.typecheck_ok is None and "fix the syntax first" in result.notes[0]


def test_a_mismatched_jsx_tag_is_a_syntax_error():
    result = check("export default function A() {\n  return <div>hi</span>;\n}\n")
    assert result.syntax_ok is False
    assert "closing tag for 'div'" in result.syntax_errors[0].message and result.syntax_errors[0].line == 2


def test_a_type_error_has_its_line():
    code = CLEAN.replace('qty: 12 }', 'qty: "twelve" }')
    result = check(code)
    assert result.syntax_ok is True and result.typecheck_ok is False
    error = result.type_errors[0]
    assert error.line == 8 and error.code == "TS2322" and "not assignable to type 'number'" in error.message


def test_an_unknown_module_and_an_unknown_icon_are_type_errors():
    code = 'import { motion } from "framer-motion";\nimport { NotAnIcon } from "lucide-react";\nexport default function A() { return <motion.div><NotAnIcon /></motion.div>; }\n'
    messages = [(e.line, e.message) for e in check(code).type_errors]
    assert (1, "Cannot find module 'framer-motion' or its corresponding type declarations.") in messages
    assert any(line == 2 and "NotAnIcon" in message for line, message in messages)


def test_lines_in_a_multi_file_answer_are_the_code_panel_lines():
    code = (
        "// File: src/types.ts\nexport type Item = { sku: string };\n\n"
        "// File: src/List.tsx\nimport type { Item } from \"./types\";\n"
        "export default function List() {\n  const items: Item[] = [{ sku: 7 }];\n  return <ul>{items.map((i) => <li key={i.sku}>{i.sku}</li>)}</ul>;\n}\n"
    )
    error = check(code).type_errors[0]
    assert (error.file, error.line) == ("src/List.tsx", 7)


def test_without_node_nothing_is_checked_and_the_result_says_why():
    result = Checker(node=None).check(CLEAN)
    assert result.ok is None and result.syntax_ok is None and "Node.js is not installed" in result.notes[0]


def test_empty_code_is_not_checked():
    assert Checker().check("   \n").notes == ("nothing to check: the code is empty",)


@pytest.fixture
def bare_checker(tmp_path):
    """A checker folder without node_modules (as on a fresh Space), beside the real static files."""
    root = tmp_path / "preview"
    (root / "checker").mkdir(parents=True)
    for name in ("worker.cjs", "package.json", "package-lock.json"):
        shutil.copy(CHECKER_DIR / name, root / "checker" / name)
    for name in ("static", "project"):
        (root / name).symlink_to(CHECKER_DIR.parent / name)
    return root / "checker"


def test_without_typescript_syntax_is_still_checked(bare_checker):
    checker = Checker(directory=bare_checker, install=False)
    try:
        broken = checker.check("export default function A() {\n  const x = ;\n}\n")
        clean = checker.check(CLEAN)
    finally:
        checker.close()
    assert broken.syntax_ok is False and broken.syntax_errors[0].line == 2
    assert clean.syntax_ok is True and clean.typecheck_ok is None
    assert clean.notes == (f"type-check unavailable: run npm ci in {bare_checker}",)


@pytest.mark.timeout(300)
def test_typescript_installs_in_the_background_and_is_then_used(bare_checker):
    checker = Checker(directory=bare_checker)
    try:
        first = checker.check(CLEAN)
        assert first.typecheck_ok is None and "is running" in first.notes[0], first.notes
        deadline = time.monotonic() + 240
        result = first
        while result.typecheck_ok is None and time.monotonic() < deadline:
            time.sleep(1)
            result = checker.check(CLEAN)
    finally:
        checker.close()
    assert result.typecheck_ok is True, result.notes


def test_the_stored_form_of_a_result_says_whether_the_code_passed():
    result = check("export default function A() {\n  const x: number = 'a';\n  return <p>{x}</p>;\n}\n")
    stored = result.to_dict()
    assert stored["ok"] is False and stored["syntax_ok"] is True and stored["typecheck_ok"] is False
    assert stored["type_errors"][0]["line"] == 2 and "not assignable" in stored["type_errors"][0]["message"]
