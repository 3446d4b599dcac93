from jfdi.code import extract_code, looks_like_code
from jfdi.preview.sources import main_file, split_files

COMPONENT = 'export default function App() {\n  return <div className="p-4">Hi</div>;\n}'


def test_bare_code_is_taken_whole():
    assert extract_code(COMPONENT + "\n").code == COMPONENT


def test_prose_before_bare_code_is_dropped():
    assert extract_code("Here is the component:\n\n" + COMPONENT).code == COMPONENT


def test_fenced_block_with_prose_around_it():
    answer = f"Sure! Here it is:\n\n```tsx\n{COMPONENT}\n```\n\nIt uses Tailwind for styling."
    assert extract_code(answer).code == COMPONENT


def test_fence_with_any_tag_or_none_and_tildes():
    for opener in ("```", "```typescript", "```jsx", "~~~tsx", "````tsx"):
        closer = opener.rstrip("abcdefghijklmnopqrstuvwxyz")
        assert extract_code(f"{opener}\n{COMPONENT}\n{closer}").code == COMPONENT, opener


def test_several_files_keep_their_names():
    answer = (
        "**src/types.ts**\n```ts\nexport type Item = { sku: string };\n```\n\n"
        "```tsx title=\"src/InventoryForm.tsx\"\n" + COMPONENT + "\n```\n"
        "```css\n/* styles.css */\n.a { color: red; }\n```\n"
    )
    extracted = extract_code(answer)
    assert [f.name for f in extracted.files] == ["src/types.ts", "src/InventoryForm.tsx", "styles.css"]
    assert "// File: src/types.ts\nexport type Item" in extracted.code
    assert "// File: src/InventoryForm.tsx\n" + COMPONENT in extracted.code
    # The joined code splits back into its files, and the preview renders the default export.
    assert main_file(split_files(extracted.code)).path == "src/InventoryForm.tsx"


def test_shell_blocks_are_not_code_when_there_is_code():
    answer = f"Install:\n```bash\nnpm i lucide-react\n```\n```tsx\n{COMPONENT}\n```"
    assert extract_code(answer).code == COMPONENT


def test_an_unterminated_fence_keeps_what_arrived():
    extracted = extract_code("```tsx\nexport default function A() {\n  return (")
    assert extracted.code == "export default function A() {\n  return ("
    assert extracted.unterminated


def test_file_name_from_a_comment_on_the_first_line():
    extracted = extract_code("```tsx\n// components/Counter.tsx\n" + COMPONENT + "\n```")
    assert extracted.files[0].name == "components/Counter.tsx"


def test_looks_like_code():
    assert looks_like_code(COMPONENT)
    assert not looks_like_code("I'm sorry, I can't help with that request.")
