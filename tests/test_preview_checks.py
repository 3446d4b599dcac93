"""Checks of a whole project: imports against the library set, then syntax and types through the
real Node worker (TypeScript and the libraries' types from checker/'s npm ci)."""

from __future__ import annotations

import shutil
import time

import pytest

from jfdi.preview import check
from jfdi.preview.checks import CHECKER_DIR, Checker
from tests.preview_cases import CASES

CLEAN = (CASES / "reorder_list.tsx").read_text()


def one(code: str) -> dict[str, str]:
    return {"src/ReorderList.tsx": code}

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the checks (.ci/run installs it)")


def test_a_clean_component_passes():
    result = check(one(CLEAN))
    assert (result.syntax_ok, result.typecheck_ok, result.ok) == (True, True, True), result
    assert result.problems == () and result.tools.startswith("typescript ")


def test_a_syntax_error_has_its_line_and_column():
    code = "export default function Form() {\n  const qty = ;\n  return <form />;\n}\n"
    result = check(one(code))
    assert result.syntax_ok is False and result.ok is False
    first = result.syntax_errors[0]
    assert (first.line, first.column) == (2, 15)
    assert result.typecheck_ok is None and "fix the syntax first" in result.notes[0]


def test_a_mismatched_jsx_tag_is_a_syntax_error():
    result = check(one("export default function A() {\n  return <div>hi</span>;\n}\n"))
    assert result.syntax_ok is False
    assert "closing tag for 'div'" in result.syntax_errors[0].message and result.syntax_errors[0].line == 2


def test_a_type_error_has_its_line():
    code = CLEAN.replace('qty: 12 }', 'qty: "twelve" }')
    result = check(one(code))
    assert result.syntax_ok is True and result.typecheck_ok is False
    error = result.type_errors[0]
    assert error.line == 8 and error.code == "TS2322" and "not assignable to type 'number'" in error.message


def test_an_import_outside_the_set_names_what_to_use_instead():
    code = ('import { Line } from "react-chartjs-2";\nimport { NotAnIcon } from "lucide-react";\n'
            'import { rows } from "./data/rows";\n'
            "export default function A() { return <Line data={rows} /> && <NotAnIcon />; }\n")
    result = check(one(code))
    assert result.ok is False
    assert [(e.file, e.line) for e in result.import_errors] == [("src/ReorderList.tsx", 1), ("src/ReorderList.tsx", 3)]
    assert "use recharts for charts" in result.import_errors[0].message
    assert '"./data/rows": no file of the project has that path' in result.import_errors[1].message
    messages = [(e.line, e.message) for e in result.type_errors]
    assert not any("Cannot find module" in m for _, m in messages), "the import check already said it, better"
    assert any(line == 2 and "NotAnIcon" in message for line, message in messages)


def test_a_project_is_checked_at_once_and_errors_name_the_file_and_its_line():
    files = {
        "src/types.ts": "export type Item = { sku: string };",
        "src/List.tsx": 'import type { Item } from "./types";\n'
                        "export default function List() {\n  const items: Item[] = [{ sku: 7 }];\n"
                        "  return <ul>{items.map((i) => <li key={i.sku}>{i.sku}</li>)}</ul>;\n}\n",
    }
    error = check(files).type_errors[0]
    assert (error.file, error.line) == ("src/List.tsx", 3)
    assert str(error).startswith("src/List.tsx, line 3, column")


def test_the_library_set_type_checks_with_its_own_types():
    code = """import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { Line, LineChart, XAxis, YAxis } from "recharts";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { format } from "date-fns";

const schema = z.object({ sku: z.string().min(1, "SKU is required"), qty: z.number().positive() });
type Values = z.infer<typeof schema>;
type Row = { sku: string };
const columns: ColumnDef<Row>[] = [{ accessorKey: "sku", header: "SKU" }];

export default function App() {
  const { register, handleSubmit, formState: { errors } } = useForm<Values>({ resolver: zodResolver(schema) });
  const table = useReactTable({ data: [] as Row[], columns, getCoreRowModel: getCoreRowModel() });
  const rows = useVirtualizer({ count: 10, getScrollElement: () => null, estimateSize: () => 30 });
  return (
    <form onSubmit={handleSubmit((values) => console.log(values.qty))}>
      <input {...register("sku")} />{errors.sku?.message}
      <LineChart width={300} height={200} data={[{ t: 1, v: 2 }]}><XAxis dataKey="t" /><YAxis /><Line dataKey="v" /></LineChart>
      {table.getHeaderGroups().map((g) => g.headers.map((h) => (
        <b key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</b>
      )))}
      {rows.getTotalSize()} {format(new Date(2026, 0, 5), "yyyy-MM-dd")}
    </form>
  );
}
"""
    result = check({"src/App.tsx": code})
    assert result.ok is True, result.problems
    wrong = check({"src/App.tsx": code.replace('z.string().min(1, "SKU is required")', "z.string().min('one')")})
    assert wrong.typecheck_ok is False and wrong.type_errors[0].line == 9


def test_a_project_too_large_is_not_checked_and_says_why():
    result = check({f"src/f{i}.ts": "export {}" for i in range(200)})
    assert result.ok is None and "200 files" in result.notes[0]


def test_without_node_nothing_is_checked_and_the_result_says_why():
    result = Checker(node=None).check(one(CLEAN))
    assert result.ok is None and result.syntax_ok is None and "Node.js is not installed" in result.notes[0]
    unknown = Checker(node=None).check(one('import dayjs from "dayjs";\n' + CLEAN))
    assert unknown.ok is False and "use date-fns for dates" in unknown.import_errors[0].message, "imports need no Node"


def test_empty_code_is_not_checked():
    assert Checker().check(one("   \n")).notes == ("nothing to check: the code is empty",)
    assert Checker().check({}).notes == ("nothing to check: the code is empty",)


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
        broken = checker.check(one("export default function A() {\n  const x = ;\n}\n"))
        clean = checker.check(one(CLEAN))
    finally:
        checker.close()
    assert broken.syntax_ok is False and broken.syntax_errors[0].line == 2
    assert clean.syntax_ok is True and clean.typecheck_ok is None
    assert clean.notes == (f"type-check unavailable: run npm ci in {bare_checker}",)


@pytest.mark.timeout(300)
def test_typescript_installs_in_the_background_and_is_then_used(bare_checker):
    checker = Checker(directory=bare_checker)
    try:
        first = checker.check(one(CLEAN))
        assert first.typecheck_ok is None and "is running" in first.notes[0], first.notes
        deadline = time.monotonic() + 240
        result = first
        while result.typecheck_ok is None and time.monotonic() < deadline:
            time.sleep(1)
            result = checker.check(one(CLEAN))
    finally:
        checker.close()
    assert result.typecheck_ok is True, result.notes


def test_the_stored_form_of_a_result_says_whether_the_code_passed():
    result = check(one("export default function A() {\n  const x: number = 'a';\n  return <p>{x}</p>;\n}\n"))
    stored = result.to_dict()
    assert stored["ok"] is False and stored["syntax_ok"] is True and stored["typecheck_ok"] is False
    assert stored["type_errors"][0]["line"] == 2 and "not assignable" in stored["type_errors"][0]["message"]
