"""A corpus of follow-up answers to the 270-line component of benchmarks/iteration_component.tsx,
written the ways models write them (clean, whitespace-drifted, prose-wrapped, Windows newlines,
miscounted markers, ambiguous, elided, the wrong file, a missing marker, cut off, not parsing),
each with the outcome it must end in:

    applied    the answer becomes the new version, and the files are exactly `expect`
    re-asked   it goes back to the model with the reason (a block that does not apply, a
               result that does not parse, no code at all); the files are unchanged
    refused    it elides code: never saved, the complete file is asked for; files unchanged

The expected files are written out independently of the edit blocks (a substitution on the
component, or the whole text), so an answer applied at the wrong place cannot pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

COMPONENT = (Path(__file__).resolve().parent / "iteration_component.tsx").read_text()
PATH = "src/App.tsx"
CURRENT = {PATH: COMPONENT}

TITLE = '        <h1 className="text-2xl font-bold text-slate-900">Reorder Board</h1>'
SUBMIT = '            className="rounded bg-emerald-600 px-3 py-1 text-white disabled:opacity-50"'
CRITICAL = "  if (part.onHand === 0 || part.onHand < part.reorderPoint / 2) {"
TOTAL = '          <span className="font-semibold">Total {formatMoney(orderTotal)}</span>'
MESSAGE = '        {submitted && <p className="mt-2 text-sm text-emerald-700">Order submitted to purchasing.</p>}'
DRAFT = '  const [draft, setDraft] = useState<OrderLine>({ sku: "", quantity: 0, needBy: addDays(14) });'
TH_POINT = '            <th className="px-3 py-2 text-right">Reorder point</th>'
TD_POINT = '              <td className="px-3 py-2 text-right">{part.reorderPoint}</td>'
for _line in (TITLE, SUBMIT, CRITICAL, TOTAL, MESSAGE, DRAFT, TH_POINT, TD_POINT):
    assert COMPONENT.count(_line + "\n") == 1, _line

SAVING = ('\n        {lines.length > 0 && !submitted && <p className="text-xs">Saving...</p>}\n'
          '        {[...lines].length > 5 && <p className="text-xs">Large order</p>}')
NEW_TITLE = TITLE.replace("Reorder Board", "Parts Reorder Board")
BLUE_SUBMIT = SUBMIT.replace("bg-emerald-600", "bg-blue-700")
THIRD = CRITICAL.replace("/ 2", "/ 3")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # what the answer does, as models do it
    answer: str
    expected: str  # applied | re-asked | refused
    # The project after an applied answer; the current one otherwise.
    expect: dict = field(default_factory=lambda: dict(CURRENT))


def block(search: str, replace: str, path: str | None = PATH) -> str:
    head = f"{path}\n" if path else ""
    return f"{head}<<<<<<< SEARCH\n{search}\n=======\n{replace}\n>>>>>>> REPLACE"


def changed(*pairs: tuple[str, str]) -> dict:
    text = COMPONENT
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return {PATH: text}


def fenced(body: str, info: str = "tsx") -> str:
    return f"```{info}\n{body}\n```"


def dedent(text: str, by: int) -> str:
    """Every line `by` characters less indented, as a model that lost the file's indentation copies it."""
    return "\n".join(line[by:] if line[:by].strip() == "" else line for line in text.split("\n"))


def applied() -> list[Case]:
    title = changed((TITLE, NEW_TITLE))
    blue = changed((SUBMIT, BLUE_SUBMIT))
    body = block(TITLE, NEW_TITLE, None)
    unit_th = TH_POINT + '\n            <th className="px-3 py-2 text-right">Unit cost</th>'
    unit_td = TD_POINT + '\n              <td className="px-3 py-2 text-right">{formatMoney(part.unitCost)}</td>'
    money = 'export function formatUsd(value: number): string {\n  return `$${value.toFixed(2)}`;\n}'
    return [
        Case("clean", "clean block", block(TITLE, NEW_TITLE), "applied", title),
        Case("clean-fenced", "block in a tsx fence", fenced(block(SUBMIT, BLUE_SUBMIT)), "applied", blue),
        Case("prose-wrapped", "prose before and after a fenced block",
             "Sure! I'll make the submit button blue.\n\n" + fenced(block(SUBMIT, BLUE_SUBMIT)) +
             "\n\nThis only changes the button's background colour. Let me know if you want a hover state too!",
             "applied", blue),
        Case("bold-path", "path in bold above the fence", f"**{PATH}**\n" + fenced(body), "applied", title),
        Case("comment-path", "path as a comment inside the fence", fenced(f"// {PATH}\n" + body), "applied", title),
        Case("fence-info-path", "path in the fence's info string", fenced(body, f"tsx {PATH}"), "applied", title),
        Case("fence-info-colon", "tsx:path in the fence's info string", fenced(body, f"tsx:{PATH}"), "applied", title),
        Case("bare-name", "App.tsx without src/", block(TITLE, NEW_TITLE, "App.tsx"), "applied", title),
        Case("file-label", "File: path", block(TITLE, NEW_TITLE, f"File: {PATH}"), "applied", title),
        Case("heading-path", "### path", f"### {PATH}\n" + body, "applied", title),
        Case("no-path-one-file", "no path in a one-file project", "Change the title:\n\n" + body, "applied", title),
        Case("crlf", "Windows newlines", block(SUBMIT, BLUE_SUBMIT).replace("\n", "\r\n"), "applied", blue),
        Case("miscounted-markers", "six and eight marker characters",
             f"{PATH}\n<<<<<< SEARCH\n{TITLE}\n========\n{NEW_TITLE}\n>>>>>>>> REPLACE", "applied", title),
        Case("indent-drift-less", "SEARCH and REPLACE copied four spaces short",
             block(dedent(SUBMIT, 4), dedent(BLUE_SUBMIT, 4)), "applied", blue),
        Case("indent-drift-none", "SEARCH and REPLACE with no indentation at all",
             block(SUBMIT.strip(), BLUE_SUBMIT.strip()), "applied", blue),
        Case("indent-drift-tabs", "tabs for the file's spaces",
             block("\t\t\t" + SUBMIT.strip(), "\t\t\t" + BLUE_SUBMIT.strip()), "applied", blue),
        Case("trailing-spaces", "trailing white space on the SEARCH line", block(TITLE + "   ", NEW_TITLE), "applied", title),
        Case("blank-edges", "blank lines around the SEARCH", block(f"\n{TITLE}\n", NEW_TITLE), "applied", title),
        Case("multi-line-drift", "two lines, re-indented, new line added",
             block(dedent(TH_POINT, 6), dedent(unit_th, 6)), "applied", changed((TH_POINT, unit_th))),
        Case("two-blocks", "two blocks in one answer", block(TH_POINT, unit_th) + "\n\n" + block(TD_POINT, unit_td),
             "applied", changed((TH_POINT, unit_th), (TD_POINT, unit_td))),
        Case("second-without-path", "the second block takes the first one's path",
             block(TH_POINT, unit_th) + "\n" + block(TD_POINT, unit_td, None), "applied",
             changed((TH_POINT, unit_th), (TD_POINT, unit_td))),
        Case("new-file", "empty SEARCH under a new path", block("", money, "src/lib/money.ts"), "applied",
             {**CURRENT, "src/lib/money.ts": money + "\n"}),
        Case("edit-plus-whole-new-file", "an edit and a new file written whole beside it",
             block(TITLE, NEW_TITLE) + "\n\n" + fenced(money, "ts src/lib/money.ts"), "applied",
             {**title, "src/lib/money.ts": money}),
        Case("delete-lines", "empty REPLACE deletes", block(MESSAGE, ""), "applied", changed((MESSAGE + "\n", ""))),
        Case("whole-file", "the whole file in a named fence", fenced(COMPONENT.replace(TITLE, NEW_TITLE), f"tsx {PATH}"),
             "applied", {PATH: COMPONENT.replace(TITLE, NEW_TITLE).rstrip("\n")}),
        Case("whole-file-unnamed", "the whole file, unnamed, with prose",
             "Here is the updated component:\n\n" + fenced(COMPONENT.replace(CRITICAL, THIRD)) + "\n",
             "applied", {PATH: COMPONENT.replace(CRITICAL, THIRD).rstrip("\n")}),
        Case("spread-and-loading", "new code with a spread and 'Saving...' text (not elision)",
             block(MESSAGE, MESSAGE + SAVING), "applied", changed((MESSAGE, MESSAGE + SAVING))),
        Case("ordinary-comment", "a comment that mentions existing parts (not elision)",
             block(CRITICAL, "  // Check existing stock against a third of the reorder point\n" + THIRD), "applied",
             changed((CRITICAL, "  // Check existing stock against a third of the reorder point\n" + THIRD))),
    ]


def reasked() -> list[Case]:
    return [
        Case("not-found-typo", "SEARCH with a typo", block(TITLE.replace("Reorder", "Re-order"), NEW_TITLE), "re-asked"),
        Case("not-found-paraphrase", "SEARCH with other quotes", block(TITLE.replace('"', "'"), NEW_TITLE), "re-asked"),
        Case("not-found-fragment", "SEARCH that is part of a line", block("bg-emerald-600", "bg-blue-700"), "re-asked"),
        Case("not-found-stale", "second block searches what the first replaced",
             block(TITLE, NEW_TITLE) + "\n" + block(TITLE, TITLE.replace("Reorder", "Stock")), "re-asked"),
        Case("ambiguous-exact", "a line that is in the file many times",
             block("          </label>", "          </label>\n          <hr />"), "re-asked"),
        Case("ambiguous-loose", "a line that matches many places once indentation is ignored",
             block("</label>", "</label>\n<hr />"), "re-asked"),
        Case("one-good-one-bad", "a good block and a failing one: nothing applies",
             block(TITLE, NEW_TITLE) + "\n" + block("  const [price, setPrice] = useState(0);", "  const [price] = useState(1);"),
             "re-asked"),
        Case("wrong-file", "edits a file that is not in the project", block(TITLE, NEW_TITLE, "src/ReorderBoard.tsx"),
             "re-asked"),
        Case("wrong-folder", "edits a component file that does not exist",
             block(TITLE, NEW_TITLE, "src/components/Header.tsx"), "re-asked"),
        Case("outside-project", "a path that leaves the project", block(TITLE, NEW_TITLE, "../../app/App.tsx"), "re-asked"),
        Case("empty-search-existing", "empty SEARCH on the existing file", block("", COMPONENT), "re-asked"),
        Case("missing-divider", "no ======= line", f"{PATH}\n<<<<<<< SEARCH\n{TITLE}\n{NEW_TITLE}\n>>>>>>> REPLACE", "re-asked"),
        Case("missing-end", "cut off before >>>>>>> REPLACE", f"{PATH}\n<<<<<<< SEARCH\n{TITLE}\n=======\n{NEW_TITLE}",
             "re-asked"),
        Case("missing-search", "no <<<<<<< SEARCH line", f"{PATH}\n{TITLE}\n=======\n{NEW_TITLE}\n>>>>>>> REPLACE", "re-asked"),
        Case("unparsable", "the result does not parse", block(CRITICAL, CRITICAL.replace("{", "{{")), "re-asked"),
        Case("prose-only", "prose and no code", "You can make the title longer by editing the h1 element.", "re-asked"),
        Case("unified-diff", "a unified diff instead of edit blocks",
             fenced(f"--- a/{PATH}\n+++ b/{PATH}\n@@ -147,1 +147,1 @@\n-{TITLE}\n+{NEW_TITLE}", "diff"), "re-asked"),
    ]


def refused() -> list[Case]:
    whole_elided = COMPONENT.replace(
        COMPONENT[COMPONENT.index("const PARTS"):COMPONENT.index("const SUPPLIERS")], "// ... existing sample data\n\n"
    )
    return [
        Case("elided-rest", "REPLACE ends in '// ... rest of the component unchanged'",
             block(TITLE, NEW_TITLE + "\n        // ... rest of the component unchanged"), "refused"),
        Case("elided-jsx", "REPLACE with {/* ... */}", block(TH_POINT, TH_POINT + "\n            {/* ... */}"), "refused"),
        Case("elided-existing", "REPLACE with /* existing code */",
             block(CRITICAL, "  /* existing code */\n" + THIRD), "refused"),
        Case("elided-dots", "a line that is only ...", block(TOTAL, TOTAL + "\n          ..."), "refused"),
        Case("elided-existing-dots", "// ...existing code...", block(DRAFT, "  // ...existing code...\n" + DRAFT), "refused"),
        Case("whole-elided-data", "a whole file with '// ... existing sample data'", fenced(whole_elided, f"tsx {PATH}"),
             "refused"),
        Case("whole-elided-tail", "a whole file cut short with '// rest of the code remains the same'",
             fenced(COMPONENT[: COMPONENT.index("export default")] + "export default function App() {\n"
                    "  // rest of the code remains the same\n}\n", f"tsx {PATH}"), "refused"),
    ]


def cases() -> list[Case]:
    return applied() + reasked() + refused()
