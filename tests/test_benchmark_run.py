"""benchmarks/run.py end to end against loopback providers: real clients, real checks, the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests import bench_canned as canned
from tests.conftest import REPO
from tests.loopback import AnthropicServer, OpenAIServer, Reply, closed_port


def test_the_suite_measures_each_provider_and_writes_the_report(tmp_path):
    with AnthropicServer() as claude, OpenAIServer() as openrouter:
        claude.default = Reply(text=f"```tsx\n{canned.GOOD}```", usage=(900, 700))
        openrouter.default = Reply(text=canned.IGNORES_PROMPT, cost=0.0021)
        env = {
            "PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO),
            "JFDI_DATA_DIR": str(tmp_path / "data"), "JFDI_LOCAL_MODEL": str(tmp_path / "none"),
            "OLLAMA_HOST": f"127.0.0.1:{closed_port()}",
            "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
            "OPENROUTER_API_KEY": "sk-or-test", "OPENROUTER_BASE_URL": f"{openrouter.url}/api/v1",
        }
        out = tmp_path / "report"
        result = subprocess.run(
            [sys.executable, "benchmarks/run.py", "--providers", "claude,openrouter", "--only", "inventory-form,counter",
             "--out", str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    assert "[0/4]" in result.stderr and "[4/4] done" in result.stderr
    data = json.loads((out / "results.json").read_text())
    rows = {(r["prompt"], r["provider"]): r for r in data["rows"]}
    assert len(rows) == 4
    good = rows[("inventory-form", "claude")]
    assert good["ok"] and good["quality"] == 100.0 and good["checks"]["expect_passed"] == 4
    assert good["output_tokens"] == 700 and good["tokens_per_s"] > 0 and good["cost_usd"] > 0
    assert good["ttft_s"] <= good["total_s"]
    off = rows[("inventory-form", "openrouter")]
    assert off["checks"]["renders"] and off["checks"]["expect_passed"] == 0 and off["cost_usd"] == 0.0021
    counter = rows[("counter", "openrouter")]
    assert counter["checks"]["expect_passed"] == counter["checks"]["expect_total"] == 3
    assert len(claude.requests) == 2 and len(openrouter.requests) == 2, "no fallback between providers"
    report = (out / "report.md").read_text()
    assert "| claude |" in report and "| openrouter |" in report
    assert "Local generation under 30 s" in report and "not measured" in report
    assert (out / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_arguments_exit_2(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_DATA_DIR": str(tmp_path)}
    for args, message in ((["--providers", "gpt"], "unknown provider 'gpt': use one of claude, local, openrouter, ollama"), (["--providers", "claude"], "ANTHROPIC_API_KEY"),
                          (["--only", "nope", "--providers", "ollama"], "no prompt with id nope")):
        result = subprocess.run([sys.executable, "benchmarks/run.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr, result.stderr


def test_the_judge_scores_each_rendered_output_and_its_cost_is_counted_apart(tmp_path):
    with AnthropicServer() as claude, OpenAIServer() as judge:
        claude.reply_for = lambda req: Reply(
            text=canned.GOOD if "inventory" in json.dumps(req.body["messages"]).lower() else canned.NO_CODE, usage=(900, 700))
        # The first output's judge answers garbage twice: no score. The next is good.
        judge.enqueue(Reply(text="Nice form! 8/10", cost=0.001), Reply(text="I'd say 80", cost=0.001))
        judge.default = Reply(text='```json\n{"score": 71, "notes": "Clear labels; the messages show."}\n```', cost=0.003)
        env = {
            "PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO),
            "JFDI_DATA_DIR": str(tmp_path / "data"), "JFDI_LOCAL_MODEL": str(tmp_path / "none"),
            "OLLAMA_HOST": f"127.0.0.1:{closed_port()}",
            "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": claude.url,
            "OPENROUTER_API_KEY": "sk-or-test", "OPENROUTER_BASE_URL": f"{judge.url}/api/v1",
        }
        out = tmp_path / "report"
        result = subprocess.run(
            [sys.executable, "benchmarks/run.py", "--providers", "claude", "--only", "inventory-form,counter",
             "--repeat", "2", "--judge", "openrouter", "--out", str(out)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "results.json").read_text())
    assert data["meta"]["judge"] == {"provider": "openrouter", "model": "anthropic/claude-sonnet-5.5"}
    rows = {(r["prompt"], r["repeat"]): r for r in data["rows"]}
    unusable, scored, no_code = rows[("inventory-form", 1)], rows[("inventory-form", 2)], rows[("counter", 1)]
    assert unusable["judge_score"] is None and unusable["judge_notes"] == "" and unusable["judge"]["calls"] == 2
    assert scored["judge_score"] == 71 and scored["judge_notes"] == "Clear labels; the messages show."
    assert no_code["judge_score"] is None and no_code["judge"]["calls"] == 0 and no_code["screenshots"] == []
    assert len(judge.requests) == 3, "outputs without code are not shown to the judge"
    for row in (unusable, scored):
        assert [s.rsplit("/", 1)[1] for s in row["screenshots"]] == ["1-load.png", "2-after-1s.png", "3-after-interactions.png"]
        assert all((out / s).read_bytes()[:4] == b"\x89PNG" for s in row["screenshots"])
        assert row["cost_usd"] > 0 and row["cost_usd"] == rows[("inventory-form", 1)]["cost_usd"]  # Claude's alone
    assert unusable["judge"]["cost_usd"] == 0.002 and scored["judge"]["cost_usd"] == 0.003
    report = (out / "report.md").read_text()
    assert "## Visual judge" in report and "3 calls" in report and "cost $0.0050: counted apart" in report
    assert "| 1 | claude | 71.0 | 1/4 |" in report
    assert "Only: inventory-form (run 2), score 71" in report
    assert f"![claude inventory-form 1]({scored['screenshots'][0]})" in report
    assert "| no score |" in report


def test_a_judge_that_cannot_see_or_has_nothing_to_see_exits_2(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "JFDI_DATA_DIR": str(tmp_path),
           "JFDI_OLLAMA_MODEL": "qwen2.5-coder:7b"}
    blind = "the judge must see images, and Ollama (qwen2.5-coder:7b) is given them as text"
    for args, message in ((["--judge", "ollama"], blind),
                          (["--judge", "ollama", "--no-render"], "cannot run with --no-render"),
                          (["--judge", "claude"], "not configured: claude: set ANTHROPIC_API_KEY")):
        result = subprocess.run([sys.executable, "benchmarks/run.py", "--providers", "ollama", *args], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr, result.stderr
