from jfdi.code import answer_files, extract_code, looks_like_code
from jfdi.project import entry_of

COMPONENT = 'export default function App() {\n  return <div className="p-4">Hi</div>;\n}'
CHART = 'import { LineChart } from "recharts";\n\nexport function TrendChart() {\n  return <LineChart width={300} />;\n}'


def only_file(answer: str) -> str:
    [code] = answer_files(answer).files.values()
    return code


def test_bare_code_is_taken_whole():
    assert only_file(COMPONENT + "\n") == COMPONENT


def test_prose_before_bare_code_is_dropped():
    assert only_file("Here is the component:\n\n" + COMPONENT) == COMPONENT


def test_fenced_block_with_prose_around_it():
    answer = f"Sure! Here it is:\n\n```tsx\n{COMPONENT}\n```\n\nIt uses Tailwind for styling."
    assert only_file(answer) == COMPONENT


def test_fence_with_any_tag_or_none_and_tildes():
    for opener in ("```", "```typescript", "```jsx", "~~~tsx", "````tsx"):
        closer = opener.rstrip("abcdefghijklmnopqrstuvwxyz")
        assert only_file(f"{opener}\n{COMPONENT}\n{closer}") == COMPONENT, opener


def test_one_unnamed_block_is_the_one_file_case_named_after_its_component():
    assert answer_files(f"```tsx\n{COMPONENT.replace('App', 'ReorderForm')}\n```").files == {
        "src/ReorderForm.tsx": COMPONENT.replace("App", "ReorderForm")
    }
    assert list(answer_files("const LIMIT = 3;").files) == ["src/App.tsx"]


def test_every_way_models_name_files_is_understood():
    answer = (
        f"```tsx src/App.tsx\n{COMPONENT}\n```\n"
        f'```tsx title="src/components/TrendChart.tsx"\n{CHART}\n```\n'
        "```ts\n// src/lib/limits.ts\nexport const UCL = 12;\n```\n"
        "```ts\n// File: src/lib/units.ts\nexport const MM = 1;\n```\n"
        "**src/data/parts.ts**\n```ts\nexport const parts = [];\n```\n"
        "### components/Gauge.tsx\n```tsx\nexport function Gauge() { return null; }\n```\n"
        "Then the styles:\n\n`styles/app.css`:\n```css\n.a { color: red; }\n```\n"
    )
    files = answer_files(answer).files
    assert list(files) == [
        "src/App.tsx", "src/components/TrendChart.tsx", "src/lib/limits.ts", "src/lib/units.ts", "src/data/parts.ts",
        "src/components/Gauge.tsx", "src/styles/app.css",
    ]
    assert files["src/lib/limits.ts"] == "export const UCL = 12;", "a first line that only names the file is dropped"
    assert files["src/App.tsx"] == COMPONENT


def test_bare_code_with_file_lines_is_several_files():
    files = answer_files(f"// File: src/App.tsx\n{COMPONENT}\n\n// File: src/components/TrendChart.tsx\n{CHART}\n").files
    assert files == {"src/App.tsx": COMPONENT, "src/components/TrendChart.tsx": CHART}


def test_prose_that_mentions_files_does_not_name_a_block():
    answer = f"Here's the updated `App.tsx` that uses `TrendChart.tsx`:\n```tsx\n{COMPONENT}\n```"
    assert list(answer_files(answer).files) == ["src/App.tsx"]
    assert extract_code(answer).files[0].name is None


def test_shell_blocks_are_not_code_when_there_is_code():
    answer = f"Install:\n```bash\nnpm i lucide-react\n```\n```tsx\n{COMPONENT}\n```"
    assert only_file(answer) == COMPONENT


def test_an_unterminated_fence_keeps_what_arrived():
    extracted = extract_code("```tsx\nexport default function A() {\n  return (")
    assert extracted.files[0].code == "export default function A() {\n  return ("
    assert extracted.unterminated


def test_the_entry_is_the_file_that_default_exports_app():
    answer = (
        f"```tsx src/components/TrendChart.tsx\nexport default function TrendChart() {{ return null; }}\n```\n"
        f"```tsx src/App.tsx\n{COMPONENT}\n```\n"
    )
    assert entry_of(answer_files(answer).files).path == "src/App.tsx"


def test_refused_and_repeated_files_are_left_out_with_a_reason():
    answer = (
        f"```tsx src/App.tsx\n{COMPONENT}\n```\n"
        "```ts ../../etc/passwd.ts\nexport const x = 1;\n```\n"
        "```py src/etl.py\nprint('hi')\n```\n"
        f"```tsx src/App.tsx\n{COMPONENT.replace('Hi', 'Hello')}\n```\n"
    )
    project = answer_files(answer)
    assert project.files == {"src/App.tsx": COMPONENT.replace("Hi", "Hello")}
    assert any("leaves the project" in n for n in project.notices)
    assert any("src/etl.py is not part of a React + TypeScript project" in n for n in project.notices)
    assert "src/App.tsx is in the answer 2 times; the last one is kept" in project.notices


def test_looks_like_code():
    assert looks_like_code(COMPONENT)
    assert not looks_like_code("I'm sorry, I can't help with that request.")
