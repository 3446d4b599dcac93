"""Take it home: the Vite project zip, its files, and a real `npm install && npm run build`."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pytest

from jfdi.preview import check
from jfdi.preview.export import project_files, project_name, project_zip
from tests.preview_cases import CASES

COMPONENT = (CASES / "reorder_list.tsx").read_text()


def test_the_project_has_what_vite_needs_and_pins_every_version():
    files = project_files(COMPONENT)
    assert {"package.json", "index.html", "tsconfig.json", "vite.config.ts", "src/main.tsx", "src/App.tsx",
            "src/index.css", "src/ReorderList.tsx", "README.md"} <= set(files)
    package = json.loads(files["package.json"])
    assert package["scripts"]["build"] == "tsc --noEmit && vite build"
    assert package["dependencies"] == {"react": "18.3.1", "react-dom": "18.3.1", "lucide-react": "1.79.0", "clsx": "2.1.1"}
    pinned = {**package["dependencies"], **package["devDependencies"]}
    assert all(v[0].isdigit() for v in pinned.values()), "exact versions only"
    assert 'import Component from "./ReorderList";' in files["src/App.tsx"]
    assert files["src/ReorderList.tsx"] == COMPONENT
    assert '@import "tailwindcss";' in files["src/index.css"] and "tailwindcss()" in files["vite.config.ts"]


def test_libraries_are_added_only_when_imported():
    package = json.loads(project_files("export default function A() { return <p>hi</p>; }")["package.json"])
    assert set(package["dependencies"]) == {"react", "react-dom"}


def test_a_component_without_an_export_gets_one():
    files = project_files("function Helper() { return <b>x</b>; }\nfunction Dashboard() { return <Helper />; }")
    assert project_name("function Dashboard() { return null }") == "Dashboard"
    assert files["src/Dashboard.tsx"].endswith("export default Dashboard;\n")
    assert 'import Component from "./Dashboard";' in files["src/App.tsx"]


def test_a_named_export_is_imported_by_name():
    files = project_files("export function Gauge() { return <p>72%</p>; }")
    assert 'import { Gauge as Component } from "./Gauge";' in files["src/App.tsx"]


def test_a_multi_file_answer_keeps_its_files():
    code = "// File: src/types.ts\nexport type Item = { sku: string };\n\n// File: src/List.tsx\nimport type { Item } from './types';\nexport default function List() { return null; }"
    files = project_files(code)
    assert files["src/types.ts"].startswith("export type Item") and "src/List.tsx" in files
    assert 'import Component from "./List";' in files["src/App.tsx"]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the checks (.ci/run installs it)")
def test_app_type_checks_whether_or_not_the_component_takes_props():
    with_props = "export default function Bins({ items }: { items: string[] }) {\n  return <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n}"
    for code in (COMPONENT, with_props):
        files = project_files(code)
        sources = "\n".join(f"// File: {path}\n{text}" for path, text in files.items() if path.startswith("src/") and path.endswith(".tsx"))
        result = check(sources)
        assert result.ok, result.problems


def test_the_zip_has_one_folder_named_after_the_component():
    names = zipfile.ZipFile(io.BytesIO(project_zip(COMPONENT))).namelist()
    assert names and all(n.startswith("ReorderList/") for n in names)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed to build the project (.ci/run installs it)")
@pytest.mark.timeout(600)
def test_the_downloaded_project_builds(tmp_path):
    zipfile.ZipFile(io.BytesIO(project_zip(COMPONENT))).extractall(tmp_path)
    project = tmp_path / "ReorderList"
    for command in (["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], ["npm", "run", "build"]):
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=540)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    html = (project / "dist" / "index.html").read_text()
    assert "<script" in html
    bundle = next((project / "dist" / "assets").glob("*.js")).read_text()
    assert "BRK-104" in bundle
    css = next((project / "dist" / "assets").glob("*.css")).read_text()
    assert ".space-y-2" in css, "Tailwind generated the component's classes"
