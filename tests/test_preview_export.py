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
from jfdi.project import ProjectError
from tests.preview_cases import CASES, project

COMPONENT = (CASES / "reorder_list.tsx").read_text()
ONE = {"src/ReorderList.tsx": COMPONENT}
PLANT = project("plant")


def test_the_project_has_what_vite_needs_and_pins_every_version():
    files = project_files(ONE)
    assert {"package.json", "index.html", "tsconfig.json", "vite.config.ts", "src/main.tsx", "src/index.css",
            "src/ReorderList.tsx", "README.md"} <= set(files)
    package = json.loads(files["package.json"])
    assert package["scripts"]["build"] == "tsc --noEmit && vite build"
    assert package["dependencies"] == {"react": "18.3.1", "react-dom": "18.3.1", "lucide-react": "1.79.0", "clsx": "2.1.1"}
    pinned = {**package["dependencies"], **package["devDependencies"]}
    assert all(v[0].isdigit() for v in pinned.values()), "exact versions only"
    assert 'import Component from "./ReorderList";' in files["src/main.tsx"]
    assert files["src/ReorderList.tsx"] == COMPONENT
    assert '@import "tailwindcss";' in files["src/index.css"] and "tailwindcss()" in files["vite.config.ts"]


def test_a_project_keeps_its_tree_and_lists_every_library_it_imports_at_the_pinned_version():
    files = project_files(PLANT)
    assert {path: files[path] for path in PLANT} == {path: text.rstrip() + "\n" for path, text in PLANT.items()}
    assert 'import Component from "./App";' in files["src/main.tsx"]
    assert json.loads(files["package.json"])["dependencies"] == {
        "react": "18.3.1", "react-dom": "18.3.1", "lucide-react": "1.79.0", "date-fns": "4.4.0", "recharts": "3.11.3",
        "@hookform/resolvers": "7.0.10", "react-hook-form": "7.92.0", "zod": "4.6.7", "@tanstack/react-table": "8.21.3",
        "@tanstack/react-virtual": "3.14.28",
    }
    assert project_name(PLANT) == "App"


def test_libraries_are_added_only_when_imported():
    package = json.loads(project_files({"src/A.tsx": "export default function A() { return <p>hi</p>; }"})["package.json"])
    assert set(package["dependencies"]) == {"react", "react-dom"}


def test_a_component_without_an_export_gets_one():
    code = "function Helper() { return <b>x</b>; }\nfunction Dashboard() { return <Helper />; }"
    files = project_files({"src/Dashboard.tsx": code})
    assert project_name({"src/Dashboard.tsx": "function Dashboard() { return null }"}) == "Dashboard"
    assert files["src/Dashboard.tsx"].endswith("export default Dashboard;\n")
    assert 'import Component from "./Dashboard";' in files["src/main.tsx"]


def test_a_named_export_is_imported_by_name():
    files = project_files({"src/Gauge.tsx": "export function Gauge() { return <p>72%</p>; }"})
    assert 'import { Gauge as Component } from "./Gauge";' in files["src/main.tsx"]


def test_an_answers_own_scaffolding_is_left_out_and_the_readme_says_so():
    files = project_files({**PLANT, "package.json": '{"dependencies": {"recharts": "^2"}}',
                           "postcss.config.js": "module.exports = {}", "src/index.css": ".card { padding: 1rem; }"})
    assert json.loads(files["package.json"])["dependencies"]["recharts"] == "3.11.3"
    assert "postcss.config.js" not in files and "`postcss.config.js`" in files["README.md"]
    assert files["src/index.css"].startswith('@import "tailwindcss";') and ".card { padding: 1rem; }" in files["src/index.css"]


def test_nothing_to_export_says_why():
    with pytest.raises(ProjectError, match="no code to export"):
        project_files({"package.json": "{}"})
    with pytest.raises(ProjectError, match="at most 50"):
        project_files({f"src/f{i}.ts": "export {}" for i in range(60)})


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the checks (.ci/run installs it)")
def test_main_type_checks_whether_or_not_the_component_takes_props():
    with_props = "export default function Bins({ items }: { items: string[] }) {\n  return <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n}"
    for files in (ONE, {"src/Bins.tsx": with_props}):
        exported = project_files(files)
        result = check({path: text for path, text in exported.items() if path.startswith("src/") and path.endswith(".tsx")})
        assert result.ok, result.problems


def test_the_zip_has_one_folder_named_after_the_component():
    names = zipfile.ZipFile(io.BytesIO(project_zip(ONE))).namelist()
    assert names and all(n.startswith("ReorderList/") for n in names)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed to build the project (.ci/run installs it)")
@pytest.mark.timeout(900)
def test_the_downloaded_project_with_every_library_builds(tmp_path):
    zipfile.ZipFile(io.BytesIO(project_zip(PLANT))).extractall(tmp_path)
    folder = tmp_path / "App"
    for command in (["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], ["npm", "run", "build"]):
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=800)
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    html = (folder / "dist" / "index.html").read_text()
    assert "<script" in html
    bundle = next((folder / "dist" / "assets").glob("*.js")).read_text()
    assert "PO number looks like PO-1234" in bundle and "recharts-line" in bundle
    css = next((folder / "dist" / "assets").glob("*.css")).read_text()
    assert ".space-y-6" in css, "Tailwind generated the project's classes"
