"""The preview document, the files inside the code panel, the vendored assets and the fix prompt:
plain Python, no browser."""

from __future__ import annotations

import json
import re

from jfdi.code import extract_code
from jfdi.preview import ASSETS, SANDBOX, STATIC_DIR, CheckResult, Problem, build_srcdoc, component_message, split_files
from jfdi.preview.fix import fix_prompt
from jfdi.preview.srcdoc import CSP, page_policy

MULTI = (
    "**src/types.ts**\n```ts\nexport type Item = { sku: string };\n```\n\n"
    "```tsx title=\"src/InventoryForm.tsx\"\nimport type { Item } from './types';\n"
    "export default function InventoryForm() {\n  return <p>ok</p>;\n}\n```\n"
)


def test_the_csp_allows_no_network_at_all():
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert directives["form-action"] == "'none'" and directives["frame-src"] == "'none'"
    for sources in directives.values():
        assert not re.search(r"https?:|'self'|\*", sources), sources
    srcdoc = build_srcdoc()
    assert srcdoc.index('http-equiv="Content-Security-Policy"') < srcdoc.index("<script"), "the policy comes before any script"


def test_the_frame_is_never_same_origin():
    assert "allow-scripts" in SANDBOX.split() and "allow-same-origin" not in SANDBOX
    assert not {"allow-top-navigation", "allow-popups", "allow-modals"} & set(SANDBOX.split())


def test_the_page_policy_refuses_frames_except_those_named():
    assert page_policy() == "frame-src 'none'"
    assert page_policy(["https://weblink.example"]) == "frame-src https://weblink.example"


def test_one_file_without_markers_is_component_tsx():
    [file] = split_files("export default function A() { return null }")
    assert (file.path, file.first_line) == ("Component.tsx", 1)


def test_a_multi_file_answer_splits_and_keeps_panel_lines():
    code = extract_code(MULTI).code
    files = split_files(code)
    assert [f.path for f in files] == ["src/types.ts", "src/InventoryForm.tsx"]
    panel = code.split("\n")
    for file in files:
        padded = file.padded.split("\n")
        first = next(i for i, line in enumerate(padded) if line.strip())
        assert padded[first] == panel[first], "a file's lines are numbered as in the code panel"
    message = component_message(code, token="t1")
    assert message["main"] == "src/InventoryForm.tsx" and message["token"] == "t1"


def test_without_a_default_export_the_last_component_file_is_main():
    code = "// File: a.tsx\nexport function A() { return null }\n// File: b.tsx\nexport function B() { return null }"
    assert component_message(code)["main"] == "b.tsx"


def test_empty_code_has_no_files():
    assert component_message("  \n")["files"] == []


def test_every_asset_is_committed_with_its_version_and_licence():
    versions = json.loads((STATIC_DIR / "VERSIONS.json").read_text())
    assert versions["react"]["version"] == versions["react-dom"]["version"] == "18.3.1"
    licences = (STATIC_DIR / "LICENSES.txt").read_text()
    for name, entry in versions.items():
        assert f"{name} {entry['version']} ({entry['license']})" in licences
    total = sum(path.stat().st_size for path in STATIC_DIR.iterdir())
    assert total < 2_000_000, f"vendored files grew to {total:,} bytes"
    assert all(path.is_file() for path in ASSETS.values())
    icons = json.loads(ASSETS["icons"].read_text())
    assert icons["names"]["Package"] == "package" and icons["version"] == versions["lucide-react"]["version"]


def test_the_fix_prompt_lists_every_problem_with_its_line():
    result = CheckResult(
        syntax_ok=True,
        typecheck_ok=False,
        type_errors=(Problem(8, 23, "Type 'string' is not assignable to type 'number'.", "Component.tsx", "TS2322"),),
    )
    runtime = [
        {"kind": "render", "message": "TypeError: rows is undefined", "line": 4},
        {"kind": "render", "message": "TypeError: rows is undefined", "line": 4},
        {"kind": "notice", "message": "rendered with sample props"},
    ]
    prompt = fix_prompt(result, runtime)
    assert "line 8, column 23: Type 'string' is not assignable to type 'number'. (TS2322)" in prompt
    assert prompt.count("rows is undefined") == 1 and "sample props" not in prompt
    assert "render: TypeError: rows is undefined (line 4)" in prompt


def test_nothing_to_fix_gives_no_prompt():
    assert fix_prompt(CheckResult(syntax_ok=True, typecheck_ok=True), [{"kind": "notice", "message": "x"}]) is None
    assert fix_prompt(None) is None
