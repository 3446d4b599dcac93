from jfdi.seam import SeamJoiner, join

EXISTING = "function A() {\n  const total = items.reduce((sum, item) => sum +"


def feed_all(existing, continuation, at_line_start=False, size=7):
    joiner = SeamJoiner(existing, at_line_start=at_line_start)
    text, restart = existing, False
    for i in range(0, len(continuation), size):
        out = joiner.feed(continuation[i : i + size])
        if out:
            text = out.text if out.restart else text + out.text
            restart |= out.restart
    out = joiner.flush()
    if out:
        text = out.text if out.restart else text + out.text
        restart |= out.restart
    return text, restart


def test_exact_continuation_is_appended():
    assert join(EXISTING, " item.qty, 0);").text == " item.qty, 0);"


def test_restated_partial_line_is_not_repeated():
    head = "  const total = items.reduce((sum, item) => sum + item.qty, 0);\n}"
    assert EXISTING + join(EXISTING, head).text == "function A() {\n  const total = items.reduce((sum, item) => sum + item.qty, 0);\n}"


def test_short_coincidental_overlap_is_kept():
    # "}" may legitimately follow "}": too short to be taken as a repeat
    assert join("  }\n}", "}\n").text == "}\n"


def test_restated_complete_line_with_other_indentation():
    existing = "<div>\n      <span>Total</span>"
    assert join(existing, "<span>Total</span>\n</div>", at_line_start=True).text == "\n</div>"


def test_a_line_break_lost_at_the_seam_is_put_back():
    assert join("const a = 1;", "const b = 2;", at_line_start=True).text == "\nconst b = 2;"


def test_new_fence_around_a_continuation_of_bare_code_is_dropped_with_its_closing_fence():
    existing = "export default function A() {\n  return ("
    continuation = "```tsx\n    <div>hi</div>\n  );\n}\n```\n\nThis completes the component."
    text, restart = feed_all(existing, continuation)
    assert not restart
    assert text == "export default function A() {\n  return (\n    <div>hi</div>\n  );\n}"


def test_a_fence_inside_an_open_fence_is_dropped():
    existing = "```tsx\nexport default function A() {"
    assert join(existing, "```tsx\n  return null;\n}\n```").text == "\n  return null;\n}\n```"


def test_starting_over_is_detected():
    existing = "import { useState } from 'react';\n\nexport default function Counter() {\n  const [n"
    result = join(existing, "import { useState } from 'react';\n\nexport default function Counter() {\n  const [n, setN] = useState(0);")
    assert result.restart


def test_streaming_joiner_matches_join_for_long_and_short_continuations():
    long = "  const total = items.reduce((sum, item) => sum + item.qty, 0);\n" + "  // more\n" * 40
    text, _ = feed_all(EXISTING, long)
    assert text == "function A() {\n" + long
    short, _ = feed_all(EXISTING, " 1);")
    assert short == EXISTING + " 1);"
