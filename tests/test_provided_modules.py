"""JFDI's own modules in a generated project: an answer that imports @/jfdi/units or @/jfdi/csv gets
the file (the model writes neither), the preview's checks type-check the tool against it, a
follow-up does not send its source back to the model, and the Vite export carries it."""

from __future__ import annotations

import json

from jfdi.engine import Engine
from jfdi.generation import Generation
from jfdi.preview import check
from jfdi.preview.export import project_files
from jfdi.preview.provided import provided_for, provided_modules
from jfdi.store import Store
from tests.fakes import FakeProvider

APP = """import { useState } from "react";
import { check, parseTolerance, convert } from "@/jfdi/units";
import { downloadCsv, toCsv } from "@/jfdi/csv";

const BORE = parseTolerance("8.000 ± 0.015 mm");

export default function App() {
  const [measured, setMeasured] = useState("0.3152 in");
  const result = check(measured, BORE);
  const rows = [{ feature: "Bore", measured, mm: convert(0.3152, "in", "mm"), status: result.status }];
  return (
    <div className="p-4">
      <input aria-label="Measured" value={measured} onChange={(e) => setMeasured(e.target.value)} />
      <p>{result.ok ? "pass" : result.status}</p>
      <button onClick={() => downloadCsv("bore.csv", toCsv(rows, ["feature", { header: "Measured [mm]", key: "mm" }]))}>CSV</button>
    </div>
  );
}"""


def test_an_answer_gets_the_modules_it_imports_and_no_others():
    gen = Generation("Bore check")
    gen.text = f"```tsx src/App.tsx\n{APP}\n```"
    assert set(gen.current_files) == {"src/App.tsx", "src/jfdi/units.ts", "src/jfdi/csv.ts"}
    assert gen.current_files["src/jfdi/units.ts"] == provided_modules()["src/jfdi/units.ts"]
    assert gen.code == APP
    plain = Generation("Plain")
    plain.text = "```tsx src/App.tsx\nexport default function App() { return <p>hi</p>; }\n```"
    assert list(plain.current_files) == ["src/App.tsx"]
    relative = {"src/components/Gauge.tsx": 'import { convert } from "../jfdi/units";\nexport const G = convert(1, "in", "mm");'}
    assert list(provided_for(relative)) == ["src/jfdi/units.ts"]


def test_a_copy_the_model_writes_is_replaced_with_a_notice():
    gen = Generation("Bore check")
    gen.text = f"```tsx src/App.tsx\n{APP}\n```\n```ts src/jfdi/units.ts\nexport const convert = () => 0;\n```"
    assert gen.current_files["src/jfdi/units.ts"] == provided_modules()["src/jfdi/units.ts"]
    assert "src/jfdi/units.ts in the answer was replaced by the file JFDI writes there" in gen.answer.notices


def test_the_tool_type_checks_against_them_and_the_export_carries_them():
    gen = Generation("Bore check")
    gen.text = f"```tsx src/App.tsx\n{APP}\n```"
    result = check(gen.current_files)
    assert result.ok, (result.type_errors, result.import_errors)
    wrong = APP.replace('check(measured, BORE)', 'check(measured, "8 mm")')  # a string is not a Tolerance
    gen.text = f"```tsx src/App.tsx\n{wrong}\n```"
    assert check(gen.current_files).typecheck_ok is False
    exported = project_files({"src/App.tsx": APP, **provided_for({"src/App.tsx": APP})})
    assert exported["src/jfdi/csv.ts"].rstrip() == provided_modules()["src/jfdi/csv.ts"].rstrip()
    assert '"@/*": ["./src/*"]' in exported["tsconfig.json"] and '"@"' in exported["vite.config.ts"]
    assert "@jfdi" not in json.loads(exported["package.json"])["dependencies"], "nothing to install: they are files"


def test_a_follow_up_does_not_send_their_source_to_the_model(settings, tmp_path):
    fake = FakeProvider("claude").enqueue(f"```tsx src/App.tsx\n{APP}\n```").enqueue(f"```tsx src/App.tsx\n{APP}\n```")
    engine = Engine(settings, providers={"claude": fake}, store=Store(tmp_path / "jfdi.db"))
    first = list(engine.generate("Bore check", provider="claude"))[-1].generation
    assert "src/jfdi/units.ts" in first.files
    assert "never write them" in fake.requests[0].system and 'from "@/jfdi/units"' in fake.requests[0].system
    again = list(engine.generate("Say OK in green", provider="claude", current_files=first.files))[-1].generation
    sent = fake.requests[1].messages[-1].content
    assert "export function convert" not in sent and "The current code:" in sent
    assert again.files["src/jfdi/units.ts"] == first.files["src/jfdi/units.ts"]
