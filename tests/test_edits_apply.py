"""Applying edit blocks: exact, then indentation-tolerant, never a guess; elided code refused."""

from jfdi.edits.apply import Failure, apply_edits
from jfdi.edits.elision import find_elisions, is_elision
from jfdi.edits.format import EditBlock, parse_edits

APP = """import { useState } from "react";

export default function App() {
  const [qty, setQty] = useState(0);
  return (
    <form>
      <button className="bg-blue-600">Save</button>
      <button className="bg-blue-600">Cancel</button>
    </form>
  );
}
"""
FILES = {"src/App.tsx": APP, "src/lib/limits.ts": "export const MAX = 10;\n"}


def block(search: str, replace: str, path: str | None = "src/App.tsx") -> EditBlock:
    return EditBlock(path, search, replace, 1)


def test_an_exact_block_changes_only_its_lines():
    result = apply_edits(FILES, [block("  const [qty, setQty] = useState(0);", "  const [qty, setQty] = useState(1);")])
    assert result.ok and result.changed == ("src/App.tsx",)
    assert result.files["src/App.tsx"] == APP.replace("useState(0)", "useState(1)")
    assert result.files["src/lib/limits.ts"] == FILES["src/lib/limits.ts"]


def test_a_block_copied_with_other_indentation_matches_and_its_replacement_is_reindented():
    search = "<form>\n  <button className=\"bg-blue-600\">Save</button>"
    replace = "<form>\n  <button className=\"bg-green-600\">Save</button>\n  <p>Saved</p>"
    result = apply_edits(FILES, [block(search, replace)])
    assert result.ok and result.reindented == 1
    new = result.files["src/App.tsx"]
    assert "    <form>\n      <button className=\"bg-green-600\">Save</button>\n      <p>Saved</p>\n" in new
    assert "Cancel" in new


def test_a_search_that_matches_twice_is_an_error_naming_the_file_and_changes_nothing():
    result = apply_edits(FILES, [block('className="bg-blue-600"', "x")])
    # Whole lines only: a part of a line is not found, let alone guessed at.
    assert [f.kind for f in result.failures] == [Failure.NOT_FOUND]
    twice = apply_edits({"src/App.tsx": "a\nb\na\n"}, [block("a", "c")])
    assert [f.kind for f in twice.failures] == [Failure.AMBIGUOUS]
    assert "src/App.tsx 2 times" in twice.failures[0].reason and twice.files == {"src/App.tsx": "a\nb\na\n"}


def test_one_failing_block_fails_the_answer_and_no_block_is_applied():
    good = block("  const [qty, setQty] = useState(0);", "  const [qty, setQty] = useState(1);")
    bad = block("  const [price, setPrice] = useState(0);", "  const [price, setPrice] = useState(2);")
    result = apply_edits(FILES, [good, bad])
    assert not result.ok and result.files == FILES and result.changed == ()
    assert "this SEARCH text is not in src/App.tsx" in result.failures[0].reason
    assert "const [price, setPrice]" in result.failures[0].reason


def test_new_files_unknown_files_and_paths():
    created = apply_edits(FILES, [block("", "export const MIN = 1;", "lib/min.ts")])
    assert created.ok and created.files["src/lib/min.ts"] == "export const MIN = 1;\n"
    unknown = apply_edits(FILES, [block("x", "y", "src/Other.tsx")])
    assert unknown.failures[0].kind is Failure.UNKNOWN_FILE and "src/App.tsx, src/lib/limits.ts" in unknown.failures[0].reason
    outside = apply_edits(FILES, [block("", "x", "../etc/passwd.ts")])
    assert outside.failures[0].kind is Failure.BAD_PATH
    exists = apply_edits(FILES, [block("", "x")])
    assert exists.failures[0].kind is Failure.EXISTS
    nameless = apply_edits(FILES, [block("a", "b", None)])
    assert nameless.failures[0].kind is Failure.NO_FILE
    one_file = apply_edits({"src/App.tsx": APP}, [block("  const [qty, setQty] = useState(0);", "  // none", None)])
    assert one_file.ok, "a one-file project: a block without a path can only mean that file"


def test_an_empty_replace_deletes_and_a_malformed_block_fails_the_answer():
    result = apply_edits(FILES, [block('      <button className="bg-blue-600">Cancel</button>', "")])
    assert "Cancel" not in result.files["src/App.tsx"] and "Save" in result.files["src/App.tsx"]
    parsed = parse_edits("src/App.tsx\n<<<<<<< SEARCH\n  return (\n>>>>>>> REPLACE")
    failed = apply_edits(FILES, parsed.blocks, parsed.malformed)
    assert failed.failures[0].kind is Failure.MALFORMED and failed.files == FILES


def test_elided_code_is_found_and_ordinary_code_is_not():
    for line in ("// ... rest of the component unchanged", "/* existing code */", "  // ...", "...", "  {/* ... */}",
                 "// ...existing imports", "{/* rest of the form fields unchanged */}", "  …", "// other handlers here...",
                 "/* ... */", "<!-- ... -->", "  // Rest of the code remains the same", "// unchanged"):
        assert is_elision(line), line
    for line in ("  const next = { ...item, qty };", "<p>Loading...</p>", '  setStatus("Saving...");',
                 "// Check for existing SKUs",
                 "// TODO: handle errors...", "  <Input {...props} />", "  ...rest", "// Validate the rest of the form",
                 "const dots = '...';", "// quantity must stay the same sign"):
        assert not is_elision(line), line


def test_elisions_already_in_the_previous_version_are_not_the_answers():
    previous = {"src/App.tsx": "// ...\nexport default function App() {}\n"}
    new = {"src/App.tsx": "// ...\nexport default function App() {\n  // ... rest unchanged\n}\n"}
    found = find_elisions(new, previous, ["src/App.tsx"])
    assert [(e.line, e.text.strip()) for e in found] == [(3, "// ... rest unchanged")]


def test_a_file_with_windows_newlines_is_matched_and_the_other_files_are_left_as_they_are():
    files = {"src/App.tsx": APP.replace("\n", "\r\n"), "src/lib/limits.ts": "export const MAX = 10;\r\n"}
    result = apply_edits(files, [block("  const [qty, setQty] = useState(0);", "  const [qty, setQty] = useState(1);")])
    assert result.files["src/App.tsx"] == APP.replace("useState(0)", "useState(1)")
    assert result.files["src/lib/limits.ts"] == "export const MAX = 10;\r\n"
