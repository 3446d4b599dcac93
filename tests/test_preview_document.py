"""The preview document, the message that puts a project in it, the vendored assets and the
library set, and the fix prompt: plain Python, no browser."""

from __future__ import annotations

import json
import re

from jfdi.code import answer_files
from jfdi.preview import ASSETS, SANDBOX, STATIC_DIR, CheckResult, Problem, asset_paths, build_srcdoc, component_message
from jfdi.preview.fix import fix_prompt
from jfdi.preview.libraries import HERE, library_set
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
    assert set(SANDBOX.split()) == {"allow-scripts", "allow-forms", "allow-downloads"}, "downloads, and nothing else, were added"


def test_the_page_policy_refuses_frames_except_those_named():
    assert page_policy() == "frame-src 'none'"
    assert page_policy(["https://weblink.example"]) == "frame-src https://weblink.example"


def test_a_project_goes_to_the_frame_as_its_files_with_the_entry_and_the_bundles_it_needs():
    files = answer_files(MULTI).files
    message = component_message({**files, "package.json": "{}"}, token="t1")
    assert message["token"] == "t1" and message["main"] == "src/InventoryForm.tsx"
    assert [(f["path"], f["code"]) for f in message["files"]] == list(files.items()), "files as they are: their own lines"
    assert message["files"][1]["components"] == ["InventoryForm"] and message["libraries"] == []
    form = {"src/App.tsx": 'import { zodResolver } from "@hookform/resolvers/zod";\nimport { z } from "zod";\n'
                           'import { format } from "date-fns";\nexport default function App() { return null; }'}
    assert component_message(form)["libraries"] == ["react-hook-form", "hookform-resolvers", "zod", "date-fns"], \
        "a bundle comes after the bundles it needs"


def test_without_a_default_export_the_last_component_file_is_main():
    files = {"src/a.tsx": "export function Alpha() { return null }", "src/b.tsx": "export function Beta() { return null }"}
    assert component_message(files)["main"] == "src/b.tsx"


def test_empty_code_has_no_files():
    assert component_message({})["files"] == []


def test_the_frame_knows_the_library_set_and_the_page_where_to_fetch_each_bundle():
    registry = library_set().frame_registry()
    assert registry["bundles"]["recharts"] == "recharts"
    assert registry["bundles"]["@hookform/resolvers/zod"] == "hookform-resolvers"
    assert registry["requires"]["hookform-resolvers"] == ["react-hook-form"]
    assert "react" in registry["always"] and "recharts" not in registry["always"]
    assert json.dumps(registry) in build_srcdoc() and "__JFDI_LIBRARIES__" not in build_srcdoc()
    paths = asset_paths()["libraries"]
    assert set(paths) == {"recharts", "zod", "react-hook-form", "hookform-resolvers", "tanstack-table", "tanstack-virtual",
                          "date-fns"}
    assert all(path.startswith(str(STATIC_DIR)) for path in paths.values())


def test_an_import_outside_the_set_gets_the_allowed_alternative():
    libraries = library_set()
    assert "use recharts for charts" in libraries.unavailable("chart.js")
    assert "use recharts for charts" in libraries.unavailable("@nivo/line")
    assert "use zod for validation" in libraries.unavailable("yup")
    assert "use @tanstack/react-table for tables" in libraries.unavailable("ag-grid-react")
    assert "use date-fns for dates" in libraries.unavailable("date-fns/locale")
    other = libraries.unavailable("left-pad")
    assert "import only react, " in other and "recharts" in other and "date-fns" in other


def test_every_asset_is_committed_with_its_version_and_licence():
    versions = json.loads((STATIC_DIR / "VERSIONS.json").read_text())
    assert versions["react"]["version"] == versions["react-dom"]["version"] == "18.3.1"
    licences = (STATIC_DIR / "LICENSES.txt").read_text()
    for name, entry in versions.items():
        assert f"{name} {entry['version']} ({entry['license']})" in licences
    # What every frame loads stays as it was; a library costs only the frames that import it.
    total = sum(path.stat().st_size for path in ASSETS.values())
    assert total < 1_600_000, f"the assets every frame loads grew to {total:,} bytes"
    assert all(path.is_file() for path in ASSETS.values())
    for library in library_set().libraries:
        assert versions[library.package]["version"] == library.version, library.name
        if not library.always:
            assert library.bundle.is_file() and library.bundle.stat().st_size == library.bytes, library.name
    icons = json.loads(ASSETS["icons"].read_text())
    assert icons["names"]["Package"] == "package" and icons["version"] == versions["lucide-react"]["version"]


def test_the_pinned_versions_agree_everywhere():
    vendor = json.loads((HERE / "vendor" / "package.json").read_text())["devDependencies"]
    checker = json.loads((HERE / "checker" / "package.json").read_text())["dependencies"]
    for library in library_set().libraries:
        assert vendor[library.package] == library.version, f"{library.package}: vendor/package.json"
        if library.package in checker:
            assert checker[library.package] == library.version, f"{library.package}: checker/package.json"
    assert {lib.package for lib in library_set().libraries if not lib.always} <= set(checker), "the checker has their types"


def test_the_fix_prompt_lists_every_problem_with_its_line():
    result = CheckResult(
        syntax_ok=True,
        typecheck_ok=False,
        type_errors=(Problem(8, 23, "Type 'string' is not assignable to type 'number'.", "src/App.tsx", "TS2322"),),
        import_errors=(Problem(1, 0, library_set().unavailable("chart.js"), "src/components/Trend.tsx"),),
    )
    runtime = [
        {"kind": "render", "message": "TypeError: rows is undefined", "line": 4, "file": "src/App.tsx"},
        {"kind": "render", "message": "TypeError: rows is undefined", "line": 4, "file": "src/App.tsx"},
        {"kind": "notice", "message": "rendered with sample props"},
    ]
    prompt = fix_prompt(result, runtime)
    assert "src/App.tsx, line 8, column 23: Type 'string' is not assignable to type 'number'. (TS2322)" in prompt
    assert prompt.count("rows is undefined") == 1 and "sample props" not in prompt
    assert "render: TypeError: rows is undefined (src/App.tsx, line 4)" in prompt
    assert 'src/components/Trend.tsx, line 1: "chart.js" is not available' in prompt and "use recharts for charts" in prompt
    assert "import only the project's own files and react, " in prompt


def test_nothing_to_fix_gives_no_prompt():
    assert fix_prompt(CheckResult(syntax_ok=True, typecheck_ok=True), [{"kind": "notice", "message": "x"}]) is None
    assert fix_prompt(None) is None
