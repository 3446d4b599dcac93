"""The edit-block parser on answers written the way small models write them."""

from jfdi.edits.format import parse_edits

BLOCK = "src/App.tsx\n<<<<<<< SEARCH\n  const a = 1;\n=======\n  const a = 2;\n>>>>>>> REPLACE"


def test_a_clean_block_gives_its_path_search_and_replace():
    answer = parse_edits(BLOCK)
    assert [(b.path, b.search, b.replace) for b in answer.blocks] == [("src/App.tsx", "  const a = 1;", "  const a = 2;")]
    assert not answer.malformed


def test_prose_around_and_a_fence_around_the_block_are_not_part_of_it():
    text = f"Sure! Here is the change you asked for:\n\n```tsx\n{BLOCK}\n```\n\nThis sets a to 2. Let me know!"
    answer = parse_edits(text)
    assert [(b.path, b.search, b.replace) for b in answer.blocks] == [("src/App.tsx", "  const a = 1;", "  const a = 2;")]
    assert "Sure!" in answer.rest and "Let me know" in answer.rest and "src/App.tsx" not in answer.rest


def test_the_path_in_bold_in_a_comment_after_file_or_in_the_fence_info():
    body = "<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE"
    for header in ("**src/App.tsx**", "`src/App.tsx`", "// src/App.tsx", "File: src/App.tsx", "### src/App.tsx",
                   "```tsx src/App.tsx", "src/App.tsx:"):
        assert parse_edits(f"{header}\n{body}").blocks[0].path == "src/App.tsx", header
    assert parse_edits(f"src/App.tsx\n```tsx\n{body}\n```").blocks[0].path == "src/App.tsx", "path above the fence"


def test_windows_newlines_and_miscounted_markers_are_read():
    text = "src/App.tsx\r\n<<<<<< SEARCH\r\nold\r\n========\r\nnew\r\n>>>>>>>> REPLACE\r\n"
    [block] = parse_edits(text).blocks
    assert (block.search, block.replace) == ("old", "new")


def test_blocks_in_a_row_and_a_block_without_a_path_takes_the_one_before():
    text = (f"{BLOCK}\n<<<<<<< SEARCH\nb\n=======\nc\n>>>>>>> REPLACE\n\n"
            "src/lib/x.ts\n<<<<<<< SEARCH\n=======\nexport const x = 1;\n>>>>>>> REPLACE")
    blocks = parse_edits(text).blocks
    assert [b.path for b in blocks] == ["src/App.tsx", "src/App.tsx", "src/lib/x.ts"]
    assert blocks[2].creates and not blocks[0].creates


def test_a_block_with_a_missing_marker_is_refused_with_the_reason_and_the_others_still_read():
    missing_divider = "src/App.tsx\n<<<<<<< SEARCH\nold\nnew\n>>>>>>> REPLACE\n"
    answer = parse_edits(missing_divider + "\n" + BLOCK)
    assert [m.reason for m in answer.malformed] == ["the block at line 2 (src/App.tsx) has no ======= line"]
    assert len(answer.blocks) == 1

    cut_off = parse_edits("src/App.tsx\n<<<<<<< SEARCH\nold\n=======\nnew")
    assert not cut_off.blocks and "no >>>>>>> REPLACE line" in cut_off.malformed[0].reason

    stray = parse_edits("old\n=======\nnew\n>>>>>>> REPLACE")
    assert not stray.blocks and len(stray.malformed) == 2
    assert "without a <<<<<<< SEARCH line before it" in stray.malformed[0].reason


def test_a_block_with_no_path_at_all_has_none():
    [block] = parse_edits("Change this:\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE").blocks
    assert block.path is None


def test_a_whole_file_answer_has_no_edits():
    text = "```tsx src/App.tsx\nexport default function App() {\n  return <p>=======</p>;\n}\n```"
    assert not parse_edits(text).has_edits
