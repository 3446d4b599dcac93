"""The benchmark's visual judge: real screenshots of a rendered output, sent to real provider
clients against loopback servers that check each service's image format; the judge's answer read
strictly, retried once with the reason, else recorded as no score."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import replace

import pytest
from PIL import Image

from jfdi.benchmark.errors import BadVerdict, JudgeCannotSee
from jfdi.benchmark.judge import FIXED_CRITERIA, Judge, checklist, parse_verdict
from jfdi.benchmark.prompts import KINDS, load_prompts
from jfdi.benchmark.render import SHOT_NAMES, Renderer
from jfdi.code import answer_files
from jfdi.providers import PROVIDERS
from tests import bench_canned as canned
from tests.loopback import OllamaServer, Reply

GOOD_VERDICT = '{"score": 82, "notes": "All four fields and the message show; spacing is tidy."}'


@pytest.fixture(scope="module")
def inventory():
    return next(p for p in load_prompts() if p.id == "inventory-form")


@pytest.fixture(scope="module")
def shots(inventory, tmp_path_factory):
    """The three screenshots of a good inventory form, taken as the benchmark takes them."""
    folder = tmp_path_factory.mktemp("shots")
    with Renderer() as renderer:
        assert renderer.available(), "Chromium is needed: apt-get install chromium"
        rendered = renderer.render(answer_files(canned.GOOD).files, inventory.expect, folder)
    assert rendered.renders and rendered.expect_passed == 4
    return rendered.screenshots


def judge_on(settings, name: str) -> Judge:
    return Judge(PROVIDERS.build(settings), name, timeout_s=10)


def test_three_screenshots_of_the_preview_before_and_after_the_interactions(shots):
    assert [p.name for p in shots] == list(SHOT_NAMES)
    images = [Image.open(p) for p in shots]
    assert all(i.format == "PNG" and i.size == (1200, 900) for i in images)
    # The expect items typed a bad quantity and pressed Save: the last screenshot shows it.
    assert shots[2].read_bytes() != shots[0].read_bytes()
    # Not a blank frame: the form's dark text is on it.
    assert images[0].convert("L").getextrema()[0] < 100


def test_a_good_json_answer_is_the_score(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(text=GOOD_VERDICT, usage=(3000, 40)))
    judgement = judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots)
    assert (judgement.score, judgement.calls, judgement.problems) == (82, 1, [])
    assert judgement.notes.startswith("All four fields")
    assert (judgement.input_tokens, judgement.output_tokens) == (3000, 40) and judgement.cost_usd > 0
    text = anthropic_server.requests[-1].body["messages"][0]["content"][-1]["text"]
    assert inventory.prompt in text and "reorder" in text  # the prompt, and its expect items as a checklist
    assert all(criterion in text for criterion in FIXED_CRITERIA)


def test_json_in_a_code_fence_is_read(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(text=f"```json\n{GOOD_VERDICT}\n```"))
    assert judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots).score == 82


def test_garbage_then_good_is_asked_once_more_with_the_reason(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(text="Looks great, I'd give it 90."), Reply(text=GOOD_VERDICT))
    judgement = judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots)
    assert (judgement.score, judgement.calls) == (82, 2)
    retry = anthropic_server.requests[-1].body["messages"]
    assert [m["role"] for m in retry] == ["user", "assistant", "user"]
    assert retry[1]["content"] == "Looks great, I'd give it 90."
    assert "not a JSON object" in retry[2]["content"] and '"score"' in retry[2]["content"]
    assert len(anthropic_server.images[-1]) == 3  # each request stands alone: the screenshots again


def test_garbage_twice_is_no_score_never_a_made_up_one(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(text="Score: 75/100"), Reply(text="I would say 75."))
    judgement = judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots)
    assert judgement.score is None and judgement.notes == "" and judgement.calls == 2
    assert len(judgement.problems) == 2 and "Score: 75/100" in judgement.problems[0]
    assert len(anthropic_server.requests) == 2  # asked once more, not again and again


def test_an_out_of_range_score_is_refused_with_the_reason(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(text='{"score": 140, "notes": "superb"}'), Reply(text='{"score": 9.5, "notes": "x"}'))
    judgement = judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots)
    assert judgement.score is None
    assert "score 140 is outside 0-100" in anthropic_server.requests[-1].body["messages"][2]["content"]
    assert "must be an integer" in judgement.problems[1]


@pytest.mark.parametrize("answer", [
    '{"score": "80", "notes": "x"}', '{"score": true, "notes": "x"}', '{"score": -1, "notes": "x"}',
    '{"score": 80}', '[80, "x"]', 'Here it is: {"score": 80, "notes": "x"}', "",
])
def test_what_is_not_a_verdict(answer):
    with pytest.raises(BadVerdict):
        parse_verdict(answer)


def test_a_verdict_may_be_fenced_and_carry_more_keys():
    verdict = parse_verdict('```\n{"score": 0, "notes": " blank page ", "criteria": {}}\n```')
    assert (verdict.score, verdict.notes) == (0, "blank page")


def test_every_expect_kind_is_on_the_checklist():
    items = [{"kind": kind, **{key: "x" for key in keys}} for kind, keys in KINDS.items()]
    items[[i["kind"] for i in items].index("click_changes")]["button"] = "Add"
    lines = checklist(items)
    assert len(lines) == len(KINDS) + len(FIXED_CRITERIA) and len(set(lines)) == len(lines)


def png_size(raw: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(raw)).size


def test_claude_gets_the_screenshots_as_base64_image_blocks(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(text=GOOD_VERDICT))
    judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots)
    content = anthropic_server.requests[-1].body["messages"][0]["content"]
    assert [b["type"] for b in content] == ["image", "image", "image", "text"]
    assert {b["source"]["media_type"] for b in content[:3]} == {"image/png"}
    assert anthropic_server.images[-1] == [p.read_bytes() for p in shots]


def test_an_openai_compatible_judge_gets_image_url_data_uris(loopback_settings, openai_server, inventory, shots):
    openai_server.enqueue(Reply(text=GOOD_VERDICT, cost=0.004))
    judgement = judge_on(loopback_settings, "openrouter").judge(inventory.prompt, inventory.expect, shots)
    assert judgement.score == 82 and judgement.cost_usd == 0.004
    content = openai_server.requests[-1].body["messages"][1]["content"]
    assert [part["type"] for part in content] == ["image_url", "image_url", "image_url", "text"]
    assert all(part["image_url"]["url"].startswith("data:image/png;base64,") for part in content[:3])
    assert openai_server.images[-1] == [p.read_bytes() for p in shots]


def test_an_ollama_judge_gets_bare_base64_in_the_message_images(settings, inventory, shots):
    with OllamaServer(models=["qwen2.5vl:7b"], vision_models={"qwen2.5vl:7b"}) as server:
        server.enqueue(Reply(text=GOOD_VERDICT))
        judge = judge_on(replace(settings, ollama_host=server.url, ollama_model="qwen2.5vl:7b"), "ollama")
        judgement = judge.judge(inventory.prompt, inventory.expect, shots)
        assert judgement.score == 82 and judgement.cost_usd == 0.0  # on the user's own machine
        message = server.requests[-1].body["messages"][1]
        assert len(message["images"]) == 3 and not any(i.startswith("data:") for i in message["images"])
        assert [png_size(base64.b64decode(i)) for i in message["images"]] == [(1200, 900)] * 3
        assert server.images[-1] == [p.read_bytes() for p in shots]


def test_a_judge_that_cannot_see_is_refused_before_anything_runs(loopback_settings, ollama_server):
    with pytest.raises(JudgeCannotSee, match=r"Ollama \(seed-coder-test\) is given them as text"):
        judge_on(loopback_settings, "ollama")
    assert ollama_server.requests == []


def test_a_judge_that_fails_is_no_score(loopback_settings, anthropic_server, inventory, shots):
    anthropic_server.enqueue(Reply(status=401, error="invalid x-api-key"))
    judgement = judge_on(loopback_settings, "claude").judge(inventory.prompt, inventory.expect, shots)
    assert judgement.score is None and "the judge failed" in judgement.problems[0]
    assert json.dumps(judgement.record())  # what the row keeps is JSON


def test_the_report_ranks_providers_by_mean_judge_score_and_shows_best_and_worst(tmp_path):
    from jfdi.benchmark.report import write_report

    def row(provider, prompt, score, judge_cost, cost=0.01):
        shots = [f"screenshots/{prompt}/{provider}-1/{name}" for name in SHOT_NAMES] if score is not None else []
        return {"prompt": prompt, "provider": provider, "model": f"{provider}-m", "repeat": 1, "ok": True, "quality": 80.0,
                "total_s": 3.0, "ttft_s": 0.5, "tokens_per_s": 40.0, "cost_usd": cost, "error": None,
                "checks": {"extracted": True, "renders": True, "expect_passed": 1, "expect_total": 2},
                "judge_score": score, "judge_notes": f"notes on {prompt}" if score is not None else "", "screenshots": shots,
                "judge": {"calls": 1 if score is not None else 2, "input_tokens": 3000, "output_tokens": 30,
                          "cost_usd": judge_cost}}

    rows = [row("ollama", "a", None, 0.02), row("ollama", "b", 60, 0.01),
            row("claude", "a", 90, 0.01), row("claude", "b", 40, 0.01)]
    paths = write_report(tmp_path, rows, {"judge": {"provider": "openrouter", "model": "vision-m"}})
    report = paths["report"].read_text()
    ranking = report[report.index("| rank |"):report.index("### Best")]
    assert ranking.index("| 1 | claude | 65.0 | 2/2 |") < ranking.index("| 2 | ollama | 60.0 | 1/2 |")
    assert "| $0.0300 |" in ranking and "cost $0.0500: counted apart" in report
    providers = report.split("## Providers")[1].split("Quality:")[0]
    assert providers.count("| $0.0200 |") == 2  # each provider's own cost, without the judge's
    best, worst = report.index("Best: a (run 1), score 90: notes on a"), report.index("Worst: b (run 1), score 40")
    assert best < report.index("![claude a 1](screenshots/a/claude-1/1-load.png)") < worst
    assert "Only: b (run 1), score 60" in report
