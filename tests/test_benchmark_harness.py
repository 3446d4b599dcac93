"""The benchmark's checks on canned outputs: each answer must score what it deserves. A check
that cannot fail would show here as two answers with the same score."""

from __future__ import annotations

import json

import pytest

from jfdi.benchmark.prompts import load_prompts
from jfdi.benchmark.render import Renderer
from jfdi.benchmark.report import quality, seed_criteria, summarise
from jfdi.benchmark.runner import check_output, uses_tailwind
from jfdi.code import answer_files
from jfdi.errors import BadInput
from jfdi.preview.checks import Checker
from jfdi.project import has_default_export
from tests import bench_canned as canned


@pytest.fixture(scope="module")
def inventory():
    return next(p for p in load_prompts() if p.id == "inventory-form")


@pytest.fixture(scope="module")
def tools():
    checker, renderer = Checker(), Renderer()
    assert renderer.available(), "Chromium is needed for the render checks: apt-get install chromium"
    yield checker.check, renderer
    renderer.close()
    checker.close()


@pytest.fixture(scope="module")
def scored(inventory, tools):
    checker, renderer = tools
    answers = {
        "good": canned.GOOD, "syntax_error": canned.SYNTAX_ERROR, "throws": canned.THROWS,
        "missing_label": canned.MISSING_LABEL, "ignores_prompt": canned.IGNORES_PROMPT, "no_code": canned.NO_CODE,
    }
    results = {}
    for name, code in answers.items():
        checks, details = check_output(answer_files(code).files, inventory.expect, checker, renderer)
        results[name] = (checks, details, quality(checks))
    return results


def test_a_good_component_passes_everything(scored):
    checks, details, score = scored["good"]
    assert checks == {"extracted": True, "parses": True, "typechecks": True, "renders": True, "default_export": True,
                      "tailwind": True, "expect_passed": 4, "expect_total": 4,
                      "blank": False, "console_errors": 0, "a11y_violations": 0}, details
    assert score == 100.0


def test_a_syntax_error_fails_parsing_and_rendering(scored):
    checks, details, score = scored["syntax_error"]
    assert checks["parses"] is False and checks["renders"] is False and checks["expect_passed"] == 0
    assert any("line" in p for p in details["problems"])
    assert score < 20


def test_a_component_that_throws_does_not_render(scored):
    checks, details, score = scored["throws"]
    assert checks["parses"] is True and checks["renders"] is False and checks["expect_passed"] == 0
    assert checks["blank"] is None, "an error on show is not judged as blank"
    assert any("runtime" in e or "render" in e for e in details["render_errors"])
    assert 20 < score < 50


def test_a_missing_required_label_loses_that_expectation(scored):
    checks, details, score = scored["missing_label"]
    assert checks["renders"] is True and (checks["expect_passed"], checks["expect_total"]) == (3, 4)
    failed = [e for e in details["expect"] if not e["passed"]]
    assert [e["label"] for e in failed] == ["reorder"]
    assert 85 < score < 100


def test_a_component_that_ignores_the_prompt_renders_but_meets_none_of_it(scored):
    checks, details, score = scored["ignores_prompt"]
    assert checks["renders"] is True and checks["expect_passed"] == 0
    assert 50 < score < 80


@pytest.mark.parametrize("name", ["good", "missing_label", "ignores_prompt"])
def test_the_canned_answers_that_render_are_visible_quiet_and_accessible(scored, name):
    """Our own examples (the loopback suite answers with them) meet the field's targets."""
    checks, details, _ = scored[name]
    assert (checks["blank"], checks["console_errors"], checks["a11y_violations"]) == (False, 0, 0), details


def test_no_code_scores_nothing(scored):
    checks, _, score = scored["no_code"]
    assert checks["extracted"] is False and score == 0


def test_scores_rank_the_answers_as_a_user_would(scored):
    order = sorted(scored, key=lambda name: scored[name][2], reverse=True)
    assert order == ["good", "missing_label", "ignores_prompt", "throws", "syntax_error", "no_code"]


def test_the_validation_check_needs_a_message_to_appear(tools, inventory):
    checker, renderer = tools
    silent = canned.GOOD.replace('next.quantity = "Quantity must be a positive number"', 'next.quantity = ""')
    silent = silent.replace("{errors.quantity && ", "{false && ")
    checks, details = check_output(answer_files(silent).files, inventory.expect, checker, renderer)
    by_kind = {e["kind"]: e["passed"] for e in details["expect"]}
    assert by_kind["validation"] is False and checks["expect_passed"] == 3


def test_sorting_and_filtering_are_checked_by_clicking_and_typing(tools):
    checker, renderer = tools
    table = """import { useState } from "react";
const ROWS = [{ po: "PO-1003", total: 120 }, { po: "PO-1001", total: 75 }, { po: "PO-1002", total: 310 }];
export default function Orders() {
  const [asc, setAsc] = useState(true);
  const [query, setQuery] = useState("");
  const rows = ROWS.filter((r) => r.po.includes(query)).sort((a, b) => (asc ? a.total - b.total : b.total - a.total));
  return (<div className="p-4 space-y-2"><input type="search" placeholder="Search" className="border px-2" value={query} onChange={(e) => setQuery(e.target.value)} />
    <table className="min-w-full text-sm"><thead><tr><th>PO</th><th onClick={() => setAsc(!asc)}>Total</th></tr></thead>
    <tbody>{rows.map((r) => <tr key={r.po}><td>{r.po}</td><td>{r.total}</td></tr>)}</tbody></table></div>);
}"""
    expect = [{"kind": "rows", "min": 3}, {"kind": "sort", "header": "total"}, {"kind": "filter"}, {"kind": "sort", "header": "po"}]
    checks, details = check_output({"src/Orders.tsx": table}, expect, checker, renderer)
    assert [e["passed"] for e in details["expect"]] == [True, True, True, False], details


def test_a_chart_is_checked_by_the_marks_it_draws(tools):
    checker, renderer = tools
    chart = """import { Line, LineChart, XAxis, YAxis } from "recharts";
const DATA = [{ shift: "A", oee: 71 }, { shift: "B", oee: 78 }, { shift: "C", oee: 64 }, { shift: "D", oee: 82 }];
export default function Trend({ data = DATA }: { data?: typeof DATA }) {
  return <LineChart width={480} height={240} data={data}><XAxis dataKey="shift" /><YAxis /><Line dataKey="oee" /></LineChart>;
}"""
    expect = [{"kind": "chart", "min": 4}]
    drawn = check_output({"src/Trend.tsx": chart}, expect, checker, renderer)[1]["expect"]
    empty = check_output({"src/Trend.tsx": chart.replace("data = DATA", "data = []")}, expect, checker, renderer)[1]["expect"]
    assert [e["passed"] for e in drawn + empty] == [True, False]


def test_static_checks():
    assert has_default_export(canned.GOOD) and not has_default_export("function A() {}")
    assert uses_tailwind(canned.GOOD)
    assert not uses_tailwind('export default () => <div className="my-widget fancy">x</div>')


def test_prompts_file_and_bad_prompt_files(tmp_path):
    prompts = load_prompts()
    assert len(prompts) >= 20 and sum(p.seed for p in prompts) == 5
    kinds = {item["kind"] for p in prompts for item in p.expect}
    assert {"field", "validation", "sort", "rows", "text", "button"} <= kinds
    bad = tmp_path / "prompts.json"
    bad.write_text(json.dumps([{"id": "x", "prompt": "y", "expect": [{"kind": "sort", "header": "("}]}]))
    with pytest.raises(BadInput, match="not a valid regex"):
        load_prompts(bad)
    bad.write_text(json.dumps([{"id": "x", "prompt": "y", "expect": [{"kind": "colour"}]}]))
    with pytest.raises(BadInput, match="kind among"):
        load_prompts(bad)


def test_summary_and_the_seed_criteria():
    def row(provider, total, q, seed=True):
        return {"provider": provider, "model": provider + "-m", "ok": True, "seed": seed, "quality": q, "total_s": total,
                "ttft_s": 0.5, "tokens_per_s": 50.0, "cost_usd": 0.01 if provider == "claude" else 0.0,
                "checks": {"extracted": True, "parses": True, "typechecks": None, "renders": True, "default_export": True,
                           "tailwind": True, "expect_passed": 3, "expect_total": 4,
                           "blank": provider == "local" and total > 30, "console_errors": 1 if provider == "local" else 0,
                           "a11y_violations": 3 if total == 8.0 else 0}}
    rows = [row("claude", 8.0, 90.0), row("claude", 10.0, 100.0), row("local", 25.0, 80.0), row("local", 40.0, 90.0)]
    summaries = {s.provider: s for s in summarise(rows)}
    judged = {name: (s.blank_rate, s.console_errors, s.a11y_violations) for name, s in summaries.items()}
    assert judged == {"claude": (0, 0, 1.5), "local": (0.5, 1, 0)}
    assert summaries["claude"].quality == 95.0 and summaries["local"].ratio_to_best == pytest.approx(85 / 95, abs=0.001)
    assert summaries["local"].pass_rates["typechecks"] is None
    criteria = seed_criteria(list(summaries.values()))
    assert (criteria[0]["value"], criteria[0]["met"]) == ("32.5 s with local-m", False)
    assert criteria[1]["met"] is False and "89%" in criteria[1]["value"]


@pytest.mark.parametrize("prompt_id, answer", [
    ("oee-trend-chart", canned.OEE_TREND), ("po-form-zod", canned.PO_FORM_ZOD), ("parts-table-5000", canned.PARTS_TABLE),
])
def test_a_good_answer_meets_the_prompts_that_need_the_library_set(tools, prompt_id, answer):
    checker, renderer = tools
    prompt = next(p for p in load_prompts() if p.id == prompt_id)
    checks, details = check_output(answer_files(answer).files, prompt.expect, checker, renderer)
    assert checks["typechecks"] and checks["renders"], details
    assert (checks["blank"], checks["console_errors"], checks["a11y_violations"]) == (False, 0, 0), details
    assert checks["expect_passed"] == checks["expect_total"] == len(prompt.expect), details["expect"]
