"""Iterating on a 270-line component: ten follow-ups answered with edit blocks against the same ten
answered with whole rewrites, and a corpus of 52 follow-up answers with their expected outcomes.

    python benchmarks/iteration.py [--tokens-per-s 150] [--provider NAME] [--out benchmarks/results]

The follow-ups go through the real engine and the real Claude client to a loopback Claude that
streams the canned answers at --tokens-per-s (0: as fast as it can), one after the other, each
on the code the one before left: output tokens (the providers' estimate, 3.5 characters a token)
and seconds per follow-up, for both ways of answering. Target (issue 13): an edit answer uses at
most 25% of a rewrite's tokens on these small changes. Every follow-up must end with exactly the
expected file. With --provider, the same ten follow-ups also go to that configured provider
(the settings of the environment), each on the code the one before produced: its output tokens,
seconds and how each answer was used, beside the tokens of the component itself (what a rewrite
costs at least).

The corpus (benchmarks/iteration_corpus.py) is resolved against the component with the real
syntax check: how many answers ended as expected (applied / re-asked / refused), and how many
were applied when they should not have been, or applied to give other files than expected (must
be none). Writes OUT/iteration.json and OUT/iteration.md."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS, machine  # noqa: E402
from benchmarks.iteration_corpus import COMPONENT, CRITICAL, MESSAGE, PATH, SUBMIT, TD_POINT, TH_POINT, TITLE, TOTAL  # noqa: E402
from benchmarks.iteration_corpus import DRAFT, cases  # noqa: E402
from jfdi.config import Settings, load_settings  # noqa: E402
from jfdi.edits.resolve import Trouble, resolve  # noqa: E402
from jfdi.engine import Engine  # noqa: E402
from jfdi.preview.checks import default_checker  # noqa: E402
from tests.loopback import AnthropicServer, Reply  # noqa: E402

TARGET_RATIO = 0.25
CHARS_PER_CHUNK = 35  # about ten tokens a streamed chunk

JAW = '  { sku: "CPL-JAW-L100", description: "Jaw coupling L100 with spider", location: "A-07-02", onHand: 0, ' \
      'reorderPoint: 4, leadTimeDays: 12, unitCost: 18.75, supplier: "Kugel GmbH" },'
LOCATION_TH = '            <th className="px-3 py-2">Location</th>'
LOCATION_TD = '              <td className="px-3 py-2">{part.location}</td>'
QUANTITY_CHECK = '  if (!Number.isInteger(line.quantity) || line.quantity <= 0) {\n' \
                 '    errors.quantity = "Quantity must be a whole number above zero";\n  }'

# (prompt, [(SEARCH, REPLACE), ...]): small changes an engineer asks for one after the other.
FOLLOW_UPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Make the submit order button blue", [(SUBMIT, SUBMIT.replace("bg-emerald-600", "bg-blue-700"))]),
    ("Call the page Parts Reorder Board", [(TITLE, TITLE.replace("Reorder Board", "Parts Reorder Board"))]),
    ("Show the unit cost in the table", [
        (TH_POINT, TH_POINT + '\n            <th className="px-3 py-2 text-right">Unit cost</th>'),
        (TD_POINT, TD_POINT + '\n              <td className="px-3 py-2 text-right">{formatMoney(part.unitCost)}</td>'),
    ]),
    ("Refuse quantities above 10,000", [(QUANTITY_CHECK, QUANTITY_CHECK + '\n  if (line.quantity > 10000) {\n'
                                         '    errors.quantity = "Order at most 10,000 pieces per line";\n  }')]),
    ("Default the need-by date to three weeks out", [(DRAFT, DRAFT.replace("addDays(14)", "addDays(21)"))]),
    ("Add a supplier column", [
        (LOCATION_TH, LOCATION_TH + '\n            <th className="px-3 py-2">Supplier</th>'),
        (LOCATION_TD, LOCATION_TD + '\n              <td className="px-3 py-2">{part.supplier}</td>'),
    ]),
    ("Mark parts critical below a third of the reorder point", [(CRITICAL, CRITICAL.replace("/ 2", "/ 3"))]),
    ("Show how many lines the order has next to the total", [
        (TOTAL, TOTAL.replace("{formatMoney(orderTotal)}", "{formatMoney(orderTotal)} · {lines.length} lines"))]),
    ("Say which total was submitted", [
        (MESSAGE, MESSAGE.replace("Order submitted", "Order of {formatMoney(orderTotal)} submitted"))]),
    ("Add a pump seal kit to the sample data", [(JAW, JAW + '\n  { sku: "SEAL-KIT-P40", description: "Mechanical seal kit '
                                                 'for P40 pump", location: "C-08-01", onHand: 3, reorderPoint: 5, '
                                                 'leadTimeDays: 9, unitCost: 64.0, supplier: "Seal Supply Co" },')]),
]


def edit_answer(prompt: str, changes: list[tuple[str, str]]) -> str:
    blocks = "\n\n".join(f"{PATH}\n<<<<<<< SEARCH\n{search}\n=======\n{new}\n>>>>>>> REPLACE" for search, new in changes)
    return f"I'll {prompt[0].lower()}{prompt[1:]}.\n\n```tsx\n{blocks}\n```\n"


def whole_answer(prompt: str, code: str) -> str:
    return f"Here is the updated component ({prompt[0].lower()}{prompt[1:]}):\n\n```tsx {PATH}\n{code.rstrip()}\n```\n"


def tokens(text: str) -> int:
    return len(text) * 2 // 7 + 1  # the providers' own estimate (jfdi/providers/base.py)


def reply(text: str, tokens_per_s: float) -> Reply:
    chunks = [text[i : i + CHARS_PER_CHUNK] for i in range(0, len(text), CHARS_PER_CHUNK)]
    delay = tokens(CHARS_PER_CHUNK * "x") / tokens_per_s if tokens_per_s else 0.0
    return Reply(text=text, chunks=chunks, delay_s=delay, usage=(tokens(COMPONENT), tokens(text)))


def follow_ups(server: AnthropicServer, engine: Engine, how: str, tokens_per_s: float) -> list[dict]:
    """The ten follow-ups in a row, answered `how` (edits | whole)."""
    current = {PATH: COMPONENT}
    rows = []
    for prompt, changes in FOLLOW_UPS:
        expected = current[PATH]
        for search, new in changes:
            assert expected.count(search) == 1, search
            expected = expected.replace(search, new)
        answer = edit_answer(prompt, changes) if how == "edits" else whole_answer(prompt, expected)
        server.enqueue(reply(answer, tokens_per_s))
        run = engine.generate(prompt, provider="claude", current_files=current)
        for _ in run:
            pass
        gen = run.generation
        ok = gen.status == "ok" and gen.files.get(PATH, "").rstrip("\n") == expected.rstrip("\n")
        rows.append({"prompt": prompt, "answer": how, "ok": ok, "error": gen.error or None,
                     "edit": gen.edit["mode"] if gen.edit else None, "reasks": len(gen.edit["reasks"]) if gen.edit else 0,
                     "output_tokens": gen.output_tokens, "seconds": round(gen.total_s or 0.0, 3)})
        current = gen.files if ok else {PATH: expected}
    return rows


def corpus() -> dict:
    parse = lambda files: default_checker().check(files, syntax_only=True)  # noqa: E731
    rows, wrong = [], []
    for case in cases():
        result = resolve({PATH: COMPONENT}, case.answer, parse)
        got = "applied" if result.trouble is None else "refused" if result.trouble is Trouble.ELIDED else "re-asked"
        files_ok = result.files == case.expect
        rows.append({"id": case.id, "kind": case.kind, "expected": case.expected, "got": got,
                     "as_expected": got == case.expected and files_ok, "reason": result.short or None})
        if got == "applied" and (case.expected != "applied" or not files_ok):
            wrong.append(case.id)
    by_outcome = {o: sum(1 for r in rows if r["expected"] == o) for o in ("applied", "re-asked", "refused")}
    return {"cases": len(rows), "as_expected": sum(r["as_expected"] for r in rows), "wrongly_applied": wrong,
            "by_expected_outcome": by_outcome, "rows": rows}


def summarise(edits: list[dict], whole: list[dict]) -> dict:
    ratios = [e["output_tokens"] / w["output_tokens"] for e, w in zip(edits, whole)]
    return {
        "edits": {"output_tokens_mean": statistics.mean(r["output_tokens"] for r in edits),
                  "seconds_mean": round(statistics.mean(r["seconds"] for r in edits), 3),
                  "all_ok": all(r["ok"] for r in edits)},
        "whole": {"output_tokens_mean": statistics.mean(r["output_tokens"] for r in whole),
                  "seconds_mean": round(statistics.mean(r["seconds"] for r in whole), 3),
                  "all_ok": all(r["ok"] for r in whole)},
        "token_ratio_max": round(max(ratios), 3),
        "token_ratio_mean": round(statistics.mean(ratios), 3),
        "target_ratio": TARGET_RATIO,
        "target_met": max(ratios) <= TARGET_RATIO,
    }


def real_provider(name: str) -> dict:
    """The ten follow-ups on a configured provider: what it answers is its own, so each row says
    how the answer was used instead of comparing it with an expected file."""
    engine = Engine(load_settings())
    rows = []
    current = {PATH: COMPONENT}
    try:
        for prompt, _ in FOLLOW_UPS:
            run = engine.generate(prompt, provider=name, current_files=current)
            for _ in run:
                pass
            gen = run.generation
            rows.append({"prompt": prompt, "ok": gen.status == "ok", "error": gen.error or None, "model": gen.model,
                         "edit": gen.edit["mode"] if gen.edit else None, "reasks": gen.edit["reasks"] if gen.edit else [],
                         "output_tokens": gen.output_tokens, "seconds": round(gen.total_s or 0.0, 3)})
            current = gen.files or current
    finally:
        engine.close()
    return {"provider": name, "component_tokens": tokens(COMPONENT), "rows": rows}


def run(tokens_per_s: float) -> dict:
    with AnthropicServer() as server, tempfile.TemporaryDirectory(prefix="jfdi-iteration-") as data:
        engine = Engine(Settings(anthropic_api_key="sk-ant-benchmark", anthropic_base_url=server.url, timeout_s=30.0,
                                 data_dir=Path(data), db_path=Path(data) / "jfdi.db", providers=("claude",)))
        try:
            # The SDK's import, the first connection and the checker's start are no follow-up's time.
            server.enqueue(reply(edit_answer(*FOLLOW_UPS[0]), 0))
            for _ in engine.generate("warm up", provider="claude", current_files={PATH: COMPONENT}):
                pass
            edits = follow_ups(server, engine, "edits", tokens_per_s)
            whole = follow_ups(server, engine, "whole", tokens_per_s)
        finally:
            engine.close()
    load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None  # other work on the machine slows the seconds
    return {"meta": {**machine(), "tokens_per_s": tokens_per_s, "component_lines": COMPONENT.count("\n"), "load_1min": load},
            "summary": summarise(edits, whole), "follow_ups": edits + whole, "corpus": corpus()}


def report(results: dict) -> str:
    s, c, meta = results["summary"], results["corpus"], results["meta"]
    lines = [
        "# Iteration: edit blocks against whole rewrites",
        "",
        f"{meta['component_lines']}-line component, ten follow-ups in a row, loopback Claude streaming at "
        f"{meta['tokens_per_s'] or 'unlimited'} tokens/s; {meta['cpu']} ({meta['cores']} cores, load {meta['load_1min']}), "
        f"commit {meta['commit']}, {meta['when']}.",
        "",
        "| follow-up | edit tokens | rewrite tokens | edit / rewrite | edit s | rewrite s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    edits = [r for r in results["follow_ups"] if r["answer"] == "edits"]
    whole = [r for r in results["follow_ups"] if r["answer"] == "whole"]
    for e, w in zip(edits, whole):
        flag = "" if e["ok"] and w["ok"] else " ❌"
        lines.append(f"| {e['prompt']}{flag} | {e['output_tokens']} | {w['output_tokens']} | "
                     f"{e['output_tokens'] / w['output_tokens']:.0%} | {e['seconds']:.2f} | {w['seconds']:.2f} |")
    lines += [
        "",
        f"Mean: edits {s['edits']['output_tokens_mean']:.0f} tokens in {s['edits']['seconds_mean']:.2f} s, rewrites "
        f"{s['whole']['output_tokens_mean']:.0f} tokens in {s['whole']['seconds_mean']:.2f} s. Largest edit/rewrite ratio "
        f"{s['token_ratio_max']:.0%} (target ≤ {s['target_ratio']:.0%}: {'met' if s['target_met'] else 'NOT met'}); "
        f"every follow-up ended with the expected file: edits {s['edits']['all_ok']}, rewrites {s['whole']['all_ok']}.",
        "",
        "## Edit corpus",
        "",
        f"{c['cases']} answers ({', '.join(f'{n} expected {o}' for o, n in c['by_expected_outcome'].items())}): "
        f"{c['as_expected']} ended as expected; wrongly applied: {len(c['wrongly_applied'])}"
        + (f" ({', '.join(c['wrongly_applied'])})" if c["wrongly_applied"] else "") + ".",
        "",
        "| answer | what it does | expected | got | reason |",
        "|---|---|---|---|---|",
    ]
    for row in c["rows"]:
        mark = "" if row["as_expected"] else " ❌"
        lines.append(f"| {row['id']} | {row['kind']} | {row['expected']} | {row['got']}{mark} | {row['reason'] or ''} |")
    if "provider" in results:
        real = results["provider"]
        lines += ["", f"## {real['provider']}", "",
                  f"The same follow-ups on {real['provider']}; the component itself is {real['component_tokens']} tokens.", "",
                  "| follow-up | model | used as | re-asked | output tokens | seconds | error |",
                  "|---|---|---|---|---:|---:|---|"]
        for row in real["rows"]:
            reasks = "; ".join(row["reasks"]) or "-"
            lines.append(f"| {row['prompt']} | {row['model'] or '-'} | {row['edit'] or '-'} | {reasks} | "
                         f"{row['output_tokens'] if row['output_tokens'] is not None else '-'} | {row['seconds']:.2f} | "
                         f"{row['error'] or ''} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens-per-s", type=float, default=150.0, help="the loopback's streaming rate; 0: unlimited")
    parser.add_argument("--provider", help="also run the follow-ups on this configured provider (claude, openrouter, ...)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = run(args.tokens_per_s)
    if args.provider:
        results["provider"] = real_provider(args.provider)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "iteration.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "iteration.md").write_text(report(results))
    print(report(results))
    summary = results["summary"]
    ok = summary["edits"]["all_ok"] and summary["whole"]["all_ok"] and not results["corpus"]["wrongly_applied"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
