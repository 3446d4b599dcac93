"""A project's files: paths normalised and confined, limits, the entry rule, imports and cycles,
and writing the tree (the CLI's --out) without ever leaving the folder."""

from __future__ import annotations

import os

import pytest

from jfdi.project import (
    MAX_FILE_BYTES,
    MAX_FILES,
    Named,
    ProjectError,
    check_files,
    entry_of,
    import_cycles,
    imports,
    normalise_path,
    project_of,
    write_tree,
)


@pytest.mark.parametrize("name, path", [
    ("src/App.tsx", "src/App.tsx"),
    ("./src/components/Chart.tsx", "src/components/Chart.tsx"),
    ("App.tsx", "src/App.tsx"),
    ("components/Chart.tsx", "src/components/Chart.tsx"),
    ("src\\lib\\limits.ts", "src/lib/limits.ts"),
    ("`src/data/parts.json`", "src/data/parts.json"),
    ("package.json", "package.json"),
    ("src//lib/./x.ts", "src/lib/x.ts"),
])
def test_paths_are_normalised_into_the_project(name, path):
    assert normalise_path(name) == path


@pytest.mark.parametrize("name, reason", [
    ("../App.tsx", "leaves the project"),
    ("src/../../etc/passwd.ts", "leaves the project"),
    ("/etc/passwd", "absolute path"),
    ("C:\\Windows\\x.ts", "absolute path"),
    ("~/.bashrc", "absolute path"),
    ("server/api.ts", "outside the project"),
    ("node_modules/react/index.js", "outside the project"),
    ("src/.env", "hidden files"),
    ("src/etl.py", r"not part of a React \+ TypeScript project"),
    ("src/logo.svg", r"not part of a React \+ TypeScript project"),
    ("src/a\x00.ts", "not a file name"),
])
def test_paths_outside_the_project_are_refused_with_the_reason(name, reason):
    with pytest.raises(ProjectError, match=reason):
        normalise_path(name)


def test_too_many_or_too_large_files_are_refused():
    with pytest.raises(ProjectError, match=f"200 files; JFDI takes at most {MAX_FILES}"):
        check_files({f"src/f{i}.ts": "export {}" for i in range(200)})
    with pytest.raises(ProjectError, match=r"src/data/big.ts is 5.0 MB; a file may be at most 1.0 MB"):
        check_files({"src/data/big.ts": "x" * 5_000_000})
    answer = project_of([Named(f"src/f{i}.ts", "export {}") for i in range(200)])
    assert answer.files == {} and "200 files" in answer.error
    assert MAX_FILE_BYTES == 1_000_000


def test_the_entry_rule_and_what_it_says_when_it_leaves_a_choice():
    app = "export default function App() { return null; }"
    assert entry_of({"src/components/Chart.tsx": "export default function Chart() { return null; }", "src/App.tsx": app}).path \
        == "src/App.tsx"
    # Without App: the one default-exporting file that no other file imports.
    page = 'import Chart from "./Chart";\nexport default function OeePage() { return <Chart />; }'
    files = {"src/Chart.tsx": "export default function Chart() { return null; }", "src/OeePage.tsx": page}
    entry = entry_of(files)
    assert entry.path == "src/OeePage.tsx" and not entry.ambiguous
    # Two unrelated candidates: the choice is shown, and the rule with it.
    two = {"src/Orders.tsx": "export default function Orders() { return null; }",
           "src/Parts.tsx": "export default function Parts() { return null; }"}
    entry = entry_of(two)
    assert entry.ambiguous and entry.path == "src/Orders.tsx" and entry.candidates == ("src/Orders.tsx", "src/Parts.tsx")
    assert "src/Parts.tsx could be the entry too" in entry.explain() and "default-exports App" in entry.explain()
    # No default export anywhere: the last file with a component.
    no_default = {"src/a.ts": "export const x = 1;", "src/Panel.tsx": "function Panel() { return null; }"}
    assert entry_of(no_default).path == "src/Panel.tsx"
    assert entry_of({"package.json": "{}"}).path is None


def test_imports_and_cycles_between_files():
    code = 'import { a } from "./a";\nimport type { T } from "../types";\nexport * from "./b";\nconst c = import("./c");\n' \
           'import "./styles.css";\nimport {\n  LineChart,\n} from "recharts";'
    assert imports(code) == [("./a", 1), ("../types", 2), ("./b", 3), ("./c", 4), ("./styles.css", 5), ("recharts", 8)]
    files = {
        "src/App.tsx": 'import { a } from "./lib/a";\nexport default function App() { return null; }',
        "src/lib/a.ts": 'import { b } from "./b";\nexport const a = 1;',
        "src/lib/b.ts": 'import { a } from "@/lib/a";\nexport const b = 2;',
    }
    assert import_cycles(files) == [["src/lib/a.ts", "src/lib/b.ts", "src/lib/a.ts"]]


def test_the_tree_is_written_under_the_folder_and_nowhere_else(tmp_path):
    files = {"src/App.tsx": "export default function App() {}", "src/components/Chart.tsx": "export {}", "package.json": "{}"}
    written = write_tree(files, tmp_path / "out")
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == list(files)
    assert (tmp_path / "out" / "src" / "components" / "Chart.tsx").read_text() == "export {}\n"
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "linked").mkdir()
    os.symlink(outside, tmp_path / "linked" / "src")
    with pytest.raises(ProjectError, match="symbolic link"):
        write_tree({"src/App.tsx": "x"}, tmp_path / "linked")
    for bad in ({"../escape.ts": "x"}, {"/tmp/abs.ts": "x"}, {"src/App.tsx": "x", "src/../../x.ts": "y"}):
        with pytest.raises(ProjectError):
            write_tree(bad, tmp_path / "bad")
    assert not any(outside.iterdir()) and not (tmp_path / "bad").exists(), "nothing is written when one path is refused"
