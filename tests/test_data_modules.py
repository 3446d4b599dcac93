"""The engineer's data flows into the generated tool: an uploaded table becomes a typed module,
src/data/<name>.ts, that JFDI adds to the project (the model reads its types and a sample, never
every row), and that the log, the CLI's --out, the checks and the export all carry."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from jfdi.documents import Column, Dataset, parse
from jfdi.documents import module as data_module_code
from jfdi.documents.module import data_module, describe_module
from jfdi.documents.session import generation_context, parse_upload
from jfdi.engine import Engine
from jfdi.generation import Generation
from jfdi.preview import check
from jfdi.preview.export import project_files, project_zip
from jfdi.project import DATA_MODULE_MARKER, ProjectError, check_files, entry_of
from jfdi.store import Store
from tests import spreadsheets as sheets
from tests.fakes import FakeProvider
from tests.loopback import Reply
from tests.test_cli import cli  # noqa: F401  (the CLI fixture)

ROWS = 3000
APP = """import { bom, bomTotalRows, type BomRow } from "./data/bom";

export default function App() {
  const pieces = bom.reduce((sum: number, row: BomRow) => sum + row.qtyPcs, 0);
  return (
    <table className="text-sm">
      <caption>{bom.length} of {bomTotalRows} lines, {pieces} pieces</caption>
      <tbody>
        {bom.slice(0, 3).map((row) => (
          <tr key={row.partNumber}><td>{row.partNumber}</td><td>{row.lengthMm.toFixed(1)} mm</td></tr>
        ))}
      </tbody>
    </table>
  );
}"""
FAKE_ROWS = 'export const bom = [{ partNumber: "MADE-UP-1", qtyPcs: 1, lengthMm: 1 }];'


@pytest.fixture
def bom_csv(tmp_path):
    return sheets.write_csv(tmp_path / "bom.csv", sheets.bom_rows(ROWS))


def _rows_of(text: str) -> list[list]:
    literal = text.split("JSON.parse(", 1)[1].rsplit(");", 1)[0].split(");\n", 1)[0]
    return json.loads(json.loads(literal))


def test_a_table_becomes_a_typed_module_with_every_row(bom_csv, settings):
    dataset = parse(bom_csv, settings=settings).datasets[0]
    module = data_module(dataset, "bom.csv")
    assert module.path == "src/data/bom.ts" and module.text.startswith(DATA_MODULE_MARKER)
    assert "export interface BomRow {" in module.text
    assert "  lengthMm: number;" in module.text and "  partNumber: string;" in module.text
    assert '  supplier: "Nordic" | "Delta" | "Acme";' in module.text  # an enum is a union of its values
    assert '{ key: "lengthMm", header: "Length [mm]", type: "number", unit: "mm" }' in module.text
    rows = _rows_of(module.text)
    assert len(rows) == ROWS and module.rows == module.total == ROWS and module.notice == ""
    last = sheets.bom_rows(ROWS)[-1]
    assert rows[-1][:2] == [last[0], last[1]] and rows[-1][-1] == last[-1].isoformat()


def test_the_model_reads_the_types_and_a_sample_not_every_row(bom_csv, settings):
    dataset = parse(bom_csv, settings=settings).datasets[0]
    module = data_module(dataset, "bom.csv")
    described = describe_module(module.path, module.text)
    assert 'import { type BomRow, bomColumns, bomTotalRows, bom } from "./data/bom";' in described
    assert "export interface BomRow {" in described and "CD-100001" in described
    assert "CD-100006" not in described and f"CD-{100000 + ROWS}" not in described
    assert len(described) < 5000


def test_a_module_over_the_cap_keeps_its_first_rows_and_says_so(bom_csv, settings, monkeypatch):
    monkeypatch.setattr(data_module_code, "MAX_MODULE_BYTES", 120_000)
    module = data_module(parse(bom_csv, settings=settings).datasets[0], "bom.csv")
    assert 0 < module.rows < ROWS and module.total == ROWS
    assert len(module.text.encode()) <= 120_000 and len(_rows_of(module.text)) == module.rows
    assert f"the first {module.rows:,} of {ROWS:,}" in module.text
    assert module.notice == f"src/data/bom.ts holds the first {module.rows:,} of {ROWS:,} rows: a data module is capped at 0 MB"


def test_a_dataset_as_large_as_parsing_keeps_becomes_a_capped_module_not_a_huge_file():
    # 50,000 rows (the parse cap) of 30 long text columns: about 50 MB of rows.
    columns = tuple(Column(f"Note {c}", "text") for c in range(30))
    rows = tuple(tuple(f"row {r} note {c} " + "x" * 20 for c in range(30)) for r in range(50_000))
    module = data_module(Dataset("notes", columns, rows), "notes.xlsx")
    assert len(module.text.encode()) <= 8_000_000 and 0 < module.rows < 50_000
    assert module.notice.startswith(f"src/data/notes.ts holds the first {module.rows:,} of 50,000 rows")
    assert len(_rows_of(module.text)) == module.rows


def test_values_json_cannot_hold_become_empty_cells():
    columns = (Column("Part", "id"), Column("Ratio", "number"), Column("Due", "date"))
    rows = (("A-1", float("nan"), date(2024, 3, 1)), ("A-2", 0.5, None))
    module = data_module(Dataset("ratios", columns, rows), "ratios.xlsx")
    assert _rows_of(module.text) == [["A-1", None, "2024-03-01"], ["A-2", 0.5, None]]


def test_data_past_the_project_budget_is_left_out_with_a_notice(bom_csv, settings, tmp_path, monkeypatch):
    import jfdi.engine

    monkeypatch.setattr(jfdi.engine, "MAX_DATA_MODULES", 1)
    second = sheets.write_csv(tmp_path / "parts.csv", sheets.bom_rows(10))
    engine, _fake, _store = _engine(settings, tmp_path, f"```tsx src/App.tsx\n{APP}\n```")
    references, _ = generation_context([parse_upload(bom_csv, settings), parse_upload(second, settings)])
    gen = list(engine.generate("Show the BOM", provider="claude", references=references))[-1].generation
    assert "src/data/bom.ts" in gen.files and "src/data/parts.ts" not in gen.files
    assert any(n.startswith("src/data/parts.ts was left out: a project holds at most 1 data modules") for n in gen.notices)


def test_modules_get_their_own_limits_and_are_never_the_entry():
    big = DATA_MODULE_MARKER + " x\n" + "x" * 2_000_000
    check_files({"src/data/bom.ts": big, "src/App.tsx": APP})  # a data module may exceed a file's 1 MB
    with pytest.raises(ProjectError, match=r"src/data/bom.ts is 2.0 MB; a file may be at most 1.0 MB"):
        check_files({"src/data/bom.ts": "x" * 2_000_000})  # the model's own file may not
    with pytest.raises(ProjectError, match="a data module may be at most 8.0 MB"):
        check_files({"src/data/bom.ts": DATA_MODULE_MARKER + "x" * 9_000_000})
    module_first = {"src/data/bom.ts": DATA_MODULE_MARKER + "\nexport default [];", "src/Table.tsx": APP}
    assert entry_of(module_first).path == "src/Table.tsx"


def _engine(settings, tmp_path, *answers: str) -> tuple[Engine, FakeProvider, Store]:
    fake = FakeProvider("claude")
    for answer in answers:
        fake.enqueue(answer)
    store = Store(tmp_path / "jfdi.db")
    return Engine(settings, providers={"claude": fake}, store=store), fake, store


def test_an_uploaded_table_reaches_the_project_the_log_the_checks_and_the_export(bom_csv, settings, tmp_path):
    answer = f"```tsx src/App.tsx\n{APP}\n```\n\n```ts src/data/bom.ts\n{FAKE_ROWS}\n```\n"
    engine, fake, store = _engine(settings, tmp_path, answer, f"```tsx src/App.tsx\n{APP.replace('text-sm', 'text-xs')}\n```")
    references, documents = generation_context([parse_upload(bom_csv, settings)])
    run = engine.generate("Show the BOM", provider="claude", references=references, documents=documents)
    gen = list(run)[-1].generation
    assert gen.status == "ok", gen.error

    request = fake.requests[0]
    content = request.messages[-1].content
    assert "<project_data>" in content and "import { type BomRow, bomColumns, bomTotalRows, bom }" in content
    assert "| Length [mm] | number | mm |" in content  # the columns JFDI found, in the reference
    assert f"CD-{100000 + ROWS}" not in content and "CD-100500" not in content  # never every row
    assert "@tanstack/react-virtual" in request.system

    # The model also wrote src/data/bom.ts: the real rows replace its made-up ones, and it says so.
    assert "MADE-UP-1" not in gen.files["src/data/bom.ts"] and len(_rows_of(gen.files["src/data/bom.ts"])) == ROWS
    assert "src/data/bom.ts in the answer was replaced by the file JFDI writes there" in gen.notices
    assert gen.code == APP and entry_of(gen.files).path == "src/App.tsx"
    assert store.get(gen.id)["files"]["src/data/bom.ts"] == gen.files["src/data/bom.ts"]

    result = check(gen.files)
    assert result.ok, result.problems  # the module type-checks with the App that imports it
    exported = project_files(gen.files)
    assert exported["src/data/bom.ts"].rstrip("\n") == gen.files["src/data/bom.ts"].rstrip("\n")
    archive = zipfile.ZipFile(io.BytesIO(project_zip(gen.files)))
    assert any(name.endswith("/src/data/bom.ts") for name in archive.namelist())

    # A follow-up without the upload (the API's parent_id, an opened history entry): the module
    # is carried, described again, and its rows are not sent as current code.
    follow = engine.generate("Smaller text", provider="claude", current_files=gen.files, parent_id=gen.id)
    again = list(follow)[-1].generation
    sent = fake.requests[1].messages[-1].content
    assert "<project_data>" in sent and "src/data/bom.ts" in sent and "CD-100500" not in sent
    assert "```tsx src/App.tsx" in sent or "The current code:" in sent
    assert again.files["src/data/bom.ts"] == gen.files["src/data/bom.ts"] and "text-xs" in again.files["src/App.tsx"]


def test_while_no_code_has_come_the_project_holds_no_data_module():
    """Streaming: before the answer's first file, the preview keeps the last version; the data
    module alone is not a project to show."""
    gen = Generation("Show the BOM", data={"src/data/bom.ts": DATA_MODULE_MARKER + " bom.csv\n"})
    assert gen.current_files == {}
    gen.text = f"```tsx src/App.tsx\n{APP}\n```"
    assert list(gen.current_files) == ["src/data/bom.ts", "src/App.tsx"]


def test_cli_generate_with_a_table_writes_its_module(cli, anthropic_server, bom_csv, tmp_path):  # noqa: F811
    anthropic_server.enqueue(Reply(text=f"```tsx src/App.tsx\n{APP}\n```"))
    out = tmp_path / "out"
    done = cli("generate", "Show the BOM", "--doc", str(bom_csv), "--out", str(out), ANTHROPIC_API_KEY="sk-ant-test")
    assert done.returncode == 0, done.stderr
    assert done.stdout == APP + "\n"
    written = (out / "src" / "data" / "bom.ts").read_text(encoding="utf-8")
    assert written.startswith(DATA_MODULE_MARKER) and len(_rows_of(written)) == ROWS
    assert "files=2" in done.stderr.splitlines()[-1]
